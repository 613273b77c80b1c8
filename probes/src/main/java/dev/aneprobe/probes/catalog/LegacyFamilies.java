package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.sweep.ProbeLimits.grouped;

import dev.aneprobe.probes.coreml.ActivationELU;
import dev.aneprobe.probes.coreml.ActivationLeakyReLU;
import dev.aneprobe.probes.coreml.ActivationLinear;
import dev.aneprobe.probes.coreml.ActivationPReLU;
import dev.aneprobe.probes.coreml.ActivationParametricSoftplus;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.ActivationScaledTanh;
import dev.aneprobe.probes.coreml.ActivationSigmoid;
import dev.aneprobe.probes.coreml.ActivationSigmoidHard;
import dev.aneprobe.probes.coreml.ActivationSoftplus;
import dev.aneprobe.probes.coreml.ActivationSoftsign;
import dev.aneprobe.probes.coreml.ActivationTanh;
import dev.aneprobe.probes.coreml.ActivationThresholdedReLU;
import dev.aneprobe.probes.coreml.AddLayerParams;
import dev.aneprobe.probes.coreml.AverageLayerParams;
import dev.aneprobe.probes.coreml.BatchnormLayerParams;
import dev.aneprobe.probes.coreml.BiasLayerParams;
import dev.aneprobe.probes.coreml.CustomLayerParams;
import dev.aneprobe.probes.coreml.DotProductLayerParams;
import dev.aneprobe.probes.coreml.EmbeddingLayerParams;
import dev.aneprobe.probes.coreml.InnerProductLayerParams;
import dev.aneprobe.probes.coreml.L2NormalizeLayerParams;
import dev.aneprobe.probes.coreml.LRNLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantLayerParams;
import dev.aneprobe.probes.coreml.MaxLayerParams;
import dev.aneprobe.probes.coreml.MeanVarianceNormalizeLayerParams;
import dev.aneprobe.probes.coreml.MinLayerParams;
import dev.aneprobe.probes.coreml.MultiplyLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.ReduceLayerParams;
import dev.aneprobe.probes.coreml.ScaleLayerParams;
import dev.aneprobe.probes.coreml.SoftmaxLayerParams;
import dev.aneprobe.probes.coreml.UnaryFunctionLayerParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The original (specification 1–3) layer types other than pooling, convolution and upsample: activations,
 * element-wise and broadcasting arithmetic, normalization, the constant/shape/layout layers, resizing and cropping,
 * and custom layers. They run in legacy networks (rank-5 mapping, rank-1 or rank-3 inputs); a few options that only
 * exist in ND networks (PIXEL_SHUFFLE, boxes or sequences longer than one) switch the probe to the exact mapping.
 * Cropping, padding, resizing and the layout layers are in {@link LegacyShapeFamilies}, the recurrent layers in
 * {@link RecurrentFamilies}.
 *
 * <p>Legacy networks are also shape-checked by Core ML's rank-5 shape propagator, which aneprobe's validator does
 * not reimplement, so every output shape below is computed the way that propagator computes it.
 */
final class LegacyFamilies {
    /** Largest weight count of one probe (about 18 MB of float32), so every model stays under ~20 MB. */
    static final long MAX_WEIGHTS = 4_500_000;

