package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.AddLayerParams;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.BorderAmounts;
import dev.aneprobe.probes.coreml.ConcatLayerParams;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.CropLayerParams;
import dev.aneprobe.probes.coreml.DotProductLayerParams;
import dev.aneprobe.probes.coreml.EmbeddingLayerParams;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.FlattenLayerParams;
import dev.aneprobe.probes.coreml.InnerProductLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantLayerParams;
import dev.aneprobe.probes.coreml.MaxLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.MultiplyLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.PaddingLayerParams;
import dev.aneprobe.probes.coreml.PermuteLayerParams;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ReduceLayerParams;
import dev.aneprobe.probes.coreml.ReorganizeDataLayerParams;
import dev.aneprobe.probes.coreml.ReshapeLayerParams;
import dev.aneprobe.probes.coreml.SamePadding;
import dev.aneprobe.probes.coreml.SequenceRepeatLayerParams;
import dev.aneprobe.probes.coreml.SliceLayerParams;
import dev.aneprobe.probes.coreml.SplitLayerParams;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.model.Weights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Core ML's rank-5 shape propagation: per layer kind a model it shapes cleanly and one broken in exactly one way,
 * with the exact warning (Core ML accepts such a model, reporting POTENTIALLY_INVALID_NEURAL_NETWORK_SHAPES).
 * Models are x → probe → y unless said otherwise; shapes are [channels, height, width].
 */
class Rank5ShapesTest {
    private final ModelValidator validator = new ModelValidator();

    // ---- building models ----

