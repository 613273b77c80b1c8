package dev.aneprobe.probes.catalog;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.coreml.AddBroadcastableLayerParams;
import dev.aneprobe.probes.coreml.CategoricalDistributionLayerParams;
import dev.aneprobe.probes.coreml.FillLikeLayerParams;
import dev.aneprobe.probes.coreml.GetShapeLayerParams;
import dev.aneprobe.probes.coreml.LayerNormalizationLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantNDLayerParams;
import dev.aneprobe.probes.coreml.LowerTriangularLayerParams;
import dev.aneprobe.probes.coreml.MatrixBandPartLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NonMaximumSuppressionLayerParams;
import dev.aneprobe.probes.coreml.UpperTriangularLayerParams;
import dev.aneprobe.probes.coreml.WhereNonZeroLayerParams;
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
 * The specification-4 ND layers that are neither elementwise nor shape plumbing: random generators, categorical
 * sampling, the ND reductions, band / triangular masks, whereNonZero, layer normalization and non-maximum
 * suppression. None has a seed rule, so quick holds only each family's baseline; the specification-5 additions are
 * declared in {@link Spec5Families} and registered through {@link #all()}.
 */
final class MiscNdFamilies {
    /** Fixed seed of every random* and categoricalDistribution probe, so a probe's output never changes. */
    static final long RANDOM_SEED = 42;

    private MiscNdFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> out = new ArrayList<>(List.of(random(), categoricalDistribution(), reduceNd(),
                whereNonZero(), bandPart(), layerNormalization(), nonMaximumSuppression()));
        out.addAll(Spec5Families.all());
        return out;
    }

    // ---- random generators ---------------------------------------------------------------------------------

    static ProbeFamily random() {
        return ProbeFamily.named("random")
                .layers("randomNormalLike", "randomNormalStatic", "randomNormalDynamic",
                        "randomUniformLike", "randomUniformStatic", "randomUniformDynamic",
                        "randomBernoulliLike", "randomBernoulliStatic", "randomBernoulliDynamic")
                .minSpec(4)
                .summary("random normal / uniform / Bernoulli generators, shaped like x, by a static shape, or by a "
                        + "shape tensor")
                // Like reads x's shape, Static has no input (an aux add consumes x), Dynamic reads a shape tensor
                // (an aux getShape of x): the three flavours may be placed differently.
                .axis(Axis.choice("layer", "randomNormalLike", "randomNormalStatic", "randomNormalDynamic",
                        "randomUniformLike", "randomUniformStatic", "randomUniformDynamic",
                        "randomBernoulliLike", "randomBernoulliStatic", "randomBernoulliDynamic")
                        .allChoices(Profile.STANDARD))
                .axis(Sizes.nchw().full("1x4096", "64x56x56", "1x2x64x56x56"))
                .grid(Profile.FULL, "layer", "in")
                .builds(MiscNdFamilies::buildRandom)
                .build();
    }

    private static Net buildRandom(ProbeSpec s) {
        String type = s.text("layer");
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in);
        if (type.endsWith("Like")) {
            return net.layer(Layer.probe().in("x").out("y", in).with(b -> random(b, type, in)))
                    .output("y");
        }
        if (type.endsWith("Static")) {
            return net.layer(Layer.probe().out("random", in).with(b -> random(b, type, in)))
                    .layer(Layer.aux("add").in("random", "x").out("y", in)
                            .with(b -> b.setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance())))
                    .output("y");
        }
        // Dynamic: the output shape is read at run time from a rank-1 tensor, here x's own shape.
        return net.layer(Layer.aux("shape").in("x").out("shape", in.length)
                        .with(b -> b.setGetShape(GetShapeLayerParams.getDefaultInstance())))
                .layer(Layer.probe().in("shape").out("y", in).with(b -> random(b, type, in)))
                .output("y");
    }

    /**
     * Sets one of the nine random* params messages. They share seed (and outputShape for the static ones) and differ
     * only in their distribution's fields, so they are filled by field name.
     */
    private static void random(NeuralNetworkLayer.Builder b, String type, long[] shape) {
        FieldDescriptor field = NeuralNetworkLayer.getDescriptor().findFieldByName(type);
        Descriptor d = field.getMessageType();
        Message.Builder p = b.newBuilderForField(field);
        p.setField(d.findFieldByName("seed"), RANDOM_SEED);
        if (type.startsWith("randomNormal")) {
            p.setField(d.findFieldByName("mean"), 0f);
            p.setField(d.findFieldByName("stdDev"), 1f);
        } else if (type.startsWith("randomUniform")) {
            p.setField(d.findFieldByName("minVal"), -1f);
            p.setField(d.findFieldByName("maxVal"), 1f);
        } else {
            p.setField(d.findFieldByName("prob"), 0.5f);
        }
        if (type.endsWith("Static")) {
            for (long dim : shape) {
                p.addRepeatedField(d.findFieldByName("outputShape"), dim);
            }
        }
        b.setField(field, p.build());
    }

    // ---- categorical sampling ------------------------------------------------------------------------------

    static ProbeFamily categoricalDistribution() {
        return ProbeFamily.named("categoricalDistribution")
                .layers("categoricalDistribution")
                .minSpec(4)
                .summary("sampling class indices from the last axis: samples drawn, logits or probabilities, classes")
                // The last axis holds the classes; the output replaces it with numSamples.
                .axis(Axis.integer("samples", 1).standard("2", "8", "64", "1024").full("16", "256", "4096"))
                .axis(Axis.bool("logits", true).standard("false"))
                .axis(Sizes.nchw().standard("1x1000").full("1x16384", "1x16448", "64x1000"))
                .grid(Profile.FULL, "samples", "in")
                // Keep the output (and the harness's buffers) below 64M elements.
                .admissible("the samples (outer size x samples) have at most 67,108,864 elements",
                        s -> outerSize(s.shape("in")) * s.integer("samples") <= (1L << 26))
                .builds(MiscNdFamilies::buildCategorical)
                .build();
    }

    private static Net buildCategorical(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] out = in.clone();
        out[out.length - 1] = s.integer("samples");
        // eps and temperature have no proto3 default worth keeping (temperature 0 would divide by zero).
        CategoricalDistributionLayerParams p = CategoricalDistributionLayerParams.newBuilder()
                .setSeed(RANDOM_SEED).setNumSamples(s.integer("samples")).setIsLogits(s.bool("logits"))
                .setEps(1e-10f).setTemperature(1f).build();
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", out).with(b -> b.setCategoricalDistribution(p)))
                .output("y");
    }

    /** Elements of a shape outside its last axis. */
    private static long outerSize(long[] shape) {
        return numel(shape) / shape[shape.length - 1];
    }

    // ---- reductions ----------------------------------------------------------------------------------------

    static final List<String> REDUCE_TYPES = List.of("reduceSum", "reduceMean", "reduceMax", "reduceMin",
            "reduceProd", "reduceL1", "reduceL2", "reduceSumSquare", "reduceLogSum", "reduceLogSumExp");

    static ProbeFamily reduceNd() {
        return ProbeFamily.named("reduceND")
                .layers(REDUCE_TYPES.toArray(new String[0]))
                .minSpec(4)
                .summary("the ten ND reductions over the last, last two, channel, all axes; kept or squeezed dims")
                .axis(Axis.choice("layer", REDUCE_TYPES.toArray(new String[0])).allChoices(Profile.STANDARD))
                // Which axes are reduced decides the layout the ANE must reduce along (width is the unpacked,
                // 64-byte-aligned axis); "all" is the reduceAll flag, "0,1,2,3" the same reduction spelt out.
                .axis(Axis.choice("axes", "-1", "-2,-1", "1", "all", "-2", "-3,-2,-1", "0,1,2,3")
                        .allChoices(Profile.STANDARD))
                // Squeezing changes the output rank, which the ANE may handle differently from a kept rank.
                .axis(Axis.bool("keepDims", true).standard("false"))
                .axis(Sizes.nchw().full("1x16384", "128x768", "64x56x56"))
                .grid(Profile.FULL, "layer", "axes")
                .grid(Profile.FULL, "layer", "in")
                .grid(Profile.FULL, "axes", "keepDims")
                .admissible("the reduced axes are within the input's rank and leave at least one dimension",
                        MiscNdFamilies::reduceFits)
                .builds(MiscNdFamilies::buildReduce)
                .build();
    }

    /** The reduced axes, normalised to [0, rank); null when one is out of range. */
    private static boolean[] reducedAxes(ProbeSpec s, int rank) {
        boolean[] reduced = new boolean[rank];
        String axes = s.text("axes");
        if (axes.equals("all")) {
            Arrays.fill(reduced, true);
            return reduced;
        }
        for (String a : axes.split(",")) {
            int axis = Integer.parseInt(a);
            if (axis < -rank || axis >= rank) {
                return null;
            }
            reduced[axis < 0 ? axis + rank : axis] = true;
        }
        return reduced;
    }

    private static boolean reduceFits(ProbeSpec s) {
        int rank = s.shape("in").length;
        boolean[] reduced = reducedAxes(s, rank);
        if (reduced == null) {
            return false;
        }
        if (s.bool("keepDims")) {
            return true;
        }
        // Squeezing every axis would leave a rank-0 tensor, which NeuralNetwork blobs cannot be.
        for (boolean r : reduced) {
            if (!r) {
                return true;
            }
        }
        return false;
    }

    private static Net buildReduce(ProbeSpec s) {
        String type = s.text("layer");
        long[] in = s.shape("in");
        boolean[] reduced = reducedAxes(s, in.length);
        boolean keep = s.bool("keepDims");
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            if (!reduced[i]) {
                out.add(in[i]);
            } else if (keep) {
                out.add(1L);
            }
        }
        boolean all = s.text("axes").equals("all");
        List<Long> axes = new ArrayList<>();
        if (!all) {
            for (String a : s.text("axes").split(",")) {
                axes.add(Long.parseLong(a));
            }
        }
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", toArray(out)).with(b -> {
                    // The ten reduce* params messages are identical (axes, keepDims, reduceAll): fill by name.
                    FieldDescriptor field = NeuralNetworkLayer.getDescriptor().findFieldByName(type);
                    Descriptor d = field.getMessageType();
                    Message.Builder p = b.newBuilderForField(field);
                    for (long a : axes) {
                        p.addRepeatedField(d.findFieldByName("axes"), a);
                    }
                    p.setField(d.findFieldByName("keepDims"), keep);
                    p.setField(d.findFieldByName("reduceAll"), all);
                    b.setField(field, p.build());
                }))
                .output("y");
    }

    // ---- whereNonZero --------------------------------------------------------------------------------------

    static ProbeFamily whereNonZero() {
        return ProbeFamily.named("whereNonZero")
                .layers("whereNonZero")
                .minSpec(4)
                .summary("coordinates of the non-zero elements: a data-dependent output shape")
                .axis(Sizes.nchw().standard("1x1x512x512").full("1x4096", "64x56x56"))
                .builds(MiscNdFamilies::buildWhereNonZero)
                .build();
    }

    private static Net buildWhereNonZero(ProbeSpec s) {
        long[] in = s.shape("in");
        // The output has one row per non-zero element, so its shape depends on the data. An aux fillLike turns x
        // into ones of x's shape, which makes the row count exactly the element count whatever the harness feeds.
        return Net.nd().input("x", in)
                .layer(Layer.aux("ones").in("x").out("ones", in)
                        .with(b -> b.setFillLike(FillLikeLayerParams.newBuilder().setValue(1f))))
                .layer(Layer.probe().in("ones").out("y", numel(in), in.length)
                        .with(b -> b.setWhereNonZero(WhereNonZeroLayerParams.getDefaultInstance())))
                .output("y");
    }

    // ---- band and triangular masks -------------------------------------------------------------------------

    static ProbeFamily bandPart() {
        return ProbeFamily.named("bandPart")
                .layers("lowerTriangular", "upperTriangular", "matrixBandPart")
                .minSpec(4)
                .summary("lower / upper triangle and band masks of the last two axes (causal masks): diagonal "
                        + "offset, band widths, matrix size")
                .axis(Axis.choice("layer", "lowerTriangular", "upperTriangular", "matrixBandPart")
                        .allChoices(Profile.STANDARD))
                // Diagonal offset of lower/upperTriangular.
                .axis(Axis.integer("k", 0).range(-ProbeLimits.MAX_WHOLE, ProbeLimits.MAX_WHOLE)
                        .standard("1", "-1", "8", "-8"))
                // numLower,numUpper of matrixBandPart; a negative count keeps that whole side.
                .axis(Axis.choice("band", "-1,0", "0,-1", "0,0", "1,1", "8,8", "-1,-1").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw().standard("1x1x512x512").full("512x512", "1x128x128", "1x1x2048x2048"))
                .grid(Profile.FULL, "layer", "in")
                // k belongs to the triangular layers, band to matrixBandPart: sweep each only where it means
                // something, so no two probes build the same model. A band is probed with matrixBandPart.
                .companions("band", "layer")
                .admissible("matrixBandPart varies the band and keeps k at 0; the triangular layers vary k and keep "
                        + "the band",
                        s -> s.text("layer").equals("matrixBandPart")
                        ? s.text("k").equals("0") : s.text("band").equals("-1,0"))
                .builds(MiscNdFamilies::buildBandPart)
                .build();
    }

    private static Net buildBandPart(ProbeSpec s) {
        long[] in = s.shape("in");
        long k = s.integer("k");
        String[] band = s.text("band").split(",");
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", in).with(b -> {
                    switch (s.text("layer")) {
                        case "lowerTriangular":
                            b.setLowerTriangular(LowerTriangularLayerParams.newBuilder().setK(k));
                            break;
                        case "upperTriangular":
                            b.setUpperTriangular(UpperTriangularLayerParams.newBuilder().setK(k));
                            break;
                        default:
                            b.setMatrixBandPart(MatrixBandPartLayerParams.newBuilder()
                                    .setNumLower(Long.parseLong(band[0])).setNumUpper(Long.parseLong(band[1])));
                    }
                }))
                .output("y");
    }

    // ---- layer normalization -------------------------------------------------------------------------------

    static ProbeFamily layerNormalization() {
        return ProbeFamily.named("layerNormalization")
                .layers("layerNormalization")
                .minSpec(4)
                .summary("layer normalization over the last 1, 2 or 3 axes; transformer widths up to 2048 and "
                        + "16384")
                // How many trailing axes are normalised together (normalizedShape = those dims).
                .axis(Axis.integer("normalized", 1).standard("2", "3"))
                .axis(Sizes.nchw().standard("1x128x768", "1x128x2048", "1x16x16384")
                        .full("1x128x512", "1x128x1024", "1x128x4096", "1x128x8192", "1x16x16448"))
                .grid(Profile.FULL, "normalized", "in")
                .admissible("normalized is at most the input's rank",
                        s -> s.integer("normalized") <= s.shape("in").length)
                .builds(MiscNdFamilies::buildLayerNormalization)
                .build();
    }

    private static Net buildLayerNormalization(ProbeSpec s) {
        long[] in = s.shape("in");
        int n = s.integer("normalized");
        LayerNormalizationLayerParams.Builder p = LayerNormalizationLayerParams.newBuilder().setEps(1e-5f);
        long count = 1;
        for (int i = in.length - n; i < in.length; i++) {
            p.addNormalizedShape(in[i]);
            count *= in[i];
        }
        // Core ML accepts gamma and beta only as float32 floatValue.
        Weights weights = new Weights(s.seed());
        p.setGamma(weights.range(count, 0.5, 1.5, false)).setBeta(weights.params(count, 1, false));
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", in).with(b -> b.setLayerNormalization(p)))
                .output("y");
    }

    // ---- non-maximum suppression ---------------------------------------------------------------------------

    static ProbeFamily nonMaximumSuppression() {
        return ProbeFamily.named("nonMaximumSuppression")
                .layers("NonMaximumSuppression")
                .minSpec(4)
                .summary("batched box non-maximum suppression: boxes and classes, boxes kept, thresholds, "
                        + "per-class suppression, thresholds as inputs")
                // Scores shape [batch, boxes, classes]; boxes (x) are [batch, boxes, 4], scores are x2.
                .axis(Axis.shape("in", "1x1024x80").standard("1x16x1", "1x1917x91", "4x1024x80", "1x1024x1",
                        "1x16384x1", "1x16448x1").full("1x4096x80", "8x1917x91"))
                // Fewer kept boxes than maxBoxes are padded, so maxBoxes fixes the output shapes.
                .axis(Axis.integer("maxBoxes", 100).standard("1", "10", "300", "1000").full("16384"))
                .axis(Axis.decimal("iou", "0.5").standard("0.3", "0.7").full("0", "1"))
                .axis(Axis.decimal("score", "0.01").standard("0", "0.5").full("0.9"))
                .axis(Axis.bool("perClass", false).standard("true"))
                // "input": iouThreshold, scoreThreshold and maxBoxes arrive as the optional inputs 3 to 5 (from
                // aux constants holding the same values) instead of as parameters.
                .axis(Axis.choice("thresholds", "param", "input").allChoices(Profile.STANDARD))
                .grid(Profile.FULL, "in", "maxBoxes")
                .grid(Profile.FULL, "perClass", "in")
                .builds(MiscNdFamilies::buildNms)
                .build();
    }

    private static Net buildNms(ProbeSpec s) {
        long[] scores = s.shape("in");
        long batch = scores[0];
        long boxes = scores[1];
        long classes = scores[2];
        long maxBoxes = s.integer("maxBoxes");
        float iou = (float) s.decimal("iou");
        float score = (float) s.decimal("score");
        NonMaximumSuppressionLayerParams p = NonMaximumSuppressionLayerParams.newBuilder()
                .setIouThreshold(iou).setScoreThreshold(score).setMaxBoxes(maxBoxes)
                .setPerClassSuppression(s.bool("perClass")).build();
        Net net = Net.nd().input("x", batch, boxes, 4).input("x2", scores);
        Layer probe = Layer.probe().in("x", "x2");
        if (s.text("thresholds").equals("input")) {
            net.layer(constant("iou", iou)).layer(constant("score", score)).layer(constant("maxBoxes", maxBoxes));
            probe.in("aux_iou", "aux_score", "aux_maxBoxes");
        }
        return net.layer(probe.out("y", batch, maxBoxes, 4).out("y2", batch, maxBoxes, classes)
                        .out("y3", batch, maxBoxes).out("y4", batch)
                        .with(b -> b.setNonMaximumSuppression(p)))
                .output("y").output("y2").output("y3").output("y4");
    }

    /** An aux layer producing a rank-1, one-element constant blob named {@code aux_<what>}. */
    static Layer constant(String what, float value) {
        return Layer.aux(what).out("aux_" + what, 1).with(b -> b.setLoadConstantND(
                LoadConstantNDLayerParams.newBuilder().addShape(1).setData(Weights.constant(1, value))));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    static long[] toArray(List<Long> dims) {
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
        }
        return out;
    }
}
