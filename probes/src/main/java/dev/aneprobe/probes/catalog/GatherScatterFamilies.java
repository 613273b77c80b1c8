package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.TensorFamilies.ELEMENT_CAP;
import static dev.aneprobe.probes.catalog.TensorFamilies.WEIGHT_CAP;
import static dev.aneprobe.probes.catalog.TensorFamilies.constant;
import static dev.aneprobe.probes.catalog.TensorFamilies.count;
import static dev.aneprobe.probes.catalog.TensorFamilies.indexValues;
import static dev.aneprobe.probes.catalog.TensorFamilies.norm;
import static dev.aneprobe.probes.sweep.ProbeLimits.grouped;

import dev.aneprobe.probes.coreml.ArrayFeatureType.ArrayDataType;
import dev.aneprobe.probes.coreml.EmbeddingNDLayerParams;
import dev.aneprobe.probes.coreml.GatherAlongAxisLayerParams;
import dev.aneprobe.probes.coreml.GatherLayerParams;
import dev.aneprobe.probes.coreml.GatherNDLayerParams;
import dev.aneprobe.probes.coreml.ScatterAlongAxisLayerParams;
import dev.aneprobe.probes.coreml.ScatterLayerParams;
import dev.aneprobe.probes.coreml.ScatterMode;
import dev.aneprobe.probes.coreml.ScatterNDLayerParams;
import dev.aneprobe.probes.model.Feature;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;

/**
 * Gather, scatter and embedding lookups: the seed table says gather is not on the ANE. Every family sweeps the axis it
 * indexes, the number of indices and the data size, and takes its indices either as a model input (INT32, the
 * run-time case) or as a constant ({@code aux_indices}, which a compiler could fold), so the two can be told apart.
 * Embedding-style gathers (a vocab × dim table) are compared with embeddingND, the layer made for the job.
 */
