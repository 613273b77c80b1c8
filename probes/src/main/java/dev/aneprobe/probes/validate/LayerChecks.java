package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.ActivationParams;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.coreml.BatchnormLayerParams;
import dev.aneprobe.probes.coreml.Convolution3DLayerParams;
import dev.aneprobe.probes.coreml.Pooling3DLayerParams;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.InnerProductLayerParams;
import dev.aneprobe.probes.coreml.LayerNormalizationLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Weights;
import java.util.List;

/**
 * Parameter checks of individual layer types: what Core ML refuses before it ever looks at a device (padding
 * type unset, weight counts that do not match the declared dimensions, float32 and float16 mixed in one layer).
 */
final class LayerChecks {
    private LayerChecks() {
    }

    /** ND layers whose {@code axis} must lie in [-rank, rank) of their first input. */
    private static final java.util.Set<NeuralNetworkLayer.LayerCase> AXIS_IN_RANK = java.util.EnumSet.of(
            NeuralNetworkLayer.LayerCase.CONCATND, NeuralNetworkLayer.LayerCase.SOFTMAXND,
            NeuralNetworkLayer.LayerCase.SPLITND, NeuralNetworkLayer.LayerCase.SLIDINGWINDOWS,
            NeuralNetworkLayer.LayerCase.TOPK, NeuralNetworkLayer.LayerCase.ARGMAX,
            NeuralNetworkLayer.LayerCase.ARGMIN, NeuralNetworkLayer.LayerCase.FLATTENTO2D,
            NeuralNetworkLayer.LayerCase.CUMSUM);

