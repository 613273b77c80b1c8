package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.BlobShape.BATCH;
import static dev.aneprobe.probes.validate.BlobShape.CHANNELS;
import static dev.aneprobe.probes.validate.BlobShape.HEIGHT;
import static dev.aneprobe.probes.validate.BlobShape.SEQUENCE;
import static dev.aneprobe.probes.validate.BlobShape.WIDTH;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.BorderAmounts;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer.LayerCase;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ReorganizeDataLayerParams;
import dev.aneprobe.probes.coreml.SliceLayerParams;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Core ML's shape propagation for rank-5 NeuralNetworks (RANK5 array and image mapping, original layer types only:
 * the networks Core ML does not read as ND). Every blob is [sequence, batch, channels, height, width], each axis a
 * {@link SizeRange}. The model inputs fix channels, height and width (sequence and batch stay open); then, as Core
 * ML does, all layers are applied forward and then backward, repeatedly until every blob has heard from every
 * input, each layer narrowing the ranges of its inputs and outputs by its own rule. A layer whose rule leaves some
 * axis with no possible size cannot be shaped ("Error determining network blob shapes"). Finally each model
 * output's declared shape (a rank-1 shape is channels with height and width 1, a rank-3 shape is channels, height,
 * width; other ranks are not checked) must be a size its blob may take. Core ML stops at the first such finding and
 * reports it as POTENTIALLY_INVALID_NEURAL_NETWORK_SHAPES, a result its validator counts as good: the model is
 * still accepted, so the finding is a warning, not a problem.
 *
 * <p>Each layer rule below follows Core ML's, quirks included: convolution with valid padding bounds the input
 * height and width from above by {@code (out - 1) × stride + kernel - padding + 1}, so a stride of 3 or more with
 * {@code (in + padding - kernel) mod stride ≥ 2} is rejected; includeLastPixel pooling bounds the input height (not
 * width) from below by the output width; max and min keep the shape of their first input; dot leaves its output
 * unconstrained; reshape does not compare element counts; the broadcasting layers (add, multiply, average) never
 * reject an input, their output taking the largest size along each axis. Sizes are exact 64-bit numbers: where Core
 * ML would wrap a negative number to a huge unsigned size (a negative reshape target) or divide by 0 (which the layer
 * checks rule out beforehand), this reports a conflict instead.
 */
public final class Rank5Shapes {
    /**
     * The layer types shaped here: all original (specification 1–3, iOS 12) layer types, the only ones a rank-5
     * network may contain. Any other type is skipped — its outputs stay unconstrained, so nothing downstream of it
     * is checked (it cannot occur: any other layer type makes Core ML read the network as ND, where it does not
     * propagate rank-5 shapes at all).
     */
    static final Set<LayerCase> SHAPED = EnumSet.of(LayerCase.CONVOLUTION, LayerCase.POOLING, LayerCase.ACTIVATION,
            LayerCase.INNERPRODUCT, LayerCase.EMBEDDING, LayerCase.BATCHNORM, LayerCase.MVN, LayerCase.L2NORMALIZE,
            LayerCase.SOFTMAX, LayerCase.LRN, LayerCase.CROP, LayerCase.PADDING, LayerCase.UPSAMPLE, LayerCase.UNARY,
            LayerCase.ADD, LayerCase.MULTIPLY, LayerCase.AVERAGE, LayerCase.SCALE, LayerCase.BIAS, LayerCase.MAX,
            LayerCase.MIN, LayerCase.DOT, LayerCase.REDUCE, LayerCase.LOADCONSTANT, LayerCase.RESHAPE,
            LayerCase.FLATTEN, LayerCase.PERMUTE, LayerCase.CONCAT, LayerCase.SPLIT, LayerCase.SEQUENCEREPEAT,
            LayerCase.REORGANIZEDATA, LayerCase.SLICE, LayerCase.SIMPLERECURRENT, LayerCase.GRU,
            LayerCase.UNIDIRECTIONALLSTM, LayerCase.BIDIRECTIONALLSTM, LayerCase.CUSTOM, LayerCase.RESIZEBILINEAR,
            LayerCase.CROPRESIZE);

    private final Map<String, BlobShape> blobs = new HashMap<>();

    private Rank5Shapes() {
    }

    /** Propagates shapes through {@code layers} (the top-level network) and adds at most one finding. */
    static void check(Model model, List<NeuralNetworkLayer> layers, List<String> findings) {
        new Rank5Shapes().run(model.getDescription(), layers, findings);
    }

    /** The shapes propagation settles on, blob by blob, for a NeuralNetwork model; findings go to {@code findings}. */
    static Map<String, BlobShape> shapes(Model model, List<String> findings) {
        Rank5Shapes shaper = new Rank5Shapes();
        shaper.run(model.getDescription(), model.getNeuralNetwork().getLayersList(), findings);
        return shaper.blobs;
    }

    /**
     * The [channels, height, width] of every blob whose three sizes propagation fixes, for a rank-5 network's
     * layers (a classifier's or regressor's too); blobs it cannot fix, and networks it cannot shape, are left out.
     */
    public static Map<String, long[]> fixedChw(ModelDescription description, List<NeuralNetworkLayer> layers) {
        Rank5Shapes shaper = new Rank5Shapes();
        shaper.run(description, layers, new ArrayList<>());
        Map<String, long[]> out = new HashMap<>();
        shaper.blobs.forEach((name, shape) -> {
            if (shape.fixedChw()) {
                out.put(name, new long[] {shape.range(CHANNELS).min(), shape.range(HEIGHT).min(),
                    shape.range(WIDTH).min()});
            }
        });
        return out;
    }

