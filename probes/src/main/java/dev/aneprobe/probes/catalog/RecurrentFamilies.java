package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.sweep.ProbeLimits.grouped;

import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationSigmoid;
import dev.aneprobe.probes.coreml.ActivationTanh;
import dev.aneprobe.probes.coreml.BiDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.GRULayerParams;
import dev.aneprobe.probes.coreml.LSTMParams;
import dev.aneprobe.probes.coreml.LSTMWeightParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.SimpleRecurrentLayerParams;
import dev.aneprobe.probes.coreml.UniDirectionalLSTMLayerParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.function.Consumer;

/**
 * The recurrent layers: simple RNN, GRU, and uni- and bidirectional LSTM. Seed rule: LSTM / GRU layers are not on
 * the ANE. They read [Seq, Batch, C, 1, 1]. In a legacy network the input is the vector [C] (sequence length 1);
 * longer sequences need the sequence axis declared, so those probes are ND networks with rank-5 inputs
 * [Seq, 1, C, 1, 1]. The baseline is ANE-plausible (input 512, hidden 512); standard adds a tiny 8 × 8 one.
 */
final class RecurrentFamilies {
    private RecurrentFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(simpleRecurrent(), gru(), uniDirectionalLSTM(), biDirectionalLSTM());
    }

    /**
     * The axes all four share; {@code reverse} is false for biDirectionalLSTM, which has no reverseInput, and
     * {@code optionalState} false for simpleRecurrent, which always takes its initial state as an input.
     */
    private static ProbeFamily.Builder common(String name, String summary, boolean reverse, boolean lstm,
            boolean optionalState) {
        Axis hidden = Axis.integer("hidden", 512).standard("8", "128");
        // The two directions of a bidirectional LSTM of 1024 hold more than LegacyFamilies.MAX_WEIGHTS values even
        // with the smallest input (2 × 4 × 1024 × (8 + 1024 + 1)): no probe could use it, so it is not declared.
        if (!name.equals("biDirectionalLSTM")) {
            hidden.standard("1024");
        }
        ProbeFamily.Builder b = ProbeFamily.named(name)
                .layers(name)
                .summary(summary)
                // Input vector size.
                .axis(Axis.shape("in", "512").standard("8", "2048").full("64", "4096"))
                .axis(hidden.full("64", "256"))
                .axis(Axis.integer("seq", 1).standard("16", "128").full("4", "512"))
                .axis(Axis.bool("sequenceOutput", false).standard("true"))
                .axis(LegacyFamilies.weightsAxis());
        if (optionalState) {
            // Initial state(s) given as model inputs rather than zeros.
            b.axis(Axis.bool("stateInputs", false).standard("true"));
        }
        if (reverse) {
            b.axis(Axis.bool("reverseInput", false).standard("true"));
        }
        if (lstm) {
            b.axis(Axis.bool("peephole", false).standard("true"));
        }
        return b.grid(Profile.STANDARD, "in", "hidden")
                .grid(Profile.FULL, "seq", "sequenceOutput")
                .grid(Profile.FULL, "seq", "hidden");
    }

    private static long in(ProbeSpec s) {
        return s.shape("in")[0];
    }

    /** Weight count of one direction with {@code gates} gates (biases and peepholes included). */
    private static long weightCount(ProbeSpec s, int gates, int peepholes) {
        long h = s.integer("hidden");
        return gates * h * (in(s) + h) + gates * h + peepholes * h;
    }

    /**
     * The probe network: x (and {@code states} state inputs x2.. when asked), outputs y and the {@code states}
     * final states y2... Legacy vectors when seq is 1; otherwise ND rank-5 tensors.
     */
    private static Net network(ProbeSpec s, int states, boolean stateInputs, long outChannels,
            Consumer<NeuralNetworkLayer.Builder> params) {
        long cin = in(s);
        long h = s.integer("hidden");
        long seq = s.integer("seq");
        long seqOut = s.bool("sequenceOutput") ? seq : 1;
        boolean nd = seq > 1;
        Net net = nd ? Net.nd() : Net.legacy();
        net.input("x", nd ? new long[] {seq, 1, cin, 1, 1} : new long[] {cin});
        long[] state = nd ? new long[] {1, 1, h, 1, 1} : new long[] {h};
        Layer probe = Layer.probe().in("x").with(params);
        if (stateInputs) {
            for (int i = 2; i <= states + 1; i++) {
                net.input("x" + i, state);
                probe.in("x" + i);
            }
        }
        probe.out("y", nd ? new long[] {seqOut, 1, outChannels, 1, 1} : new long[] {outChannels});
        for (int i = 2; i <= states + 1; i++) {
            probe.out("y" + i, state);
        }
        net.layer(probe).output("y");
        for (int i = 2; i <= states + 1; i++) {
            net.output("y" + i);
        }
        return net;
    }

    static ActivationParams sigmoid() {
        return ActivationParams.newBuilder().setSigmoid(ActivationSigmoid.getDefaultInstance()).build();
    }

    static ActivationParams tanh() {
        return ActivationParams.newBuilder().setTanh(ActivationTanh.getDefaultInstance()).build();
    }

    // ---- simpleRecurrent -------------------------------------------------------------------------------------

    static ProbeFamily simpleRecurrent() {
        return common("simpleRecurrent", "simple RNN (tanh): sizes, sequence length, sequence output, reverse, fp16",
                true, false, false)
                .admissible("the weights are at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " values",
                        s -> weightCount(s, 1, 0) <= LegacyFamilies.MAX_WEIGHTS)
                .builds(s -> {
                    long cin = in(s);
                    long h = s.integer("hidden");
                    boolean f16 = LegacyFamilies.fp16(s);
                    Weights w = new Weights(s.seed());
                    SimpleRecurrentLayerParams p = SimpleRecurrentLayerParams.newBuilder()
                            .setInputVectorSize(cin).setOutputVectorSize(h)
                            .setActivation(tanh())
                            .setSequenceOutput(s.bool("sequenceOutput"))
                            .setHasBiasVector(true)
                            .setWeightMatrix(w.params(h * cin, cin, f16))
                            .setRecursionMatrix(w.params(h * h, h, f16))
                            .setBiasVector(w.params(h, 1, f16))
                            .setReverseInput(s.bool("reverseInput"))
                            .build();
                    return network(s, 1, true, h, b -> b.setSimpleRecurrent(p));
                })
                .build();
    }

    // ---- gru -------------------------------------------------------------------------------------------------

    static ProbeFamily gru() {
        return common("gru", "GRU: sizes, sequence length, sequence output, initial state, reverse, fp16",
                true, false, true)
                .admissible("the weights are at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " values",
                        s -> weightCount(s, 3, 0) <= LegacyFamilies.MAX_WEIGHTS)
                .builds(s -> {
                    long cin = in(s);
                    long h = s.integer("hidden");
                    boolean f16 = LegacyFamilies.fp16(s);
                    Weights w = new Weights(s.seed());
                    GRULayerParams p = GRULayerParams.newBuilder()
                            .setInputVectorSize(cin).setOutputVectorSize(h)
                            .addActivations(sigmoid()).addActivations(tanh())
                            .setSequenceOutput(s.bool("sequenceOutput"))
                            .setHasBiasVectors(true)
                            .setUpdateGateWeightMatrix(w.params(h * cin, cin, f16))
                            .setResetGateWeightMatrix(w.params(h * cin, cin, f16))
                            .setOutputGateWeightMatrix(w.params(h * cin, cin, f16))
                            .setUpdateGateRecursionMatrix(w.params(h * h, h, f16))
                            .setResetGateRecursionMatrix(w.params(h * h, h, f16))
                            .setOutputGateRecursionMatrix(w.params(h * h, h, f16))
                            .setUpdateGateBiasVector(w.params(h, 1, f16))
                            .setResetGateBiasVector(w.params(h, 1, f16))
                            .setOutputGateBiasVector(w.params(h, 1, f16))
                            .setReverseInput(s.bool("reverseInput"))
                            .build();
                    return network(s, 1, s.bool("stateInputs"), h, b -> b.setGru(p));
                })
                .build();
    }

    // ---- LSTMs -----------------------------------------------------------------------------------------------

    private static LSTMParams lstmParams(ProbeSpec s) {
        return LSTMParams.newBuilder()
                .setSequenceOutput(s.bool("sequenceOutput"))
                .setHasBiasVectors(true)
                .setForgetBias(true)
                .setHasPeepholeVectors(s.bool("peephole"))
                .build();
    }

    private static LSTMWeightParams lstmWeights(ProbeSpec s, Weights w) {
        return lstmWeights(in(s), s.integer("hidden"), LegacyFamilies.fp16(s), s.bool("peephole"), w);
    }

    /**
     * An LSTM's weights for {@code cin} inputs and {@code h} hidden units, drawn in the format's field order (the
     * probes' bytes depend on that order); shared with the chain probes' LSTM.
     */
    static LSTMWeightParams lstmWeights(long cin, long h, boolean f16, boolean peephole, Weights w) {
        LSTMWeightParams.Builder p = LSTMWeightParams.newBuilder()
                .setInputGateWeightMatrix(w.params(h * cin, cin, f16))
                .setForgetGateWeightMatrix(w.params(h * cin, cin, f16))
                .setBlockInputWeightMatrix(w.params(h * cin, cin, f16))
                .setOutputGateWeightMatrix(w.params(h * cin, cin, f16))
                .setInputGateRecursionMatrix(w.params(h * h, h, f16))
                .setForgetGateRecursionMatrix(w.params(h * h, h, f16))
                .setBlockInputRecursionMatrix(w.params(h * h, h, f16))
                .setOutputGateRecursionMatrix(w.params(h * h, h, f16))
                .setInputGateBiasVector(w.params(h, 1, f16))
                .setForgetGateBiasVector(w.params(h, 1, f16))
                .setBlockInputBiasVector(w.params(h, 1, f16))
                .setOutputGateBiasVector(w.params(h, 1, f16));
        if (peephole) {
            p.setInputGatePeepholeVector(w.params(h, 1, f16))
                    .setForgetGatePeepholeVector(w.params(h, 1, f16))
                    .setOutputGatePeepholeVector(w.params(h, 1, f16));
        }
        return p.build();
    }

    static ProbeFamily uniDirectionalLSTM() {
        return common("uniDirectionalLSTM",
                "LSTM: sizes, sequence length, sequence output, initial states, reverse, peepholes, fp16", true, true,
                true)
                .admissible("the weights are at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " values",
                        s -> weightCount(s, 4, s.bool("peephole") ? 3 : 0) <= LegacyFamilies.MAX_WEIGHTS)
                .builds(s -> {
                    long h = s.integer("hidden");
                    UniDirectionalLSTMLayerParams p = UniDirectionalLSTMLayerParams.newBuilder()
                            .setInputVectorSize(in(s)).setOutputVectorSize(h)
                            .addActivations(sigmoid()).addActivations(tanh()).addActivations(tanh())
                            .setParams(lstmParams(s))
                            .setWeightParams(lstmWeights(s, new Weights(s.seed())))
                            .setReverseInput(s.bool("reverseInput"))
                            .build();
                    // States: hidden and cell.
                    return network(s, 2, s.bool("stateInputs"), h, b -> b.setUniDirectionalLSTM(p));
                })
                .build();
    }

    static ProbeFamily biDirectionalLSTM() {
        return common("biDirectionalLSTM",
                "bidirectional LSTM: sizes, sequence length, sequence output, initial states, peepholes, fp16",
                false, true, true)
                .admissible("the weights are at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " values",
                        s -> 2 * weightCount(s, 4, s.bool("peephole") ? 3 : 0) <= LegacyFamilies.MAX_WEIGHTS)
                .builds(s -> {
                    long h = s.integer("hidden");
                    Weights w = new Weights(s.seed());
                    BiDirectionalLSTMLayerParams p = BiDirectionalLSTMLayerParams.newBuilder()
                            .setInputVectorSize(in(s)).setOutputVectorSize(h)
                            .addActivationsForwardLSTM(sigmoid()).addActivationsForwardLSTM(tanh())
                            .addActivationsForwardLSTM(tanh())
                            .addActivationsBackwardLSTM(sigmoid()).addActivationsBackwardLSTM(tanh())
                            .addActivationsBackwardLSTM(tanh())
                            .setParams(lstmParams(s))
                            .addWeightParams(lstmWeights(s, w))
                            .addWeightParams(lstmWeights(s, w))
                            .build();
                    // Output: forward and backward concatenated; states: hidden and cell of each direction.
                    return network(s, 4, s.bool("stateInputs"), 2 * h, b -> b.setBiDirectionalLSTM(p));
                })
                .build();
    }
}