    static void check(NeuralNetworkLayer layer, String who, Model model, List<String> problems) {
        checkPrecision(layer, who, problems);
        if (AXIS_IN_RANK.contains(layer.getLayerCase())) {
            axisInRank(layer, who, problems, 0);
        }
        switch (layer.getLayerCase()) {
            case STACK:
                axisInRank(layer, who, problems, 1);
                break;
            case TRANSPOSE: {
                int n = layer.getTranspose().getAxesCount();
                if (n == 0) {
                    problems.add(who + " has no axes");
                } else if (rank(layer) > 0 && n != rank(layer)) {
                    problems.add(who + " axes has " + n + " entries but the input has rank " + rank(layer));
                }
                break;
            }
            case REVERSE:
                if (rank(layer) > 0 && layer.getReverse().getReverseDimCount() != rank(layer)) {
                    problems.add(who + " reverseDim has " + layer.getReverse().getReverseDimCount()
                            + " entries but the input has rank " + rank(layer));
                }
                break;
            case SPLITND: {
                var p = layer.getSplitND();
                long parts = p.getSplitSizesCount() > 0 ? p.getSplitSizesCount() : p.getNumSplits();
                if (parts != layer.getOutputCount()) {
                    problems.add(who + " splits into " + parts + " parts but has " + layer.getOutputCount()
                            + " outputs");
                }
                break;
            }
            case PADDING:
                if (layer.getPadding().getPaddingTypeCase()
                        == dev.aneprobe.probes.coreml.PaddingLayerParams.PaddingTypeCase.PADDINGTYPE_NOT_SET) {
                    problems.add(who + " has no padding type set (constant, reflection or replication)");
                }
                int borders = layer.getPadding().getPaddingAmounts().getBorderAmountsCount();
                if (borders != 0 && borders != 2) {
                    problems.add(who + " paddingAmounts must have 0 or 2 border pairs (has " + borders + ")");
                }
                break;
            case RESHAPE: {
                int n = layer.getReshape().getTargetShapeCount();
                if (n != 3 && n != 4) {
                    problems.add(who + " targetShape must have 3 or 4 entries (has " + n + ")");
                }
                break;
            }
            case PERMUTE:
                if (layer.getPermute().getAxisCount() != 4) {
                    problems.add(who + " axis must have 4 entries (has " + layer.getPermute().getAxisCount() + ")");
                }
                break;
            case SLICE: {
                if (layer.getSlice().getStride() < 1) {
                    problems.add(who + " stride must be at least 1");
                }
                long start = layer.getSlice().getStartIndex();
                long end = layer.getSlice().getEndIndex();
                if ((end > 0 && end < start) || (end < 0 && start < 0 && start > end)) {
                    problems.add(who + " endIndex " + end + " comes before startIndex " + start);
                }
                break;
            }
            case CLIP:
                uniformRange(layer.getClip().getMinVal(), layer.getClip().getMaxVal(), who, problems);
                break;
            case EXPANDDIMS:
                expandDims(layer, who, problems);
                break;
            case SQUEEZE:
                squeeze(layer, who, problems);
                break;
            case RANKPRESERVINGRESHAPE:
                rankPreservingReshape(layer, who, problems);
                break;
            case SCATTER:
                scatter(layer, who, problems);
                break;
            default:
                break;
        }
        switch (layer.getLayerCase()) {
            case CONVOLUTION:
                convolution(layer, who, model, problems);
                break;
            case POOLING:
                pooling(layer.getPooling(), who, problems);
                break;
            case INNERPRODUCT:
                innerProduct(layer.getInnerProduct(), who, problems);
                break;
            case BATCHNORM:
                batchnorm(layer.getBatchnorm(), who, problems);
                break;
            case SCALE: {
                long scale = product(layer.getScale().getShapeScaleList());
                count(layer.getScale().getScale(), scale, "scale", "the product of shapeScale", who, problems);
                if (layer.getScale().getHasBias()) {
                    count(layer.getScale().getBias(), product(layer.getScale().getShapeBiasList()), "bias",
                            "the product of shapeBias", who, problems);
                }
                break;
            }
            case BIAS:
                count(layer.getBias().getBias(), product(layer.getBias().getShapeList()), "bias",
                        "the product of shape", who, problems);
                break;
            case LOADCONSTANT:
                if (layer.getLoadConstant().getShapeCount() != 3) {
                    problems.add(who + " shape must have 3 dimensions [C, H, W]");
                }
                count(layer.getLoadConstant().getData(), product(layer.getLoadConstant().getShapeList()), "data",
                        "the product of shape", who, problems);
                break;
            case LOADCONSTANTND: {
                int n = layer.getLoadConstantND().getShapeCount();
                if (n < 1 || n > 5) {
                    problems.add(who + " shape must have 1 to 5 dimensions (has " + n + ")");
                }
                count(layer.getLoadConstantND().getData(), product(layer.getLoadConstantND().getShapeList()),
                        "data", "the product of shape", who, problems);
                break;
            }
            case EMBEDDING: {
                var p = layer.getEmbedding();
                count(p.getWeights(), p.getInputDim() * p.getOutputChannels(), "weights",
                        "inputDim × outputChannels", who, problems);
                if (p.getHasBias()) {
                    count(p.getBias(), p.getOutputChannels(), "bias", "outputChannels", who, problems);
                }
                break;
            }
            case EMBEDDINGND: {
                var p = layer.getEmbeddingND();
                count(p.getWeights(), p.getVocabSize() * p.getEmbeddingSize(), "weights",
                        "vocabSize × embeddingSize", who, problems);
                if (p.getHasBias()) {
                    count(p.getBias(), p.getEmbeddingSize(), "bias", "embeddingSize", who, problems);
                }
                break;
            }
            case BATCHEDMATMUL: {
                var p = layer.getBatchedMatmul();
                if (layer.getInputCount() == 1) {
                    count(p.getWeights(), p.getWeightMatrixFirstDimension() * p.getWeightMatrixSecondDimension(),
                            "weights", "weightMatrixFirstDimension × weightMatrixSecondDimension", who, problems);
                    if (p.getHasBias()) {
                        count(p.getBias(), p.getWeightMatrixSecondDimension(), "bias",
                                "weightMatrixSecondDimension", who, problems);
                    }
                } else if (p.getHasBias()) {
                    problems.add(who + " has a bias, which only a single-input batchedMatmul may have");
                }
                break;
            }
            case ACTIVATION:
                activation(layer.getActivation(), who, problems);
                break;
            case UPSAMPLE:
                upsample(layer.getUpsample(), who, problems);
                break;
            case LAYERNORMALIZATION:
                layerNorm(layer.getLayerNormalization(), who, problems);
                break;
            case SIMPLERECURRENT:
                RecurrentChecks.simpleRecurrent(layer.getSimpleRecurrent(), who, problems);
                break;
            case GRU:
                RecurrentChecks.gru(layer.getGru(), who, problems);
                break;
            case UNIDIRECTIONALLSTM:
                RecurrentChecks.uniDirectionalLstm(layer.getUniDirectionalLSTM(), who, problems);
                break;
            case BIDIRECTIONALLSTM:
                RecurrentChecks.biDirectionalLstm(layer.getBiDirectionalLSTM(), who, problems);
                break;
            case REORGANIZEDATA:
                if (layer.getReorganizeData().getBlockSize() < 2) {
                    problems.add(who + " blockSize must be at least 2");
                }
                break;
            case CUSTOM:
                if (layer.getCustom().getClassName().isEmpty()) {
                    problems.add(who + " has no className");
                }
                break;
            case CONVOLUTION3D:
                convolution3d(layer.getConvolution3D(), who, problems);
                break;
            case POOLING3D:
                pooling3d(layer.getPooling3D(), who, problems);
                break;
            case RANDOMNORMALSTATIC:
                requireShape(layer.getRandomNormalStatic().getOutputShapeCount(), who, problems);
                break;
            case RANDOMUNIFORMSTATIC:
                requireShape(layer.getRandomUniformStatic().getOutputShapeCount(), who, problems);
                uniformRange(layer.getRandomUniformStatic().getMinVal(),
                        layer.getRandomUniformStatic().getMaxVal(), who, problems);
                break;
            case RANDOMUNIFORMLIKE:
                uniformRange(layer.getRandomUniformLike().getMinVal(), layer.getRandomUniformLike().getMaxVal(),
                        who, problems);
                break;
            case RANDOMUNIFORMDYNAMIC:
                uniformRange(layer.getRandomUniformDynamic().getMinVal(),
                        layer.getRandomUniformDynamic().getMaxVal(), who, problems);
                break;
            case RANDOMBERNOULLISTATIC:
                requireShape(layer.getRandomBernoulliStatic().getOutputShapeCount(), who, problems);
                probability(layer.getRandomBernoulliStatic().getProb(), who, problems);
                break;
            case RANDOMBERNOULLILIKE:
                probability(layer.getRandomBernoulliLike().getProb(), who, problems);
                break;
            case RANDOMBERNOULLIDYNAMIC:
                probability(layer.getRandomBernoulliDynamic().getProb(), who, problems);
                break;
            case ARGSORT:
                if (layer.getArgSort().getAxis() < 0
                        || (rank(layer) > 0 && layer.getArgSort().getAxis() >= rank(layer))) {
                    problems.add(who + " axis " + layer.getArgSort().getAxis() + " must lie in [0, rank)");
                }
                break;
            case REDUCEL1:
            case REDUCEL2:
            case REDUCEMAX:
            case REDUCEMIN:
            case REDUCESUM:
            case REDUCEPROD:
            case REDUCEMEAN:
            case REDUCELOGSUM:
            case REDUCESUMSQUARE:
            case REDUCELOGSUMEXP:
                reduceAxes(layer, who, problems);
                break;
            default:
                break;
        }
    }