    private void run(ModelDescription description, List<NeuralNetworkLayer> layers, List<String> problems) {
        // Which model inputs each blob has been reached from; propagation repeats until every blob is reached from
        // every input, or a round reaches nothing new.
        Map<String, Set<Integer>> reached = new HashMap<>();
        int inputCount = description.getInputCount();
        for (int i = 0; i < inputCount; i++) {
            FeatureDescription f = description.getInput(i);
            BlobShape shape = blob(f.getName());
            reached.computeIfAbsent(f.getName(), k -> new HashSet<>()).add(i);
            try {
                constrainInput(shape, f.getType());
            } catch (ShapeConflict e) {
                problems.add("model input '" + f.getName() + "' cannot be shaped: " + e.getMessage());
                return;
            }
        }
        NeuralNetworkLayer current = null;
        try {
            boolean done = false;
            while (!done) {
                Map<String, Set<Integer>> before = deepCopy(reached);
                for (NeuralNetworkLayer layer : layers) {
                    current = layer;
                    spread(layer.getInputList(), layer.getOutputList(), reached);
                    shape(layer);
                }
                for (int i = layers.size() - 1; i >= 0; i--) {
                    current = layers.get(i);
                    spread(current.getOutputList(), current.getInputList(), reached);
                    shape(current);
                }
                done = reached.values().stream().allMatch(s -> s.size() == inputCount);
                if (before.equals(reached)) {
                    break;
                }
            }
        } catch (ShapeConflict e) {
            problems.add("layer '" + current.getName() + "' (" + Messages.layerType(current) + ") cannot be shaped: "
                    + e.getMessage());
            return;
        }
        checkOutputs(description, problems);
    }

    /** Every blob of {@code to} is reached from whatever any blob of {@code from} is reached from. */
    private static void spread(List<String> from, List<String> to, Map<String, Set<Integer>> reached) {
        for (String f : from) {
            Set<Integer> sources = reached.computeIfAbsent(f, k -> new HashSet<>());
            for (String t : to) {
                Set<Integer> target = reached.computeIfAbsent(t, k -> new HashSet<>());
                target.addAll(sources);
            }
        }
    }

    private static Map<String, Set<Integer>> deepCopy(Map<String, Set<Integer>> m) {
        Map<String, Set<Integer>> c = new HashMap<>();
        m.forEach((k, v) -> c.put(k, new HashSet<>(v)));
        return c;
    }

    private BlobShape blob(String name) {
        return blobs.computeIfAbsent(name, BlobShape::new);
    }

    // ---- the model interface ----

    private static void constrainInput(BlobShape s, FeatureType type) {
        if (type.hasImageType()) {
            ImageFeatureType image = type.getImageType();
            s.set(CHANNELS, grayscale(image) ? 1 : 3);
            switch (image.getSizeFlexibilityCase()) {
                case ENUMERATEDSIZES -> {
                    long minW = Long.MAX_VALUE;
                    long maxW = 0;
                    long minH = Long.MAX_VALUE;
                    long maxH = 0;
                    for (ImageFeatureType.ImageSize size : image.getEnumeratedSizes().getSizesList()) {
                        minW = Math.min(minW, size.getWidth());
                        maxW = Math.max(maxW, size.getWidth());
                        minH = Math.min(minH, size.getHeight());
                        maxH = Math.max(maxH, size.getHeight());
                    }
                    s.update(WIDTH, between(minW, maxW));
                    s.update(HEIGHT, between(minH, maxH));
                }
                case IMAGESIZERANGE -> {
                    s.update(WIDTH, of(image.getImageSizeRange().getWidthRange()));
                    s.update(HEIGHT, of(image.getImageSizeRange().getHeightRange()));
                }
                default -> {
                    s.set(HEIGHT, image.getHeight());
                    s.set(WIDTH, image.getWidth());
                }
            }
            return;
        }
        if (!type.hasMultiArrayType()) {
            throw new ShapeConflict("it is neither a multiarray nor an image");
        }
        ArrayFeatureType array = type.getMultiArrayType();
        List<SizeRange> ranges = new ArrayList<>();
        switch (array.getShapeFlexibilityCase()) {
            case ENUMERATEDSHAPES -> {
                int dims = 0;
                for (ArrayFeatureType.Shape shape : array.getEnumeratedShapes().getShapesList()) {
                    dims = Math.max(dims, shape.getShapeCount());
                }
                for (int d = 0; d < dims; d++) {
                    long lo = Long.MAX_VALUE;
                    long hi = 0;
                    for (ArrayFeatureType.Shape shape : array.getEnumeratedShapes().getShapesList()) {
                        if (d < shape.getShapeCount()) {
                            lo = Math.min(lo, shape.getShape(d));
                            hi = Math.max(hi, shape.getShape(d));
                        }
                    }
                    ranges.add(between(lo, hi));
                }
            }
            case SHAPERANGE -> array.getShapeRange().getSizeRangesList().forEach(r -> ranges.add(of(r)));
            default -> {
            }
        }
        if (ranges.size() == 1) {
            s.update(CHANNELS, ranges.get(0));
        } else if (ranges.size() == 3) {
            s.update(CHANNELS, ranges.get(0));
            s.update(HEIGHT, ranges.get(1));
            s.update(WIDTH, ranges.get(2));
        } else if (ranges.isEmpty()) {
            if (array.getShapeCount() == 0) {
                return; // the interface check reports a missing input shape
            }
            s.set(CHANNELS, array.getShape(0));
            s.set(HEIGHT, array.getShapeCount() == 3 ? array.getShape(1) : 1);
            s.set(WIDTH, array.getShapeCount() == 3 ? array.getShape(2) : 1);
        } else {
            throw new ShapeConflict("its flexible shape has rank " + ranges.size()
                    + "; a rank-5 network takes rank 1 or 3");
        }
    }