    private static FeatureDescription f32(String name, long... dims) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(ArrayFeatureType.ArrayDataType.FLOAT32);
        for (long d : dims) {
            a.addShape(d);
        }
        return FeatureDescription.newBuilder().setName(name).setType(FeatureType.newBuilder().setMultiArrayType(a))
                .build();
    }

    private static long[] s(long... dims) {
        return dims;
    }

    private static NeuralNetworkLayer.Builder layer(String name, List<String> in, List<String> out) {
        return NeuralNetworkLayer.newBuilder().setName(name).addAllInput(in).addAllOutput(out);
    }

    private static NeuralNetworkLayer.Builder probe() {
        return layer("probe", List.of("x"), List.of("y"));
    }

    private static Model model(List<FeatureDescription> inputs, List<FeatureDescription> outputs,
            NeuralNetworkLayer.Builder... layers) {
        Model.Builder m = Model.newBuilder();
        m.getDescriptionBuilder().addAllInput(inputs).addAllOutput(outputs);
        for (NeuralNetworkLayer.Builder l : layers) {
            m.getNeuralNetworkBuilder().addLayers(l);
        }
        Model unversioned = m.build();
        return unversioned.toBuilder().setSpecificationVersion(SpecificationVersions.required(unversioned)).build();
    }

    /** x of shape {@code in} → the layer → y declared {@code out}. */
    private static Model single(long[] in, long[] out, NeuralNetworkLayer.Builder layer) {
        return model(List.of(f32("x", in)), List.of(f32("y", out)), layer);
    }

    private static ActivationParams relu() {
        return ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()).build();
    }

    private static BorderAmounts borders(long top, long bottom, long left, long right) {
        return BorderAmounts.newBuilder()
                .addBorderAmounts(BorderAmounts.EdgeSizes.newBuilder().setStartEdgeSize(top).setEndEdgeSize(bottom))
                .addBorderAmounts(BorderAmounts.EdgeSizes.newBuilder().setStartEdgeSize(left).setEndEdgeSize(right))
                .build();
    }

    private static ConvolutionLayerParams.Builder conv(long cout, long kernelChannels, long kh, long kw, long stride) {
        return ConvolutionLayerParams.newBuilder().setOutputChannels(cout).setKernelChannels(kernelChannels)
                .addKernelSize(kh).addKernelSize(kw).addStride(stride).addStride(stride)
                .setValid(ValidPadding.getDefaultInstance())
                .setWeights(Weights.constant(cout * kernelChannels * kh * kw, 0.5f));
    }

    private static PoolingLayerParams.Builder pool(long kh, long kw, long stride) {
        return PoolingLayerParams.newBuilder().addKernelSize(kh).addKernelSize(kw).addStride(stride).addStride(stride)
                .setValid(ValidPadding.getDefaultInstance());
    }

    /** A baseline probe of the catalog, already valid, with {@code change} applied. */
    private static Model baseline(String family, UnaryOperator<Model.Builder> change) {
        Catalog catalog = Catalog.standard();
        ProbeFamily f = catalog.family(family);
        Model m = new ProbeGenerator(catalog).build(f, f.baseline()).model();
        return change.apply(m.toBuilder()).build();
    }

    private static UnaryOperator<Model.Builder> output(int i, long... dims) {
        return m -> {
            m.getDescriptionBuilder().setOutput(i, f32(m.getDescription().getOutput(i).getName(), dims));
            return m;
        };
    }

    private static UnaryOperator<Model.Builder> input(int i, long... dims) {
        return m -> {
            m.getDescriptionBuilder().setInput(i, f32(m.getDescription().getInput(i).getName(), dims));
            return m;
        };
    }

    // ---- asserting ----

    private void assertShaped(Model m) {
        ValidationResult r = validator.validate(m);
        assertEquals(List.of(), r.problems());
        assertEquals(List.of(), r.warnings());
    }

    private void assertWarns(Model m, String warning) {
        ValidationResult r = validator.validate(m);
        assertEquals(List.of(), r.problems(), "the model itself must be valid");
        assertEquals(List.of(warning), r.warnings());
    }

    private static String layerWarning(String type, String detail) {
        return "layer 'probe' (" + type + ") cannot be shaped: " + detail;
    }

    private static String outputWarning(String declared, String made) {
        return "model output 'y' is declared " + declared + " (channels, height, width), but the layers make it "
                + made;
    }

    // ---- convolution ----

    @Test
    void convolutionValidPadding() {
        assertShaped(single(s(8, 10, 10), s(4, 8, 8), probe().setConvolution(conv(4, 8, 3, 3, 1))));
        assertWarns(single(s(8, 10, 10), s(4, 7, 7), probe().setConvolution(conv(4, 8, 3, 3, 1))),
                outputWarning("[4, 7, 7]", "[4, 8, 8]"));
        assertWarns(single(s(8, 2, 10), s(4, 1, 8), probe().setConvolution(conv(4, 8, 3, 3, 1))),
                layerWarning("convolution", "the height of blob 'x' is 2 but must be at least 3"));
        // Explicit padding lets the kernel fit: (2 + 2 - 3) / 1 + 1 = 2.
        assertShaped(single(s(8, 2, 10), s(4, 2, 8), probe().setConvolution(conv(4, 8, 3, 3, 1)
                .setValid(ValidPadding.newBuilder().setPaddingAmounts(borders(1, 1, 0, 0))))));
    }

    @Test
    void convolutionWithStrideThreeBoundsTheInputFromAbove() {
        // (7 - 3) / 3 + 1 = 2, and the input may be at most (2 - 1) × 3 + 3 + 1 = 7.
        assertShaped(single(s(8, 7, 7), s(4, 2, 2), probe().setConvolution(conv(4, 8, 3, 3, 3))));
        // (8 - 3) / 3 + 1 = 2 as well, but 8 exceeds that bound: Core ML gives up (the output size is right).
        assertWarns(single(s(8, 8, 8), s(4, 2, 2), probe().setConvolution(conv(4, 8, 3, 3, 3))),
                layerWarning("convolution", "the height of blob 'x' is 8 but must be at most 7"));
    }

    @Test
    void convolutionChannelsComeFromKernelChannelsTimesGroups() {
        NeuralNetworkLayer.Builder first = layer("aux_relu", List.of("x"), List.of("t")).setActivation(relu());
        NeuralNetworkLayer.Builder good = layer("probe", List.of("t"), List.of("y"))
                .setConvolution(conv(4, 8, 1, 1, 1));
        NeuralNetworkLayer.Builder bad = layer("probe", List.of("t"), List.of("y"))
                .setConvolution(conv(4, 4, 1, 1, 1));
        assertShaped(model(List.of(f32("x", 8, 4, 4)), List.of(f32("y", 4, 4, 4)), first, good));
        assertWarns(model(List.of(f32("x", 8, 4, 4)), List.of(f32("y", 4, 4, 4)), first.clone(), bad),
                layerWarning("convolution", "the channel count of blob 't' is 8 but must be 4"));
    }

    @Test
    void convolutionSamePadding() {
        ConvolutionLayerParams.Builder same = conv(4, 8, 3, 3, 2).setSame(SamePadding.getDefaultInstance());
        assertShaped(single(s(8, 5, 5), s(4, 3, 3), probe().setConvolution(same)));
        assertWarns(single(s(8, 5, 5), s(4, 5, 5), probe().setConvolution(same)),
                outputWarning("[4, 5, 5]", "[4, 3, 3]"));
    }

    @Test
    void deconvolution() {
        ConvolutionLayerParams.Builder deconv = conv(4, 8, 3, 3, 2).setIsDeconvolution(true);
        // (4 - 1) × 2 + 3 = 9
        assertShaped(single(s(8, 4, 4), s(4, 9, 9), probe().setConvolution(deconv)));
        assertWarns(single(s(8, 4, 4), s(4, 8, 8), probe().setConvolution(deconv)),
                outputWarning("[4, 8, 8]", "[4, 9, 9]"));
        // outputShape sets height and width outright.
        ConvolutionLayerParams.Builder shaped = deconv.clone().addOutputShape(10).addOutputShape(10);
        assertShaped(single(s(8, 4, 4), s(4, 10, 10), probe().setConvolution(shaped)));
        assertWarns(single(s(8, 4, 4), s(4, 9, 9), probe().setConvolution(shaped)),
                outputWarning("[4, 9, 9]", "[4, 10, 10]"));
        // Same padding multiplies by the stride.
        ConvolutionLayerParams.Builder same = deconv.clone().setSame(SamePadding.getDefaultInstance());
        assertShaped(single(s(8, 4, 4), s(4, 8, 8), probe().setConvolution(same)));
    }

    // ---- pooling ----

    @Test
    void poolingValid() {
        assertShaped(single(s(8, 10, 10), s(8, 4, 4), probe().setPooling(pool(3, 3, 2))));
        assertWarns(single(s(8, 2, 10), s(8, 1, 4), probe().setPooling(pool(3, 3, 2))),
                layerWarning("pooling", "the height of blob 'x' is 2 but must be at least 3"));
        assertWarns(single(s(8, 10, 10), s(8, 5, 5), probe().setPooling(pool(3, 3, 2))),
                outputWarning("[8, 5, 5]", "[8, 4, 4]"));
    }

    @Test
    void poolingSameAndGlobal() {
        PoolingLayerParams.Builder same = pool(3, 3, 2).setSame(SamePadding.getDefaultInstance());
        assertShaped(single(s(8, 5, 5), s(8, 3, 3), probe().setPooling(same)));
        assertWarns(single(s(8, 5, 5), s(8, 2, 2), probe().setPooling(same)),
                outputWarning("[8, 2, 2]", "[8, 3, 3]"));
        PoolingLayerParams.Builder global = pool(3, 3, 1).setGlobalPooling(true);
        assertShaped(single(s(8, 5, 7), s(8, 1, 1), probe().setPooling(global)));
        assertWarns(single(s(8, 5, 7), s(8, 5, 7), probe().setPooling(global)),
                outputWarning("[8, 5, 7]", "[8, 1, 1]"));
    }

    @Test
    void poolingIncludeLastPixel() {
        PoolingLayerParams.Builder plain = pool(2, 2, 2)
                .setIncludeLastPixel(PoolingLayerParams.ValidCompletePadding.getDefaultInstance());
        // ceil((5 - 2) / 2) + 1 = 3
        assertShaped(single(s(8, 5, 5), s(8, 3, 3), probe().setPooling(plain)));
        assertWarns(single(s(8, 5, 5), s(8, 2, 2), probe().setPooling(plain)),
                outputWarning("[8, 2, 2]", "[8, 3, 3]"));
        // With padding 1 and 1 + 2 × 2 ≥ 3 + 2, Core ML takes one off: ceil((5 + 2 - 3) / 2) + 1 - 1 = 2.
        PoolingLayerParams.Builder padded = pool(3, 3, 2).setIncludeLastPixel(
                PoolingLayerParams.ValidCompletePadding.newBuilder().addPaddingAmounts(1).addPaddingAmounts(1));
        assertShaped(single(s(8, 5, 5), s(8, 2, 2), probe().setPooling(padded)));
        assertWarns(single(s(8, 5, 5), s(8, 3, 3), probe().setPooling(padded)),
                outputWarning("[8, 3, 3]", "[8, 2, 2]"));
        // The width's window bounds the input height: 7 - 1 + 3 = 9 > 2.
        PoolingLayerParams.Builder wide = pool(1, 3, 1)
                .setIncludeLastPixel(PoolingLayerParams.ValidCompletePadding.getDefaultInstance());
        assertWarns(single(s(8, 2, 9), s(8, 2, 7), probe().setPooling(wide)),
                layerWarning("pooling", "the height of blob 'x' is 2 but must be at least 9"));
    }

    // ---- shape-keeping layers ----

    @Test
    void unchangedShape() {
        assertShaped(single(s(8, 4, 4), s(8, 4, 4), probe().setActivation(relu())));
        assertWarns(single(s(8, 4, 4), s(8, 4, 5), probe().setActivation(relu())),
                outputWarning("[8, 4, 5]", "[8, 4, 4]"));
    }

    @Test
    void maxAndMinKeepTheFirstInputsShape() {
        NeuralNetworkLayer.Builder max = layer("probe", List.of("x", "x2"), List.of("y"))
                .setMax(MaxLayerParams.getDefaultInstance());
        assertShaped(model(List.of(f32("x", 8, 4, 4), f32("x2", 8, 1, 1)), List.of(f32("y", 8, 4, 4)), max));
        assertWarns(model(List.of(f32("x", 8, 1, 1), f32("x2", 8, 4, 4)), List.of(f32("y", 8, 4, 4)), max.clone()),
                outputWarning("[8, 4, 4]", "[8, 1, 1]"));
    }

    // ---- vectors ----

    @Test
    void innerProduct() {
        InnerProductLayerParams.Builder ip = InnerProductLayerParams.newBuilder().setInputChannels(5)
                .setOutputChannels(3).setWeights(Weights.constant(15, 0.5f));
        assertShaped(single(s(5), s(3), probe().setInnerProduct(ip)));
        assertWarns(single(s(5), s(4), probe().setInnerProduct(ip)),
                "model output 'y' is declared [4], which a rank-5 network reads as [4, 1, 1] (channels, height, "
                        + "width), but the layers make it [3, 1, 1]");
        InnerProductLayerParams.Builder four = ip.clone().setInputChannels(4).setWeights(Weights.constant(12, 0.5f));
        assertWarns(single(s(5), s(3), probe().setInnerProduct(four)),
                layerWarning("innerProduct", "the channel count of blob 'x' is 5 but must be 4"));
        assertWarns(single(s(5, 2, 2), s(3), probe().setInnerProduct(ip)),
                layerWarning("innerProduct", "the height of blob 'x' is 2 but must be 1"));
    }

    @Test
    void embedding() {
        EmbeddingLayerParams.Builder e = EmbeddingLayerParams.newBuilder().setInputDim(10).setOutputChannels(16)
                .setWeights(Weights.constant(160, 0.5f));
        assertShaped(single(s(1), s(16), probe().setEmbedding(e)));
        assertWarns(single(s(3), s(16), probe().setEmbedding(e)),
                layerWarning("embedding", "the channel count of blob 'x' is 3 but must be 1"));
    }

    @Test
    void dotLeavesItsOutputUnconstrained() {
        NeuralNetworkLayer.Builder dot = layer("probe", List.of("x", "x2"), List.of("y"))
                .setDot(DotProductLayerParams.getDefaultInstance());
        assertShaped(model(List.of(f32("x", 16), f32("x2", 16)), List.of(f32("y", 1)), dot));
        assertShaped(model(List.of(f32("x", 16), f32("x2", 16)), List.of(f32("y", 5)), dot.clone()));
        assertWarns(model(List.of(f32("x", 16), f32("x2", 8)), List.of(f32("y", 1)), dot.clone()),
                layerWarning("dot", "the channel count of blob 'x' is 16 but must be 8"));
    }

    // ---- spatial ----

    @Test
    void crop() {
        NeuralNetworkLayer.Builder one = probe().setCrop(CropLayerParams.newBuilder()
                .setCropAmounts(borders(1, 1, 1, 1)));
        assertShaped(single(s(8, 6, 6), s(8, 4, 4), one));
        NeuralNetworkLayer.Builder tooMuch = probe().setCrop(CropLayerParams.newBuilder()
                .setCropAmounts(borders(1, 2, 0, 0)));
        assertWarns(single(s(8, 3, 3), s(8, 1, 3), tooMuch),
                layerWarning("crop", "the height of blob 'x' is 3 but must be at least 4"));
        NeuralNetworkLayer.Builder two = layer("probe", List.of("x", "x2"), List.of("y"))
                .setCrop(CropLayerParams.newBuilder().addOffset(0).addOffset(0));
        assertShaped(model(List.of(f32("x", 8, 6, 6), f32("x2", 8, 4, 4)), List.of(f32("y", 8, 4, 4)), two));
        assertWarns(model(List.of(f32("x", 8, 6, 6), f32("x2", 8, 4, 4)), List.of(f32("y", 8, 6, 6)), two.clone()),
                outputWarning("[8, 6, 6]", "[8, 4, 4]"));
    }

    @Test
    void padding() {
        NeuralNetworkLayer.Builder pad = probe().setPadding(PaddingLayerParams.newBuilder()
                .setConstant(PaddingLayerParams.PaddingConstant.getDefaultInstance())
                .setPaddingAmounts(borders(1, 2, 0, 1)));
        assertShaped(single(s(8, 4, 4), s(8, 7, 5), pad));
        assertWarns(single(s(8, 4, 4), s(8, 6, 6), pad.clone()), outputWarning("[8, 6, 6]", "[8, 7, 5]"));
    }

    @Test
    void upsample() {
        NeuralNetworkLayer.Builder up = probe().setUpsample(UpsampleLayerParams.newBuilder().addScalingFactor(2)
                .addScalingFactor(3));
        assertShaped(single(s(8, 4, 4), s(8, 8, 12), up));
        assertWarns(single(s(8, 4, 4), s(8, 8, 8), up.clone()), outputWarning("[8, 8, 8]", "[8, 8, 12]"));
    }

    @Test
    void resizeBilinearAndCropResize() {
        assertShaped(baseline("resizeBilinear", m -> m));
        Model resize = baseline("resizeBilinear", m -> m);
        long[] declared = resize.getDescription().getOutput(0).getType().getMultiArrayType().getShapeList().stream()
                .mapToLong(Long::longValue).toArray();
        assertWarns(baseline("resizeBilinear", output(0, declared[0], declared[1] + 1, declared[2])),
                outputWarning("[" + declared[0] + ", " + (declared[1] + 1) + ", " + declared[2] + "]",
                        "[" + declared[0] + ", " + declared[1] + ", " + declared[2] + "]"));
        assertShaped(baseline("cropResize", m -> m));
        assertWarns(baseline("cropResize", input(1, 3)),
                layerWarning("cropResize", "the channel count of blob 'x2' is 3 but must be between 4 and 5"));
    }

    @Test
    void reorganizeData() {
        NeuralNetworkLayer.Builder toDepth = probe().setReorganizeData(ReorganizeDataLayerParams.newBuilder()
                .setBlockSize(2));
        assertShaped(single(s(8, 4, 4), s(32, 2, 2), toDepth));
        assertWarns(single(s(8, 5, 5), s(32, 2, 2), toDepth.clone()),
                layerWarning("reorganizeData", "the height of blob 'x' is 5 but must be 4"));
        NeuralNetworkLayer.Builder toSpace = probe().setReorganizeData(ReorganizeDataLayerParams.newBuilder()
                .setBlockSize(2).setMode(ReorganizeDataLayerParams.ReorganizationType.DEPTH_TO_SPACE));
        assertShaped(single(s(8, 4, 4), s(2, 8, 8), toSpace));
        assertWarns(single(s(6, 4, 4), s(1, 8, 8), toSpace.clone()),
                layerWarning("reorganizeData", "the channel count of blob 'x' is 6 but must be 4"));
    }

    // ---- broadcasting ----

    @Test
    void broadcastTakesTheLargestSizeAndNeverRejects() {
        NeuralNetworkLayer.Builder add = layer("probe", List.of("x", "x2"), List.of("y"))
                .setAdd(AddLayerParams.getDefaultInstance());
        assertShaped(model(List.of(f32("x", 8, 4, 4), f32("x2", 8, 1, 1)), List.of(f32("y", 8, 4, 4)), add));
        assertShaped(model(List.of(f32("x", 8, 1, 1), f32("x2", 8, 4, 4)), List.of(f32("y", 8, 4, 4)), add.clone()));
        assertWarns(model(List.of(f32("x", 8, 4, 4), f32("x2", 8, 1, 1)), List.of(f32("y", 8, 1, 1)), add.clone()),
                outputWarning("[8, 1, 1]", "[8, 4, 4]"));
        // Sizes Core ML cannot broadcast still pass its shape propagation: the output is the largest of each.
        assertShaped(model(List.of(f32("x", 8, 4, 4), f32("x2", 3, 5, 1)), List.of(f32("y", 8, 5, 4)), add.clone()));
        // One input: the output is the input.
        NeuralNetworkLayer.Builder scaled = probe().setMultiply(MultiplyLayerParams.newBuilder().setAlpha(2));
        assertShaped(single(s(8, 4, 4), s(8, 4, 4), scaled));
        assertWarns(single(s(8, 4, 4), s(8, 4, 1), scaled.clone()), outputWarning("[8, 4, 1]", "[8, 4, 4]"));
    }

    @Test
    void loadConstantFeedsABroadcast() {
        NeuralNetworkLayer.Builder constant = layer("aux_const", List.of(), List.of("c"))
                .setLoadConstant(LoadConstantLayerParams.newBuilder().addShape(8).addShape(1).addShape(4)
                        .setData(Weights.constant(32, 1f)));
        NeuralNetworkLayer.Builder add = layer("probe", List.of("x", "c"), List.of("y"))
                .setAdd(AddLayerParams.getDefaultInstance());
        assertShaped(model(List.of(f32("x", 8, 4, 1)), List.of(f32("y", 8, 4, 4)), constant, add));
        assertWarns(model(List.of(f32("x", 8, 4, 1)), List.of(f32("y", 8, 4, 1)), constant.clone(), add.clone()),
                outputWarning("[8, 4, 1]", "[8, 4, 4]"));
    }

    // ---- reductions ----

    @Test
    void reduce() {
        Object[][] cases = {
            {ReduceLayerParams.ReduceAxis.CHW, s(1, 1, 1)},
            {ReduceLayerParams.ReduceAxis.HW, s(8, 1, 1)},
            {ReduceLayerParams.ReduceAxis.C, s(1, 4, 6)},
            {ReduceLayerParams.ReduceAxis.H, s(8, 1, 6)},
            {ReduceLayerParams.ReduceAxis.W, s(8, 4, 1)},
        };
        for (Object[] c : cases) {
            assertShaped(single(s(8, 4, 6), (long[]) c[1], probe().setReduce(ReduceLayerParams.newBuilder()
                    .setAxis((ReduceLayerParams.ReduceAxis) c[0]))));
        }
        assertWarns(single(s(8, 4, 6), s(8, 4, 1), probe().setReduce(ReduceLayerParams.newBuilder()
                .setAxis(ReduceLayerParams.ReduceAxis.HW))), outputWarning("[8, 4, 1]", "[8, 1, 1]"));
    }

    // ---- layout ----

    @Test
    void reshapeSetsTheTargetWithoutComparingElementCounts() {
        NeuralNetworkLayer.Builder three = probe().setReshape(ReshapeLayerParams.newBuilder().addTargetShape(2)
                .addTargetShape(16).addTargetShape(4));
        assertShaped(single(s(8, 4, 4), s(2, 16, 4), three));
        assertWarns(single(s(8, 4, 4), s(2, 4, 16), three.clone()), outputWarning("[2, 4, 16]", "[2, 16, 4]"));
        NeuralNetworkLayer.Builder four = probe().setReshape(ReshapeLayerParams.newBuilder().addTargetShape(1)
                .addTargetShape(2).addTargetShape(16).addTargetShape(4));
        assertShaped(single(s(8, 4, 4), s(2, 16, 4), four));
        NeuralNetworkLayer.Builder fewer = probe().setReshape(ReshapeLayerParams.newBuilder().addTargetShape(3)
                .addTargetShape(3).addTargetShape(3));
        assertShaped(single(s(8, 4, 4), s(3, 3, 3), fewer));
    }

    @Test
    void flatten() {
        NeuralNetworkLayer.Builder flat = probe().setFlatten(FlattenLayerParams.getDefaultInstance());
        assertShaped(single(s(8, 4, 4), s(128), flat));
        assertShaped(single(s(8, 4, 4), s(128, 1, 1), flat.clone()));
        assertWarns(single(s(8, 4, 4), s(64), flat.clone()),
                "model output 'y' is declared [64], which a rank-5 network reads as [64, 1, 1] (channels, height, "
                        + "width), but the layers make it [128, 1, 1]");
    }

    @Test
    void permute() {
        NeuralNetworkLayer.Builder p = probe().setPermute(PermuteLayerParams.newBuilder().addAxis(0).addAxis(2)
                .addAxis(3).addAxis(1));
        assertShaped(single(s(8, 4, 6), s(4, 6, 8), p));
        assertWarns(single(s(8, 4, 6), s(8, 4, 6), p.clone()), outputWarning("[8, 4, 6]", "[4, 6, 8]"));
        NeuralNetworkLayer.Builder bad = probe().setPermute(PermuteLayerParams.newBuilder().addAxis(0).addAxis(2)
                .addAxis(3).addAxis(5));
        assertWarns(single(s(8, 4, 6), s(4, 6, 8), bad), layerWarning("permute", "its axis 5 is not one of 0..3"));
    }

    @Test
    void concat() {
        NeuralNetworkLayer.Builder c = layer("probe", List.of("x", "x2"), List.of("y"))
                .setConcat(ConcatLayerParams.getDefaultInstance());
        assertShaped(model(List.of(f32("x", 8, 4, 4), f32("x2", 4, 4, 4)), List.of(f32("y", 12, 4, 4)), c));
        assertWarns(model(List.of(f32("x", 8, 4, 4), f32("x2", 4, 5, 4)), List.of(f32("y", 12, 4, 4)), c.clone()),
                layerWarning("concat", "the height of blob 'y' is 4 but must be 5"));
        NeuralNetworkLayer.Builder seq = layer("probe", List.of("x", "x2"), List.of("y"))
                .setConcat(ConcatLayerParams.newBuilder().setSequenceConcat(true));
        assertShaped(model(List.of(f32("x", 8, 4, 4), f32("x2", 8, 4, 4)), List.of(f32("y", 8, 4, 4)), seq));
        assertWarns(model(List.of(f32("x", 8, 4, 4), f32("x2", 4, 4, 4)), List.of(f32("y", 8, 4, 4)), seq.clone()),
                layerWarning("concat", "the channel count of blob 'y' is 8 but must be 4"));
    }

    @Test
    void splitNeedsChannelsDivisibleByTheParts() {
        NeuralNetworkLayer.Builder two = layer("probe", List.of("x"), List.of("y", "y2"))
                .setSplit(SplitLayerParams.newBuilder().setNOutputs(2));
        assertShaped(model(List.of(f32("x", 8, 4, 4)), List.of(f32("y", 4, 4, 4), f32("y2", 4, 4, 4)), two));
        NeuralNetworkLayer.Builder four = layer("probe", List.of("x"), List.of("y", "y2", "y3", "y4"))
                .setSplit(SplitLayerParams.newBuilder().setNOutputs(4));
        List<FeatureDescription> outs = new ArrayList<>();
        for (String n : List.of("y", "y2", "y3", "y4")) {
            outs.add(f32(n, 2, 4, 4));
        }
        assertWarns(model(List.of(f32("x", 10, 4, 4)), outs, four),
                layerWarning("split", "the channel count of blob 'x' is 10 but must be 8"));
    }

    @Test
    void slice() {
        SliceLayerParams.Builder width = SliceLayerParams.newBuilder().setAxis(SliceLayerParams.SliceAxis.WIDTH_AXIS)
                .setStride(1);
        assertShaped(single(s(8, 4, 6), s(8, 4, 3), probe().setSlice(width.clone().setEndIndex(3))));
        assertShaped(single(s(8, 4, 6), s(8, 4, 3), probe().setSlice(width.clone().setEndIndex(5).setStride(2))));
        assertShaped(single(s(8, 4, 6), s(8, 4, 3), probe().setSlice(width.clone().setStartIndex(-3))));
        // Mixed signs: [1, -1) of 6 keeps 4.
        assertShaped(single(s(8, 4, 6), s(8, 4, 4), probe().setSlice(width.clone().setStartIndex(1)
                .setEndIndex(-1))));
        assertWarns(single(s(8, 4, 6), s(8, 4, 8), probe().setSlice(width.clone().setEndIndex(8))),
                layerWarning("slice", "the width of blob 'x' is 6 but must be at least 8"));
        assertWarns(single(s(8, 4, 6), s(8, 4, 4), probe().setSlice(width.clone().setEndIndex(3))),
                outputWarning("[8, 4, 4]", "[8, 4, 3]"));
    }

    @Test
    void sliceEndBeforeStartIsInvalid() {
        SliceLayerParams.Builder width = SliceLayerParams.newBuilder().setAxis(SliceLayerParams.SliceAxis.WIDTH_AXIS)
                .setStride(1);
        assertEquals(List.of("layer 'probe' (slice) endIndex 2 comes before startIndex 4"), validator.validate(
                single(s(8, 4, 6), s(8, 4, 1), probe().setSlice(width.clone().setStartIndex(4).setEndIndex(2))))
                .problems());
        assertEquals(List.of("layer 'probe' (slice) endIndex -3 comes before startIndex -1"), validator.validate(
                single(s(8, 4, 6), s(8, 4, 1), probe().setSlice(width.clone().setStartIndex(-1).setEndIndex(-3))))
                .problems());
    }

    @Test
    void sequenceRepeat() {
        NeuralNetworkLayer.Builder r = probe().setSequenceRepeat(SequenceRepeatLayerParams.newBuilder()
                .setNRepetitions(3));
        assertShaped(single(s(8, 4, 4), s(8, 4, 4), r));
        assertWarns(single(s(8, 4, 4), s(8, 4, 2), r.clone()), outputWarning("[8, 4, 2]", "[8, 4, 4]"));
    }

    // ---- recurrent ----

    @Test
    void recurrentLayers() {
        for (String family : List.of("simpleRecurrent", "gru", "uniDirectionalLSTM", "biDirectionalLSTM")) {
            assertShaped(baseline(family, m -> m));
        }
        Model gru = baseline("gru", m -> m);
        long hidden = gru.getDescription().getOutput(0).getType().getMultiArrayType().getShape(0);
        assertWarns(baseline("gru", output(0, hidden / 2)),
                "model output 'y' is declared [" + hidden / 2 + "], which a rank-5 network reads as [" + hidden / 2
                        + ", 1, 1] (channels, height, width), but the layers make it [" + hidden + ", 1, 1]");
        // A bidirectional LSTM outputs both directions.
        long both = baseline("biDirectionalLSTM", m -> m).getDescription().getOutput(0).getType()
                .getMultiArrayType().getShape(0);
        assertWarns(baseline("biDirectionalLSTM", output(0, both / 2)),
                "model output 'y' is declared [" + both / 2 + "], which a rank-5 network reads as [" + both / 2
                        + ", 1, 1] (channels, height, width), but the layers make it [" + both + ", 1, 1]");
        // Without state inputs Core ML does not shape the state outputs, so their declarations go unchecked.
        assertShaped(baseline("uniDirectionalLSTM", output(1, 3)));
        // simpleRecurrent always has its state input, one step of outputVectorSize.
        long in = baseline("simpleRecurrent", m -> m).getDescription().getInput(0).getType().getMultiArrayType()
                .getShape(0);
        long state = baseline("simpleRecurrent", m -> m).getDescription().getOutput(1).getType()
                .getMultiArrayType().getShape(0);
        assertWarns(baseline("simpleRecurrent", input(1, 3)),
                layerWarning("simpleRecurrent", "the channel count of blob 'x2' is 3 but must be " + state));
        assertWarns(baseline("simpleRecurrent", input(0, in, 2, 1)),
                layerWarning("simpleRecurrent", "the height of blob 'x' is 2 but must be 1"));
    }

    @Test
    void customLayerOutputsAreUnconstrained() {
        assertShaped(baseline("custom", m -> m));
        assertShaped(baseline("custom", output(0, 1, 2, 3)));
    }

    // ---- when shapes are propagated at all ----

    @Test
    void everyOriginalLayerTypeIsShaped() {
        Set<String> original = new TreeSet<>();
        LayerRules.all().keySet().stream().filter(LayerRules::isLegacy).forEach(t -> original.add(t.toUpperCase()));
        Set<String> shaped = new TreeSet<>();
        Rank5Shapes.SHAPED.forEach(c -> shaped.add(c.name()));
        assertEquals(39, shaped.size());
        assertEquals(original, shaped);
    }

    @Test
    void ndNetworksAreNotShaped() {
        Model nd = single(s(8, 4, 4), s(8, 4, 5), probe().setActivation(relu()));
        nd = nd.toBuilder().setSpecificationVersion(4).setNeuralNetwork(nd.getNeuralNetwork().toBuilder()
                .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)).build();
        assertShaped(nd);
    }

    @Test
    void invalidModelsAreNotShaped() {
        // The layer's own rules fail first; shape propagation does not add to them.
        InnerProductLayerParams.Builder ip = InnerProductLayerParams.newBuilder().setInputChannels(4)
                .setOutputChannels(3).setWeights(Weights.constant(5, 0.5f));
        ValidationResult r = validator.validate(single(s(5), s(3), probe().setInnerProduct(ip)));
        assertEquals(1, r.problems().size());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void outputsOfOtherRanksAreNotChecked() {
        assertShaped(single(s(8, 4, 4), s(8, 16), probe().setActivation(relu())));
    }

    // ---- ranges, as Core ML's own shaper tests settle them ----

    private static FeatureDescription ranged(String name, long[]... bounds) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(ArrayFeatureType.ArrayDataType.FLOAT32);
        for (long[] b : bounds) {
            a.getShapeRangeBuilder().addSizeRanges(dev.aneprobe.probes.coreml.SizeRange.newBuilder()
                    .setLowerBound(b[0]).setUpperBound(b[1]));
        }
        return FeatureDescription.newBuilder().setName(name).setType(FeatureType.newBuilder().setMultiArrayType(a))
                .build();
    }

    private static SizeRange r(long min, long max) {
        return new SizeRange(min, max);
    }

    private static Map<String, BlobShape> shapes(Model m) {
        List<String> findings = new ArrayList<>();
        Map<String, BlobShape> shapes = Rank5Shapes.shapes(m, findings);
        assertEquals(List.of(), findings);
        return shapes;
    }

    private static void assertAxes(BlobShape b, SizeRange... expected) {
        for (int axis = 0; axis < 5; axis++) {
            assertEquals(expected[axis], b.range(axis), b.name() + " " + BlobShape.axisName(axis));
        }
    }

    @Test
    void backwardPassNarrowsAFlexibleInput() {
        // A 1×10 valid convolution feeding an inner product (height and width 1) pins the width range to 10.
        Model m = model(List.of(ranged("x", s(4, 4), s(1, 1), s(1, -1))), List.of(f32("y", 1)),
                layer("conv", List.of("x"), List.of("t")).setConvolution(conv(5, 4, 1, 10, 1)),
                layer("ip", List.of("t"), List.of("y")).setInnerProduct(InnerProductLayerParams.newBuilder()
                        .setInputChannels(5).setOutputChannels(1).setWeights(Weights.constant(5, 0.5f))));
        long inf = SizeRange.INF;
        assertAxes(shapes(m).get("x"), r(0, inf), r(0, inf), r(4, 4), r(1, 1), r(10, 10));
    }

    @Test
    void samePaddingOverAWidthRange() {
        Model m = model(List.of(ranged("x", s(4, 4), s(100, 100), s(100, 200))), List.of(f32("y")),
                layer("probe", List.of("x"), List.of("y")).setConvolution(conv(5, 4, 7, 8, 1).clearStride()
                        .addStride(2).addStride(3).setSame(SamePadding.getDefaultInstance())));
        Map<String, BlobShape> shapes = shapes(m);
        long inf = SizeRange.INF;
        assertAxes(shapes.get("x"), r(0, inf), r(0, inf), r(4, 4), r(100, 100), r(100, 200));
        assertAxes(shapes.get("y"), r(0, inf), r(0, inf), r(5, 5), r(50, 50), r(34, 67));
    }

    @Test
    void permutedOneDimensionalConvolution() {
        // A vector permuted so its sequence becomes the width, convolved 1×10, permuted back, then an inner
        // product: the input's sequence must be at least 10.
        PermuteLayerParams.Builder swap = PermuteLayerParams.newBuilder().addAxis(3).addAxis(1).addAxis(2)
                .addAxis(0);
        Model m = model(List.of(f32("x", 4)), List.of(f32("y", 3)),
                layer("p1", List.of("x"), List.of("a")).setPermute(swap),
                layer("conv", List.of("a"), List.of("b")).setConvolution(conv(5, 4, 1, 10, 1)),
                layer("p2", List.of("b"), List.of("c")).setPermute(swap.clone()),
                layer("ip", List.of("c"), List.of("y")).setInnerProduct(InnerProductLayerParams.newBuilder()
                        .setInputChannels(5).setOutputChannels(3).setWeights(Weights.constant(15, 0.5f))));
        Map<String, BlobShape> shapes = shapes(m);
        long inf = SizeRange.INF;
        assertAxes(shapes.get("x"), r(10, inf), r(0, inf), r(4, 4), r(1, 1), r(1, 1));
        assertAxes(shapes.get("b"), r(1, 1), r(0, inf), r(5, 5), r(1, 1), r(1, inf));
        assertAxes(shapes.get("y"), r(1, inf), r(0, inf), r(3, 3), r(1, 1), r(1, 1));
        assertShaped(m);
    }
}
