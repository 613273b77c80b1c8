package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.Opsets;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ML Program activations and element-wise unary ops, gelu, softmax, prelu and cast. Each family sweeps the op (a
 * {@code layer} axis where the ops differ only in their formula), fp16 against fp32 tensors, and the input size:
 * the ANE-sized baseline, a tiny input, widths at and past 16384, and in {@code full} other ranks and layouts and the
 * 16384 limit on height and channels. The binary ops are in {@link MilBinaryFamilies}, the reductions in
 * {@link MilReductionFamilies}.
 */
final class MilElementwiseFamilies {
    /** Activations with no, scalar or per-channel parameters; gelu, prelu and softmax have their own families. */
    static final String[] ACTIVATIONS = {"relu", "relu6", "sigmoid", "silu", "softplus", "softsign", "clamped_relu",
        "elu", "leaky_relu", "linear_activation", "scaled_tanh", "sigmoid_hard", "softplus_parametric",
        "thresholded_relu"};

    /** Float element-wise unary ops (clip and threshold take scalar parameters). */
    static final String[] UNARY = {"abs", "exp", "exp2", "log", "sqrt", "rsqrt", "inverse", "square", "tanh",
        "erf", "sign", "ceil", "floor", "round", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "atanh",
        "clip", "threshold"};

    /** Source and destination types of cast, "src-dst". */
    static final String[] CASTS = {"fp16-fp32", "fp32-fp16", "fp16-int32", "int32-fp16", "fp32-int32", "int32-fp32"};

    private MilElementwiseFamilies() {
    }

    /** This group's families: these, then {@link MilBinaryFamilies} and {@link MilReductionFamilies}. */
    static List<ProbeFamily> all() {
        List<ProbeFamily> all = new ArrayList<>(List.of(activation(), gelu(), softmax(), prelu(), unary(), cast()));
        all.addAll(MilBinaryFamilies.all());
        all.addAll(MilReductionFamilies.all());
        return all;
    }

    /**
     * Sizes for rank-free element-wise ops: Sizes' ANE-sized baseline, small, wide and beyond-wide inputs; full adds
     * ranks 1, 2, 3 and 5, the (B, C, 1, S) layout and the 16384 limit on height and on channels.
     */
    static Axis anyRank() {
        return Sizes.nchw().full("200704", "64x3136", "1x64x3136", "1x2x32x56x56", "1x64x1x3136", "1x8x16448x4",
                "1x16448x1x1");
    }