    private static boolean grayscale(ImageFeatureType image) {
        return image.getColorSpace() == ImageFeatureType.ColorSpace.GRAYSCALE
                || image.getColorSpace() == ImageFeatureType.ColorSpace.GRAYSCALE_FLOAT16;
    }

    private static SizeRange between(long lo, long hi) {
        if (lo > hi) {
            throw new ShapeConflict("it allows no size (between " + lo + " and " + hi + ")");
        }
        return new SizeRange(lo, hi);
    }

    /** A declared size range; a negative upper bound means unbounded. */
    private static SizeRange of(dev.aneprobe.probes.coreml.SizeRange r) {
        return new SizeRange(r.getLowerBound(), r.getUpperBound() < 0 ? SizeRange.INF : r.getUpperBound());
    }

    private void checkOutputs(ModelDescription description, List<String> problems) {
        for (FeatureDescription f : description.getOutputList()) {
            if (f.getName().equals(description.getPredictedProbabilitiesName())
                    || f.getName().equals(description.getPredictedFeatureName())) {
                continue;
            }
            BlobShape s = blobs.get(f.getName());
            if (s == null) {
                continue; // no layer rule touches this blob (an optional recurrent output)
            }
            long[] chw;
            String declared;
            FeatureType t = f.getType();
            if (t.hasImageType()) {
                ImageFeatureType image = t.getImageType();
                chw = new long[] {grayscale(image) ? 1 : 3, image.getHeight(), image.getWidth()};
                declared = "is an image of [" + chw[0] + ", " + chw[1] + ", " + chw[2] + "] (channels, height, width)";
            } else {
                List<Long> shape = t.getMultiArrayType().getShapeList();
                if (shape.size() == 3) {
                    chw = new long[] {shape.get(0), shape.get(1), shape.get(2)};
                    declared = "is declared " + shape + " (channels, height, width)";
                } else if (shape.size() == 1) {
                    chw = new long[] {shape.get(0), 1, 1};
                    declared = "is declared " + shape + ", which a rank-5 network reads as [" + shape.get(0)
                            + ", 1, 1] (channels, height, width)";
                } else {
                    continue;
                }
            }
            if (!s.range(CHANNELS).contains(chw[0]) || !s.range(HEIGHT).contains(chw[1])
                    || !s.range(WIDTH).contains(chw[2])) {
                problems.add("model output '" + f.getName() + "' " + declared + ", but the layers make it "
                        + s.chw());
            }
        }
    }

    // ---- one layer ----

    private void shape(NeuralNetworkLayer layer) {
        if (!SHAPED.contains(layer.getLayerCase())) {
            layer.getOutputList().forEach(this::blob); // skipped: its outputs stay unconstrained
            return;
        }
        switch (layer.getLayerCase()) {
            case CONVOLUTION -> convolution(layer);
            case POOLING -> pooling(layer);
            case ACTIVATION, BATCHNORM, MVN, L2NORMALIZE, SOFTMAX, LRN, UNARY, SCALE, BIAS, MAX, MIN -> unchanged(layer);
            case INNERPRODUCT -> innerProduct(layer);
            case EMBEDDING -> embedding(layer);
            case CROP -> crop(layer);
            case PADDING -> padding(layer);
            case UPSAMPLE -> upsample(layer);
            case ADD, MULTIPLY, AVERAGE -> broadcast(layer);
            case DOT -> dot(layer);
            case REDUCE -> reduce(layer);
            case LOADCONSTANT -> loadConstant(layer);
            case RESHAPE -> reshape(layer);
            case FLATTEN -> flatten(layer);
            case PERMUTE -> permute(layer);
            case CONCAT -> concat(layer);
            case SPLIT -> split(layer);
            case SEQUENCEREPEAT -> sequenceRepeat(layer);
            case REORGANIZEDATA -> reorganizeData(layer);
            case SLICE -> slice(layer);
            case SIMPLERECURRENT, GRU, UNIDIRECTIONALLSTM, BIDIRECTIONALLSTM -> recurrent(layer);
            case RESIZEBILINEAR -> resizeBilinear(layer);
            case CROPRESIZE -> cropResize(layer);
            default -> layer.getOutputList().forEach(this::blob); // custom: Core ML cannot know its output shapes
        }
    }

    private BlobShape in(NeuralNetworkLayer layer, int i) {
        return blob(layer.getInput(i));
    }

    private BlobShape out(NeuralNetworkLayer layer, int i) {
        return blob(layer.getOutput(i));
    }

    /** Both blobs narrowed to the sizes both allow, on the given axes. */
    private static void tie(BlobShape a, BlobShape b, int... axes) {
        for (int axis : axes) {
            b.update(axis, a.range(axis));
            a.update(axis, b.range(axis));
        }
    }