    private LegacyFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> out = new ArrayList<>(List.of(
                activation(), unary(), binary("add"), binary("multiply"), elementwise(), scaleBias(),
                innerProduct(), embedding(), batchnorm(), normalization(), softmax(),
                dot(), reduce(), loadConstant(), custom()));
        out.addAll(LegacyShapeFamilies.all());
        out.addAll(RecurrentFamilies.all());
        return out;
    }

    // ---- shared helpers --------------------------------------------------------------------------------------

    /** A legacy network: x → probe → y. */
    static Net single(long[] in, long[] out, Consumer<NeuralNetworkLayer.Builder> params) {
        return Net.legacy().input("x", in)
                .layer(Layer.probe().in("x").out("y", out).with(params))
                .output("y");
    }

    static boolean fp16(ProbeSpec s) {
        return s.text("weights").equals("fp16");
    }

    static Axis weightsAxis() {
        return Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD);
    }

    static long product(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** The shape of a second operand given as a pattern over x's [C, H, W]. */
    private static long[] operandShape(String pattern, long[] in) {
        switch (pattern) {
            case "Cx1x1":
                return new long[] {in[0], 1, 1};
            case "1xHxW":
                return new long[] {1, in[1], in[2]};
            case "1x1x1":
                return new long[] {1, 1, 1};
            default:
                return in.clone();
        }
    }

    private static Layer constant(String what, String blob, long[] shape, Weights w, boolean fp16) {
        LoadConstantLayerParams.Builder p = LoadConstantLayerParams.newBuilder()
                .addShape(shape[0]).addShape(shape[1]).addShape(shape[2])
                .setData(w.params(product(shape), 1, fp16));
        return Layer.aux(what).out(blob, shape).with(b -> b.setLoadConstant(p));
    }

    // ---- activation ------------------------------------------------------------------------------------------

    private static final Set<String> ALPHA_KINDS =
            Set.of("linear", "leakyReLU", "thresholdedReLU", "scaledTanh", "sigmoidHard", "ELU");
    private static final Set<String> BETA_KINDS = Set.of("linear", "scaledTanh", "sigmoidHard");
    private static final Set<String> PER_CHANNEL_KINDS = Set.of("PReLU", "parametricSoftplus");

    static ProbeFamily activation() {
        return ProbeFamily.named("activation")
                .layers("activation")
                .summary("the 13 activation kinds, with their alpha / beta, per-channel parameters and fp16 weights")
                .axis(Axis.choice("kind", "ReLU", "linear", "leakyReLU", "thresholdedReLU", "PReLU", "tanh",
                        "scaledTanh", "sigmoid", "sigmoidHard", "ELU", "softsign", "softplus", "parametricSoftplus")
                        .allChoices(Profile.STANDARD))
                // Scalar parameters only apply to the kinds that have them (see admissible).
                .axis(Axis.decimal("alpha", "0.1").standard("0", "0.5", "1", "2").full("-1", "0.01", "6"))
                .axis(Axis.decimal("beta", "0.5").standard("0", "1", "2").full("-1", "6"))
                // PReLU / parametric softplus: one value shared by all channels, or one per channel.
                .axis(Axis.bool("shared", false).standard("true"))
                .axis(weightsAxis())
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "kind", "alpha")
                .grid(Profile.STANDARD, "kind", "beta")
                .grid(Profile.STANDARD, "kind", "shared")
                .grid(Profile.STANDARD, "kind", "weights")
                .grid(Profile.FULL, "kind", "in")
                .admissible("alpha and beta vary only for the activation kinds that use them, and shared or fp16 "
                        + "parameters only for per-channel kinds",
                        s -> {
                    String k = s.text("kind");
                    return (s.text("alpha").equals("0.1") || ALPHA_KINDS.contains(k))
                            && (s.text("beta").equals("0.5") || BETA_KINDS.contains(k))
                            && ((!s.bool("shared") && !fp16(s)) || PER_CHANNEL_KINDS.contains(k));
                })
                .builds(LegacyFamilies::buildActivation)
                .build();
    }

    private static Net buildActivation(ProbeSpec s) {
        long[] in = s.shape("in");
        float alpha = (float) s.decimal("alpha");
        float beta = (float) s.decimal("beta");
        long perChannel = s.bool("shared") ? 1 : in[0];
        Weights w = new Weights(s.seed());
        ActivationParams.Builder a = ActivationParams.newBuilder();
        switch (s.text("kind")) {
            case "linear":
                a.setLinear(ActivationLinear.newBuilder().setAlpha(alpha).setBeta(beta));
                break;
            case "leakyReLU":
                a.setLeakyReLU(ActivationLeakyReLU.newBuilder().setAlpha(alpha));
                break;
            case "thresholdedReLU":
                a.setThresholdedReLU(ActivationThresholdedReLU.newBuilder().setAlpha(alpha));
                break;
            case "PReLU":
                a.setPReLU(ActivationPReLU.newBuilder().setAlpha(w.range(perChannel, 0.05, 0.3, fp16(s))));
                break;
            case "tanh":
                a.setTanh(ActivationTanh.getDefaultInstance());
                break;
            case "scaledTanh":
                a.setScaledTanh(ActivationScaledTanh.newBuilder().setAlpha(alpha).setBeta(beta));
                break;
            case "sigmoid":
                a.setSigmoid(ActivationSigmoid.getDefaultInstance());
                break;
            case "sigmoidHard":
                a.setSigmoidHard(ActivationSigmoidHard.newBuilder().setAlpha(alpha).setBeta(beta));
                break;
            case "ELU":
                a.setELU(ActivationELU.newBuilder().setAlpha(alpha));
                break;
            case "softsign":
                a.setSoftsign(ActivationSoftsign.getDefaultInstance());
                break;
            case "softplus":
                a.setSoftplus(ActivationSoftplus.getDefaultInstance());
                break;
            case "parametricSoftplus":
                a.setParametricSoftplus(ActivationParametricSoftplus.newBuilder()
                        .setAlpha(w.range(perChannel, 0.5, 1.5, fp16(s)))
                        .setBeta(w.range(perChannel, 0.5, 1.5, fp16(s))));
                break;
            default:
                a.setReLU(ActivationReLU.getDefaultInstance());
        }
        return single(in, in, b -> b.setActivation(a));
    }

    // ---- unary -----------------------------------------------------------------------------------------------

    static ProbeFamily unary() {
        return ProbeFamily.named("unary")
                .layers("unary")
                .summary("legacy unary functions (sqrt, rsqrt, inverse, power, exp, log, abs, threshold), "
                        + "with and without the scale/shift pre-transform")
                .axis(Axis.choice("op", "sqrt", "rsqrt", "inverse", "power", "exp", "log", "abs", "threshold")
                        .allChoices(Profile.STANDARD))
                // The exponent of power / the floor of threshold; ignored by the other functions.
                .axis(Axis.decimal("alpha", "2").standard("0.5", "3", "-1").full("0", "1", "10"))
                // scale * x + shift before the function: does a non-identity pre-transform change placement?
                .axis(Axis.bool("affine", false).standard("true"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "op", "alpha")
                .grid(Profile.STANDARD, "op", "affine")
                .grid(Profile.FULL, "op", "in")
                .admissible("alpha varies only for power and threshold", s -> s.text("alpha").equals("2")
                        || s.text("op").equals("power") || s.text("op").equals("threshold"))
                .builds(s -> {
                    long[] in = s.shape("in");
                    UnaryFunctionLayerParams.Builder p = UnaryFunctionLayerParams.newBuilder()
                            .setType(UnaryFunctionLayerParams.Operation.valueOf(s.text("op").toUpperCase()))
                            .setAlpha((float) s.decimal("alpha"))
                            .setEpsilon(1e-6f)
                            .setScale(s.bool("affine") ? 0.5f : 1f)
                            .setShift(s.bool("affine") ? 1f : 0f);
                    return single(in, in, b -> b.setUnary(p));
                })
                .build();
    }

    // ---- add / multiply --------------------------------------------------------------------------------------

    /**
     * add or multiply. Seed rule: broadcasting a CxHxW tensor with a Cx1x1 one is not on the ANE; a field
     * observation says only when the second operand is a model input, not a constant. So the second operand's
     * shape pattern ({@code b}) is crossed with where it comes from ({@code operand}).
     */
    static ProbeFamily binary(String type) {
        return ProbeFamily.named(type)
                .layers(type)
                .summary("legacy " + type + ": second operand shape (broadcasting) × input / constant / alpha")
                .axis(Axis.choice("b", "CxHxW", "Cx1x1", "1xHxW", "1x1x1").quick("Cx1x1")
                        .allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant", "alpha").quick("constant")
                        .allChoices(Profile.STANDARD))
                // More than two operands, all model inputs shaped like x.
                .axis(Axis.integer("inputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4").full("8"))
                .axis(Sizes.chw())
                .grid(Profile.QUICK, "b", "operand")
                .grid(Profile.FULL, "b", "operand", "in")
                .admissible("operand alpha takes two inputs of the same shape; a constant operand takes two inputs; "
                        + "more than two inputs share the input's shape",
                        s -> {
                    boolean sameShape = s.text("b").equals("CxHxW");
                    boolean two = s.integer("inputs") == 2;
                    switch (s.text("operand")) {
                        case "alpha":
                            return sameShape && two; // alpha is a scalar on a single input
                        case "constant":
                            return two;
                        default:
                            return two || sameShape;
                    }
                })
                .builds(s -> buildBinary(s, type))
                .build();
    }

    private static Net buildBinary(ProbeSpec s, String type) {
        long[] in = s.shape("in");
        long[] second = operandShape(s.text("b"), in);
        Net net = Net.legacy().input("x", in);
        Layer probe = Layer.probe().in("x");
        switch (s.text("operand")) {
            case "constant":
                net.layer(constant("constant", "c", second, new Weights(s.seed()), false));
                probe.in("c");
                break;
            case "input":
                net.input("x2", second);
                probe.in("x2");
                for (int i = 3; i <= s.integer("inputs"); i++) {
                    net.input("x" + i, in);
                    probe.in("x" + i);
                }
                break;
            default:
                break; // alpha: one input
        }
        probe.out("y", in);
        if (type.equals("add")) {
            AddLayerParams p = AddLayerParams.newBuilder().setAlpha(0.5f).build();
            probe.with(b -> b.setAdd(p));
        } else {
            MultiplyLayerParams p = MultiplyLayerParams.newBuilder().setAlpha(1.5f).build();
            probe.with(b -> b.setMultiply(p));
        }
        return net.layer(probe).output("y");
    }

    // ---- average / max / min ---------------------------------------------------------------------------------

    static ProbeFamily elementwise() {
        return ProbeFamily.named("elementwise")
                .layers("average", "max", "min")
                .summary("legacy multi-input average / max / min: number of inputs, broadcast shape of the second")
                .axis(Axis.choice("layer", "max", "min", "average").allChoices(Profile.STANDARD))
                .axis(Axis.choice("b", "CxHxW", "Cx1x1", "1xHxW", "1x1x1").allChoices(Profile.STANDARD))
                .axis(Axis.integer("inputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4").full("8"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "layer", "b")
                .grid(Profile.FULL, "layer", "inputs")
                .grid(Profile.FULL, "layer", "in")
                .admissible("more than two inputs share the input's shape (b stays CxHxW)",
                        s -> s.integer("inputs") == 2 || s.text("b").equals("CxHxW"))
                .builds(s -> {
                    long[] in = s.shape("in");
                    Net net = Net.legacy().input("x", in).input("x2", operandShape(s.text("b"), in));
                    Layer probe = Layer.probe().in("x", "x2");
                    for (int i = 3; i <= s.integer("inputs"); i++) {
                        net.input("x" + i, in);
                        probe.in("x" + i);
                    }
                    switch (s.text("layer")) {
                        case "average":
                            probe.with(b -> b.setAverage(AverageLayerParams.getDefaultInstance()));
                            break;
                        case "min":
                            probe.with(b -> b.setMin(MinLayerParams.getDefaultInstance()));
                            break;
                        default:
                            probe.with(b -> b.setMax(MaxLayerParams.getDefaultInstance()));
                    }
                    return net.layer(probe.out("y", in)).output("y");
                })
                .build();
    }

    // ---- scale / bias ----------------------------------------------------------------------------------------

    static ProbeFamily scaleBias() {
        return ProbeFamily.named("scaleBias")
                .layers("scale", "bias")
                .summary("constant scale / bias: constant shape [1], [C], [1,H,W] or [C,H,W], scale's bias, fp16")
                .axis(Axis.choice("layer", "scale", "bias").allChoices(Profile.STANDARD))
                .axis(Axis.choice("shape", "C", "1", "1xHxW", "CxHxW").allChoices(Profile.STANDARD))
                .axis(Axis.bool("hasBias", false).standard("true"))
                .axis(weightsAxis())
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "layer", "shape")
                .grid(Profile.STANDARD, "layer", "weights")
                .grid(Profile.FULL, "layer", "in")
                .grid(Profile.FULL, "shape", "in")
                .admissible("hasBias applies only to the scale layer",
                        s -> !s.bool("hasBias") || s.text("layer").equals("scale"))
                .builds(LegacyFamilies::buildScaleBias)
                .build();
    }

    private static Net buildScaleBias(ProbeSpec s) {
        long[] in = s.shape("in");
        long[] shape;
        switch (s.text("shape")) {
            case "1":
                shape = new long[] {1};
                break;
            case "1xHxW":
                shape = new long[] {1, in[1], in[2]};
                break;
            case "CxHxW":
                shape = in.clone();
                break;
            default:
                shape = new long[] {in[0]};
        }
        Weights w = new Weights(s.seed());
        long n = product(shape);
        if (s.text("layer").equals("bias")) {
            BiasLayerParams.Builder p = BiasLayerParams.newBuilder().setBias(w.params(n, 1, fp16(s)));
            for (long d : shape) {
                p.addShape(d);
            }
            return single(in, in, b -> b.setBias(p));
        }
        ScaleLayerParams.Builder p = ScaleLayerParams.newBuilder()
                .setScale(w.range(n, 0.5, 1.5, fp16(s)))
                .setHasBias(s.bool("hasBias"));
        for (long d : shape) {
            p.addShapeScale(d);
        }
        if (s.bool("hasBias")) {
            p.setBias(w.params(n, 1, fp16(s)));
            for (long d : shape) {
                p.addShapeBias(d);
            }
        }
        return single(in, in, b -> b.setScale(p));
    }

    // ---- innerProduct ----------------------------------------------------------------------------------------

    static ProbeFamily innerProduct() {
        return ProbeFamily.named("innerProduct")
                .layers("innerProduct")
                .summary("fully connected layer on a [C] vector: input and output sizes, bias, fp16 weights")
                // The legacy shape propagator requires H = W = 1, so the input is the vector [C].
                .axis(Axis.shape("in", "512").standard("8", "4096", "16384", "16448"))
                .axis(Axis.integer("cout", 256).standard("16", "1024", "4096").full("1", "2048", "16384"))
                .axis(Axis.bool("hasBias", true).standard("false"))
                .axis(weightsAxis())
                .grid(Profile.FULL, "in", "cout")
                .admissible("input x cout is at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " weights",
                        s -> s.shape("in")[0] * s.integer("cout") <= MAX_WEIGHTS)
                .builds(s -> {
                    long cin = s.shape("in")[0];
                    long cout = s.integer("cout");
                    Weights w = new Weights(s.seed());
                    InnerProductLayerParams.Builder p = InnerProductLayerParams.newBuilder()
                            .setInputChannels(cin).setOutputChannels(cout)
                            .setHasBias(s.bool("hasBias"))
                            .setWeights(w.params(cin * cout, cin, fp16(s)));
                    if (s.bool("hasBias")) {
                        p.setBias(w.params(cout, 1, fp16(s)));
                    }
                    return single(new long[] {cin}, new long[] {cout}, b -> b.setInnerProduct(p));
                })
                .build();
    }

    // ---- embedding -------------------------------------------------------------------------------------------

    /** The input is a single index ([1]; the shape propagator pins C = H = W = 1), so there is no {@code in}. */
    static ProbeFamily embedding() {
        return ProbeFamily.named("embedding")
                .layers("embedding")
                .summary("legacy embedding lookup of one index: vocabulary size, vector size, bias, fp16 weights")
                .axis(Axis.integer("vocab", 1000).standard("16", "10000").full("2", "30000"))
                .axis(Axis.integer("cout", 256).standard("8", "1024").full("16384"))
                .axis(Axis.bool("hasBias", false).standard("true"))
                .axis(weightsAxis())
                .grid(Profile.FULL, "vocab", "cout")
                .admissible("vocab x cout is at most " + grouped(LegacyFamilies.MAX_WEIGHTS) + " weights",
                        s -> (long) s.integer("vocab") * s.integer("cout") <= MAX_WEIGHTS)
                .builds(s -> {
                    long vocab = s.integer("vocab");
                    long cout = s.integer("cout");
                    Weights w = new Weights(s.seed());
                    EmbeddingLayerParams.Builder p = EmbeddingLayerParams.newBuilder()
                            .setInputDim(vocab).setOutputChannels(cout)
                            .setHasBias(s.bool("hasBias"))
                            .setWeights(w.params(vocab * cout, 1, fp16(s)));
                    if (s.bool("hasBias")) {
                        p.setBias(w.params(cout, 1, fp16(s)));
                    }
                    return single(new long[] {1}, new long[] {cout}, b -> b.setEmbedding(p));
                })
                .build();
    }

    // ---- batchnorm -------------------------------------------------------------------------------------------

    static ProbeFamily batchnorm() {
        return ProbeFamily.named("batchnorm")
                .layers("batchnorm")
                .summary("batch norm with stored statistics, computed statistics, or instance normalization; fp16")
                .axis(Axis.choice("stats", "stored", "computed", "instance").allChoices(Profile.STANDARD))
                .axis(weightsAxis())
                .axis(Sizes.chw())
                .grid(Profile.FULL, "stats", "in")
                .grid(Profile.FULL, "stats", "weights")
                .builds(s -> {
                    long[] in = s.shape("in");
                    long c = in[0];
                    Weights w = new Weights(s.seed());
                    boolean computed = !s.text("stats").equals("stored");
                    BatchnormLayerParams.Builder p = BatchnormLayerParams.newBuilder()
                            .setChannels(c)
                            .setComputeMeanVar(computed)
                            .setInstanceNormalization(s.text("stats").equals("instance"))
                            .setEpsilon(1e-5f)
                            .setGamma(w.range(c, 0.5, 1.5, fp16(s)))
                            .setBeta(w.params(c, 1, fp16(s)))
                            .setMean(w.params(c, 1, fp16(s)))
                            .setVariance(w.range(c, 0.5, 2.0, fp16(s)));
                    return single(in, in, b -> b.setBatchnorm(p));
                })
                .build();
    }

    // ---- mvn / l2normalize / lrn -----------------------------------------------------------------------------

    static ProbeFamily normalization() {
        return ProbeFamily.named("normalization")
                .layers("mvn", "l2normalize", "lrn")
                .summary("mean-variance, L2 and local response normalization: across channels, variance, window")
                .axis(Axis.choice("layer", "mvn", "l2normalize", "lrn").allChoices(Profile.STANDARD))
                .axis(Axis.bool("acrossChannels", false).standard("true"))
                .axis(Axis.bool("normalizeVariance", true).standard("false"))
                // LRN window across channels.
                .axis(Axis.integer("localSize", 5).standard("1", "3", "7", "9", "15").full("2", "31", "63"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "layer", "localSize")
                .grid(Profile.STANDARD, "acrossChannels", "normalizeVariance")
                .grid(Profile.FULL, "layer", "in")
                .admissible("acrossChannels and normalizeVariance vary only for mvn, and localSize only for lrn", s -> {
                    boolean mvn = s.text("layer").equals("mvn");
                    boolean lrn = s.text("layer").equals("lrn");
                    return (mvn || (!s.bool("acrossChannels") && s.bool("normalizeVariance")))
                            && (lrn || s.integer("localSize") == 5);
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    switch (s.text("layer")) {
                        case "l2normalize":
                            return single(in, in, b -> b.setL2Normalize(
                                    L2NormalizeLayerParams.newBuilder().setEpsilon(1e-6f)));
                        case "lrn":
                            return single(in, in, b -> b.setLrn(LRNLayerParams.newBuilder()
                                    .setAlpha(1e-4f).setBeta(0.75f).setK(1f).setLocalSize(s.integer("localSize"))));
                        default:
                            return single(in, in, b -> b.setMvn(MeanVarianceNormalizeLayerParams.newBuilder()
                                    .setAcrossChannels(s.bool("acrossChannels"))
                                    .setNormalizeVariance(s.bool("normalizeVariance"))
                                    .setEpsilon(1e-5f)));
                    }
                })
                .build();
    }

    // ---- softmax ---------------------------------------------------------------------------------------------

    /** The legacy twin of softmaxND: always over channels, so the sizes sweep many and very many channels. */
    static ProbeFamily softmax() {
        return ProbeFamily.named("softmax")
                .layers("softmax")
                .summary("legacy softmax over the channel axis: spatial sizes and channel counts")
                .axis(Sizes.chw().standard("1000x1x1", "16384x1x1", "16448x1x1"))
                .builds(s -> single(s.shape("in"), s.shape("in"),
                        b -> b.setSoftmax(SoftmaxLayerParams.getDefaultInstance())))
                .build();
    }

    // ---- dot -------------------------------------------------------------------------------------------------

    static ProbeFamily dot() {
        return ProbeFamily.named("dot")
                .layers("dot")
                .summary("dot product / cosine similarity of two [C] vectors")
                .axis(Axis.bool("cosineSimilarity", false).standard("true"))
                // The shape propagator pins H = W = 1: the operands are vectors [C].
                .axis(Axis.shape("in", "1024").standard("8", "16384", "16448"))
                .builds(s -> {
                    long[] in = s.shape("in");
                    DotProductLayerParams p = DotProductLayerParams.newBuilder()
                            .setCosineSimilarity(s.bool("cosineSimilarity")).build();
                    return Net.legacy().input("x", in).input("x2", in)
                            .layer(Layer.probe().in("x", "x2").out("y", 1).with(b -> b.setDot(p)))
                            .output("y");
                })
                .build();
    }

    // ---- reduce ----------------------------------------------------------------------------------------------

    static ProbeFamily reduce() {
        return ProbeFamily.named("reduce")
                .layers("reduce")
                .summary("legacy reduce: the 10 operations over CHW, HW, C, H or W")
                .axis(Axis.choice("mode", "sum", "avg", "prod", "logsum", "sumsquare", "l1", "l2", "max", "min",
                        "argmax").allChoices(Profile.STANDARD))
                .axis(Axis.choice("axis", "HW", "CHW", "C", "H", "W").allChoices(Profile.STANDARD))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "mode", "axis")
                .grid(Profile.FULL, "mode", "in")
                .grid(Profile.FULL, "axis", "in")
                // argmax is defined along one axis only.
                .admissible("argmax reduces a single axis",
                        s -> !s.text("mode").equals("argmax") || s.text("axis").length() == 1)
                .builds(s -> {
                    long[] in = s.shape("in");
                    String axis = s.text("axis");
                    long[] out = {axis.contains("C") ? 1 : in[0], axis.contains("H") ? 1 : in[1],
                            axis.contains("W") ? 1 : in[2]};
                    ReduceLayerParams p = ReduceLayerParams.newBuilder()
                            .setMode(ReduceLayerParams.ReduceOperation.valueOf(s.text("mode").toUpperCase()))
                            .setAxis(ReduceLayerParams.ReduceAxis.valueOf(axis))
                            .setEpsilon(1e-6f)
                            .build();
                    return single(in, out, b -> b.setReduce(p));
                })
                .build();
    }

    // ---- loadConstant ----------------------------------------------------------------------------------------

    /**
     * The legacy twin of loadConstantND. A constant has no input, and every model input must be used, so the
     * constant is added to x by a helper layer: the probe is the constant, the helper only makes the model valid.
     */
    static ProbeFamily loadConstant() {
        return ProbeFamily.named("loadConstant")
                .layers("loadConstant")
                .summary("a [C,H,W] constant (added to the input by a helper add layer): size and fp16 data")
                .axis(weightsAxis())
                .axis(Sizes.chw())
                .grid(Profile.FULL, "weights", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    LoadConstantLayerParams p = LoadConstantLayerParams.newBuilder()
                            .addShape(in[0]).addShape(in[1]).addShape(in[2])
                            .setData(new Weights(s.seed()).params(product(in), 1, fp16(s)))
                            .build();
                    return Net.legacy().input("x", in)
                            .layer(Layer.probe().out("c", in).with(b -> b.setLoadConstant(p)))
                            .layer(Layer.aux("add").in("x", "c").out("y", in)
                                    .with(b -> b.setAdd(AddLayerParams.getDefaultInstance())))
                            .output("y");
                })
                .build();
    }

    // ---- custom ----------------------------------------------------------------------------------------------

    /**
     * Seed rule: custom layers never run on the ANE. Core ML refuses to load the model unless the app provides the
     * class, so the expected outcome is a load rejection; the model itself is valid (specification 2).
     */
    static ProbeFamily custom() {
        return ProbeFamily.named("custom")
                .layers("custom")
                .summary("a custom layer (class AneprobeIdentity, one parameter): expected to be rejected at load")
                .minSpec(2)
                .axis(Sizes.chw())
                .builds(s -> {
                    long[] in = s.shape("in");
                    CustomLayerParams p = CustomLayerParams.newBuilder()
                            .setClassName("AneprobeIdentity")
                            .putParameters("scale", CustomLayerParams.CustomLayerParamValue.newBuilder()
                                    .setDoubleValue(1.0).build())
                            .setDescription("aneprobe negative control: identity implemented by the app")
                            .build();
                    return single(in, in, b -> b.setCustom(p));
                })
                .build();
    }
}
