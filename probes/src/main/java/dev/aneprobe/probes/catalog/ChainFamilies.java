package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.indexValues;

import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.LSTMParams;
import dev.aneprobe.probes.coreml.LSTMWeightParams;
import dev.aneprobe.probes.coreml.SamePadding;
import dev.aneprobe.probes.coreml.UniDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.Opsets;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chain probes: multi-layer models that alternate a layer a claim puts on the Neural Engine (S) with one a claim puts
 * off it (U), to test the seed table's remark on device switching (both versions, the paragraphs before "Problematic
 * layers"): for S → U → S → U → ..., Core ML probably switches ANE → GPU only once, but ANE → CPU → ANE → CPU → ...
 * does happen, that switch being cheaper. Unlike every other family there is no single layer under test: the layers
 * are named by their place in the chain ({@code s1}, {@code u1}, {@code s2}, ...; see {@link #layerNames}), each
 * writes the tensor of its own name, the model output is the last layer's, and the analysis reads the compute plan
 * back layer by layer in that order.
 *
 * <p>Two variants per format, by where U is said to go when it leaves the ANE:
 * <ul>
 *   <li>GPU: ML Program {@code select} (claim {@code mil-select-greater-equal-while-loop-not-ane}; the field notes'
 *       row 36 saw it fall back to the GPU). For NeuralNetwork no source names the device a layer falls back to (the
 *       seed says only "the CPU or GPU"); a dilated convolution (claim {@code dilated-conv-not-ane}) is the candidate,
 *       since the GPU runs convolutions of any dilation.</li>
 *   <li>CPU: ML Program {@code gather_along_axis} (claim {@code mil-gather-along-axis-not-ane}; rows 19 and 20 saw it
 *       on the CPU); NeuralNetwork {@code uniDirectionalLSTM} (claim {@code rnn-not-ane}; the field notes' row 25 saw
 *       an LSTM run on BNNS, the CPU).</li>
 * </ul>
 * S is a convolution (claim {@code undilated-conv-ane}) for NeuralNetwork and an fp16 matmul of 512 × 512 (claim
 * {@code mil-matmul-large-ane}) for ML Program. Which device U really went to is what the sweep records; the
 * switching claims are judged on the devices observed, not on the variant's intent.
 *
 * <p>Axes: {@code order} (S first, the seed's pattern, or U first) and {@code alternations} (how many S/U pairs), swept
 * as a grid in every profile.
 */
public final class ChainFamilies {
    /** Family names: NeuralNetwork and ML Program, U falling back to the GPU and to the CPU. */
    public static final String NN_GPU = "chainGpu";
    public static final String NN_CPU = "chainCpu";
    public static final String MIL_GPU = "mil.chain_gpu";
    public static final String MIL_CPU = "mil.chain_cpu";
    public static final List<String> NAMES = List.of(NN_GPU, NN_CPU, MIL_GPU, MIL_CPU);

    /** S first (S → U → S → U ..., the seed's pattern) or U first. */
    public static final String S_FIRST = "SU";
    public static final String U_FIRST = "US";

    /** Most alternations any probe may have: keeps the ML Program probes (1.5 MB of constants per pair) small. */
    public static final int MAX_ALTERNATIONS = 8;

    /** ML Program tensors: [1, 512, 512] fp16, the smallest square matmul the field notes saw on the ANE (row 29). */
    private static final long MIL_SIDE = 512;
    /** NeuralNetwork GPU chain: the catalog's ANE-sized input. */
    private static final long[] NN_GPU_IN = {64, 56, 56};
    /** NeuralNetwork CPU chain: an LSTM takes a vector, so every layer works on C × 1 × 1. */
    private static final long NN_CPU_CHANNELS = 256;

    private ChainFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(nnGpu(), nnCpu(), milGpu(), milCpu());
    }

    /** True for a chain family's name. */
    public static boolean isChain(String family) {
        return family != null && NAMES.contains(family);
    }

    /** The device a chain family's U layer is said to fall back to: {@code gpu} or {@code cpu}; null for others. */
    public static String fallback(String family) {
        if (NN_GPU.equals(family) || MIL_GPU.equals(family)) {
            return "gpu";
        }
        if (NN_CPU.equals(family) || MIL_CPU.equals(family)) {
            return "cpu";
        }
        return null;
    }

    /**
     * The layer names of a chain in model order: {@code s1, u1, s2, u2, ...} (S first) or {@code u1, s1, u2, s2, ...}
     * (U first), one S and one U per alternation. Null when the values are not a chain's.
     */
    public static List<String> layerNames(String order, String alternations) {
        int n;
        try {
            n = Integer.parseInt(alternations);
        } catch (NumberFormatException | NullPointerException e) {
            return null;
        }
        if (n < 1 || n > MAX_ALTERNATIONS || !(S_FIRST.equals(order) || U_FIRST.equals(order))) {
            return null;
        }
        List<String> out = new ArrayList<>(2 * n);
        for (int i = 1; i <= n; i++) {
            if (S_FIRST.equals(order)) {
                out.add("s" + i);
                out.add("u" + i);
            } else {
                out.add("u" + i);
                out.add("s" + i);
            }
        }
        return out;
    }

    /** The layer names of one probe, from its axis values (see {@link #layerNames(String, String)}). */
    public static List<String> layerNames(Map<String, String> params) {
        return layerNames(params.get("order"), params.get("alternations"));
    }

    private static ProbeFamily.Builder common(String name, String summary) {
        return ProbeFamily.named(name)
                .summary(summary)
                .axis(Axis.choice("order", S_FIRST, U_FIRST).allChoices(Profile.QUICK))
                .axis(Axis.integer("alternations", 2).range(1, MAX_ALTERNATIONS)
                        .quick("1..4").standard("5", "6").full("7", "8"))
                .grid(Profile.QUICK, "order", "alternations");
    }

    // ---- NeuralNetwork -------------------------------------------------------------------------------------

    /** S: 3x3 convolution (undilated-conv-ane); U: the same with dilation 2 (dilated-conv-not-ane). */
    static ProbeFamily nnGpu() {
        return common(NN_GPU, "chain of 3x3 convolutions (S, on the ANE) and dilated 3x3 convolutions (U, said to "
                + "fall back to the GPU): order, alternations")
                .layers("convolution")
                .builds(s -> {
                    long[] in = NN_GPU_IN;
                    Weights w = new Weights(s.seed());
                    Net net = Net.legacy().input("x", in);
                    String prev = "x";
                    for (String name : layerNames(s.params())) {
                        int d = name.startsWith("u") ? 2 : 1;
                        ConvolutionLayerParams p = ConvolutionLayerParams.newBuilder()
                                .setOutputChannels(in[0]).setKernelChannels(in[0]).setNGroups(1)
                                .addKernelSize(3).addKernelSize(3).addStride(1).addStride(1)
                                .addDilationFactor(d).addDilationFactor(d)
                                .setSame(SamePadding.getDefaultInstance())
                                .setHasBias(true)
                                .setWeights(w.params(in[0] * in[0] * 9, in[0] * 9, false))
                                .setBias(w.params(in[0], 1, false))
                                .build();
                        net.layer(Layer.named(name).in(prev).out(name, in).with(b -> b.setConvolution(p)));
                        prev = name;
                    }
                    return net.output(prev);
                })
                .build();
    }

    /** S: 1x1 convolution (undilated-conv-ane); U: an LSTM step (rnn-not-ane), both on 256 x 1 x 1. */
    static ProbeFamily nnCpu() {
        return common(NN_CPU, "chain of 1x1 convolutions (S, on the ANE) and LSTMs (U, said to fall back to the "
                + "CPU) over 256 channels: order, alternations")
                .layers("convolution", "uniDirectionalLSTM")
                .builds(s -> {
                    long c = NN_CPU_CHANNELS;
                    Weights w = new Weights(s.seed());
                    Net net = Net.legacy().input("x", c, 1, 1);
                    String prev = "x";
                    for (String name : layerNames(s.params())) {
                        Layer layer = Layer.named(name).in(prev).out(name, c, 1, 1);
                        if (name.startsWith("s")) {
                            ConvolutionLayerParams p = ConvolutionLayerParams.newBuilder()
                                    .setOutputChannels(c).setKernelChannels(c).setNGroups(1)
                                    .addKernelSize(1).addKernelSize(1).addStride(1).addStride(1)
                                    .addDilationFactor(1).addDilationFactor(1)
                                    .setSame(SamePadding.getDefaultInstance())
                                    .setHasBias(true)
                                    .setWeights(w.params(c * c, c, false))
                                    .setBias(w.params(c, 1, false))
                                    .build();
                            layer.with(b -> b.setConvolution(p));
                        } else {
                            UniDirectionalLSTMLayerParams p = lstm(c, w);
                            // An LSTM also writes its final hidden and cell states; nothing reads them.
                            layer.out(name + "_h", c).out(name + "_c", c).with(b -> b.setUniDirectionalLSTM(p));
                        }
                        net.layer(layer);
                        prev = name;
                    }
                    return net.output(prev);
                })
                .build();
    }

    private static UniDirectionalLSTMLayerParams lstm(long c, Weights w) {
        LSTMWeightParams weights = RecurrentFamilies.lstmWeights(c, c, false, false, w);
        return UniDirectionalLSTMLayerParams.newBuilder()
                .setInputVectorSize(c).setOutputVectorSize(c)
                .addActivations(RecurrentFamilies.sigmoid()).addActivations(RecurrentFamilies.tanh())
                .addActivations(RecurrentFamilies.tanh())
                .setParams(LSTMParams.newBuilder().setHasBiasVectors(true).setForgetBias(true).build())
                .setWeightParams(weights)
                .build();
    }

    // ---- ML Program ----------------------------------------------------------------------------------------

    /** S: fp16 matmul by a const 512 x 512 (mil-matmul-large-ane); U: select against a const (mil-select-...). */
    static ProbeFamily milGpu() {
        return common(MIL_GPU, "ML Program chain of fp16 512x512 matmuls (S, on the ANE) and selects (U, said to fall "
                + "back to the GPU): order, alternations")
                .layers("matmul", "select")
                .minSpec(7)
                .builds(s -> buildMil(s, (net, name, prev, w) -> {
                    long[] shape = milShape();
                    // A seeded mix of true and false per column, so that the select cannot fold away.
                    boolean[] cond = new boolean[(int) MIL_SIDE];
                    float[] coin = w.floats(MIL_SIDE, 1.0);
                    for (int i = 0; i < cond.length; i++) {
                        cond[i] = coin[i] >= 0;
                    }
                    String c = net.constBools("c_" + name + "_cond", new long[] {1, 1, MIL_SIDE}, cond);
                    String b = net.constFloat("c_" + name + "_b", DataType.FLOAT16, 0.0f);
                    net.op("select", inputs("cond", c, "a", prev, "b", b), name, DataType.FLOAT16, shape);
                }))
                .build();
    }

    /** S: as mil.chain_gpu; U: gather_along_axis of the last axis by const indices (mil-gather-along-axis-...). */
    static ProbeFamily milCpu() {
        return common(MIL_CPU, "ML Program chain of fp16 512x512 matmuls (S, on the ANE) and gather_along_axis ops "
                + "(U, said to fall back to the CPU): order, alternations")
                .layers("matmul", "gather_along_axis")
                .minSpec(7)
                .builds(s -> buildMil(s, (net, name, prev, w) -> {
                    long[] shape = milShape();
                    String idx = net.constInts("c_" + name + "_indices", DataType.INT32, shape,
                            indexValues(w, MIL_SIDE * MIL_SIDE, MIL_SIDE));
                    net.op("gather_along_axis", inputs("x", prev, "indices", idx,
                            "axis", net.constInt("c_" + name + "_axis", 2)), name, DataType.FLOAT16, shape);
                }))
                .build();
    }

    private interface UStep {
        void add(MilNet net, String name, String prev, Weights w);
    }

    private static long[] milShape() {
        return new long[] {1, MIL_SIDE, MIL_SIDE};
    }

    private static MilNet buildMil(ProbeSpec s, UStep u) {
        long[] shape = milShape();
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(Opsets.forProbe("CoreML5", true)).input("x", DataType.FLOAT16, shape);
        String prev = "x";
        for (String name : layerNames(s.params())) {
            if (name.startsWith("s")) {
                String y = net.constFloats("c_" + name + "_y", DataType.FLOAT16, new long[] {1, MIL_SIDE, MIL_SIDE},
                        w.floats(MIL_SIDE * MIL_SIDE, 1.0 / Math.sqrt(MIL_SIDE)));
                net.op("matmul", inputs("x", prev, "y", y,
                        "transpose_x", net.constBool("c_" + name + "_transpose_x", false),
                        "transpose_y", net.constBool("c_" + name + "_transpose_y", false)),
                        name, DataType.FLOAT16, shape);
            } else {
                u.add(net, name, prev, w);
            }
            prev = name;
        }
        return net.output(prev);
    }
}