    /** [start, end] of the height (0) or width (1) border pair, or zeros when the pair is not given. */
    private static long[] border(BorderAmounts amounts, int pair) {
        if (amounts.getBorderAmountsCount() != 2) {
            return new long[] {0, 0};
        }
        return new long[] {amounts.getBorderAmounts(pair).getStartEdgeSize(),
            amounts.getBorderAmounts(pair).getEndEdgeSize()};
    }

    private static long pairOr(List<Long> values, int i, long otherwise) {
        return values.size() == 2 ? values.get(i) : otherwise;
    }

    private void convolution(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        ConvolutionLayerParams p = layer.getConvolution();
        long groups = p.getNGroups() == 0 ? 1 : p.getNGroups();
        in.set(CHANNELS, p.getIsDeconvolution() ? p.getKernelChannels() : p.getKernelChannels() * groups);
        long[] kernel = new long[2];
        long[] stride = new long[2];
        for (int i = 0; i < 2; i++) {
            long dilation = pairOr(p.getDilationFactorList(), i, 1);
            kernel[i] = (pairOr(p.getKernelSizeList(), i, 3) - 1) * dilation + 1;
            stride[i] = pairOr(p.getStrideList(), i, 1);
        }
        out.set(CHANNELS, p.getOutputChannels());
        if (p.getIsDeconvolution() && p.getOutputShapeCount() == 2) {
            out.set(HEIGHT, p.getOutputShape(0));
            out.set(WIDTH, p.getOutputShape(1));
            return;
        }
        switch (p.getConvolutionPaddingTypeCase()) {
            case VALID -> {
                for (int i = 0; i < 2; i++) {
                    long[] pads = border(p.getValid().getPaddingAmounts(), i);
                    if (p.getIsDeconvolution()) {
                        deconvolutionValid(in, out, HEIGHT + i, kernel[i], stride[i], pads);
                    } else {
                        convolutionValid(in, out, HEIGHT + i, kernel[i], stride[i], pads[0] + pads[1]);
                    }
                }
            }
            case SAME -> {
                for (int i = 0; i < 2; i++) {
                    int axis = HEIGHT + i;
                    if (p.getIsDeconvolution()) {
                        out.update(axis, in.range(axis).times(stride[i]));
                    } else {
                        out.update(axis, in.range(axis).plus(-1).over(stride[i]).plus(1));
                        in.atLeast(axis, out.min(axis));
                        in.atMost(axis, SizeRange.times(out.range(axis).max(), stride[i]));
                    }
                }
            }
            default -> throw new ShapeConflict("it has no padding type");
        }
    }

    /**
     * out = (in + pad - kernel) / stride + 1; when the kernel is larger than the padding, the input must be at
     * least the kernel minus the padding (more for a larger output), and at most what the output size allows.
     */
    private static void convolutionValid(BlobShape in, BlobShape out, int axis, long kernel, long stride, long pad) {
        long reach = kernel - pad;
        if (reach > 0) {
            long outMin = out.min(axis);
            in.atLeast(axis, (outMin == 0 ? 0 : outMin - 1) * stride + reach);
            long upper = SizeRange.plus(SizeRange.times(SizeRange.plus(out.range(axis).max(), -1), stride), reach);
            long inMax = in.range(axis).max();
            // Core ML adds 1 here whenever the input's upper bound plus the kernel/padding parity is not 0.
            if (inMax != SizeRange.INF && inMax + reach % 2 != 0) {
                upper = SizeRange.plus(upper, 1);
            }
            in.atMost(axis, upper);
        }
        out.update(axis, in.range(axis).plus(pad - kernel).over(stride).plus(1));
    }

    /** out = (in - 1) × stride + kernel - pad; the output size bounds the input both ways. */
    private static void deconvolutionValid(BlobShape in, BlobShape out, int axis, long kernel, long stride,
            long[] pads) {
        long pad = pads[0] + pads[1];
        long lower = ((long) (int) out.min(axis) + pad - kernel) / stride + 1;
        long upper = SizeRange.plus(SizeRange.over(SizeRange.plus(SizeRange.plus(out.range(axis).max(), pad),
                -kernel), stride), 1);
        if (lower > 0) {
            in.atLeast(axis, lower);
        }
        in.atMost(axis, upper);
        out.update(axis, in.range(axis).plus(-1).times(stride).plus(kernel).plus(-pads[0]).plus(-pads[1]));
    }

