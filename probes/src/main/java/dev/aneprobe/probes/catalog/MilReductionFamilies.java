package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilElementwiseFamilies.auxCast;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.Opsets;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ML Program reductions over an [N, C, H, W] input. The axes are named by the dimensions they reduce (HW is a global
 * pool, C a channel reduction, W the last axis of a (B, C, 1, S) transformer layout); keep_dims decides whether the
 * output keeps rank 4. The arg reductions return INT32 indices, or UINT16 from CoreML7 (cast to INT32 by a helper for
 * the model output).
 */
final class MilReductionFamilies {
    static final String[] REDUCTIONS = {"reduce_mean", "reduce_sum", "reduce_max", "reduce_min", "reduce_prod",
        "reduce_l1_norm", "reduce_l2_norm", "reduce_sum_square", "reduce_log_sum", "reduce_log_sum_exp"};
    static final String[] ARG_REDUCTIONS = {"reduce_argmax", "reduce_argmin"};

    /** Axis sets, named by the dimensions of [N, C, H, W] they reduce. */
    static final String[] AXES = {"HW", "C", "H", "W", "CHW", "NCHW"};

    private MilReductionFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(reduce(), reduceArg());
    }

    /** The axis indices of a dimension-letter name. */
    static int[] axes(String name) {
        int[] out = new int[name.length()];
        for (int i = 0; i < name.length(); i++) {
            out[i] = "NCHW".indexOf(name.charAt(i));
        }
        return out;
    }

    /** The output shape of reducing {@code axes} of {@code in}. */
    static long[] reduced(long[] in, int[] axes, boolean keep) {
        boolean[] gone = new boolean[in.length];
        for (int a : axes) {
            gone[a] = true;
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!gone[i]) {
                out.add(in[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static ProbeFamily reduce() {
        return ProbeFamily.named("mil.reduce")
                .layers(REDUCTIONS)
                .minSpec(6)
                .summary("ML Program reductions (mean, sum, max, min, prod, l1/l2 norm, sum_square, log_sum(_exp)):"
                        + " axes, keep_dims, dtype, size")
                .axis(Axis.choice("layer", REDUCTIONS).allChoices(Profile.STANDARD))
                .axis(Axis.choice("axes", AXES).allChoices(Profile.STANDARD))
                .axis(Axis.bool("keep", true).standard("false"))
                .axis(dtype())
                .axis(Sizes.nchw().full("1x64x1x3136"))
                .grid(Profile.STANDARD, "axes", "keep")
                .grid(Profile.FULL, "layer", "axes", "keep")
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                .grid(Profile.FULL, "axes", "in")
                // Reducing every axis without keep_dims gives a scalar, which a model output cannot be.
                .admissible("reducing every axis keeps the dimensions",
                        s -> s.bool("keep") || !s.text("axes").equals("NCHW"))
                .builds(MilReductionFamilies::buildReduce)
                .build();
    }

    private static MilNet buildReduce(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        int[] axes = axes(s.text("axes"));
        boolean keep = s.bool("keep");
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x", "axes", net.constIntList("c_axes", axes),
                "keep_dims", net.constBool("c_keep_dims", keep));
        return net.op(s.text("layer"), ins, "y", t, reduced(in, axes, keep)).output("y");
    }

    static ProbeFamily reduceArg() {
        return ProbeFamily.named("mil.reduce_arg")
                .layers(ARG_REDUCTIONS)
                .minSpec(6)
                .summary("ML Program reduce_argmax / reduce_argmin: axis, keep_dims, INT32 or UINT16 indices (CoreML7),"
                        + " dtype, size")
                .axis(Axis.choice("layer", ARG_REDUCTIONS).allChoices(Profile.STANDARD))
                .axis(Axis.choice("axis", "C", "H", "W").allChoices(Profile.STANDARD))
                .axis(Axis.bool("keep", false).standard("true"))
                .axis(Axis.choice("index", "int32", "uint16").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Sizes.nchw().full("1x64x1x3136"))
                .grid(Profile.FULL, "layer", "axis", "keep")
                .grid(Profile.FULL, "layer", "index", "dtype")
                .grid(Profile.FULL, "axis", "in")
                .builds(MilReductionFamilies::buildReduceArg)
                .build();
    }

    private static MilNet buildReduceArg(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        int axis = axes(s.text("axis"))[0];
        boolean keep = s.bool("keep");
        boolean uint16 = s.text("index").equals("uint16");
        String opset = uint16 ? Opsets.max(opset(s, "CoreML5"), "CoreML7") : opset(s, "CoreML5");
        long[] out = reduced(in, new int[] {axis}, keep);
        MilNet net = MilNet.of(opset).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x", "axis", net.constInt("c_axis", axis),
                "keep_dims", net.constBool("c_keep_dims", keep));
        if (!uint16) {
            return net.op(s.text("layer"), ins, "y", DataType.INT32, out).output("y");
        }
        ins.put("output_dtype", List.of(net.constString("c_output_dtype", "uint16")));
        net.op(s.text("layer"), ins, "y", DataType.UINT16, out);
        return net.output(auxCast(net, "y", "y_out", DataType.INT32, out));
    }
}