    private static void convolution(NeuralNetworkLayer layer, String who, Model model, List<String> problems) {
        ConvolutionLayerParams p = layer.getConvolution();
        if (p.getConvolutionPaddingTypeCase() == ConvolutionLayerParams.ConvolutionPaddingTypeCase
                .CONVOLUTIONPADDINGTYPE_NOT_SET) {
            problems.add(who + " has no padding type set (valid or same)");
        }
        long[] k = pairOr(p.getKernelSizeList(), 3, "kernelSize", who, problems);
        pairOr(p.getStrideList(), 1, "stride", who, problems);
        long[] d = pairOr(p.getDilationFactorList(), 1, "dilationFactor", who, problems);
        if (k == null || d == null) {
            return;
        }
        long groups = Math.max(1, p.getNGroups());
        if (p.getOutputChannels() <= 0 || p.getKernelChannels() <= 0) {
            problems.add(who + " outputChannels and kernelChannels must be positive");
            return;
        }
        if (p.getIsDeconvolution() && (d[0] != 1 || d[1] != 1)) {
            problems.add(who + " is a deconvolution with dilation " + d[0] + "x" + d[1]
                    + "; deconvolution does not support dilation");
        }
        if (p.getOutputChannels() % groups != 0) {
            problems.add(who + " outputChannels " + p.getOutputChannels() + " is not divisible by nGroups " + groups);
        }
        if (layer.getInputCount() == 1) {
            long expected = p.getIsDeconvolution()
                    ? p.getKernelChannels() * (p.getOutputChannels() / groups) * k[0] * k[1]
                    : p.getOutputChannels() * p.getKernelChannels() * k[0] * k[1];
            String formula = p.getIsDeconvolution()
                    ? "kernelChannels × outputChannels / nGroups × kernel height × width"
                    : "outputChannels × kernelChannels × kernel height × width";
            count(p.getWeights(), expected, "weights", formula, who, problems);
        }
        if (p.getHasBias()) {
            count(p.getBias(), p.getOutputChannels(), "bias", "outputChannels", who, problems);
        }
        Long inChannels = channelsOfModelInput(model, layer.getInput(0));
        if (inChannels != null) {
            long expectedIn = p.getIsDeconvolution() ? p.getKernelChannels() : p.getKernelChannels() * groups;
            if (inChannels != expectedIn) {
                problems.add(who + " input has " + inChannels + " channels but kernelChannels"
                        + (p.getIsDeconvolution() ? "" : " × nGroups") + " = " + expectedIn);
            }
        }
    }

