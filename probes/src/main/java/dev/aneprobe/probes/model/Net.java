package dev.aneprobe.probes.model;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Metadata;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A probe network being described: model inputs, layers, model outputs, and the multiarray shape mapping. Legacy
 * networks ({@link #legacy()}) use the rank-5 mapping and rank-1/3 inputs, so they are valid from specification 1;
 * ND networks ({@link #nd()}) use the exact mapping, and every layer carries its input and output tensor ranks and
 * shapes so the validator (and Core ML) can check them.
 */
public final class Net implements ProbeNetwork {
    private final NeuralNetworkMultiArrayShapeMapping mapping;
    private final List<Feature> inputs = new ArrayList<>();
    private final List<Layer> layers = new ArrayList<>();
    private final List<Feature> outputs = new ArrayList<>();
    private final Map<String, List<Long>> blobShapes = new HashMap<>();

    private Net(NeuralNetworkMultiArrayShapeMapping mapping) {
        this.mapping = mapping;
    }

    public static Net legacy() {
        return new Net(NeuralNetworkMultiArrayShapeMapping.RANK5_ARRAY_MAPPING);
    }

    public static Net nd() {
        return new Net(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING);
    }

    @Override
    public String format() {
        return "mlmodel";
    }

    public boolean isNd() {
        return mapping == NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING;
    }

    public Net input(Feature f) {
        inputs.add(f);
        blobShapes.put(f.name(), f.shape());
        return this;
    }

    /** A FLOAT32 input. */
    public Net input(String name, long... dims) {
        return input(Feature.float32(name, dims));
    }

    public Net layer(Layer layer) {
        layers.add(layer);
        blobShapes.putAll(layer.outputs);
        return this;
    }

    /** Declares a blob already produced by a layer as a FLOAT32 model output, with the shape the layer gave it. */
    public Net output(String blob) {
        return output(blob, ArrayFeatureType.ArrayDataType.FLOAT32);
    }

    public Net output(String blob, ArrayFeatureType.ArrayDataType type) {
        List<Long> shape = blobShapes.get(blob);
        if (shape == null) {
            throw new IllegalStateException("output '" + blob + "' is produced by no layer described so far");
        }
        outputs.add(new Feature(blob, shape, type));
        return this;
    }

    public List<Feature> inputs() {
        return List.copyOf(inputs);
    }

    public List<Feature> outputs() {
        return List.copyOf(outputs);
    }

    /** The shape a blob was declared with (a model input or a layer output). */
    public List<Long> shapeOf(String blob) {
        return blobShapes.get(blob);
    }

    /** The Model message, with specificationVersion left 0: the generator computes and sets it. */
    public Model toModel(String probeId) {
        ModelDescription.Builder description = ModelDescription.newBuilder()
                .setMetadata(Metadata.newBuilder()
                        .setShortDescription("aneprobe probe " + probeId)
                        .setAuthor("aneprobe"));
        for (Feature f : inputs) {
            description.addInput(describe(f));
        }
        for (Feature f : outputs) {
            description.addOutput(describe(f));
        }
        NeuralNetwork.Builder nn = NeuralNetwork.newBuilder().setArrayInputShapeMapping(mapping);
        for (Layer layer : layers) {
            NeuralNetworkLayer.Builder b = NeuralNetworkLayer.newBuilder().setName(layer.name);
            b.addAllInput(layer.inputs);
            b.addAllOutput(layer.outputs.keySet());
            if (isNd()) {
                for (String in : layer.inputs) {
                    b.addInputTensor(tensor(blobShapes.get(in)));
                }
                for (List<Long> shape : layer.outputs.values()) {
                    b.addOutputTensor(tensor(shape));
                }
            }
            layer.params.accept(b);
            nn.addLayers(b);
        }
        return Model.newBuilder().setDescription(description).setNeuralNetwork(nn).build();
    }

    private static Tensor tensor(List<Long> shape) {
        Tensor.Builder t = Tensor.newBuilder();
        if (shape != null) {
            t.setRank(shape.size()).addAllDimValue(shape);
        }
        return t.build();
    }

    private static FeatureDescription describe(Feature f) {
        return FeatureDescription.newBuilder()
                .setName(f.name())
                .setType(FeatureType.newBuilder()
                        .setMultiArrayType(ArrayFeatureType.newBuilder()
                                .addAllShape(f.shape())
                                .setDataType(f.dataType())))
                .build();
    }
}
