package dev.aneprobe.probes.validate;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Weights;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Reflection helpers over the generated schema classes. */
final class Messages {
    private Messages() {
    }

    /** The oneof field name of the layer's params ("pooling"), or null when none is set. */
    static String layerType(NeuralNetworkLayer layer) {
        // From the oneof case and the descriptor, not by reflection on the message: the first reflective call on
        // a layer loads all 158 parameter classes (most of a second), which linting a model does not need.
        if (layer.getLayerCase() == NeuralNetworkLayer.LayerCase.LAYER_NOT_SET) {
            return null;
        }
        return NeuralNetworkLayer.getDescriptor().findFieldByNumber(layer.getLayerCase().getNumber()).getName();
    }

    /** The layer's params message. */
    static Message params(NeuralNetworkLayer layer) {
        FieldDescriptor f = layer.getOneofFieldDescriptor(NeuralNetworkLayer.getDescriptor().getOneofs().get(0));
        return f == null ? null : (Message) layer.getField(f);
    }

    /** Every layer of a network, including those of branch and loop sub-networks, depth first. */
    static void forEachLayer(NeuralNetwork nn, Consumer<NeuralNetworkLayer> action) {
        for (NeuralNetworkLayer layer : nn.getLayersList()) {
            action.accept(layer);
            if (layer.hasBranch()) {
                forEachLayer(layer.getBranch().getIfBranch(), action);
                forEachLayer(layer.getBranch().getElseBranch(), action);
            }
            if (layer.hasLoop()) {
                forEachLayer(layer.getLoop().getConditionNetwork(), action);
                forEachLayer(layer.getLoop().getBodyNetwork(), action);
            }
        }
    }

    /** Every WeightParams set anywhere inside {@code m} (not descending into sub-networks), with its field name. */
    static void forEachWeights(Message m, BiConsumer<String, WeightParams> action) {
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            FieldDescriptor f = e.getKey();
            if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                continue;
            }
            if (f.getMessageType().equals(NeuralNetwork.getDescriptor())) {
                continue;
            }
            List<?> values = f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (Object v : values) {
                if (v instanceof WeightParams) {
                    action.accept(f.getName(), (WeightParams) v);
                } else if (v instanceof Message) {
                    forEachWeights((Message) v, action);
                }
            }
        }
    }

    /** How many values a WeightParams holds, or -1 when it is quantized (count depends on the bit width). */
    static long count(WeightParams w) {
        long f32 = Weights.float32Count(w);
        if (f32 > 0) {
            return f32;
        }
        if (!w.getFloat16Value().isEmpty()) {
            return w.getFloat16Value().size() / 2;
        }
        if (!w.getRawValue().isEmpty() || !w.getInt8RawValue().isEmpty()) {
            return -1;
        }
        return 0;
    }

    static boolean isFp16(WeightParams w) {
        return !w.getFloat16Value().isEmpty();
    }

    static boolean isEmpty(WeightParams w) {
        return count(w) == 0;
    }
}