    private static void convolution3d(Convolution3DLayerParams p, String who, List<String> problems) {
        long[] all = {p.getOutputChannels(), p.getInputChannels(), p.getNGroups(), p.getKernelDepth(),
            p.getKernelHeight(), p.getKernelWidth(), p.getStrideDepth(), p.getStrideHeight(), p.getStrideWidth(),
            p.getDilationDepth(), p.getDilationHeight(), p.getDilationWidth()};
        for (long v : all) {
            if (v <= 0) {
                problems.add(who + " channels, groups, kernel, stride and dilation must all be positive "
                        + "(dilation defaults to 0 and must be set)");
                return;
            }
        }
        long k = p.getKernelDepth() * p.getKernelHeight() * p.getKernelWidth();
        long expected = p.getIsDeconvolution()
                ? p.getOutputChannels() / p.getNGroups() * p.getInputChannels() * k
                : p.getOutputChannels() * (p.getInputChannels() / p.getNGroups()) * k;
        count(p.getWeights(), expected, "weights", p.getIsDeconvolution()
                ? "outputChannels / nGroups × inputChannels × kernel volume"
                : "outputChannels × inputChannels / nGroups × kernel volume", who, problems);
        if (p.getHasBias()) {
            count(p.getBias(), p.getOutputChannels(), "bias", "outputChannels", who, problems);
        }
        if (Messages.count(p.getWeights()) < 0) {
            problems.add(who + " weights are quantized, which convolution3d does not allow");
        }
        if (p.getOutputShapeCount() > 0 && (!p.getIsDeconvolution() || p.getOutputShapeCount() != 3)) {
            problems.add(who + " outputShape is only for a deconvolution, with 3 values");
        }
    }