final class GatherScatterFamilies {
    private GatherScatterFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(gather(), gatherEmbedding(), embeddingND(), gatherND(), gatherAlongAxis(),
                scatter(), scatterND(), scatterAlongAxis());
    }

    /** Where the indices come from: a model input or a constant layer. */
    private static Axis indicesAxis() {
        return Axis.choice("indices", "input", "constant").allChoices(Profile.STANDARD);
    }

    /** The axis the layer indexes, on a rank-4 [1, C, H, W] input: channels by default. */
    private static Axis indexedAxis() {
        return Axis.dimension("axis", 1).range(-4, 3).standard("0", "2", "3", "-1").full("-2", "-3", "-4");
    }

    /** How many indices (gathered or scattered slices). */
    private static Axis countAxis() {
        return Axis.integer("count", 16).standard("1", "4", "64", "256").full("2", "8", "32", "128", "1024");
    }

    private static Axis modeAxis() {
        return Axis.choice("mode", "update", "add", "sub", "mul", "div", "max", "min").allChoices(Profile.STANDARD);
    }

    private static ScatterMode scatterMode(ProbeSpec s) {
        return ScatterMode.valueOf("SCATTER_" + s.text("mode").toUpperCase());
    }

    private static boolean axisFits(ProbeSpec s) {
        int r = s.shape("in").length;
        int a = s.integer("axis");
        return a >= -r && a < r;
    }

    /**
     * Adds the indices operand: model input {@code inputName} (INT32) or {@code aux_indices}, a loadConstantND
     * holding the same values. Returns the blob name.
     */
    private static String indices(Net net, ProbeSpec s, String inputName, long[] dims, float[] values) {
        if (s.text("indices").equals("input")) {
            net.input(Feature.of(inputName, ArrayDataType.INT32, dims));
            return inputName;
        }
        net.layer(constant("indices", dims, values, false));
        return "aux_indices";
    }

    /** Index values for a [count, depth] multi-index tensor: column j stays inside dimension j of {@code in}. */
    private static float[] multiIndexValues(Weights w, long[] in, int count, int depth) {
        float[] out = new float[count * depth];
        for (int j = 0; j < depth; j++) {
            float[] column = indexValues(w, count, in[j]);
            for (int i = 0; i < count; i++) {
                out[i * depth + j] = column[i];
            }
        }
        return out;
    }

    /** {@code in} with dimension {@code axis} replaced by {@code size}. */
    private static long[] replaced(long[] in, int axis, long size) {
        long[] out = in.clone();
        out[axis] = size;
        return out;
    }

    // ---- gather --------------------------------------------------------------------------------------------

    static ProbeFamily gather() {
        return ProbeFamily.named("gather")
                .layers("gather")
                .summary("gather slices of x along an axis at 1-D indices (numpy.take): axis, index count, indices "
                        + "as input or constant")
                .axis(indexedAxis())
                .axis(countAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "indices", "axis")
                .admissible("the axis is within the input's rank", GatherScatterFamilies::axisFits)
                .builds(GatherScatterFamilies::buildGather)
                .minSpec(4)
                .build();
    }

    private static Net buildGather(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = norm(s.integer("axis"), in.length);
        int n = s.integer("count");
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", new long[] {n}, indexValues(new Weights(s.seed()), n, in[a]));
        long[] out = replaced(in, a, n); // data[:axis] + [count] + data[axis+1:]
        return net.layer(Layer.probe().in("x", idx).out("y", out)
                        .with(b -> b.setGather(GatherLayerParams.newBuilder().setAxis(s.integer("axis")))))
                .output("y");
    }

    // ---- embedding-style gather and embeddingND -------------------------------------------------------------

    /** The vocabulary size of an embedding table. */
    private static Axis vocabAxis() {
        return Axis.integer("vocab", 4096).standard("256", "16384").full("1024", "8192", "32000");
    }

    /** The embedding width. */
    private static Axis dimAxis() {
        return Axis.integer("dim", 256).standard("64", "1024").full("128", "512", "768");
    }

    private static Axis precisionAxis() {
        return Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD);
    }

    private static boolean tableFits(ProbeSpec s) {
        return (long) s.integer("vocab") * s.integer("dim") <= WEIGHT_CAP;
    }

    static ProbeFamily gatherEmbedding() {
        return ProbeFamily.named("gatherEmbedding")
                .layers("gather")
                .summary("gather used as an embedding lookup: token ids (INT32 input) into a vocab × dim table, "
                        + "constant or input; compare with embeddingND")
                .axis(vocabAxis())
                .axis(dimAxis())
                .axis(Axis.choice("table", "constant", "input").allChoices(Profile.STANDARD))
                .axis(precisionAxis())
                // Token-id shape [1, tokens]: a 512-token sequence; 4 tokens; at and past the 16384 width limit.
                .axis(Axis.shape("in", "1x512").standard("1x4", "1x16384", "1x16448").full("1x1", "1x77", "1x2048"))
                .grid(Profile.FULL, "vocab", "dim")
                .admissible("vocab x dim is at most " + grouped(TensorFamilies.WEIGHT_CAP) + " table values",
                        GatherScatterFamilies::tableFits)
                // fp16 only describes a constant table.
                .admissible("fp16 applies only to a constant table",
                        s -> s.text("table").equals("constant") || s.text("weights").equals("fp32"))
                .builds(GatherScatterFamilies::buildGatherEmbedding)
                .minSpec(4)
                .build();
    }

    private static Net buildGatherEmbedding(ProbeSpec s) {
        long[] ids = s.shape("in");
        long vocab = s.integer("vocab");
        long dim = s.integer("dim");
        Net net = Net.nd().input(Feature.of("x", ArrayDataType.INT32, ids));
        String table;
        if (s.text("table").equals("input")) {
            net.input("x2", vocab, dim);
            table = "x2";
        } else {
            Weights w = new Weights(s.seed());
            net.layer(constant("table", new long[] {vocab, dim}, w.floats(vocab * dim, 1.0),
                    s.text("weights").equals("fp16")));
            table = "aux_table";
        }
        long[] out = new long[ids.length + 1];
        System.arraycopy(ids, 0, out, 0, ids.length);
        out[ids.length] = dim;
        return net.layer(Layer.probe().in(table, "x").out("y", out)
                        .with(b -> b.setGather(GatherLayerParams.newBuilder().setAxis(0))))
                .output("y");
    }

    static ProbeFamily embeddingND() {
        return ProbeFamily.named("embeddingND")
                .layers("embeddingND")
                .summary("embedding lookup of token ids (INT32 input, last dimension 1): vocab, width, bias, fp16")
                .axis(vocabAxis())
                .axis(dimAxis())
                .axis(Axis.bool("bias", false).standard("true"))
                .axis(precisionAxis())
                // Token-id shape [1, tokens, 1], the same token counts as gatherEmbedding.
                .axis(Axis.shape("in", "1x512x1").standard("1x4x1", "1x16384x1", "1x16448x1")
                        .full("1x1x1", "1x77x1", "1x2048x1", "512x1", "1x1x512x1"))
                .grid(Profile.FULL, "vocab", "dim")
                .admissible("vocab x dim is at most " + grouped(TensorFamilies.WEIGHT_CAP) + " table values",
                        GatherScatterFamilies::tableFits)
                .builds(GatherScatterFamilies::buildEmbeddingND)
                .minSpec(4)
                .build();
    }

    private static Net buildEmbeddingND(ProbeSpec s) {
        long[] ids = s.shape("in");
        long vocab = s.integer("vocab");
        long dim = s.integer("dim");
        boolean fp16 = s.text("weights").equals("fp16");
        Weights w = new Weights(s.seed());
        EmbeddingNDLayerParams.Builder p = EmbeddingNDLayerParams.newBuilder()
                .setVocabSize(vocab).setEmbeddingSize(dim)
                .setWeights(Weights.of(w.floats(vocab * dim, 1.0), fp16)); // [embeddingSize, vocabSize]
        if (s.bool("bias")) {
            p.setHasBias(true).setBias(Weights.of(w.floats(dim, 0.1), fp16));
        }
        long[] out = ids.clone();
        out[out.length - 1] = dim;
        return Net.nd().input(Feature.of("x", ArrayDataType.INT32, ids))
                .layer(Layer.probe().in("x").out("y", out).with(b -> b.setEmbeddingND(p)))
                .output("y");
    }

    // ---- gatherND ------------------------------------------------------------------------------------------

    /** How many leading dimensions one multi-index addresses (the last dimension of the indices). */
    private static Axis depthAxis() {
        return Axis.integer("depth", 2).standard("1", "3", "4");
    }

    private static boolean depthFits(ProbeSpec s) {
        return s.integer("depth") <= s.shape("in").length;
    }

    static ProbeFamily gatherND() {
        return ProbeFamily.named("gatherND")
                .layers("gatherND")
                .summary("gather slices of x at [count, depth] multi-indices: depth, index count, indices as input "
                        + "or constant")
                .axis(depthAxis())
                .axis(countAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "depth", "count")
                .grid(Profile.FULL, "indices", "depth")
                .admissible("depth is at most the input's rank", GatherScatterFamilies::depthFits)
                .builds(GatherScatterFamilies::buildGatherND)
                .minSpec(4)
                .build();
    }

    /** The shape of a [count, depth] gather or scatter result slice: [count] + in[depth:]. */
    private static long[] sliceShape(long[] in, int count, int depth) {
        long[] out = new long[1 + in.length - depth];
        out[0] = count;
        System.arraycopy(in, depth, out, 1, in.length - depth);
        return out;
    }

    private static Net buildGatherND(ProbeSpec s) {
        long[] in = s.shape("in");
        int n = s.integer("count");
        int depth = s.integer("depth");
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", new long[] {n, depth},
                multiIndexValues(new Weights(s.seed()), in, n, depth));
        return net.layer(Layer.probe().in("x", idx).out("y", sliceShape(in, n, depth))
                        .with(b -> b.setGatherND(GatherNDLayerParams.getDefaultInstance())))
                .output("y");
    }

    // ---- gatherAlongAxis -----------------------------------------------------------------------------------

    /** Along-axis indices are as large as the output: keep constants and inputs to a sane size. */
    private static boolean alongAxisFits(ProbeSpec s) {
        if (!axisFits(s)) {
            return false;
        }
        long[] in = s.shape("in");
        long n = count(replaced(in, norm(s.integer("axis"), in.length), s.integer("count")));
        return n <= (s.text("indices").equals("constant") ? WEIGHT_CAP : ELEMENT_CAP);
    }

    static ProbeFamily gatherAlongAxis() {
        return ProbeFamily.named("gatherAlongAxis")
                .layers("gatherAlongAxis")
                .summary("gather along an axis with full-rank indices (numpy.take_along_axis): axis, count, indices "
                        + "as input or constant")
                .axis(indexedAxis())
                .axis(countAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "indices", "axis")
                .admissible("the axis is within the input's rank, and the indices have at most "
                        + grouped(TensorFamilies.WEIGHT_CAP) + " elements as a constant ("
                        + grouped(TensorFamilies.ELEMENT_CAP) + " as an input)",
                        GatherScatterFamilies::alongAxisFits)
                .builds(GatherScatterFamilies::buildGatherAlongAxis)
                .minSpec(4)
                .build();
    }

    private static Net buildGatherAlongAxis(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = norm(s.integer("axis"), in.length);
        long[] idxShape = replaced(in, a, s.integer("count")); // the output has the indices' shape
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", idxShape, indexValues(new Weights(s.seed()), count(idxShape), in[a]));
        return net.layer(Layer.probe().in("x", idx).out("y", idxShape)
                        .with(b -> b.setGatherAlongAxis(GatherAlongAxisLayerParams.newBuilder()
                                .setAxis(s.integer("axis")))))
                .output("y");
    }

    // ---- scatter family: container x, indices, updates (a model input) ------------------------------------

    /**
     * Scatter probes: x is the container, the updates are always a model input (the data that changes per
     * call); the indices are the second input (x2) or a constant. Inputs are named in order: x2 then x3.
     */
    private static String updates(Net net, String indicesBlob, long[] dims) {
        String name = indicesBlob.equals("x2") ? "x3" : "x2";
        net.input(name, dims);
        return name;
    }

    static ProbeFamily scatter() {
        return ProbeFamily.named("scatter")
                .layers("scatter")
                .summary("scatter update slices into x along an axis at 1-D indices: axis, count, mode, indices as "
                        + "input or constant")
                .axis(indexedAxis())
                .axis(countAxis())
                .axis(modeAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "indices", "axis")
                .admissible("the axis is within the input's rank", GatherScatterFamilies::axisFits)
                .admissible("the updates have at most " + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        s -> count(s.shape("in")) / s.shape("in")[norm(s.integer("axis"), s.shape("in").length)]
                        * s.integer("count") <= ELEMENT_CAP)
                .builds(GatherScatterFamilies::buildScatter)
                .minSpec(4)
                .build();
    }

    private static Net buildScatter(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = norm(s.integer("axis"), in.length);
        int n = s.integer("count");
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", new long[] {n}, indexValues(new Weights(s.seed()), n, in[a]));
        String upd = updates(net, idx, replaced(in, a, n)); // container shape with count slices on the axis
        return net.layer(Layer.probe().in("x", idx, upd).out("y", in)
                        .with(b -> b.setScatter(ScatterLayerParams.newBuilder()
                                .setAxis(s.integer("axis")).setMode(scatterMode(s)))))
                .output("y");
    }

    static ProbeFamily scatterND() {
        return ProbeFamily.named("scatterND")
                .layers("scatterND")
                .summary("scatter update slices into x at [count, depth] multi-indices: depth, count, mode, indices "
                        + "as input or constant")
                .axis(depthAxis())
                .axis(countAxis())
                .axis(modeAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "depth", "count")
                .grid(Profile.FULL, "indices", "depth")
                .admissible("depth is at most the input's rank", GatherScatterFamilies::depthFits)
                .admissible("the updates have at most " + grouped(TensorFamilies.ELEMENT_CAP) + " elements",
                        s -> count(sliceShape(s.shape("in"), s.integer("count"), s.integer("depth")))
                        <= ELEMENT_CAP)
                .builds(GatherScatterFamilies::buildScatterND)
                .minSpec(4)
                .build();
    }

    private static Net buildScatterND(ProbeSpec s) {
        long[] in = s.shape("in");
        int n = s.integer("count");
        int depth = s.integer("depth");
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", new long[] {n, depth},
                multiIndexValues(new Weights(s.seed()), in, n, depth));
        String upd = updates(net, idx, sliceShape(in, n, depth));
        return net.layer(Layer.probe().in("x", idx, upd).out("y", in)
                        .with(b -> b.setScatterND(ScatterNDLayerParams.newBuilder().setMode(scatterMode(s)))))
                .output("y");
    }

    static ProbeFamily scatterAlongAxis() {
        return ProbeFamily.named("scatterAlongAxis")
                .layers("scatterAlongAxis")
                .summary("scatter along an axis with full-rank indices (numpy.put_along_axis): axis, count, mode, "
                        + "indices as input or constant")
                .axis(indexedAxis())
                .axis(countAxis())
                .axis(modeAxis())
                .axis(indicesAxis())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "indices", "axis")
                .admissible("the axis is within the input's rank, and the indices have at most "
                        + grouped(TensorFamilies.WEIGHT_CAP) + " elements as a constant ("
                        + grouped(TensorFamilies.ELEMENT_CAP) + " as an input)",
                        GatherScatterFamilies::alongAxisFits)
                .builds(GatherScatterFamilies::buildScatterAlongAxis)
                .minSpec(4)
                .build();
    }

    private static Net buildScatterAlongAxis(ProbeSpec s) {
        long[] in = s.shape("in");
        int a = norm(s.integer("axis"), in.length);
        long[] idxShape = replaced(in, a, s.integer("count")); // indices and updates share this shape
        Net net = Net.nd().input("x", in);
        String idx = indices(net, s, "x2", idxShape, indexValues(new Weights(s.seed()), count(idxShape), in[a]));
        String upd = updates(net, idx, idxShape);
        return net.layer(Layer.probe().in("x", idx, upd).out("y", in)
                        .with(b -> b.setScatterAlongAxis(ScatterAlongAxisLayerParams.newBuilder()
                                .setAxis(s.integer("axis")).setMode(scatterMode(s)))))
                .output("y");
    }
}
