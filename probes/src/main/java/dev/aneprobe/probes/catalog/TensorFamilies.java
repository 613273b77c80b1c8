package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.sweep.ProbeLimits.grouped;

import dev.aneprobe.probes.coreml.AddBroadcastableLayerParams;
import dev.aneprobe.probes.coreml.ArgMaxLayerParams;
import dev.aneprobe.probes.coreml.ArgMinLayerParams;
import dev.aneprobe.probes.coreml.ArrayFeatureType.ArrayDataType;
import dev.aneprobe.probes.coreml.BatchedMatMulLayerParams;
import dev.aneprobe.probes.coreml.BroadcastToDynamicLayerParams;
import dev.aneprobe.probes.coreml.BroadcastToLikeLayerParams;
import dev.aneprobe.probes.coreml.BroadcastToStaticLayerParams;
import dev.aneprobe.probes.coreml.ConcatNDLayerParams;
import dev.aneprobe.probes.coreml.ConstantPaddingLayerParams;
import dev.aneprobe.probes.coreml.ExpandDimsLayerParams;
import dev.aneprobe.probes.coreml.FillDynamicLayerParams;
import dev.aneprobe.probes.coreml.FillLikeLayerParams;
import dev.aneprobe.probes.coreml.FillStaticLayerParams;
import dev.aneprobe.probes.coreml.FlattenTo2DLayerParams;
import dev.aneprobe.probes.coreml.GetShapeLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantNDLayerParams;
import dev.aneprobe.probes.coreml.RankPreservingReshapeLayerParams;
import dev.aneprobe.probes.coreml.ReshapeDynamicLayerParams;
import dev.aneprobe.probes.coreml.ReshapeLikeLayerParams;
import dev.aneprobe.probes.coreml.ReshapeStaticLayerParams;
import dev.aneprobe.probes.coreml.ReverseLayerParams;
import dev.aneprobe.probes.coreml.ReverseSeqLayerParams;
import dev.aneprobe.probes.coreml.SliceDynamicLayerParams;
import dev.aneprobe.probes.coreml.SliceStaticLayerParams;
import dev.aneprobe.probes.coreml.SlidingWindowsLayerParams;
import dev.aneprobe.probes.coreml.SoftmaxNDLayerParams;
import dev.aneprobe.probes.coreml.SplitNDLayerParams;
import dev.aneprobe.probes.coreml.SqueezeLayerParams;
import dev.aneprobe.probes.coreml.StackLayerParams;
import dev.aneprobe.probes.coreml.TileLayerParams;
import dev.aneprobe.probes.coreml.TopKLayerParams;
import dev.aneprobe.probes.coreml.TransposeLayerParams;
import dev.aneprobe.probes.model.Feature;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The specification-4 ND tensor layers: shape manipulation (reshape, squeeze, broadcast, fill, tile, pad,
 * transpose, slice), the ND twins of legacy layers (concatND, splitND, softmaxND, loadConstantND: the seed table
 * says ND layers do not run on the ANE, so their axes mirror concat, split, softmax and loadConstant), selection
 * (topK, argMax, argMin), and batchedMatmul. Gather, scatter and embedding families are in
 * {@link GatherScatterFamilies}.
 *
 * <p>Every probe uses the exact shape mapping with a rank-4 [1, C, H, W] input unless the layer needs another shape.
 * Shape operands of the dynamic layer flavours come either from a constant ({@code aux_shape}) or from an INT32 model
 * input, because a constant shape can be folded at compile time and an input one cannot.
 */
final class TensorFamilies {
    /** At most this many stored constant values in one probe (16 MB as fp32), so every model stays under 20 MB. */
    static final long WEIGHT_CAP = 4L << 20;
    /** At most this many elements in one model input or operand: keeps run-time tensors sane. */
    static final long ELEMENT_CAP = 16L << 20;

    private TensorFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> all = new ArrayList<>(List.of(
                softmaxND(), concatND(), splitND(), loadConstantND(),
                batchedMatmul(), transpose(), topK(), arg("argMax"), arg("argMin"),
                stack(), tile(), reverse(), reverseSeq(), sliceND(), slidingWindows(),
                getShape(), fill(), broadcastTo(), reshapeND(), squeezeExpandFlatten(), constantPad()));
        all.addAll(GatherScatterFamilies.all());
        return all;
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    /** A possibly negative axis as an index into a shape of rank {@code rank}. */
    static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** {@code n} whole-number index values in [0, bound), drawn from the probe's weights. */
    static float[] indexValues(Weights w, long n, long bound) {
        return w.indices(n, bound);
    }

    /** A loadConstantND helper layer {@code aux_<what>} writing blob {@code aux_<what>}. */
    static Layer constant(String what, long[] dims, float[] values, boolean fp16) {
        LoadConstantNDLayerParams.Builder p = LoadConstantNDLayerParams.newBuilder().setData(Weights.of(values, fp16));
        for (long d : dims) {
            p.addShape(d);
        }
        return Layer.aux(what).out("aux_" + what, dims).with(b -> b.setLoadConstantND(p));
    }

    private static float[] asValues(long[] dims) {
        float[] v = new float[dims.length];
        for (int i = 0; i < dims.length; i++) {
            v[i] = dims[i];
        }
        return v;
    }

    /**
     * Adds a rank-1 operand holding {@code values} (a shape, repetitions, begin indices, pad amounts): a constant
     * {@code aux_<what>} when {@code from} is "constant", else the INT32 model input {@code x2}. Returns the blob name.
     */
    private static String vectorOperand(Net net, String from, String what, long[] values) {
        if (from.equals("input")) {
            net.input(Feature.of("x2", ArrayDataType.INT32, values.length));
            return "x2";
        }
        net.layer(constant(what, new long[] {values.length}, asValues(values), false));
        return "aux_" + what;
    }