    private static void pooling3d(Pooling3DLayerParams p, String who, List<String> problems) {
        long[] all = {p.getKernelDepth(), p.getKernelHeight(), p.getKernelWidth(), p.getStrideDepth(),
            p.getStrideHeight(), p.getStrideWidth()};
        for (long v : all) {
            if (v <= 0) {
                problems.add(who + " kernel and stride must be positive");
                return;
            }
        }
        long[] pads = {p.getCustomPaddingFront(), p.getCustomPaddingBack(), p.getCustomPaddingTop(),
            p.getCustomPaddingBottom(), p.getCustomPaddingLeft(), p.getCustomPaddingRight()};
        for (long v : pads) {
            if (v < 0) {
                problems.add(who + " custom padding must not be negative");
                return;
            }
            if (v > 0 && p.getPaddingType() != Pooling3DLayerParams.Pooling3DPaddingType.CUSTOM) {
                problems.add(who + " sets custom padding amounts but its padding type is " + p.getPaddingType());
                return;
            }
        }
    }

    /**
     * expandDims: a non-empty list of distinct axes; with both tensors declared, output rank = input rank + the
     * number of axes, and every axis names a distinct dimension of the output, in [-output rank, output rank).
     */
    private static void expandDims(NeuralNetworkLayer layer, String who, List<String> problems) {
        List<Long> axes = layer.getExpandDims().getAxesList();
        if (axes.isEmpty()) {
            problems.add(who + " has no axes");
            return;
        }
        if (!distinct(axes, who, problems) || layer.getInputTensorCount() == 0
                || layer.getOutputTensorCount() == 0) {
            return;
        }
        long in = layer.getInputTensor(0).getRank();
        long out = layer.getOutputTensor(0).getRank();
        if (in + axes.size() != out) {
            problems.add(who + " output rank " + out + " is not the input rank " + in + " plus "
                    + axes(axes.size()));
            return;
        }
        axesWithin(axes, out, "output", who, problems);
    }

    /**
     * squeeze (unless squeezeAll): a non-empty list of distinct axes; with both tensors declared, output rank +
     * the number of axes = input rank (not checked for a rank-1 input, which stays rank 1), and every axis names a
     * distinct dimension of the input, in [-input rank, input rank).
     */
    private static void squeeze(NeuralNetworkLayer layer, String who, List<String> problems) {
        if (layer.getSqueeze().getSqueezeAll()) {
            return;
        }
        List<Long> axes = layer.getSqueeze().getAxesList();
        if (axes.isEmpty()) {
            problems.add(who + " has no axes (and squeezeAll is false)");
            return;
        }
        if (!distinct(axes, who, problems) || layer.getInputTensorCount() == 0
                || layer.getOutputTensorCount() == 0) {
            return;
        }
        long in = layer.getInputTensor(0).getRank();
        long out = layer.getOutputTensor(0).getRank();
        if (in != 1 && out + axes.size() != in) {
            problems.add(who + " output rank " + out + " plus " + axes(axes.size()) + " is not the input rank "
                    + in);
            return;
        }
        axesWithin(axes, in, "input", who, problems);
    }

    private static String axes(int n) {
        return n + (n == 1 ? " axis" : " axes");
    }