    /** Rank-4 sizes with a batch of 4 and the (B, C, 1, S) layout in full. */
    static Axis rank4() {
        return Sizes.nchw().full("4x64x56x56", "1x64x1x3136");
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Values uniform in [lo, hi). */
    static float[] range(Weights w, long count, double lo, double hi) {
        float[] v = w.floats(count, 0.5);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (v[i] + 0.5) * (hi - lo));
        }
        return v;
    }

    /** The cast op's dtype string for a tensor type. */
    static String castName(DataType t) {
        switch (t) {
            case FLOAT16:
                return "fp16";
            case FLOAT32:
                return "fp32";
            case INT32:
                return "int32";
            case BOOL:
                return "bool";
            case UINT16:
                return "uint16";
            default:
                throw new IllegalArgumentException("no cast dtype for " + t);
        }
    }

    static DataType typeOfCastName(String name) {
        switch (name) {
            case "fp16":
                return DataType.FLOAT16;
            case "fp32":
                return DataType.FLOAT32;
            case "int32":
                return DataType.INT32;
            default:
                throw new IllegalArgumentException("unknown dtype " + name);
        }
    }

    /** A helper cast of {@code from} to {@code to}, written to {@code output}; returns the output name. */
    static String auxCast(MilNet net, String from, String output, DataType to, long... dims) {
        String dt = net.constString("c_" + output + "_dtype", castName(to));
        net.op("cast", inputs("x", from, "dtype", dt), output, to, dims);
        return output;
    }

    // ---- activations ---------------------------------------------------------------------------------------

    static ProbeFamily activation() {
        return ProbeFamily.named("mil.activation")
                .layers(ACTIVATIONS)
                .minSpec(6)
                .summary("ML Program activations (relu ... thresholded_relu), scalar or per-channel parameters: op,"
                        + " dtype, size and rank")
                .axis(Axis.choice("layer", ACTIVATIONS).allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(anyRank())
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                // softplus_parametric's per-channel parameters need a channel axis: rank 3 or more.
                .admissible("softplus_parametric needs an input of rank 3 or more",
                        s -> !s.text("layer").equals("softplus_parametric") || s.shape("in").length >= 3)
                .builds(MilElementwiseFamilies::buildActivation)
                .build();
    }

    private static MilNet buildActivation(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        String op = s.text("layer");
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x");
        switch (op) {
            case "clamped_relu":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.1f)));
                ins.put("beta", List.of(net.constFloat("c_beta", t, 6f)));
                break;
            case "elu":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 1f)));
                break;
            case "leaky_relu":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.01f)));
                break;
            case "linear_activation":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.5f)));
                ins.put("beta", List.of(net.constFloat("c_beta", t, 0.25f)));
                break;
            case "scaled_tanh":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 1.5f)));
                ins.put("beta", List.of(net.constFloat("c_beta", t, 0.75f)));
                break;
            case "sigmoid_hard":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.2f)));
                ins.put("beta", List.of(net.constFloat("c_beta", t, 0.5f)));
                break;
            case "thresholded_relu":
                ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.5f)));
                break;
            case "softplus_parametric": {
                long c = in[1];
                ins.put("alpha", List.of(net.constFloats("c_alpha", t, new long[] {c}, range(w, c, 0.5, 1.5))));
                ins.put("beta", List.of(net.constFloats("c_beta", t, new long[] {c}, range(w, c, 0.5, 1.5))));
                break;
            }
            default:
                break; // relu, relu6, sigmoid, silu, softplus, softsign take x only
        }
        return net.op(op, ins, "y", t, in).output("y");
    }

    static ProbeFamily gelu() {
        return ProbeFamily.named("mil.gelu")
                .layers("gelu")
                .minSpec(6)
                .summary("ML Program gelu: exact, tanh or sigmoid approximation; dtype, size and rank")
                .axis(Axis.choice("mode", "EXACT", "TANH_APPROXIMATION", "SIGMOID_APPROXIMATION")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(anyRank())
                .grid(Profile.FULL, "mode", "dtype")
                .grid(Profile.FULL, "mode", "in")
                .builds(MilElementwiseFamilies::buildGelu)
                .build();
    }

    private static MilNet buildGelu(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        return net.op("gelu", inputs("x", "x", "mode", net.constString("c_mode", s.text("mode"))), "y", t, in)
                .output("y");
    }

    /** Softmax axes named by the dimension of [N, C, H, W] they reduce; W is the default (-1). */
    static ProbeFamily softmax() {
        return ProbeFamily.named("mil.softmax")
                .layers("softmax")
                .minSpec(6)
                .summary("ML Program softmax: axis (W = -1, H, C, N), dtype, size")
                .axis(Axis.choice("axis", "-1", "1", "2", "3", "0").quick("1").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(rank4())
                .grid(Profile.FULL, "axis", "dtype")
                .grid(Profile.FULL, "axis", "in")
                .builds(MilElementwiseFamilies::buildSoftmax)
                .build();
    }

    private static MilNet buildSoftmax(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        return net.op("softmax", inputs("x", "x", "axis", net.constInt("c_axis", s.integer("axis"))), "y", t, in)
                .output("y");
    }

    /**
     * prelu with one slope per channel or one shared slope (the op takes a [C] vector either way; ranks 3 and 5
     * accept only equal slopes).
     */
    static ProbeFamily prelu() {
        return ProbeFamily.named("mil.prelu")
                .layers("prelu")
                .minSpec(6)
                .summary("ML Program prelu: per-channel or shared slope, dtype, size and rank 3 / 4 / 5")
                .axis(Axis.choice("alpha", "per_channel", "shared").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Sizes.nchw().full("1x64x3136", "1x2x32x56x56", "1x64x1x3136", "1x8x16448x4", "1x16448x1x1"))
                .grid(Profile.FULL, "alpha", "in")
                .grid(Profile.FULL, "alpha", "dtype")
                .admissible("a per-channel alpha needs a rank-4 input",
                        s -> s.shape("in").length == 4 || s.text("alpha").equals("shared"))
                .builds(MilElementwiseFamilies::buildPrelu)
                .build();
    }

    private static MilNet buildPrelu(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        long c = in[1];
        Weights w = new Weights(s.seed());
        float[] alpha = range(w, c, 0.05, 0.3);
        if (s.text("alpha").equals("shared")) {
            Arrays.fill(alpha, 0.25f);
        }
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String a = net.constFloats("c_alpha", t, new long[] {c}, alpha);
        return net.op("prelu", inputs("x", "x", "alpha", a), "y", t, in).output("y");
    }

    // ---- unary ---------------------------------------------------------------------------------------------

    static ProbeFamily unary() {
        return ProbeFamily.named("mil.unary")
                .layers(UNARY)
                .minSpec(6)
                .summary("ML Program element-wise unary ops (abs ... atanh, clip, threshold): op, dtype, size and"
                        + " rank")
                .axis(Axis.choice("layer", UNARY).allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(anyRank())
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                .builds(MilElementwiseFamilies::buildUnary)
                .build();
    }

    private static MilNet buildUnary(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        String op = s.text("layer");
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x");
        if (op.equals("clip")) {
            ins.put("alpha", List.of(net.constFloat("c_alpha", t, -1f)));
            ins.put("beta", List.of(net.constFloat("c_beta", t, 1f)));
        } else if (op.equals("threshold")) {
            ins.put("alpha", List.of(net.constFloat("c_alpha", t, 0.5f)));
        }
        return net.op(op, ins, "y", t, in).output("y");
    }

    /** cast between fp16, fp32 and int32: the I/O casts of fp32-interface models and index conversions. */
    static ProbeFamily cast() {
        return ProbeFamily.named("mil.cast")
                .layers("cast")
                .minSpec(6)
                .summary("ML Program cast: fp16 <-> fp32, fp16 / fp32 <-> int32; size")
                .axis(Axis.choice("cast", CASTS).quick("fp32-fp16").allChoices(Profile.STANDARD))
                .axis(rank4())
                .grid(Profile.FULL, "cast", "in")
                .builds(MilElementwiseFamilies::buildCast)
                .build();
    }

    private static MilNet buildCast(ProbeSpec s) {
        long[] in = s.shape("in");
        String[] pair = s.text("cast").split("-");
        DataType from = typeOfCastName(pair[0]);
        DataType to = typeOfCastName(pair[1]);
        boolean fp16 = from == DataType.FLOAT16 || to == DataType.FLOAT16;
        MilNet net = MilNet.of(Opsets.forProbe("CoreML5", fp16)).input("x", from, in);
        return net.op("cast", inputs("x", "x", "dtype", net.constString("c_dtype", pair[1])), "y", to, in)
                .output("y");
    }
}