    /** Adds {@code aux_add}: y = x + blob, so that x is consumed when the probe layer does not read it. */
    private static Net addX(Net net, String blob, long[] outDims) {
        return net.layer(Layer.aux("add").in("x", blob).out("y", outDims)
                .with(b -> b.setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance())));
    }

    private static boolean inRange(int axis, int lo, int hiExclusive) {
        return axis >= lo && axis < hiExclusive;
    }

    private static int rank(ProbeSpec s) {
        return s.shape("in").length;
    }

    // ---- ND twins of legacy layers: softmaxND, concatND, splitND, loadConstantND --------------------------------

    /** Legacy softmax, concat and split work on the channel axis (-3); the ND twins start there and then move. */
    private static Axis channelFirstAxis() {
        return Axis.dimension("axis", -3).range(-5, 4).standard("1", "2", "3", "-1", "0").full("-2", "-4");
    }

    /** The ND input sizes plus the legacy twin's rank-3 [C, H, W] shape, so a pair differs only in layer type. */
    private static Axis twinSizes() {
        return Sizes.nchw().standard(Sizes.ANE).full(Sizes.SMALL, "1x1x64x56x56");
    }

    static ProbeFamily softmaxND() {
        return ProbeFamily.named("softmaxND")
                .layers("softmaxND")
                .summary("softmax along any axis (legacy softmax is channel-only): axis, rank, size")
                .axis(channelFirstAxis())
                .axis(twinSizes())
                .grid(Profile.FULL, "axis", "in")
                .admissible("the axis is within the input's rank", s -> inRange(s.integer("axis"), -rank(s), rank(s)))
                .builds(s -> Net.nd().input("x", s.shape("in"))
                        .layer(Layer.probe().in("x").out("y", s.shape("in"))
                                .with(b -> b.setSoftmaxND(SoftmaxNDLayerParams.newBuilder()
                                        .setAxis(s.integer("axis")))))
                        .output("y"))
                .minSpec(4)
                .build();
    }

    static ProbeFamily concatND() {
        return ProbeFamily.named("concatND")
                .layers("concatND")
                .summary("concatenation along any axis (legacy concat is channel-only): axis, number of inputs, "
                        + "constant operands, interleave")
                .axis(channelFirstAxis())
                .axis(Axis.integer("inputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8").full("16"))
                // Inputs all from the model, or x followed by constants (a learned token, a fixed padding block).
                .axis(Axis.choice("operands", "input", "constant").allChoices(Profile.STANDARD))
                // Spec-5 option: interleave the inputs element by element along the axis.
                .axis(Axis.bool("interleave", false).standard("true"))
                .axis(twinSizes())
                .grid(Profile.FULL, "axis", "inputs")
                .grid(Profile.FULL, "operands", "inputs")
                .admissible("the axis is within the input's rank", s -> inRange(s.integer("axis"), -rank(s), rank(s)))
                .admissible("the other operands have at most " + grouped(TensorFamilies.WEIGHT_CAP) + " elements as "
                        + "constants (" + grouped(TensorFamilies.ELEMENT_CAP) + " as inputs)",
                        s -> count(s.shape("in")) * (s.integer("inputs") - 1)
                        <= (s.text("operands").equals("constant") ? WEIGHT_CAP : ELEMENT_CAP))
                .builds(TensorFamilies::buildConcatND)
                .minSpec(4)
                .build();
    }

    private static Net buildConcatND(ProbeSpec s) {
        long[] in = s.shape("in");
        int n = s.integer("inputs");
        int a = norm(s.integer("axis"), in.length);
        Net net = Net.nd().input("x", in);
        Weights w = new Weights(s.seed());
        String[] blobs = new String[n];
        blobs[0] = "x";
        for (int i = 1; i < n; i++) {
            if (s.text("operands").equals("constant")) {
                net.layer(constant("c" + (i + 1), in, w.floats(count(in), 1.0), false));
                blobs[i] = "aux_c" + (i + 1);
            } else {
                blobs[i] = "x" + (i + 1);
                net.input(blobs[i], in);
            }
        }
        long[] out = in.clone();
        out[a] = in[a] * n;
        return net.layer(Layer.probe().in(blobs).out("y", out)
                        .with(b -> b.setConcatND(ConcatNDLayerParams.newBuilder()
                                .setAxis(s.integer("axis")).setInterleave(s.bool("interleave")))))
                .output("y");
    }

    static ProbeFamily splitND() {
        return ProbeFamily.named("splitND")
                .layers("splitND")
                .summary("split into equal (numSplits) or unequal (splitSizes) parts along any axis: axis, splits")
                // channelFirstAxis() without -4: that is the batch axis, of size 1, of every declared input of rank 4
                // or 5, so no split of it can be built. Axis 0 is the batch axis of those too; it is probed on the
                // rank-3 inputs (its companion), where it is the channel axis.
                .axis(Axis.dimension("axis", -3).range(-5, 4).standard("1", "2", "3", "-1", "0").full("-2"))
                .axis(Axis.integer("splits", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8", "16")
                        .full("5", "32", "64"))
                .axis(Axis.choice("sizes", "equal", "unequal").allChoices(Profile.STANDARD))
                .axis(twinSizes())
                .grid(Profile.STANDARD, "splits", "sizes")
                .grid(Profile.FULL, "axis", "splits")
                .companions("axis", "in")
                .admissible("the axis is within the input's rank", s -> inRange(s.integer("axis"), -rank(s), rank(s)))
                .admissible("the splits fit the input's size along the axis", s -> {
                    long d = s.shape("in")[norm(s.integer("axis"), rank(s))];
                    int n = s.integer("splits");
                    return s.text("sizes").equals("equal") ? d % n == 0 : d >= n + 1;
                })
                .builds(TensorFamilies::buildSplitND)
                .minSpec(4)
                .build();
    }

    private static Net buildSplitND(ProbeSpec s) {
        long[] in = s.shape("in");
        int n = s.integer("splits");
        int a = norm(s.integer("axis"), in.length);
        long d = in[a];
        long[] sizes = new long[n];
        if (s.text("sizes").equals("equal")) {
            Arrays.fill(sizes, d / n);
        } else {
            // n-1 equal parts and a larger remainder, so the parts really differ.
            long part = Math.max(1, d / (n + 1));
            Arrays.fill(sizes, part);
            sizes[n - 1] = d - part * (n - 1);
        }
        SplitNDLayerParams.Builder p = SplitNDLayerParams.newBuilder().setAxis(s.integer("axis"));
        if (s.text("sizes").equals("equal")) {
            p.setNumSplits(n);
        } else {
            for (long size : sizes) {
                p.addSplitSizes(size);
            }
        }
        Layer probe = Layer.probe().in("x").with(b -> b.setSplitND(p));
        Net net = Net.nd().input("x", in);
        for (int i = 0; i < n; i++) {
            long[] out = in.clone();
            out[a] = sizes[i];
            probe.out(i == 0 ? "y" : "y" + (i + 1), out);
        }
        net.layer(probe);
        for (int i = 0; i < n; i++) {
            net.output(i == 0 ? "y" : "y" + (i + 1));
        }
        return net;
    }

    /**
     * loadConstantND takes no input, yet x must be consumed: the probe is the constant layer itself and
     * {@code aux_add} adds its value to x, the way a learned bias or positional table is used. The constant has x's
     * shape, or [1, C, 1, 1] broadcast over it (a per-channel bias).
     */
    static ProbeFamily loadConstantND() {
        return ProbeFamily.named("loadConstantND")
                .layers("loadConstantND")
                .summary("an ND constant added to x: constant shape (full or per channel), precision, size")
                .axis(Axis.choice("shape", "full", "channel").allChoices(Profile.STANDARD))
                .axis(Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD))
                .axis(twinSizes())
                .admissible("a per-channel constant needs an input of rank 3 or more",
                        s -> !s.text("shape").equals("channel") || rank(s) >= 3)
                .builds(TensorFamilies::buildLoadConstantND)
                .minSpec(4)
                .build();
    }

    private static Net buildLoadConstantND(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] dims = in.clone();
        if (s.text("shape").equals("channel")) {
            for (int i = in.length - 2; i < in.length; i++) {
                dims[i] = 1;
            }
        }
        Weights w = new Weights(s.seed());
        LoadConstantNDLayerParams.Builder p = LoadConstantNDLayerParams.newBuilder()
                .setData(Weights.of(w.floats(count(dims), 1.0), s.text("weights").equals("fp16")));
        for (long d : dims) {
            p.addShape(d);
        }
        Net net = Net.nd().input("x", in).layer(Layer.probe().out("constant", dims).with(b -> b.setLoadConstantND(p)));
        return addX(net, "constant", in).output("y");
    }

    // ---- batchedMatmul -------------------------------------------------------------------------------------

    /**
     * Matrix products [B, M, K] × [K, N]: the seed table says small ones (4², up to 384²) and large ones (512²,
     * 1024²) place differently, so quick brackets 384² against the 512² baseline. The second operand is constant
     * weights (one input) or a second model input (two inputs, which alone allow transposes).
     */
    static ProbeFamily batchedMatmul() {
        return ProbeFamily.named("batchedMatmul")
                .layers("batchedMatmul")
                .summary("batched matrix product: size, output width, constant weights vs two inputs, transposes, "
                        + "bias, fp16 weights")
                .axis(Axis.shape("in", "1x512x512").quick("1x384x384")
                        .standard("1x4x4", "1x16x16", "1x64x64", "1x128x128", "1x256x256", "1x1024x1024",
                                "1x1x512", "8x512x512", "1x4x16384", "1x4x16448")
                        .full("1x32x32", "1x96x96", "1x192x192", "1x320x320", "1x448x448", "1x576x576",
                                "1x768x768", "1x2048x2048", "1x77x768", "4x128x128"))
                // N: "same" keeps the product square (N = K).
                .axis(Axis.choice("n", "same", "64", "1024").allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "constant", "input").allChoices(Profile.STANDARD))
                .axis(Axis.choice("transpose", "none", "a", "b", "ab").allChoices(Profile.STANDARD))
                .axis(Axis.bool("bias", false).standard("true"))
                .axis(Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD))
                .grid(Profile.STANDARD, "operand", "transpose")
                .grid(Profile.STANDARD, "in", "n")
                .grid(Profile.FULL, "in", "operand")
                .admissible("a constant operand takes no transpose and at most " + grouped(TensorFamilies.WEIGHT_CAP)
                        + " weights; two inputs take no bias or fp16 weights and at most "
                        + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        TensorFamilies::matmulFits)
                .builds(TensorFamilies::buildBatchedMatmul)
                .minSpec(4)
                .build();
    }

    private static long matmulN(ProbeSpec s) {
        long[] in = s.shape("in");
        return s.text("n").equals("same") ? in[2] : Long.parseLong(s.text("n"));
    }

    private static boolean matmulFits(ProbeSpec s) {
        long[] in = s.shape("in");
        boolean constant = s.text("operand").equals("constant");
        if (constant) {
            // Transposes are options of the two-input form only.
            return s.text("transpose").equals("none") && in[2] * matmulN(s) <= WEIGHT_CAP;
        }
        // Bias and stored weights only exist in the one-input form.
        return !s.bool("bias") && s.text("weights").equals("fp32") && in[0] * in[2] * matmulN(s) <= ELEMENT_CAP;
    }

    private static Net buildBatchedMatmul(ProbeSpec s) {
        long[] in = s.shape("in");
        long b = in[0];
        long m = in[1];
        long k = in[2];
        long n = matmulN(s);
        long[] out = {b, m, n};
        if (s.text("operand").equals("constant")) {
            boolean fp16 = s.text("weights").equals("fp16");
            Weights w = new Weights(s.seed());
            BatchedMatMulLayerParams.Builder p = BatchedMatMulLayerParams.newBuilder()
                    .setWeightMatrixFirstDimension(k).setWeightMatrixSecondDimension(n)
                    .setWeights(w.params(k * n, k, fp16));
            if (s.bool("bias")) {
                p.setHasBias(true).setBias(w.params(n, 1, fp16));
            }
            return Net.nd().input("x", in)
                    .layer(Layer.probe().in("x").out("y", out).with(l -> l.setBatchedMatmul(p)))
                    .output("y");
        }
        boolean ta = s.text("transpose").contains("a");
        boolean tb = s.text("transpose").contains("b");
        long[] a = ta ? new long[] {b, k, m} : new long[] {b, m, k};
        long[] bm = tb ? new long[] {b, n, k} : new long[] {b, k, n};
        return Net.nd().input("x", a).input("x2", bm)
                .layer(Layer.probe().in("x", "x2").out("y", out)
                        .with(l -> l.setBatchedMatmul(BatchedMatMulLayerParams.newBuilder()
                                .setTransposeA(ta).setTransposeB(tb))))
                .output("y");
    }

    // ---- transpose -----------------------------------------------------------------------------------------

    /** Every permutation of 0..3, written as digits (e.g. "0231"). */
    private static String[] permutations4() {
        List<String> out = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                for (int c = 0; c < 4; c++) {
                    int d = 6 - a - b - c;
                    if (a != b && a != c && b != c && d != a && d != b && d != c) {
                        out.add("" + a + b + c + d);
                    }
                }
            }
        }
        return out.toArray(new String[0]);
    }

    static ProbeFamily transpose() {
        return ProbeFamily.named("transpose")
                .layers("transpose")
                .summary("axis permutation of a rank-4 tensor: which axes move (NCHW→NHWC, last-two swap, ...)")
                // Output axis i is input axis perm[i]. Baseline NCHW → NHWC; standard: the common layout changes.
                .axis(Axis.choice("perm", permutations4()).baseline("0231")
                        .standard("0123", "0132", "0213", "0312", "1023", "0321", "3210", "2301")
                        .full(permutations4()))
                .axis(Sizes.nchw())
                .builds(s -> {
                    long[] in = s.shape("in");
                    String perm = s.text("perm");
                    long[] out = new long[4];
                    TransposeLayerParams.Builder p = TransposeLayerParams.newBuilder();
                    for (int i = 0; i < 4; i++) {
                        int from = perm.charAt(i) - '0';
                        out[i] = in[from];
                        p.addAxes(from);
                    }
                    return Net.nd().input("x", in)
                            .layer(Layer.probe().in("x").out("y", out).with(b -> b.setTranspose(p)))
                            .output("y");
                })
                .minSpec(4)
                .build();
    }

    // ---- topK, argMax, argMin ------------------------------------------------------------------------------

    private static Axis selectionAxis() {
        return Axis.dimension("axis", -1).range(-5, 4).standard("0", "1", "2", "3", "-2", "-3").full("-4");
    }

    static ProbeFamily topK() {
        return ProbeFamily.named("topK")
                .layers("topK")
                .summary("the K largest (or smallest) values and their indices along an axis: axis, K, bottom-K, "
                        + "K as a parameter or an input")
                .axis(selectionAxis())
                .axis(Axis.integer("k", 8).standard("1", "2", "16", "32", "56").full("4", "64", "128", "512"))
                .axis(Axis.bool("bottom", false).standard("true"))
                .axis(Axis.choice("kFrom", "param", "input").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "k")
                // The batch axis (size 1) takes only k=1; a k beyond the baseline's 64 channels, the wide inputs.
                .companions("axis", "k")
                .companions("k", "in")
                .admissible("the axis is within the input's rank and k is at most the input's size along it",
                        s -> inRange(s.integer("axis"), -rank(s), rank(s))
                        && s.integer("k") <= s.shape("in")[norm(s.integer("axis"), rank(s))])
                .builds(TensorFamilies::buildTopK)
                .minSpec(4)
                .build();
    }

    private static Net buildTopK(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] out = in.clone();
        out[norm(s.integer("axis"), in.length)] = s.integer("k");
        Net net = Net.nd().input("x", in);
        Layer probe = Layer.probe().in("x");
        if (s.text("kFrom").equals("input")) {
            // K as a run-time scalar: a one-element INT32 input.
            net.input(Feature.of("x2", ArrayDataType.INT32, 1));
            probe.in("x2");
        }
        probe.out("y", out).out("y2", out).with(b -> b.setTopK(TopKLayerParams.newBuilder()
                .setAxis(s.integer("axis")).setK(s.integer("k")).setUseBottomK(s.bool("bottom"))));
        return net.layer(probe).output("y").output("y2");
    }

    /** argMax or argMin: the same sweep, so the two compare. */
    static ProbeFamily arg(String layer) {
        return ProbeFamily.named(layer)
                .layers(layer)
                .summary("index of the " + (layer.equals("argMax") ? "largest" : "smallest")
                        + " value along an axis: axis, keep or remove the axis")
                .axis(selectionAxis())
                .axis(Axis.bool("removeDim", false).standard("true"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "removeDim")
                .admissible("the axis is within the input's rank", s -> inRange(s.integer("axis"), -rank(s), rank(s)))
                .builds(s -> {
                    long[] in = s.shape("in");
                    int a = norm(s.integer("axis"), in.length);
                    long[] out;
                    if (s.bool("removeDim")) {
                        out = new long[in.length - 1];
                        for (int i = 0, j = 0; i < in.length; i++) {
                            if (i != a) {
                                out[j++] = in[i];
                            }
                        }
                    } else {
                        out = in.clone();
                        out[a] = 1;
                    }
                    Layer probe = Layer.probe().in("x").out("y", out).with(b -> {
                        if (layer.equals("argMax")) {
                            b.setArgMax(ArgMaxLayerParams.newBuilder()
                                    .setAxis(s.integer("axis")).setRemoveDim(s.bool("removeDim")));
                        } else {
                            b.setArgMin(ArgMinLayerParams.newBuilder()
                                    .setAxis(s.integer("axis")).setRemoveDim(s.bool("removeDim")));
                        }
                    });
                    return Net.nd().input("x", in).layer(probe).output("y");
                })
                .minSpec(4)
                .build();
    }

    // ---- stack, tile, reverse, reverseSeq ------------------------------------------------------------------

    static ProbeFamily stack() {
        return ProbeFamily.named("stack")
                .layers("stack")
                .summary("stack equal-shaped inputs along a new axis: axis, number of inputs")
                .axis(Axis.dimension("axis", 1).range(-6, 5).standard("0", "2", "3", "4", "-1").full("-2", "-5"))
                .axis(Axis.integer("inputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8"))
                .axis(Sizes.nchw())
                .admissible("the axis is within the output's rank and the output has at most "
                        + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        s -> inRange(s.integer("axis"), -(rank(s) + 1), rank(s) + 1)
                        && count(s.shape("in")) * s.integer("inputs") <= ELEMENT_CAP)
                .builds(s -> {
                    long[] in = s.shape("in");
                    int n = s.integer("inputs");
                    int a = norm(s.integer("axis"), in.length + 1);
                    Net net = Net.nd();
                    String[] blobs = new String[n];
                    for (int i = 0; i < n; i++) {
                        blobs[i] = i == 0 ? "x" : "x" + (i + 1);
                        net.input(blobs[i], in);
                    }
                    long[] out = new long[in.length + 1];
                    for (int i = 0, j = 0; i < out.length; i++) {
                        out[i] = i == a ? n : in[j++];
                    }
                    return net.layer(Layer.probe().in(blobs).out("y", out)
                                    .with(b -> b.setStack(StackLayerParams.newBuilder().setAxis(s.integer("axis")))))
                            .output("y");
                })
                .minSpec(4)
                .build();
    }

    static ProbeFamily tile() {
        return ProbeFamily.named("tile")
                .layers("tile")
                .summary("repeat x along axes: repetitions per axis (short lists are padded with leading 1s), "
                        + "repetitions as a parameter or an input")
                .axis(Axis.shape("reps", "1x2x1x1")
                        .standard("1x1x1x2", "1x1x2x1", "1x1x2x2", "2x1x1x1", "1x4x1x1", "1x1x1x4", "2")
                        .full("1x1x1x16", "1x8x1x1", "2x2x2x2", "3", "1x1x3x3"))
                .axis(Axis.choice("repsFrom", "param", "constant", "input").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .admissible("reps has at most the input's rank and the output at most "
                        + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        s -> s.shape("reps").length <= rank(s)
                        && count(s.shape("in")) * count(s.shape("reps")) <= ELEMENT_CAP)
                .builds(TensorFamilies::buildTile)
                .minSpec(4)
                .build();
    }

    private static Net buildTile(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] given = s.shape("reps");
        long[] reps = new long[in.length];
        Arrays.fill(reps, 1);
        System.arraycopy(given, 0, reps, in.length - given.length, given.length);
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] * reps[i];
        }
        Net net = Net.nd().input("x", in);
        Layer probe = Layer.probe().in("x");
        TileLayerParams.Builder p = TileLayerParams.newBuilder();
        if (s.text("repsFrom").equals("param")) {
            for (long r : given) {
                p.addReps(r);
            }
        } else {
            probe.in(vectorOperand(net, s.text("repsFrom"), "reps", reps));
        }
        return net.layer(probe.out("y", out).with(b -> b.setTile(p))).output("y");
    }

    static ProbeFamily reverse() {
        List<String> all = new ArrayList<>();
        for (int m = 0; m < 16; m++) {
            all.add(String.format("%4s", Integer.toBinaryString(m)).replace(' ', '0'));
        }
        return ProbeFamily.named("reverse")
                .layers("reverse")
                .summary("reverse x along a set of axes (one flag per axis, e.g. 0001 = width only)")
                .axis(Axis.choice("dims", all.toArray(new String[0])).baseline("0001")
                        .standard("0010", "0100", "0011", "0110", "0111", "1111", "0000")
                        .full(all.toArray(new String[0])))
                .axis(Sizes.nchw())
                .builds(s -> {
                    ReverseLayerParams.Builder p = ReverseLayerParams.newBuilder();
                    for (char c : s.text("dims").toCharArray()) {
                        p.addReverseDim(c == '1');
                    }
                    return Net.nd().input("x", s.shape("in"))
                            .layer(Layer.probe().in("x").out("y", s.shape("in")).with(b -> b.setReverse(p)))
                            .output("y");
                })
                .minSpec(4)
                .build();
    }

    static ProbeFamily reverseSeq() {
        return ProbeFamily.named("reverseSeq")
                .layers("reverseSeq")
                .summary("reverse variable-length prefixes along a sequence axis, one length per batch entry: "
                        + "batch and sequence axes, lengths as input or constant")
                .axis(Axis.dimension("batchAxis", 0).range(0, 3).standard("1", "2"))
                .axis(Axis.dimension("seqAxis", 1).range(0, 3).standard("2", "3").full("0"))
                .axis(Axis.choice("lengths", "input", "constant").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "batchAxis", "seqAxis")
                .companions("batchAxis", "seqAxis")
                .admissible("the batch and sequence axes differ", s -> s.integer("batchAxis") != s.integer("seqAxis"))
                .builds(s -> {
                    long[] in = s.shape("in");
                    long batch = in[s.integer("batchAxis")];
                    long seq = in[s.integer("seqAxis")];
                    Net net = Net.nd().input("x", in);
                    String lengths;
                    if (s.text("lengths").equals("input")) {
                        net.input(Feature.of("x2", ArrayDataType.INT32, batch));
                        lengths = "x2";
                    } else {
                        net.layer(constant("lengths", new long[] {batch},
                                indexValues(new Weights(s.seed()), batch, seq + 1), false));
                        lengths = "aux_lengths";
                    }
                    return net.layer(Layer.probe().in("x", lengths).out("y", in)
                                    .with(b -> b.setReverseSeq(ReverseSeqLayerParams.newBuilder()
                                            .setBatchAxis(s.integer("batchAxis"))
                                            .setSequenceAxis(s.integer("seqAxis")))))
                            .output("y");
                })
                .minSpec(4)
                .build();
    }

    // ---- sliceStatic / sliceDynamic, slidingWindows --------------------------------------------------------

    /**
     * A strided slice of half of one axis, starting at {@code begin}: sliceStatic holds every bound as a parameter,
     * sliceDynamic reads the begin indices from a constant or an input.
     */
    static ProbeFamily sliceND() {
        return ProbeFamily.named("sliceND")
                .layers("sliceStatic", "sliceDynamic")
                .summary("strided slice of half of one axis: sliced axis, start, stride; static bounds vs begin "
                        + "indices from a constant or an input")
                .axis(Axis.choice("layer", "sliceStatic", "sliceDynamic").allChoices(Profile.STANDARD))
                .axis(Axis.dimension("axis", 1).range(0, 3).standard("2", "3").full("0"))
                .axis(Axis.integer("begin", 0).range(0, ProbeLimits.MAX_WHOLE).standard("1", "7").full("3", "15"))
                .axis(Axis.integer("stride", 1).standard("2", "3", "4").full("8"))
                .axis(Axis.choice("begins", "constant", "input").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.STANDARD, "layer", "begins")
                .grid(Profile.FULL, "layer", "axis", "stride")
                .admissible("begins from an input apply only to sliceDynamic",
                        s -> s.text("layer").equals("sliceDynamic") || s.text("begins").equals("constant"))
                .admissible("begin is within the input's size along the axis",
                        s -> s.integer("begin") < s.shape("in")[s.integer("axis")])
                .builds(TensorFamilies::buildSlice)
                .minSpec(4)
                .build();
    }

    private static Net buildSlice(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = s.integer("axis");
        long begin = s.integer("begin");
        long stride = s.integer("stride");
        long end = Math.min(in[a], begin + Math.max(1, in[a] / 2));
        long[] beginIds = new long[in.length];
        long[] endIds = in.clone();
        long[] strides = new long[in.length];
        Arrays.fill(strides, 1);
        beginIds[a] = begin;
        endIds[a] = end;
        strides[a] = stride;
        long[] out = in.clone();
        out[a] = (end - begin + stride - 1) / stride;
        Net net = Net.nd().input("x", in);
        Layer probe = Layer.probe().in("x");
        if (s.text("layer").equals("sliceStatic")) {
            SliceStaticLayerParams.Builder p = SliceStaticLayerParams.newBuilder();
            for (int i = 0; i < in.length; i++) {
                p.addBeginIds(beginIds[i]).addEndIds(endIds[i]).addStrides(strides[i])
                        .addBeginMasks(false).addEndMasks(false);
            }
            probe.with(b -> b.setSliceStatic(p));
        } else {
            SliceDynamicLayerParams.Builder p = SliceDynamicLayerParams.newBuilder();
            for (int i = 0; i < in.length; i++) {
                p.addEndIds(endIds[i]).addStrides(strides[i]).addBeginMasks(false).addEndMasks(false);
            }
            probe.in(vectorOperand(net, s.text("begins"), "begins", beginIds)).with(b -> b.setSliceDynamic(p));
        }
        return net.layer(probe.out("y", out)).output("y");
    }

    static ProbeFamily slidingWindows() {
        return ProbeFamily.named("slidingWindows")
                .layers("slidingWindows")
                .summary("all windows of a size at a step along an axis (a new window axis): axis, window, step")
                .axis(Axis.dimension("axis", -1).range(-5, 4).standard("1", "2", "3", "-2").full("0", "-3"))
                .axis(Axis.integer("window", 4).standard("2", "8", "16").full("1", "3", "32"))
                .axis(Axis.integer("step", 2).standard("1", "4", "8"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "window", "step")
                // The batch axis (size 1) takes only a window of 1.
                .companions("axis", "window")
                .admissible("the axis is within the input's rank and the window fits along it",
                        s -> inRange(s.integer("axis"), -rank(s), rank(s))
                        && s.integer("window") <= s.shape("in")[norm(s.integer("axis"), rank(s))])
                .admissible("the output has at most " + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        s -> count(slidingShape(s)) <= ELEMENT_CAP)
                .builds(s -> Net.nd().input("x", s.shape("in"))
                        .layer(Layer.probe().in("x").out("y", slidingShape(s))
                                .with(b -> b.setSlidingWindows(SlidingWindowsLayerParams.newBuilder()
                                        .setAxis(s.integer("axis")).setWindowSize(s.integer("window"))
                                        .setStep(s.integer("step")))))
                        .output("y"))
                .minSpec(4)
                .build();
    }

    /** in[:axis] + [windows, window] + in[axis+1:], windows = (L - window) / step + 1. */
    private static long[] slidingShape(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = norm(s.integer("axis"), in.length);
        long[] out = new long[in.length + 1];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (i == a) {
                out[j++] = (in[a] - s.integer("window")) / s.integer("step") + 1;
                out[j++] = s.integer("window");
            } else {
                out[j++] = in[i];
            }
        }
        return out;
    }

    // ---- getShape, fill*, broadcastTo*, reshape*, squeeze / expandDims / flattenTo2D, constantPad -------------

    static ProbeFamily getShape() {
        return ProbeFamily.named("getShape")
                .layers("getShape")
                .summary("the shape of x as a rank-1 tensor: input rank and size")
                .axis(Sizes.nchw().standard(Sizes.ANE, "1x1x64x56x56", "200704"))
                .builds(s -> Net.nd().input("x", s.shape("in"))
                        .layer(Layer.probe().in("x").out("y", s.shape("in").length)
                                .with(b -> b.setGetShape(GetShapeLayerParams.getDefaultInstance())))
                        .output("y"))
                .minSpec(4)
                .build();
    }

    /**
     * Where the dynamic flavours (fillDynamic, broadcastToDynamic, reshapeDynamic) get their rank-1 shape operand:
     * "param" for the static and like flavours, which have none; a constant; an INT32 input; or (fill only)
     * getShape of x, the way converters emit it.
     */
    private static Axis shapeFromAxis(String... choices) {
        return Axis.choice("shapeFrom", choices).allChoices(Profile.STANDARD);
    }

    private static boolean dynamicMatchesShapeFrom(ProbeSpec s) {
        return s.text("layer").endsWith("Dynamic") != s.text("shapeFrom").equals("param");
    }

    static ProbeFamily fill() {
        return ProbeFamily.named("fill")
                .layers("fillLike", "fillStatic", "fillDynamic")
                .summary("a tensor of one value, shaped like x, by a parameter, or by a shape operand")
                .axis(Axis.choice("layer", "fillLike", "fillStatic", "fillDynamic").allChoices(Profile.STANDARD))
                .axis(shapeFromAxis("param", "getShape", "constant", "input"))
                .axis(Sizes.nchw())
                .grid(Profile.STANDARD, "layer", "shapeFrom")
                .admissible("a dynamic layer takes its shape from an operand, the others from a parameter",
                        TensorFamilies::dynamicMatchesShapeFrom)
                .builds(TensorFamilies::buildFill)
                .minSpec(4)
                .build();
    }

    private static Net buildFill(ProbeSpec s) {
        long[] in = s.shape("in");
        float value = 0.5f;
        Net net = Net.nd().input("x", in);
        switch (s.text("layer")) {
            case "fillLike":
                return net.layer(Layer.probe().in("x").out("y", in)
                        .with(b -> b.setFillLike(FillLikeLayerParams.newBuilder().setValue(value)))).output("y");
            case "fillStatic": {
                FillStaticLayerParams.Builder p = FillStaticLayerParams.newBuilder().setValue(value);
                for (long d : in) {
                    p.addTargetShape(d);
                }
                net.layer(Layer.probe().out("filled", in).with(b -> b.setFillStatic(p)));
                return addX(net, "filled", in).output("y");
            }
            default: {
                FillDynamicLayerParams.Builder p = FillDynamicLayerParams.newBuilder().setValue(value);
                if (s.text("shapeFrom").equals("getShape")) {
                    net.layer(Layer.aux("shape").in("x").out("aux_shape", in.length)
                            .with(b -> b.setGetShape(GetShapeLayerParams.getDefaultInstance())));
                    return net.layer(Layer.probe().in("aux_shape").out("y", in).with(b -> b.setFillDynamic(p)))
                            .output("y");
                }
                String shape = vectorOperand(net, s.text("shapeFrom"), "shape", in);
                net.layer(Layer.probe().in(shape).out("filled", in).with(b -> b.setFillDynamic(p)));
                return addX(net, "filled", in).output("y");
            }
        }
    }

    static ProbeFamily broadcastTo() {
        return ProbeFamily.named("broadcastTo")
                .layers("broadcastToLike", "broadcastToStatic", "broadcastToDynamic")
                .summary("broadcast x to the size-axis shape: source shape (per channel, scalar, row, rank-1), "
                        + "target from a like tensor, a parameter, or a shape operand")
                .axis(Axis.choice("layer", "broadcastToStatic", "broadcastToLike", "broadcastToDynamic")
                        .allChoices(Profile.STANDARD))
                .axis(Axis.choice("from", "channel", "scalar", "row", "vector").allChoices(Profile.STANDARD))
                .axis(shapeFromAxis("param", "constant", "input"))
                .axis(Sizes.nchw())
                .grid(Profile.STANDARD, "layer", "shapeFrom")
                .grid(Profile.FULL, "layer", "from")
                .admissible("a dynamic layer takes its shape from an operand, the others from a parameter",
                        TensorFamilies::dynamicMatchesShapeFrom)
                .builds(TensorFamilies::buildBroadcastTo)
                .minSpec(4)
                .build();
    }

    private static Net buildBroadcastTo(ProbeSpec s) {
        long[] target = s.shape("in");
        long[] source;
        switch (s.text("from")) {
            case "scalar":
                source = new long[] {1, 1, 1, 1};
                break;
            case "row":
                source = new long[] {1, 1, 1, target[3]};
                break;
            case "vector":
                source = new long[] {target[3]}; // lower rank: broadcasting prepends axes
                break;
            default:
                source = new long[] {1, target[1], 1, 1};
        }
        Net net = Net.nd().input("x", source);
        Layer probe = Layer.probe().in("x").out("y", target);
        switch (s.text("layer")) {
            case "broadcastToLike":
                net.input("x2", target);
                probe.in("x2").with(b -> b.setBroadcastToLike(BroadcastToLikeLayerParams.getDefaultInstance()));
                break;
            case "broadcastToDynamic":
                probe.in(vectorOperand(net, s.text("shapeFrom"), "shape", target))
                        .with(b -> b.setBroadcastToDynamic(BroadcastToDynamicLayerParams.getDefaultInstance()));
                break;
            default: {
                BroadcastToStaticLayerParams.Builder p = BroadcastToStaticLayerParams.newBuilder();
                for (long d : target) {
                    p.addTargetShape(d);
                }
                probe.with(b -> b.setBroadcastToStatic(p));
            }
        }
        return net.layer(probe).output("y");
    }

    static ProbeFamily reshapeND() {
        return ProbeFamily.named("reshapeND")
                .layers("reshapeStatic", "reshapeLike", "reshapeDynamic", "rankPreservingReshape")
                .summary("ND reshapes of a [1, C, H, W] tensor: target shape (merge H·W, flatten, H↔W, split W), "
                        + "target from a parameter, a like tensor or a shape operand")
                .axis(Axis.choice("layer", "reshapeStatic", "reshapeLike", "reshapeDynamic", "rankPreservingReshape")
                        .allChoices(Profile.STANDARD))
                // mergeHW [1,C,H·W]; flatten [1,C·H·W]; swapHW [1,C,W,H] (same rank); splitW [1,C,H,W/2,2].
                .axis(Axis.choice("target", "mergeHW", "flatten", "swapHW", "splitW").allChoices(Profile.STANDARD))
                .axis(shapeFromAxis("param", "constant", "input"))
                .axis(Sizes.nchw())
                .grid(Profile.STANDARD, "layer", "target")
                .grid(Profile.STANDARD, "layer", "shapeFrom")
                .admissible("a dynamic layer takes its shape from an operand, the others from a parameter",
                        TensorFamilies::dynamicMatchesShapeFrom)
                .admissible("rankPreservingReshape keeps the input's rank",
                        s -> !s.text("layer").equals("rankPreservingReshape")
                        || reshapeTarget(s).length == rank(s))
                .admissible("splitW needs an even width",
                        s -> !s.text("target").equals("splitW") || s.shape("in")[3] % 2 == 0)
                .builds(TensorFamilies::buildReshape)
                .minSpec(4)
                .build();
    }

    private static long[] reshapeTarget(ProbeSpec s) {
        long[] in = s.shape("in");
        switch (s.text("target")) {
            case "flatten":
                return new long[] {1, in[1] * in[2] * in[3]};
            case "swapHW":
                return new long[] {1, in[1], in[3], in[2]};
            case "splitW":
                return new long[] {1, in[1], in[2], in[3] / 2, 2};
            default:
                return new long[] {1, in[1], in[2] * in[3]};
        }
    }

    private static Net buildReshape(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] target = reshapeTarget(s);
        Net net = Net.nd().input("x", in);
        Layer probe = Layer.probe().in("x").out("y", target);
        switch (s.text("layer")) {
            case "reshapeLike":
                net.input("x2", target);
                probe.in("x2").with(b -> b.setReshapeLike(ReshapeLikeLayerParams.getDefaultInstance()));
                break;
            case "reshapeDynamic":
                probe.in(vectorOperand(net, s.text("shapeFrom"), "shape", target))
                        .with(b -> b.setReshapeDynamic(ReshapeDynamicLayerParams.getDefaultInstance()));
                break;
            case "rankPreservingReshape": {
                RankPreservingReshapeLayerParams.Builder p = RankPreservingReshapeLayerParams.newBuilder();
                for (long d : target) {
                    p.addTargetShape(d);
                }
                probe.with(b -> b.setRankPreservingReshape(p));
                break;
            }
            default: {
                ReshapeStaticLayerParams.Builder p = ReshapeStaticLayerParams.newBuilder();
                for (long d : target) {
                    p.addTargetShape(d);
                }
                probe.with(b -> b.setReshapeStatic(p));
            }
        }
        return net.layer(probe).output("y");
    }

    /** Rank-changing reshapes with an axis parameter: squeeze a unit axis, insert one, or flatten to 2-D at one. */
    static ProbeFamily squeezeExpandFlatten() {
        return ProbeFamily.named("squeezeExpandFlatten")
                .layers("squeeze", "expandDims", "flattenTo2D")
                .summary("squeeze a unit axis (or all), insert a unit axis, or flatten to 2-D at an axis")
                .axis(Axis.choice("layer", "squeeze", "expandDims", "flattenTo2D").allChoices(Profile.STANDARD))
                .axis(Axis.dimension("axis", 0).range(-6, 5).standard("1", "2", "3", "4", "-1", "-4")
                        .full("-2", "-3", "-5"))
                .axis(Axis.bool("squeezeAll", false).standard("true"))
                .axis(Sizes.nchw())
                .grid(Profile.STANDARD, "layer", "axis")
                .admissible("the axis fits the input's rank for the layer", TensorFamilies::rankChangeFits)
                .builds(TensorFamilies::buildRankChange)
                .minSpec(4)
                .build();
    }

    private static boolean rankChangeFits(ProbeSpec s) {
        int r = rank(s);
        int a = s.integer("axis");
        switch (s.text("layer")) {
            case "squeeze":
                if (s.bool("squeezeAll")) {
                    return a == 0; // axes are ignored: only the baseline value, so no duplicate probes
                }
                return inRange(a, -r, r) && s.shape("in")[norm(a, r)] == 1;
            case "expandDims":
                return !s.bool("squeezeAll") && inRange(a, -(r + 1), r + 1);
            default:
                return !s.bool("squeezeAll") && inRange(a, -r, r);
        }
    }

    private static Net buildRankChange(ProbeSpec s) {
        long[] in = s.shape("in");
        int r = in.length;
        int a = s.integer("axis");
        List<Long> out = new ArrayList<>();
        Layer probe = Layer.probe().in("x");
        switch (s.text("layer")) {
            case "squeeze": {
                boolean all = s.bool("squeezeAll");
                for (int i = 0; i < r; i++) {
                    if (!(all ? in[i] == 1 : i == norm(a, r))) {
                        out.add(in[i]);
                    }
                }
                SqueezeLayerParams.Builder p = SqueezeLayerParams.newBuilder().setSqueezeAll(all);
                if (!all) {
                    p.addAxes(a);
                }
                probe.with(b -> b.setSqueeze(p));
                break;
            }
            case "expandDims": {
                int at = norm(a, r + 1);
                for (int i = 0, j = 0; i <= r; i++) {
                    out.add(i == at ? 1L : in[j++]);
                }
                probe.with(b -> b.setExpandDims(ExpandDimsLayerParams.newBuilder().addAxes(a)));
                break;
            }
            default: {
                int at = norm(a, r);
                long head = 1;
                long tail = 1;
                for (int i = 0; i < r; i++) {
                    if (i < at) {
                        head *= in[i];
                    } else {
                        tail *= in[i];
                    }
                }
                out.add(head);
                out.add(tail);
                probe.with(b -> b.setFlattenTo2D(FlattenTo2DLayerParams.newBuilder().setAxis(a)));
            }
        }
        long[] dims = out.stream().mapToLong(Long::longValue).toArray();
        return Net.nd().input("x", in).layer(probe.out("y", dims)).output("y");
    }

    /** Pad amounts per [N, C, H, W] axis as (before, after) pairs, by name. */
    private static long[] padAmounts(String name) {
        switch (name) {
            case "w1":
                return new long[] {0, 0, 0, 0, 0, 0, 1, 1};
            case "c1":
                return new long[] {0, 0, 1, 1, 0, 0, 0, 0};
            case "n1":
                return new long[] {1, 1, 0, 0, 0, 0, 0, 0};
            case "hw3":
                return new long[] {0, 0, 0, 0, 3, 3, 3, 3};
            case "hw8":
                return new long[] {0, 0, 0, 0, 8, 8, 8, 8};
            case "end1":
                return new long[] {0, 0, 0, 0, 0, 1, 0, 1};
            case "c16":
                return new long[] {0, 0, 16, 16, 0, 0, 0, 0};
            default: // hw1: the padding of a 3×3 "same" convolution
                return new long[] {0, 0, 0, 0, 1, 1, 1, 1};
        }
    }

    static ProbeFamily constantPad() {
        return ProbeFamily.named("constantPad")
                .layers("constantPad")
                .summary("constant padding of a rank-4 tensor: which axes and how much, target-size mode, amounts "
                        + "as a parameter or an input")
                .axis(Axis.choice("pad", "hw1", "w1", "c1", "n1", "hw3", "end1", "hw8", "c16").baseline("hw1")
                        .standard("w1", "c1", "n1", "hw3", "end1").full("hw8", "c16"))
                // padToGivenOutputSizeMode: the amounts are output sizes (padding goes after the data).
                .axis(Axis.bool("toSize", false).standard("true"))
                .axis(Axis.choice("amounts", "param", "input").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "pad", "toSize")
                .admissible("toSize takes constant amounts",
                        s -> !(s.bool("toSize") && s.text("amounts").equals("input")))
                .builds(TensorFamilies::buildConstantPad)
                .minSpec(4)
                .build();
    }

    private static Net buildConstantPad(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] pads = padAmounts(s.text("pad"));
        long[] out = new long[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] + pads[2 * i] + pads[2 * i + 1];
        }
        ConstantPaddingLayerParams.Builder p = ConstantPaddingLayerParams.newBuilder().setValue(0f);
        Net net = Net.nd().input("x", in);
        Layer probe = Layer.probe().in("x").out("y", out);
        if (s.text("amounts").equals("input")) {
            probe.in(vectorOperand(net, "input", "pads", pads));
        } else if (s.bool("toSize")) {
            p.setPadToGivenOutputSizeMode(true);
            for (int i = 0; i < in.length; i++) {
                boolean padded = pads[2 * i] + pads[2 * i + 1] > 0;
                p.addPadAmounts(0).addPadAmounts(padded ? out[i] : 0);
            }
        } else {
            for (long v : pads) {
                p.addPadAmounts(v);
            }
        }
        return net.layer(probe.with(b -> b.setConstantPad(p))).output("y");
    }
}
