package dev.aneprobe.harness.rewrite;

import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.AddBroadcastableLayerParams;
import dev.aneprobe.probes.coreml.ConcatNDLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantNDLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.MultiplyBroadcastableLayerParams;
import dev.aneprobe.probes.coreml.SubtractBroadcastableLayerParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.validate.SpecificationVersions;
import java.util.function.Consumer;

/** Small models with the layers rewrite replaces, built with aneprobe's own model builders. */
public final class SurgeryModels {
    private SurgeryModels() {
    }

    /**
     * One of each binary rule and concatND, in an ND network: x [1,4,3,5] times a [4,1,1] constant, minus an input
     * x2 [1,1,3,5], joined with x3 [1,2,3,5] along the channels, plus a scalar constant, then a ReLU (left alone).
     */
    public static Model chain() {
        Weights w = new Weights(14);
        Net net = Net.nd().input("x", 1, 4, 3, 5).input("x2", 1, 1, 3, 5).input("x3", 1, 2, 3, 5)
                .layer(constant("scale", w.floats(4, 1), 4, 1, 1))
                .layer(Layer.aux("mul").in("x", "aux_scale").out("m", 1, 4, 3, 5)
                        .with(b -> b.setMultiplyBroadcastable(MultiplyBroadcastableLayerParams.getDefaultInstance())))
                .layer(Layer.aux("sub").in("m", "x2").out("s", 1, 4, 3, 5)
                        .with(b -> b.setSubtractBroadcastable(SubtractBroadcastableLayerParams.getDefaultInstance())))
                .layer(Layer.aux("cat").in("s", "x3").out("c", 1, 6, 3, 5)
                        .with(b -> b.setConcatND(ConcatNDLayerParams.newBuilder().setAxis(-3))))
                .layer(constant("offset", new float[] {0.25f}, 1))
                .layer(Layer.aux("add").in("c", "aux_offset").out("a", 1, 6, 3, 5)
                        .with(b -> b.setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance())))
                .layer(Layer.probe().in("a").out("y", 1, 6, 3, 5)
                        .with(b -> b.setActivation(ActivationParams.newBuilder()
                                .setReLU(ActivationReLU.getDefaultInstance()))))
                .output("y");
        return versioned(net);
    }

    /** A rank-5 constant [1,1,2,3,5] joined with x [1,1,2,3,5] along axis 2 (= -3). */
    public static Model rank5Constant() {
        Net net = Net.nd().input("x", 1, 1, 2, 3, 5)
                .layer(constant("k", new Weights(5).floats(30, 1), 1, 1, 2, 3, 5))
                .layer(Layer.probe().in("x", "aux_k").out("y", 1, 1, 4, 3, 5)
                        .with(b -> b.setConcatND(ConcatNDLayerParams.newBuilder().setAxis(2))))
                .output("y");
        return versioned(net);
    }

    /** A single binary layer over two inputs of the given shapes. */
    public static Model binary(String type, long[] a, long[] b, long[] out) {
        Consumer<dev.aneprobe.probes.coreml.NeuralNetworkLayer.Builder> params = switch (type) {
            case "add" -> l -> l.setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance());
            case "multiply" -> l -> l.setMultiplyBroadcastable(MultiplyBroadcastableLayerParams.getDefaultInstance());
            default -> l -> l.setSubtractBroadcastable(SubtractBroadcastableLayerParams.getDefaultInstance());
        };
        Net net = Net.nd().input("x", a).input("x2", b)
                .layer(Layer.probe().in("x", "x2").out("y", out).with(params))
                .output("y");
        return versioned(net);
    }

    /** A single binary layer over input x and a constant of shape {@code c}, constant first or second. */
    public static Model binaryConstant(String type, long[] x, long[] c, long[] out, boolean constantFirst,
            long seed) {
        Consumer<dev.aneprobe.probes.coreml.NeuralNetworkLayer.Builder> params = switch (type) {
            case "add" -> l -> l.setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance());
            case "multiply" -> l -> l.setMultiplyBroadcastable(MultiplyBroadcastableLayerParams.getDefaultInstance());
            default -> l -> l.setSubtractBroadcastable(SubtractBroadcastableLayerParams.getDefaultInstance());
        };
        long n = 1;
        for (long d : c) {
            n *= d;
        }
        Net net = Net.nd().input("x", x)
                .layer(constant("c", new Weights(seed).floats(n, 2), c))
                .layer(Layer.probe().in(constantFirst ? new String[] {"aux_c", "x"} : new String[] {"x", "aux_c"})
                        .out("y", out).with(params))
                .output("y");
        return versioned(net);
    }

    static Layer constant(String what, float[] values, long... shape) {
        return Layer.aux(what).out("aux_" + what, shape)
                .with(b -> b.setLoadConstantND(LoadConstantNDLayerParams.newBuilder()
                        .addAllShape(java.util.Arrays.stream(shape).boxed().toList())
                        .setData(Weights.of(values, false))));
    }

    static Model versioned(Net net) {
        Model m = net.toModel("surgery");
        return m.toBuilder().setSpecificationVersion(SpecificationVersions.required(m)).build();
    }
}