    /** Each axis value appears once; reports the first repeat. */
    private static boolean distinct(List<Long> axes, String who, List<String> problems) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (long a : axes) {
            if (!seen.add(a)) {
                problems.add(who + " axes list " + a + " twice");
                return false;
            }
        }
        return true;
    }

    /** Every axis lies in [-rank, rank) of the named tensor, and no two name the same dimension of it. */
    private static void axesWithin(List<Long> axes, long rank, String tensor, String who, List<String> problems) {
        java.util.Map<Long, Long> byDim = new java.util.HashMap<>();
        for (long a : axes) {
            long dim = a < 0 ? a + rank : a;
            Long other = byDim.putIfAbsent(dim, a);
            if (other != null) {
                problems.add(who + " axes " + other + " and " + a + " name the same dimension of the rank-" + rank
                        + " " + tensor);
                return;
            }
        }
        for (long a : axes) {
            if (a < -rank || a >= rank) {
                problems.add(who + " axis " + a + " is outside [-" + rank + ", " + rank + ") of the rank-" + rank
                        + " " + tensor);
                return;
            }
        }
    }

    /**
     * rankPreservingReshape: both tensors declared (the rank is what the layer preserves), a targetShape, and as
     * many targetShape entries as the input rank. Equal input and output ranks are the layer's rank rule.
     */
    private static void rankPreservingReshape(NeuralNetworkLayer layer, String who, List<String> problems) {
        if (layer.getInputTensorCount() == 0 || layer.getOutputTensorCount() == 0) {
            problems.add(who + " must declare its input and output tensors (their ranks)");
            return;
        }
        int n = layer.getRankPreservingReshape().getTargetShapeCount();
        if (n == 0) {
            problems.add(who + " has no targetShape");
            return;
        }
        long in = layer.getInputTensor(0).getRank();
        if (n != in) {
            problems.add(who + " targetShape has " + n + " entries but the input has rank " + in);
        }
    }

    /**
     * scatter, with its input tensors declared: the updates (input 2) have the container's (input 0) rank, the
     * indices (input 1) are 1-D, and the output has the container's rank. Counts are the arity and tensor rules.
     */
    private static void scatter(NeuralNetworkLayer layer, String who, List<String> problems) {
        if (layer.getInputTensorCount() != 3) {
            return;
        }
        long container = layer.getInputTensor(0).getRank();
        long indices = layer.getInputTensor(1).getRank();
        long updates = layer.getInputTensor(2).getRank();
        if (indices != 1) {
            problems.add(who + " indices (input 1) have rank " + indices + "; scatter takes rank-1 indices");
        }
        if (updates != container) {
            problems.add(who + " updates (input 2) have rank " + updates + " but the container (input 0) has rank "
                    + container);
        }
        if (layer.getOutputTensorCount() == 1 && layer.getOutputTensor(0).getRank() != container) {
            problems.add(who + " output has rank " + layer.getOutputTensor(0).getRank()
                    + " but the container (input 0) has rank " + container);
        }
    }

    private static void requireShape(int dims, String who, List<String> problems) {
        if (dims == 0) {
            problems.add(who + " has no outputShape");
        }
    }

    private static void uniformRange(float min, float max, String who, List<String> problems) {
        if (min > max) {
            problems.add(who + " minVal " + min + " is greater than maxVal " + max);
        }
    }

    private static void probability(float prob, String who, List<String> problems) {
        if (prob < 0 || prob > 1) {
            problems.add(who + " prob " + prob + " is outside [0, 1]");
        }
    }

    /** Rank of the first input, as the layer's input tensor declares it; 0 when not declared. */
    private static int rank(NeuralNetworkLayer layer) {
        return layer.getInputTensorCount() > 0 ? (int) layer.getInputTensor(0).getRank() : 0;
    }

    /** The layer's {@code axis} lies in [-(rank + extra), rank + extra) when the input rank is declared. */
    private static void axisInRank(NeuralNetworkLayer layer, String who, List<String> problems, int extra) {
        Message params = Messages.params(layer);
        FieldDescriptor f = params.getDescriptorForType().findFieldByName("axis");
        int r = rank(layer);
        if (f == null || r == 0) {
            return;
        }
        long axis = ((Number) params.getField(f)).longValue();
        int bound = r + extra;
        if (axis < -bound || axis >= bound) {
            problems.add(who + " axis " + axis + " is outside [-" + bound + ", " + bound + ")");
        }
    }

    private static void reduceAxes(NeuralNetworkLayer layer, String who, List<String> problems) {
        Message params = Messages.params(layer);
        FieldDescriptor axesField = params.getDescriptorForType().findFieldByName("axes");
        FieldDescriptor allField = params.getDescriptorForType().findFieldByName("reduceAll");
        int r = rank(layer);
        if (axesField == null || r == 0 || (allField != null && (Boolean) params.getField(allField))) {
            return;
        }
        for (Object a : (List<?>) params.getField(axesField)) {
            long axis = (Long) a;
            if (axis < -r || axis >= r) {
                problems.add(who + " axis " + axis + " is outside [-" + r + ", " + r + ")");
                return;
            }
        }
    }

    private static void pooling(PoolingLayerParams p, String who, List<String> problems) {
        if (p.getPoolingPaddingTypeCase() == PoolingLayerParams.PoolingPaddingTypeCase.POOLINGPADDINGTYPE_NOT_SET) {
            problems.add(who + " has no padding type set (valid, same or includeLastPixel)");
        }
        pairOr(p.getKernelSizeList(), 3, "kernelSize", who, problems);
        pairOr(p.getStrideList(), 1, "stride", who, problems);
        if (p.hasIncludeLastPixel()) {
            int n = p.getIncludeLastPixel().getPaddingAmountsCount();
            if (n != 0 && n != 2) {
                problems.add(who + " includeLastPixel paddingAmounts must have 0 or 2 values (has " + n + ")");
            }
        }
    }

    private static void innerProduct(InnerProductLayerParams p, String who, List<String> problems) {
        count(p.getWeights(), p.getInputChannels() * p.getOutputChannels(), "weights",
                "inputChannels × outputChannels", who, problems);
        if (p.getHasBias()) {
            count(p.getBias(), p.getOutputChannels(), "bias", "outputChannels", who, problems);
        }
    }

    private static void batchnorm(BatchnormLayerParams p, String who, List<String> problems) {
        count(p.getGamma(), p.getChannels(), "gamma", "channels", who, problems);
        count(p.getBeta(), p.getChannels(), "beta", "channels", who, problems);
        if (!p.getComputeMeanVar()) {
            count(p.getMean(), p.getChannels(), "mean", "channels", who, problems);
            count(p.getVariance(), p.getChannels(), "variance", "channels", who, problems);
        }
    }

    private static void activation(ActivationParams a, String who, List<String> problems) {
        if (a.getNonlinearityTypeCase() == ActivationParams.NonlinearityTypeCase.NONLINEARITYTYPE_NOT_SET) {
            problems.add(who + " has no activation kind set");
        } else if (a.hasPReLU() && Messages.count(a.getPReLU().getAlpha()) == 0) {
            problems.add(who + " PReLU has no alpha values");
        } else if (a.hasParametricSoftplus() && (Messages.count(a.getParametricSoftplus().getAlpha()) == 0
                || Messages.count(a.getParametricSoftplus().getBeta()) == 0)) {
            problems.add(who + " parametric softplus needs alpha and beta values");
        }
    }

    private static void upsample(UpsampleLayerParams p, String who, List<String> problems) {
        int s = p.getScalingFactorCount();
        int f = p.getFractionalScalingFactorCount();
        boolean ok = s == 0 ? (f == 0 || f == 2) : (f == 0 && s == 2);
        if (!ok) {
            problems.add(who + " must set either scalingFactor or fractionalScalingFactor, with 2 values (has "
                    + s + " and " + f + ")");
            return;
        }
        if (f == 2 && (p.getMode() == UpsampleLayerParams.InterpolationMode.NN
                || p.getLinearUpsampleMode() == UpsampleLayerParams.LinearUpsampleMode.DEFAULT)) {
            problems.add(who + " uses fractional scaling factors, which need BILINEAR mode with "
                    + "ALIGN_CORNERS_TRUE or ALIGN_CORNERS_FALSE");
        }
        if (p.getLinearUpsampleMode() != UpsampleLayerParams.LinearUpsampleMode.DEFAULT
                && p.getMode() == UpsampleLayerParams.InterpolationMode.NN) {
            problems.add(who + " uses nearest neighbour with a linear upsample mode other than DEFAULT");
        }
        // No rule on the integer factors' values: Core ML's layer validator checks only their count, and its shape
        // propagation reads a factor of 0 as 1, so a model with one is accepted (and so is not INVALID here).
    }

    private static void layerNorm(LayerNormalizationLayerParams p, String who, List<String> problems) {
        if (p.getNormalizedShapeCount() == 0) {
            problems.add(who + " has no normalizedShape");
            return;
        }
        long n = product(p.getNormalizedShapeList());
        if (Weights.float32Count(p.getGamma()) != n || Weights.float32Count(p.getBeta()) != n) {
            problems.add(who + " gamma and beta must hold " + n + " float32 values each (the product of "
                    + "normalizedShape; float16 and quantized values are not allowed)");
        }
    }

    /** Weights and bias of one layer must be all float32 or all float16. */
    private static void checkPrecision(NeuralNetworkLayer layer, String who, List<String> problems) {
        var params = Messages.params(layer);
        if (params == null) {
            return;
        }
        boolean[] seen = new boolean[2];
        boolean[] mixedInOne = {false};
        Messages.forEachWeights(params, (field, w) -> {
            boolean f32 = Weights.float32Count(w) > 0;
            boolean f16 = !w.getFloat16Value().isEmpty();
            if (f32 && f16) {
                mixedInOne[0] = true;
            }
            seen[0] |= f32;
            seen[1] |= f16;
            if (f16 && w.getFloat16Value().size() % 2 != 0) {
                problems.add(who + " " + field + " float16 bytes have odd length " + w.getFloat16Value().size());
            }
        });
        if (mixedInOne[0]) {
            problems.add(who + " has a weights field holding both float32 and float16 values");
        } else if (seen[0] && seen[1] && layer.getLayerCase() != NeuralNetworkLayer.LayerCase.LAYERNORMALIZATION) {
            problems.add(who + " mixes float32 and float16 weights; weights and bias must share one precision");
        }
    }

    private static void count(WeightParams w, long expected, String field, String formula, String who,
            List<String> problems) {
        long actual = Messages.count(w);
        if (actual >= 0 && actual != expected) {
            problems.add(who + " " + field + " hold " + actual + " values but " + formula + " = " + expected);
        }
    }

    /** A kernel/stride/dilation field: empty means the default; otherwise exactly 2 positive values. */
    private static long[] pairOr(List<Long> values, long dflt, String field, String who, List<String> problems) {
        if (values.isEmpty()) {
            return new long[] {dflt, dflt};
        }
        if (values.size() != 2) {
            problems.add(who + " " + field + " must have 2 values [height, width] (has " + values.size() + ")");
            return null;
        }
        if (values.get(0) <= 0 || values.get(1) <= 0) {
            problems.add(who + " " + field + " values must be positive");
            return null;
        }
        return new long[] {values.get(0), values.get(1)};
    }

    private static long product(List<Long> dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Channels of a model input read directly by the layer: C of [C,H,W] or of [N,C,H,W]; null if unknown. */
    private static Long channelsOfModelInput(Model model, String blob) {
        for (FeatureDescription f : model.getDescription().getInputList()) {
            if (f.getName().equals(blob) && f.getType().hasMultiArrayType()) {
                List<Long> s = f.getType().getMultiArrayType().getShapeList();
                if (s.size() >= 3) {
                    return s.get(s.size() - 3);
                }
            }
        }
        return null;
    }
}