    private void pooling(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        out.update(SEQUENCE, in.range(SEQUENCE));
        out.update(BATCH, in.range(BATCH));
        out.update(CHANNELS, in.range(CHANNELS));
        in.update(SEQUENCE, out.range(SEQUENCE));
        in.update(BATCH, out.range(BATCH));
        in.update(CHANNELS, out.range(CHANNELS));
        PoolingLayerParams p = layer.getPooling();
        long[] kernel = {pairOr(p.getKernelSizeList(), 0, 3), pairOr(p.getKernelSizeList(), 1, 3)};
        long[] stride = {pairOr(p.getStrideList(), 0, 1), pairOr(p.getStrideList(), 1, 1)};
        if (p.getGlobalPooling()) {
            out.set(HEIGHT, 1);
            out.set(WIDTH, 1);
            return;
        }
        switch (p.getPoolingPaddingTypeCase()) {
            case VALID -> {
                for (int i = 0; i < 2; i++) {
                    int axis = HEIGHT + i;
                    long[] pads = border(p.getValid().getPaddingAmounts(), i);
                    long pad = pads[0] + pads[1];
                    if (kernel[i] - pad > 0) {
                        long outMin = out.min(axis);
                        in.atLeast(axis, (outMin == 0 ? 0 : outMin - 1) * stride[i] + kernel[i] - pad);
                    }
                    out.update(axis, in.range(axis).plus(pad - kernel[i]).over(stride[i]).plus(1));
                }
            }
            case SAME -> {
                out.update(HEIGHT, in.range(HEIGHT).plus(-1).over(stride[0]).plus(1));
                out.update(WIDTH, in.range(WIDTH).plus(-1).over(stride[1]).plus(1));
            }
            case INCLUDELASTPIXEL -> {
                List<Long> amounts = p.getIncludeLastPixel().getPaddingAmountsList();
                long[] pad = {pairOr(amounts, 0, 0), pairOr(amounts, 1, 0)};
                for (int i = 0; i < 2; i++) {
                    int axis = HEIGHT + i;
                    // One less when a window starting in the last stride would lie wholly in the padding.
                    long extra = (pad[0] != 0 || pad[1] != 0) && pad[i] + 2 * stride[i] >= kernel[i] + 2 ? -1 : 0;
                    out.update(axis, in.range(axis).plus(2 * pad[i] - kernel[i]).overRoundingUp(stride[i]).plus(1)
                            .plus(extra));
                    if (kernel[i] - 2 * pad[i] > 0) {
                        // Core ML bounds the input height here for both axes.
                        in.atLeast(HEIGHT, out.min(axis) - 1 + kernel[i] - 2 * pad[i]);
                    }
                }
            }
            default -> throw new ShapeConflict("it has no padding type");
        }
    }

    private void unchanged(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        out.meet(in);
        in.meet(out);
    }

    private void innerProduct(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        in.set(CHANNELS, layer.getInnerProduct().getInputChannels());
        in.set(HEIGHT, 1);
        in.set(WIDTH, 1);
        out.set(CHANNELS, layer.getInnerProduct().getOutputChannels());
        out.set(HEIGHT, 1);
        out.set(WIDTH, 1);
    }

    private void embedding(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        in.set(CHANNELS, 1);
        in.set(HEIGHT, 1);
        in.set(WIDTH, 1);
        out.set(CHANNELS, layer.getEmbedding().getOutputChannels());
        out.set(HEIGHT, 1);
        out.set(WIDTH, 1);
    }

