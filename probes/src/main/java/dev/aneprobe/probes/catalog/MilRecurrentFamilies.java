package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.Map;

/**
 * ML Program lstm, gru and rnn over x [sequence, batch, input]: hidden size, direction, whether the whole sequence
 * or only the last step is returned, and the gate activations. Before CoreML7 these ops take fp32 only, so the fp16
 * baseline declares CoreML7 and the fp32 probes CoreML5. The op's outputs are the model outputs {@code y} (the
 * sequence), {@code y2} (last hidden state) and, for lstm, {@code y3} (last cell state); initial states are zero
 * consts, as converters emit them.
 */
final class MilRecurrentFamilies {
    private MilRecurrentFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(lstm(), gru(), rnn());
    }

    /** fp16 needs the CoreML7 version of the recurrent ops; fp32 has them from CoreML5. */
    static String recurrentOpset(ProbeSpec s) {
        return s.text("dtype").equals("fp16") ? "CoreML7" : "CoreML5";
    }

    private static Axis hidden() {
        return Axis.integer("hidden", 128).standard("16", "64", "256", "512");
    }

    private static Axis seq() {
        return Axis.shape("in", "64x1x128").standard("4x1x8", "512x1x128", "64x16x128", "16x1x2048");
    }

    static ProbeFamily lstm() {
        return ProbeFamily.named("mil.lstm")
                .layers("lstm")
                .minSpec(6)
                .summary("ML Program lstm: hidden size, direction (forward/reverse/bidirectional), output "
                        + "sequence, peephole, activations, sequence and input size, dtype")
                .axis(dtype())
                .axis(hidden())
                .axis(Axis.choice("direction", "forward", "reverse", "bidirectional").allChoices(Profile.STANDARD))
                .axis(Axis.bool("output_sequence", true).standard("false"))
                .axis(Axis.bool("peephole", false).standard("true"))
                .axis(Axis.choice("activation", "tanh", "relu", "sigmoid", "scaled_tanh")
                        .allChoices(Profile.STANDARD))
                .axis(seq())
                .grid(Profile.FULL, "direction", "hidden")
                .grid(Profile.FULL, "direction", "output_sequence", "in")
                .grid(Profile.FULL, "dtype", "direction")
                .builds(MilRecurrentFamilies::buildLstm)
                .build();
    }

    private static MilNet buildLstm(ProbeSpec s) {
        long[] in = s.shape("in");
        long seqLen = in[0];
        long batch = in[1];
        long inSize = in[2];
        long h = s.integer("hidden");
        boolean bi = s.text("direction").equals("bidirectional");
        long dirs = bi ? 2 : 1;
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(recurrentOpset(s)).input("x", t, in);
        double scale = 1.0 / Math.sqrt(h);
        Map<String, List<String>> ins = inputs("x", "x",
                "initial_h", net.constFloats("c_initial_h", t, new long[] {batch, dirs * h},
                        new float[(int) (batch * dirs * h)]),
                "initial_c", net.constFloats("c_initial_c", t, new long[] {batch, dirs * h},
                        new float[(int) (batch * dirs * h)]),
                "weight_ih", net.constFloats("c_weight_ih", t, new long[] {4 * h, inSize},
                        w.floats(4 * h * inSize, scale)),
                "weight_hh", net.constFloats("c_weight_hh", t, new long[] {4 * h, h}, w.floats(4 * h * h, scale)),
                "bias", net.constFloats("c_bias", t, new long[] {4 * h}, w.floats(4 * h, scale)));
        if (s.bool("peephole")) {
            ins.put("peephole", List.of(net.constFloats("c_peephole", t, new long[] {3 * h},
                    w.floats(3 * h, scale))));
        }
        if (bi) {
            ins.put("weight_ih_back", List.of(net.constFloats("c_weight_ih_back", t, new long[] {4 * h, inSize},
                    w.floats(4 * h * inSize, scale))));
            ins.put("weight_hh_back", List.of(net.constFloats("c_weight_hh_back", t, new long[] {4 * h, h},
                    w.floats(4 * h * h, scale))));
            ins.put("bias_back", List.of(net.constFloats("c_bias_back", t, new long[] {4 * h},
                    w.floats(4 * h, scale))));
            if (s.bool("peephole")) {
                ins.put("peephole_back", List.of(net.constFloats("c_peephole_back", t, new long[] {3 * h},
                        w.floats(3 * h, scale))));
            }
        }
        ins.put("direction", List.of(net.constString("c_direction", s.text("direction"))));
        ins.put("output_sequence", List.of(net.constBool("c_output_sequence", s.bool("output_sequence"))));
        ins.put("recurrent_activation", List.of(net.constString("c_recurrent_activation", "sigmoid")));
        ins.put("cell_activation", List.of(net.constString("c_cell_activation", s.text("activation"))));
        ins.put("activation", List.of(net.constString("c_activation", s.text("activation"))));
        long outSeq = s.bool("output_sequence") ? seqLen : 1;
        return net.op("lstm", ins, List.of(new MilNet.Out("y", t, outSeq, batch, dirs * h),
                new MilNet.Out("y2", t, batch, dirs * h), new MilNet.Out("y3", t, batch, dirs * h)))
                .output("y").output("y2").output("y3");
    }

    static ProbeFamily gru() {
        return ProbeFamily.named("mil.gru")
                .layers("gru")
                .minSpec(6)
                .summary("ML Program gru: hidden size, direction (forward/reverse), output sequence, reset after "
                        + "(CoreML8), activations, sequence and input size, dtype")
                .axis(dtype())
                .axis(hidden())
                .axis(Axis.choice("direction", "forward", "reverse").allChoices(Profile.STANDARD))
                .axis(Axis.bool("output_sequence", true).standard("false"))
                .axis(Axis.bool("reset_after", false).standard("true"))
                .axis(Axis.choice("activation", "tanh", "relu", "sigmoid").allChoices(Profile.STANDARD))
                .axis(seq())
                .grid(Profile.FULL, "direction", "hidden")
                .grid(Profile.FULL, "output_sequence", "in")
                .grid(Profile.FULL, "dtype", "reset_after")
                .builds(MilRecurrentFamilies::buildGru)
                .build();
    }

    private static MilNet buildGru(ProbeSpec s) {
        long[] in = s.shape("in");
        long batch = in[1];
        long h = s.integer("hidden");
        boolean resetAfter = s.bool("reset_after");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        String opset = resetAfter ? "CoreML8" : recurrentOpset(s);
        MilNet net = MilNet.of(opset).input("x", t, in);
        double scale = 1.0 / Math.sqrt(h);
        Map<String, List<String>> ins = inputs("x", "x",
                "initial_h", net.constFloats("c_initial_h", t, new long[] {batch, h}, new float[(int) (batch * h)]),
                "weight_ih", net.constFloats("c_weight_ih", t, new long[] {3 * h, in[2]},
                        w.floats(3 * h * in[2], scale)),
                "weight_hh", net.constFloats("c_weight_hh", t, new long[] {3 * h, h}, w.floats(3 * h * h, scale)),
                "bias", net.constFloats("c_bias", t, new long[] {3 * h}, w.floats(3 * h, scale)),
                "direction", net.constString("c_direction", s.text("direction")),
                "output_sequence", net.constBool("c_output_sequence", s.bool("output_sequence")),
                "recurrent_activation", net.constString("c_recurrent_activation", "sigmoid"),
                "activation", net.constString("c_activation", s.text("activation")));
        if (resetAfter) {
            ins.put("reset_after", List.of(net.constBool("c_reset_after", true)));
            ins.put("input_bias", List.of(net.constFloats("c_input_bias", t, new long[] {3 * h},
                    w.floats(3 * h, scale))));
        }
        long outSeq = s.bool("output_sequence") ? in[0] : 1;
        return net.op("gru", ins, List.of(new MilNet.Out("y", t, outSeq, batch, h), new MilNet.Out("y2", t, batch, h)))
                .output("y").output("y2");
    }

    static ProbeFamily rnn() {
        return ProbeFamily.named("mil.rnn")
                .layers("rnn")
                .minSpec(6)
                .summary("ML Program rnn: hidden size, direction (forward/reverse), output sequence, activation, "
                        + "sequence and input size, dtype")
                .axis(dtype())
                .axis(hidden())
                .axis(Axis.choice("direction", "forward", "reverse").allChoices(Profile.STANDARD))
                .axis(Axis.bool("output_sequence", true).standard("false"))
                .axis(Axis.choice("activation", "tanh", "relu", "sigmoid").allChoices(Profile.STANDARD))
                .axis(seq())
                .grid(Profile.FULL, "direction", "hidden")
                .grid(Profile.FULL, "output_sequence", "in")
                .builds(MilRecurrentFamilies::buildRnn)
                .build();
    }

    private static MilNet buildRnn(ProbeSpec s) {
        long[] in = s.shape("in");
        long batch = in[1];
        long h = s.integer("hidden");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(recurrentOpset(s)).input("x", t, in);
        double scale = 1.0 / Math.sqrt(h);
        Map<String, List<String>> ins = inputs("x", "x",
                "initial_h", net.constFloats("c_initial_h", t, new long[] {batch, h}, new float[(int) (batch * h)]),
                "weight_ih", net.constFloats("c_weight_ih", t, new long[] {h, in[2]}, w.floats(h * in[2], scale)),
                "weight_hh", net.constFloats("c_weight_hh", t, new long[] {h, h}, w.floats(h * h, scale)),
                "bias", net.constFloats("c_bias", t, new long[] {h}, w.floats(h, scale)),
                "direction", net.constString("c_direction", s.text("direction")),
                "output_sequence", net.constBool("c_output_sequence", s.bool("output_sequence")),
                "activation", net.constString("c_activation", s.text("activation")));
        long outSeq = s.bool("output_sequence") ? in[0] : 1;
        return net.op("rnn", ins, List.of(new MilNet.Out("y", t, outSeq, batch, h), new MilNet.Out("y2", t, batch, h)))
                .output("y").output("y2");
    }
}
