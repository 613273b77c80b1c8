package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;

/**
 * The ML Program {@code const} op on its own. Every other probe has consts as parameters; here the const is the
 * subject: a scalar, a per-channel vector or a full tensor (the last two large enough to live in the weight file),
 * of the input's dtype or INT32 (then cast), added to {@code x}. Core ML gives const ops no device of their own, so
 * the evidence is whether the consumer keeps the program on the Neural Engine (dispatch and fallback log), not the
 * const's plan entry.
 */
final class MilConstFamilies {
    private MilConstFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(constant());
    }

    static ProbeFamily constant() {
        return ProbeFamily.named("mil.const")
                .layers("const")
                .minSpec(6)
                .summary("ML Program const added to x: scalar / per-channel / full tensor (weight file), same dtype "
                        + "as x or INT32 then cast, dtype, size")
                .axis(Axis.choice("extent", "channel", "scalar", "full").allChoices(Profile.STANDARD))
                .axis(Axis.choice("const_dtype", "same", "int32").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "extent", "const_dtype", "dtype", "in")
                .builds(MilConstFamilies::build)
                .build();
    }

    private static MilNet build(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        long[] dims = switch (s.text("extent")) {
            case "scalar" -> new long[0];
            case "channel" -> new long[] {1, in[1], 1, 1};
            default -> in.clone();
        };
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        Weights w = new Weights(s.seed());
        String operand = "y";
        if (s.text("const_dtype").equals("int32")) {
            int[] values = new int[(int) count];
            for (int i = 0; i < values.length; i++) {
                values[i] = i % 7 - 3;
            }
            net.constInts("y", DataType.INT32, dims, values);
            net.op("cast", inputs("x", "y", "dtype", net.constString("c_dtype", s.text("dtype"))), "aux_cast", t,
                    dims);
            operand = "aux_cast";
        } else {
            net.constFloats("y", t, dims, MilLinearFamilies.range(w, count, -1, 1));
        }
        return net.op("add", inputs("x", "x", "y", operand), "aux_out", t, in).output("aux_out");
    }
}