    private void crop(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH, CHANNELS);
        if (layer.getInputCount() == 1) {
            long[] h = border(layer.getCrop().getCropAmounts(), 0);
            long[] w = border(layer.getCrop().getCropAmounts(), 1);
            out.update(HEIGHT, in.range(HEIGHT).plus(-h[0]).plus(-h[1]));
            out.update(WIDTH, in.range(WIDTH).plus(-w[0]).plus(-w[1]));
            in.atLeast(HEIGHT, h[0] + h[1] + 1);
            in.atLeast(WIDTH, w[0] + w[1] + 1);
        } else {
            BlobShape reference = in(layer, 1);
            out.update(CHANNELS, in.range(CHANNELS));
            out.update(HEIGHT, reference.range(HEIGHT));
            out.update(WIDTH, reference.range(WIDTH));
        }
    }

    private void padding(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        in.update(CHANNELS, out.range(CHANNELS));
        long[] h = border(layer.getPadding().getPaddingAmounts(), 0);
        long[] w = border(layer.getPadding().getPaddingAmounts(), 1);
        out.update(CHANNELS, in.range(CHANNELS));
        out.update(HEIGHT, in.range(HEIGHT).plus(h[0] + h[1]));
        out.update(WIDTH, in.range(WIDTH).plus(w[0] + w[1]));
        in.update(HEIGHT, out.range(HEIGHT).plus(-h[0]).plus(-h[1]));
        in.update(WIDTH, out.range(WIDTH).plus(-w[0]).plus(-w[1]));
    }

    private void upsample(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH, CHANNELS);
        List<Long> scale = layer.getUpsample().getScalingFactorList();
        long sh = scale.size() == 2 && scale.get(0) != 0 ? scale.get(0) : 1;
        long sw = scale.size() == 2 && scale.get(1) != 0 ? scale.get(1) : 1;
        out.update(HEIGHT, in.range(HEIGHT).times(sh));
        out.update(WIDTH, in.range(WIDTH).times(sw));
        in.update(HEIGHT, out.range(HEIGHT).over(sh));
        in.update(WIDTH, out.range(WIDTH).over(sw));
    }

    /** add, multiply, average: never rejects an input; the output takes the largest size along each axis. */
    private void broadcast(NeuralNetworkLayer layer) {
        BlobShape first = in(layer, 0);
        SizeRange sequence = first.range(SEQUENCE);
        SizeRange batch = first.range(BATCH);
        SizeRange[] largest = {first.range(CHANNELS), first.range(HEIGHT), first.range(WIDTH)};
        boolean fixed = first.fixedChw();
        for (int i = 1; i < layer.getInputCount(); i++) {
            BlobShape other = in(layer, i);
            fixed &= other.fixedChw();
            sequence = sequence.meet(other.range(SEQUENCE), "the sequence length of the inputs");
            batch = batch.meet(other.range(BATCH), "the batch size of the inputs");
            for (int a = 0; a < 3; a++) {
                largest[a] = largest[a].join(other.range(CHANNELS + a));
            }
        }
        BlobShape out = out(layer, 0);
        out.update(SEQUENCE, sequence);
        out.update(BATCH, batch);
        for (int a = 0; a < 3; a++) {
            if (fixed) {
                out.set(CHANNELS + a, largest[a].max());
            } else {
                out.update(CHANNELS + a, largest[a]);
            }
        }
        for (int i = 0; i < layer.getInputCount(); i++) {
            BlobShape input = in(layer, i);
            input.update(SEQUENCE, out.range(SEQUENCE));
            input.update(BATCH, out.range(BATCH));
            if (!input.fixedChw()) {
                input.update(CHANNELS, out.range(CHANNELS));
                input.update(HEIGHT, out.range(HEIGHT));
                input.update(WIDTH, out.range(WIDTH));
            }
        }
    }

    /** Both inputs are vectors of one length; the output (a working copy only, as in Core ML) is 1×1×1. */
    private void dot(NeuralNetworkLayer layer) {
        BlobShape a = in(layer, 0);
        BlobShape b = in(layer, 1);
        BlobShape out = out(layer, 0).copy();
        out.update(SEQUENCE, a.range(SEQUENCE));
        out.update(BATCH, a.range(BATCH));
        out.update(SEQUENCE, b.range(SEQUENCE));
        out.update(BATCH, b.range(BATCH));
        a.set(HEIGHT, 1);
        a.set(WIDTH, 1);
        b.set(HEIGHT, 1);
        b.set(WIDTH, 1);
        a.meet(b);
        b.meet(a);
        a.update(SEQUENCE, out.range(SEQUENCE));
        a.update(BATCH, out.range(BATCH));
        b.update(SEQUENCE, out.range(SEQUENCE));
        b.update(BATCH, out.range(BATCH));
        out.set(CHANNELS, 1);
        out.set(HEIGHT, 1);
        out.set(WIDTH, 1);
    }

    private void reduce(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        switch (layer.getReduce().getAxis()) {
            case CHW -> {
                out.set(CHANNELS, 1);
                out.set(HEIGHT, 1);
                out.set(WIDTH, 1);
            }
            case HW -> {
                tie(in, out, CHANNELS);
                out.set(HEIGHT, 1);
                out.set(WIDTH, 1);
            }
            case H -> {
                tie(in, out, CHANNELS);
                out.set(HEIGHT, 1);
                tie(in, out, WIDTH);
            }
            case W -> {
                tie(in, out, CHANNELS, HEIGHT);
                out.set(WIDTH, 1);
            }
            case C -> {
                out.set(CHANNELS, 1);
                tie(in, out, HEIGHT);
                out.update(WIDTH, in.range(WIDTH)); // Core ML does not narrow the input width here
            }
            default -> throw new ShapeConflict("its reduce axis is not set");
        }
    }

    private void loadConstant(NeuralNetworkLayer layer) {
        BlobShape out = out(layer, 0);
        List<Long> shape = layer.getLoadConstant().getShapeList();
        out.set(SEQUENCE, 1);
        out.set(BATCH, 1);
        out.set(CHANNELS, shape.get(0));
        out.set(HEIGHT, shape.get(1));
        out.set(WIDTH, shape.get(2));
    }

    /** Sets the output to the target shape; Core ML compares neither element counts nor the input's shape. */
    private void reshape(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        List<Long> target = layer.getReshape().getTargetShapeList();
        out.update(BATCH, in.range(BATCH));
        int first;
        if (target.size() == 3) {
            out.update(SEQUENCE, in.range(SEQUENCE));
            first = 0;
        } else {
            out.atLeast(SEQUENCE, target.get(0)); // a 4-entry target only bounds the sequence length from below
            first = 1;
        }
        out.set(CHANNELS, target.get(first));
        out.set(HEIGHT, target.get(first + 1));
        out.set(WIDTH, target.get(first + 2));
    }

    private void flatten(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        out.update(CHANNELS, in.range(CHANNELS).times(in.range(HEIGHT)).times(in.range(WIDTH)));
        out.set(HEIGHT, 1);
        out.set(WIDTH, 1);
    }

    /** The axis values name input axes in the order sequence, channels, height, width. */
    private void permute(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        int[] order = {SEQUENCE, CHANNELS, HEIGHT, WIDTH};
        List<Long> axes = layer.getPermute().getAxisList();
        for (long a : axes) {
            if (a < 0 || a > 3) {
                throw new ShapeConflict("its axis " + a + " is not one of 0..3");
            }
        }
        BlobShape out = out(layer, 0);
        for (int k = 0; k < 4; k++) {
            out.update(order[k], in.range(order[axes.get(k).intValue()]));
        }
        SizeRange[] back = {SizeRange.ANY, SizeRange.ANY, SizeRange.ANY, SizeRange.ANY};
        for (int k = 0; k < 4; k++) {
            back[axes.get(k).intValue()] = out.range(order[k]);
        }
        for (int k = 0; k < 4; k++) {
            in.update(order[k], back[k]);
        }
        in.update(BATCH, out.range(BATCH));
    }

    /** Sizes add up along channels (or the sequence); every other axis must agree with the first input's. */
    private void concat(NeuralNetworkLayer layer) {
        BlobShape first = in(layer, 0);
        BlobShape out = out(layer, 0);
        boolean sequence = layer.getConcat().getSequenceConcat();
        int along = sequence ? SEQUENCE : CHANNELS;
        int across = sequence ? CHANNELS : SEQUENCE;
        SizeRange total = first.range(along);
        out.update(across, first.range(across));
        out.update(BATCH, first.range(BATCH));
        out.update(HEIGHT, first.range(HEIGHT));
        out.update(WIDTH, first.range(WIDTH));
        for (int i = 1; i < layer.getInputCount(); i++) {
            BlobShape other = in(layer, i);
            total = total.plus(other.range(along));
            out.update(across, other.range(across));
            other.update(across, out.range(across));
            out.update(BATCH, other.range(BATCH));
            other.update(BATCH, out.range(BATCH));
            out.update(HEIGHT, other.range(HEIGHT));
            other.update(HEIGHT, out.range(HEIGHT));
            out.update(WIDTH, other.range(WIDTH));
            other.update(WIDTH, out.range(WIDTH));
        }
        out.update(along, total);
    }

    /** Channels divide evenly by nOutputs: the input must hold exactly nOutputs × (its channels / nOutputs). */
    private void split(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        long parts = (int) layer.getSplit().getNOutputs();
        if (parts <= 0) {
            throw new ShapeConflict("nOutputs is " + parts + "; it must be positive");
        }
        for (int i = 0; i < layer.getOutputCount(); i++) {
            BlobShape out = out(layer, i);
            out.update(SEQUENCE, in.range(SEQUENCE));
            out.update(BATCH, in.range(BATCH));
            out.update(CHANNELS, in.range(CHANNELS).over(parts));
            out.update(HEIGHT, in.range(HEIGHT));
            out.update(WIDTH, in.range(WIDTH));
        }
        BlobShape first = out(layer, 0);
        in.update(SEQUENCE, first.range(SEQUENCE));
        in.update(BATCH, first.range(BATCH));
        in.update(CHANNELS, first.range(CHANNELS).times(parts));
        in.update(HEIGHT, first.range(HEIGHT));
        in.update(WIDTH, first.range(WIDTH));
    }

    private void sequenceRepeat(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        out.update(SEQUENCE, in.range(SEQUENCE).times(layer.getSequenceRepeat().getNRepetitions()));
        out.update(BATCH, in.range(BATCH));
        out.update(CHANNELS, in.range(CHANNELS));
        out.update(HEIGHT, in.range(HEIGHT));
        out.update(WIDTH, in.range(WIDTH));
        in.update(BATCH, out.range(BATCH));
        in.update(CHANNELS, out.range(CHANNELS));
        in.update(HEIGHT, out.range(HEIGHT));
        in.update(WIDTH, out.range(WIDTH));
    }

    /** spaceToDepth: channels × b², height and width / b; depthToSpace the inverse; both must divide evenly. */
    private void reorganizeData(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        long b = layer.getReorganizeData().getBlockSize();
        boolean toDepth = layer.getReorganizeData().getMode()
                == ReorganizeDataLayerParams.ReorganizationType.SPACE_TO_DEPTH;
        BlobShape deep = toDepth ? out : in;
        BlobShape wide = toDepth ? in : out;
        if (toDepth) {
            deep.update(CHANNELS, wide.range(CHANNELS).times(b * b));
            deep.update(HEIGHT, wide.range(HEIGHT).over(b));
            deep.update(WIDTH, wide.range(WIDTH).over(b));
            wide.update(CHANNELS, deep.range(CHANNELS).over(b * b));
            wide.update(HEIGHT, deep.range(HEIGHT).times(b));
            wide.update(WIDTH, deep.range(WIDTH).times(b));
        } else {
            wide.update(CHANNELS, deep.range(CHANNELS).over(b * b));
            wide.update(HEIGHT, deep.range(HEIGHT).times(b));
            wide.update(WIDTH, deep.range(WIDTH).times(b));
            deep.update(CHANNELS, wide.range(CHANNELS).times(b * b));
            deep.update(HEIGHT, wide.range(HEIGHT).over(b));
            deep.update(WIDTH, wide.range(WIDTH).over(b));
        }
    }

    /**
     * Start and end of the same sign give a fixed output size and an input at least as long as the slice reaches;
     * mixed signs give the input size less both ends.
     */
    private void slice(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        tie(in, out, SEQUENCE, BATCH);
        SliceLayerParams p = layer.getSlice();
        int start = (int) p.getStartIndex();
        int end = (int) p.getEndIndex();
        int stride = (int) p.getStride();
        if (stride <= 0) {
            throw new ShapeConflict("its stride is " + stride + "; it must be positive");
        }
        int axis = switch (p.getAxis()) {
            case CHANNEL_AXIS -> CHANNELS;
            case HEIGHT_AXIS -> HEIGHT;
            case WIDTH_AXIS -> WIDTH;
            default -> throw new ShapeConflict("its axis is not channel, height or width");
        };
        SizeRange size;
        long reach;
        if (start >= 0 && end > 0) {
            size = SizeRange.exactly(sliceSize((end - 1 - start) / stride + 1));
            reach = end;
        } else if (start < 0 && end <= 0) {
            size = SizeRange.exactly(sliceSize((-start - 1 + end) / stride + 1));
            reach = -start;
        } else {
            if (end <= 0) {
                end = -end;
            } else {
                start = -start;
            }
            size = in.range(axis).plus(-(long) (start + 1 + end)).over(stride).plus(1);
            reach = start + 1 + end;
        }
        for (int a = CHANNELS; a <= WIDTH; a++) {
            if (a == axis) {
                out.update(a, size);
            } else {
                out.update(a, in.range(a));
            }
        }
        for (int a = CHANNELS; a <= WIDTH; a++) {
            if (a == axis) {
                if (reach < 0) {
                    throw new ShapeConflict("the slice would reach a negative size (" + reach + ")");
                }
                in.atLeast(a, reach);
            } else {
                in.update(a, out.range(a));
            }
        }
    }

    private static long sliceSize(int n) {
        if (n < 0) {
            throw new ShapeConflict("the slice would have a negative size (" + n + ")");
        }
        return n;
    }

    /**
     * The input is a vector of inputVectorSize channels, the output of outputVectorSize (twice that for a
     * bidirectional LSTM) with the input's sequence length, or 1 without sequenceOutput; each state, in or out, is
     * one step of outputVectorSize. Core ML shapes the states only when all state inputs are given.
     */
    private void recurrent(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        long inSize;
        long outSize;
        boolean sequenceOutput;
        int statePairs;
        switch (layer.getLayerCase()) {
            case SIMPLERECURRENT -> {
                inSize = layer.getSimpleRecurrent().getInputVectorSize();
                outSize = layer.getSimpleRecurrent().getOutputVectorSize();
                sequenceOutput = layer.getSimpleRecurrent().getSequenceOutput();
                statePairs = 1;
            }
            case GRU -> {
                inSize = layer.getGru().getInputVectorSize();
                outSize = layer.getGru().getOutputVectorSize();
                sequenceOutput = layer.getGru().getSequenceOutput();
                statePairs = 1;
            }
            case UNIDIRECTIONALLSTM -> {
                inSize = layer.getUniDirectionalLSTM().getInputVectorSize();
                outSize = layer.getUniDirectionalLSTM().getOutputVectorSize();
                sequenceOutput = layer.getUniDirectionalLSTM().getParams().getSequenceOutput();
                statePairs = 2;
            }
            default -> {
                inSize = layer.getBiDirectionalLSTM().getInputVectorSize();
                outSize = layer.getBiDirectionalLSTM().getOutputVectorSize();
                sequenceOutput = layer.getBiDirectionalLSTM().getParams().getSequenceOutput();
                statePairs = 4;
                in.atMost(SEQUENCE, 10000); // Core ML's longest sequence for a bidirectional LSTM
            }
        }
        in.set(CHANNELS, inSize);
        in.set(HEIGHT, 1);
        in.set(WIDTH, 1);
        out.set(CHANNELS, layer.getLayerCase() == LayerCase.BIDIRECTIONALLSTM ? 2 * outSize : outSize);
        out.set(HEIGHT, 1);
        out.set(WIDTH, 1);
        if (sequenceOutput) {
            out.update(SEQUENCE, in.range(SEQUENCE));
        } else {
            out.set(SEQUENCE, 1);
        }
        // States are shaped only when every state input is given (simpleRecurrent's one is required).
        if (layer.getInputCount() < statePairs + 1 || layer.getOutputCount() < statePairs + 1) {
            return;
        }
        for (int i = 1; i <= statePairs; i++) {
            for (BlobShape state : new BlobShape[] {in(layer, i), out(layer, i)}) {
                state.set(SEQUENCE, 1);
                state.set(CHANNELS, outSize);
                state.set(HEIGHT, 1);
                state.set(WIDTH, 1);
            }
        }
    }

    private void resizeBilinear(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape out = out(layer, 0);
        out.update(SEQUENCE, in.range(SEQUENCE));
        out.update(BATCH, in.range(BATCH));
        out.update(CHANNELS, in.range(CHANNELS));
        List<Long> target = layer.getResizeBilinear().getTargetSizeList();
        out.set(HEIGHT, target.size() == 2 && target.get(0) != 0 ? target.get(0) : 1);
        out.set(WIDTH, target.size() == 2 && target.get(1) != 0 ? target.get(1) : 1);
        in.update(SEQUENCE, out.range(SEQUENCE));
        in.update(BATCH, out.range(BATCH));
        in.update(CHANNELS, out.range(CHANNELS));
    }

    /** Boxes come as the sequence of the second input, each [1, 4 or 5, 1, 1]; one output crop per box. */
    private void cropResize(NeuralNetworkLayer layer) {
        BlobShape in = in(layer, 0);
        BlobShape boxes = in(layer, 1);
        BlobShape out = out(layer, 0);
        out.update(SEQUENCE, boxes.range(SEQUENCE));
        out.update(BATCH, in.range(BATCH));
        out.update(CHANNELS, in.range(CHANNELS));
        List<Long> target = layer.getCropResize().getTargetSizeList();
        out.set(HEIGHT, target.size() == 2 && target.get(0) != 0 ? target.get(0) : 1);
        out.set(WIDTH, target.size() == 2 && target.get(1) != 0 ? target.get(1) : 1);
        in.update(CHANNELS, out.range(CHANNELS));
        boxes.update(SEQUENCE, out.range(SEQUENCE));
        boxes.set(BATCH, 1);
        boxes.update(CHANNELS, new SizeRange(4, 5));
        boxes.set(WIDTH, 1);
        boxes.set(HEIGHT, 1);
    }
}
