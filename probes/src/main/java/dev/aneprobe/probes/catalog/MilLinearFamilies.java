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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ML Program linear algebra, normalization, attention, transposed convolution, select and random ops: the MIL ops
 * transformer and CNN models lower to, asked at ANE-sized fp16 baselines with the sizes, transposes, axes and
 * masks that plausibly decide placement. Recurrent ops are in {@link MilRecurrentFamilies}, image resizing in {@link MilResizeFamilies},
 * quantization and the compile-time decompression ops in {@link MilQuantFamilies}.
 */
final class MilLinearFamilies {
    private MilLinearFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> all = new ArrayList<>(List.of(linear(), matmul(), einsum(), batchNorm(), instanceNorm(),
                l2Norm(), layerNorm(), localResponseNorm(), convTranspose(), select(), random(),
                randomCategorical(), sdpa()));
        all.addAll(MilRecurrentFamilies.all());
        all.addAll(MilResizeFamilies.all());
        all.addAll(MilQuantFamilies.all());
        return all;
    }

    static long product(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    static float[] filled(long count, float value) {
        float[] out = new float[(int) count];
        java.util.Arrays.fill(out, value);
        return out;
    }

    /** Values uniform in [lo, hi). */
    static float[] range(Weights w, long count, double lo, double hi) {
        float[] v = w.floats(count, 0.5);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (v[i] + 0.5) * (hi - lo));
        }
        return v;
    }

    // ---- linear --------------------------------------------------------------------------------------------

    static ProbeFamily linear() {
        return ProbeFamily.named("mil.linear")
                .layers("linear")
                .minSpec(6)
                .summary("ML Program linear (const weight): input features, output features, bias, dtype")
                .axis(dtype())
                .axis(Axis.shape("in", "1x64x512").standard("1x4x8", "1x512x1024", "1x8x16384", "1x8x16448"))
                .axis(Axis.integer("out", 256).standard("16", "1024", "4096", "16384"))
                .axis(Axis.bool("bias", true).standard("false"))
                .grid(Profile.FULL, "dtype", "out")
                // keep each package's weight file under ~16 MB
                .admissible("the weights (input width x out) take at most 16 MiB",
                        s -> s.shape("in")[s.shape("in").length - 1] * s.integer("out")
                        * (s.text("dtype").equals("fp16") ? 2 : 4) <= (16L << 20))
                .builds(MilLinearFamilies::buildLinear)
                .build();
    }

    private static MilNet buildLinear(ProbeSpec s) {
        long[] in = s.shape("in");
        long din = in[in.length - 1];
        long dout = s.integer("out");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x",
                "weight", net.constFloats("c_weight", t, new long[] {dout, din},
                        w.floats(dout * din, 1.0 / Math.sqrt(din))));
        if (s.bool("bias")) {
            ins.put("bias", List.of(net.constFloats("c_bias", t, new long[] {dout}, w.floats(dout, 0.1))));
        }
        long[] out = in.clone();
        out[out.length - 1] = dout;
        return net.op("linear", ins, "y", t, out).output("y");
    }

    // ---- matmul --------------------------------------------------------------------------------------------

    /** [B, M, K] x [B, K, M] -> [B, M, M]: square sizes bracket the 384/512 question; the wide ones contract 16K. */
    static ProbeFamily matmul() {
        return ProbeFamily.named("mil.matmul")
                .layers("matmul")
                .minSpec(6)
                .summary("ML Program matmul: size (4, 384, 512, 1024, contracted 16K), transposes, const or "
                        + "dynamic second operand, dtype")
                .axis(dtype().quick("fp32")) // both sides of claim mil-fp32-not-ane in a quick sweep
                .axis(Axis.shape("in", "1x512x512").quick("1x384x384")
                        .standard("1x4x4", "1x1024x1024", "1x64x16384", "1x64x16448", "8x128x64"))
                .axis(Axis.bool("transpose_x", false).standard("true"))
                .axis(Axis.bool("transpose_y", false).standard("true"))
                .axis(Axis.choice("y", "input", "const").allChoices(Profile.STANDARD))
                .grid(Profile.FULL, "dtype", "in")
                .grid(Profile.FULL, "y", "in")
                .grid(Profile.FULL, "transpose_x", "transpose_y", "y")
                .builds(MilLinearFamilies::buildMatmul)
                .build();
    }

    private static MilNet buildMatmul(ProbeSpec s) {
        long[] in = s.shape("in");
        long b = in[0];
        long m = in[1];
        long k = in[2];
        boolean tx = s.bool("transpose_x");
        boolean ty = s.bool("transpose_y");
        DataType t = type(s);
        long[] xShape = tx ? new long[] {b, k, m} : new long[] {b, m, k};
        long[] yShape = ty ? new long[] {b, m, k} : new long[] {b, k, m};
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, xShape);
        String second;
        if (s.text("y").equals("input")) {
            net.input("x2", t, yShape);
            second = "x2";
        } else {
            Weights w = new Weights(s.seed());
            second = net.constFloats("c_y", t, yShape, w.floats(product(yShape), 1.0 / Math.sqrt(k)));
        }
        Map<String, List<String>> ins = inputs("x", "x", "y", second,
                "transpose_x", net.constBool("c_transpose_x", tx),
                "transpose_y", net.constBool("c_transpose_y", ty));
        return net.op("matmul", ins, "y", t, b, m, m).output("y");
    }

    // ---- einsum --------------------------------------------------------------------------------------------

    /** The two equation families Core ML supports: nchw,nwhu->nchu and its batch-less chw,whr->chr. */
    static ProbeFamily einsum() {
        return ProbeFamily.named("mil.einsum")
                .layers("einsum")
                .minSpec(6)
                .summary("ML Program einsum: equation nchw,nwhu->nchu or chw,whr->chr, size, dtype")
                .axis(Axis.choice("equation", "nchw", "chw").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.shape("in", "1x64x32x64").standard("1x4x4x8", "1x256x16x256", "1x8x4x16384"))
                .axis(Axis.integer("u", 64).standard("8", "512"))
                .grid(Profile.FULL, "equation", "in")
                .builds(MilLinearFamilies::buildEinsum)
                .build();
    }

    private static MilNet buildEinsum(ProbeSpec s) {
        long[] in = s.shape("in");
        long n = in[0];
        long c = in[1];
        long h = in[2];
        long wd = in[3];
        long u = s.integer("u");
        DataType t = type(s);
        boolean batched = s.text("equation").equals("nchw");
        MilNet net = MilNet.of(opset(s, "CoreML5"));
        long[] out;
        if (batched) {
            net.input("x", t, n, c, h, wd).input("x2", t, n, wd, h, u);
            out = new long[] {n, c, h, u};
        } else {
            net.input("x", t, c, h, wd).input("x2", t, wd, h, u);
            out = new long[] {c, h, u};
        }
        String eq = batched ? "nchw,nwhu->nchu" : "chw,whr->chr";
        Map<String, List<String>> ins = new java.util.LinkedHashMap<>();
        ins.put("values", List.of("x", "x2"));
        ins.put("equation", List.of(net.constString("c_equation", eq)));
        return net.op("einsum", ins, "y", t, out).output("y");
    }

    // ---- normalization -------------------------------------------------------------------------------------

    static ProbeFamily batchNorm() {
        return ProbeFamily.named("mil.batch_norm")
                .layers("batch_norm")
                .minSpec(6)
                .summary("ML Program batch_norm: gamma/beta present or not, size, dtype")
                .axis(dtype())
                .axis(Axis.bool("affine", true).standard("false"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(MilLinearFamilies::buildBatchNorm)
                .build();
    }

    private static MilNet buildBatchNorm(ProbeSpec s) {
        long[] in = s.shape("in");
        long c = in[1];
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x",
                "mean", net.constFloats("c_mean", t, new long[] {c}, w.floats(c, 0.5)),
                "variance", net.constFloats("c_variance", t, new long[] {c}, range(w, c, 0.5, 2.0)));
        if (s.bool("affine")) {
            ins.put("gamma", List.of(net.constFloats("c_gamma", t, new long[] {c}, range(w, c, 0.5, 1.5))));
            ins.put("beta", List.of(net.constFloats("c_beta", t, new long[] {c}, w.floats(c, 0.1))));
        }
        ins.put("epsilon", List.of(net.constFloat("c_epsilon", t, 1e-3f)));
        return net.op("batch_norm", ins, "y", t, in).output("y");
    }

    static ProbeFamily instanceNorm() {
        return ProbeFamily.named("mil.instance_norm")
                .layers("instance_norm")
                .minSpec(6)
                .summary("ML Program instance_norm: gamma/beta present or not, size, dtype")
                .axis(dtype())
                .axis(Axis.bool("affine", true).standard("false"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(MilLinearFamilies::buildInstanceNorm)
                .build();
    }

    private static MilNet buildInstanceNorm(ProbeSpec s) {
        long[] in = s.shape("in");
        long c = in[1];
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x");
        if (s.bool("affine")) {
            ins.put("gamma", List.of(net.constFloats("c_gamma", t, new long[] {c}, range(w, c, 0.5, 1.5))));
            ins.put("beta", List.of(net.constFloats("c_beta", t, new long[] {c}, w.floats(c, 0.1))));
        }
        ins.put("epsilon", List.of(net.constFloat("c_epsilon", t, 1e-5f)));
        return net.op("instance_norm", ins, "y", t, in).output("y");
    }

    /** l2_norm normalizes over the last three dimensions (rank 3 and up). */
    static ProbeFamily l2Norm() {
        return ProbeFamily.named("mil.l2_norm")
                .layers("l2_norm")
                .minSpec(6)
                .summary("ML Program l2_norm (over the last three dimensions): rank, size, dtype")
                .axis(dtype())
                .axis(Axis.shape("in", "1x64x56x56").standard("1x4x8x8", "1x8x4x16384", "1x8x4x16448",
                        "64x56x56", "2x1x64x56x56"))
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "epsilon", net.constFloat("c_epsilon", t, 1e-6f));
                    return net.op("l2_norm", ins, "y", t, in).output("y");
                })
                .build();
    }

    /** layer_norm over named axes of a rank-4 input; widths up to 2048 and past 16384 on the last axis. */
    static ProbeFamily layerNorm() {
        return ProbeFamily.named("mil.layer_norm")
                .layers("layer_norm")
                .minSpec(6)
                .summary("ML Program layer_norm: axes (last, last two, channel, all but batch), width up to "
                        + "2048 and 16384, gamma/beta, dtype")
                .axis(dtype())
                .axis(Axis.choice("axes", "w", "hw", "c", "chw").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "1x64x56x56").standard("1x4x8x8", "1x1x128x768", "1x1x128x2048",
                        "1x1x16x16384", "1x1x16x16448", "1x768x1x128"))
                .axis(Axis.bool("affine", true).standard("false"))
                .grid(Profile.STANDARD, "axes", "in")
                .grid(Profile.FULL, "dtype", "axes", "in")
                .builds(MilLinearFamilies::buildLayerNorm)
                .build();
    }

    private static MilNet buildLayerNorm(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] axes = switch (s.text("axes")) {
            case "w" -> new int[] {3};
            case "hw" -> new int[] {2, 3};
            case "c" -> new int[] {1};
            default -> new int[] {1, 2, 3};
        };
        long[] normShape = new long[axes.length];
        for (int i = 0; i < axes.length; i++) {
            normShape[i] = in[axes[i]];
        }
        long count = product(normShape);
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x", "axes", net.constIntList("c_axes", axes));
        if (s.bool("affine")) {
            ins.put("gamma", List.of(net.constFloats("c_gamma", t, normShape, range(w, count, 0.5, 1.5))));
            ins.put("beta", List.of(net.constFloats("c_beta", t, normShape, w.floats(count, 0.1))));
        }
        ins.put("epsilon", List.of(net.constFloat("c_epsilon", t, 1e-5f)));
        return net.op("layer_norm", ins, "y", t, in).output("y");
    }

    static ProbeFamily localResponseNorm() {
        return ProbeFamily.named("mil.local_response_norm")
                .layers("local_response_norm")
                .minSpec(6)
                .summary("ML Program local_response_norm: window size across channels, size, dtype")
                .axis(dtype())
                .axis(Axis.integer("size", 5).standard("1", "3", "7", "11", "15", "31"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "dtype", "size")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "size", net.constInt("c_size", s.integer("size")),
                            "alpha", net.constFloat("c_alpha", t, 1e-4f),
                            "beta", net.constFloat("c_beta", t, 0.75f),
                            "k", net.constFloat("c_k", t, 1.0f));
                    return net.op("local_response_norm", ins, "y", t, in).output("y");
                })
                .build();
    }

    // ---- conv_transpose ------------------------------------------------------------------------------------

    static ProbeFamily convTranspose() {
        return ProbeFamily.named("mil.conv_transpose")
                .layers("conv_transpose")
                .minSpec(6)
                .summary("ML Program conv_transpose: kernel, stride, groups, pad type, size, dtype")
                .axis(dtype())
                .axis(Axis.pair("kernel", "2x2").standard("1", "3", "4", "5", "7", "13", "15", "16", "1x7"))
                .axis(Axis.pair("stride", "2x2").standard("1", "3", "4", "8", "1x2"))
                .axis(Axis.choice("groups", "1", "2", "depthwise").allChoices(Profile.STANDARD))
                .axis(Axis.choice("pad", "valid", "same").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "1x64x28x28").standard("1x4x8x8", "1x8x4x8192", "1x8x4x8224"))
                .grid(Profile.STANDARD, "kernel", "stride")
                .grid(Profile.FULL, "dtype", "kernel", "stride")
                .builds(MilLinearFamilies::buildConvTranspose)
                .build();
    }

    private static MilNet buildConvTranspose(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        long cin = in[1];
        long g = s.text("groups").equals("depthwise") ? cin : Long.parseLong(s.text("groups"));
        long cout = cin;
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        long count = cin * (cout / g) * k[0] * k[1];
        String weight = net.constFloats("c_weight", t, new long[] {cin, cout / g, k[0], k[1]},
                w.floats(count, 1.0 / Math.sqrt(cin / g * k[0] * k[1])));
        boolean same = s.text("pad").equals("same");
        long h = same ? in[2] * st[0] : (in[2] - 1) * st[0] + k[0];
        long wd = same ? in[3] * st[1] : (in[3] - 1) * st[1] + k[1];
        Map<String, List<String>> ins = inputs("x", "x", "weight", weight,
                "bias", net.constFloats("c_bias", t, new long[] {cout}, w.floats(cout, 0.1)),
                "strides", net.constIntList("c_strides", st[0], st[1]),
                "pad_type", net.constString("c_pad_type", s.text("pad")),
                "pad", net.constIntList("c_pad", 0, 0, 0, 0),
                "dilations", net.constIntList("c_dilations", 1, 1),
                "groups", net.constInt("c_groups", (int) g));
        return net.op("conv_transpose", ins, "y", t, in[0], cout, h, wd).output("y");
    }

    // ---- select --------------------------------------------------------------------------------------------

    /** select(x > x2, x, b): the condition comes from a helper greater, since a model input cannot be bool. */
    static ProbeFamily select() {
        return ProbeFamily.named("mil.select")
                .layers("select")
                .minSpec(6)
                .summary("ML Program select: second branch an input, a const tensor or a broadcast scalar; "
                        + "size, dtype")
                .axis(dtype())
                .axis(Axis.choice("b", "input", "const", "scalar").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "b", "in")
                .builds(MilLinearFamilies::buildSelect)
                .build();
    }

    private static MilNet buildSelect(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in).input("x2", t, in);
        net.op("greater", inputs("x", "x", "y", "x2"), "aux_cond", DataType.BOOL, in);
        String b = switch (s.text("b")) {
            case "input" -> "x2";
            case "const" -> net.constFloats("c_b", t, in, new Weights(s.seed()).floats(product(in), 1.0));
            default -> net.constFloat("c_b", t, 0.0f);
        };
        return net.op("select", inputs("cond", "aux_cond", "a", "x", "b", b), "y", t, in).output("y");
    }

    // ---- random --------------------------------------------------------------------------------------------

    /** The shape-driven random ops, fed shape(x) as coremltools lowers randn_like: x is consumed, y is static. */
    static ProbeFamily random() {
        return ProbeFamily.named("mil.random")
                .layers("random_normal", "random_uniform", "random_bernoulli")
                .minSpec(6)
                .summary("ML Program random_normal / random_uniform / random_bernoulli of shape(x): size, dtype")
                .axis(Axis.choice("layer", "random_normal", "random_uniform", "random_bernoulli")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "layer", "dtype", "in")
                .builds(MilLinearFamilies::buildRandom)
                .build();
    }

    private static MilNet buildRandom(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        String op = s.text("layer");
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        net.op("shape", inputs("x", "x"), "aux_shape", DataType.INT32, in.length);
        Map<String, List<String>> ins = inputs("shape", "aux_shape");
        switch (op) {
            case "random_normal" -> {
                ins.put("mean", List.of(net.constFloat("c_mean", t, 0.0f)));
                ins.put("stddev", List.of(net.constFloat("c_stddev", t, 1.0f)));
            }
            case "random_uniform" -> {
                ins.put("low", List.of(net.constFloat("c_low", t, 0.0f)));
                ins.put("high", List.of(net.constFloat("c_high", t, 1.0f)));
            }
            default -> ins.put("prob", List.of(net.constFloat("c_prob", t, 0.5f)));
        }
        ins.put("seed", List.of(net.constInt("c_seed", 7)));
        return net.op(op, ins, "y", t, in).output("y");
    }

    /** random_categorical samples {@code size} indices per row of the last axis. */
    static ProbeFamily randomCategorical() {
        return ProbeFamily.named("mil.random_categorical")
                .layers("random_categorical")
                .minSpec(6)
                .summary("ML Program random_categorical: logits or probabilities, samples per row, size, dtype")
                .axis(dtype())
                .axis(Axis.choice("mode", "logits", "probs").allChoices(Profile.STANDARD))
                .axis(Axis.integer("size", 1).standard("4", "64"))
                .axis(Axis.shape("in", "1x64x56x56").standard("1x4x8x8", "1x8x4x16384", "1x1x1x32000"))
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "mode", net.constString("c_mode", s.text("mode")),
                            "size", net.constInt("c_size", s.integer("size")),
                            "seed", net.constInt("c_seed", 7));
                    long[] out = in.clone();
                    out[out.length - 1] = s.integer("size");
                    return net.op("random_categorical", ins, "y", t, out).output("y");
                })
                .build();
    }

    // ---- scaled_dot_product_attention ----------------------------------------------------------------------

    /** [B, H, S, D] query, key and value as inputs; mask none, a float input or a const causal bool mask. */
    static ProbeFamily sdpa() {
        return ProbeFamily.named("mil.scaled_dot_product_attention")
                .layers("scaled_dot_product_attention")
                .minSpec(9)
                .summary("ML Program scaled_dot_product_attention (iOS18): [B,H,S,D] sizes small to ~2M "
                        + "elements, key length, attention mask, dtype")
                .axis(dtype())
                .axis(Axis.shape("in", "1x8x512x64").quick("1x16x2048x64")
                        .standard("1x1x16x16", "1x32x1024x128", "1x8x128x64", "1x8x512x128"))
                .axis(Axis.choice("kv", "same", "half", "double").allChoices(Profile.STANDARD))
                .axis(Axis.choice("mask", "none", "float", "bool").allChoices(Profile.STANDARD))
                .grid(Profile.FULL, "mask", "in")
                .grid(Profile.FULL, "dtype", "in")
                .builds(MilLinearFamilies::buildSdpa)
                .build();
    }

    private static MilNet buildSdpa(ProbeSpec s) {
        long[] q = s.shape("in");
        long lq = q[2];
        long skv = switch (s.text("kv")) {
            case "half" -> Math.max(1, lq / 2);
            case "double" -> lq * 2;
            default -> lq;
        };
        long[] kv = {q[0], q[1], skv, q[3]};
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML8"))
                .input("query", t, q).input("key", t, kv).input("value", t, kv);
        Map<String, List<String>> ins = inputs("query", "query", "key", "key", "value", "value");
        switch (s.text("mask")) {
            case "float" -> {
                net.input("mask", t, lq, skv);
                ins.put("attn_mask", List.of("mask"));
            }
            case "bool" -> {
                boolean[] causal = new boolean[(int) (lq * skv)];
                for (int i = 0; i < lq; i++) {
                    for (int j = 0; j < skv; j++) {
                        causal[(int) (i * skv + j)] = j * lq <= i * skv;
                    }
                }
                ins.put("attn_mask", List.of(net.constBools("c_mask", new long[] {lq, skv}, causal)));
            }
            default -> {
            }
        }
        return net.op("scaled_dot_product_attention", ins, "y", t, q).output("y");
    }
}
