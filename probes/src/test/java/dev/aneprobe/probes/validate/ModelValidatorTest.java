package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.aneprobe.probes.coreml.ActivationELU;
import dev.aneprobe.probes.coreml.ActivationLeakyReLU;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.ActivationSigmoid;
import dev.aneprobe.probes.coreml.ActivationSoftplus;
import dev.aneprobe.probes.coreml.ActivationTanh;
import dev.aneprobe.probes.coreml.AddBroadcastableLayerParams;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.BiDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.ExpandDimsLayerParams;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.GRULayerParams;
import dev.aneprobe.probes.coreml.InnerProductLayerParams;
import dev.aneprobe.probes.coreml.LSTMParams;
import dev.aneprobe.probes.coreml.LSTMWeightParams;
import dev.aneprobe.probes.coreml.LayerNormalizationLayerParams;
import dev.aneprobe.probes.coreml.LinearQuantizationParams;
import dev.aneprobe.probes.coreml.LookUpTableQuantizationParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.QuantizationParams;
import dev.aneprobe.probes.coreml.RankPreservingReshapeLayerParams;
import dev.aneprobe.probes.coreml.ScatterAlongAxisLayerParams;
import dev.aneprobe.probes.coreml.ScatterLayerParams;
import dev.aneprobe.probes.coreml.ScatterNDLayerParams;
import dev.aneprobe.probes.coreml.SimpleRecurrentLayerParams;
import dev.aneprobe.probes.coreml.SizeRange;
import dev.aneprobe.probes.coreml.SqueezeLayerParams;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.coreml.UniDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Weights;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * One hand-made invalid model per validator rule, each failing with the message that names the rule. Every case
 * starts from a valid model (asserted valid) and breaks exactly one thing.
 */
class ModelValidatorTest {
    private final ModelValidator validator = new ModelValidator();

    private static FeatureDescription array(String name, ArrayFeatureType.ArrayDataType type, long... dims) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(type);
        for (long d : dims) {
            a.addShape(d);
        }
        return FeatureDescription.newBuilder().setName(name)
                .setType(FeatureType.newBuilder().setMultiArrayType(a)).build();
    }

    private static FeatureDescription f32(String name, long... dims) {
        return array(name, ArrayFeatureType.ArrayDataType.FLOAT32, dims);
    }

    private static NeuralNetworkLayer relu(String name, String in, String out) {
        return NeuralNetworkLayer.newBuilder().setName(name).addInput(in).addOutput(out)
                .setActivation(ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance())).build();
    }

    /** x [8,4,4] → relu → y: the smallest valid legacy model. */
    private static Model valid() {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addInput(f32("x", 8, 4, 4)).addOutput(f32("y", 8, 4, 4));
        m.getNeuralNetworkBuilder().addLayers(relu("probe", "x", "y"));
        return m.build();
    }

    private static Model with(UnaryOperator<Model.Builder> change) {
        return change.apply(valid().toBuilder()).build();
    }

    private static Model withLayer(NeuralNetworkLayer layer) {
        return with(m -> {
            m.getNeuralNetworkBuilder().setLayers(0, layer);
            return m;
        });
    }

    private void assertInvalid(Model model, String expectedFragment) {
        ValidationResult r = validator.validate(model);
        assertFalse(r.valid(), "expected invalid: " + expectedFragment);
        assertTrue(r.message().contains(expectedFragment),
                "expected '" + expectedFragment + "' in: " + r.message());
    }

    /** Breaking exactly one thing gives exactly one problem, with this text. */
    private void assertOnly(Model model, String expected) {
        assertEquals(List.of(expected), validator.validate(model).problems());
    }

    private void assertValid(Model model) {
        assertTrue(validator.validate(model).valid(), validator.validate(model).message());
    }

    @Test
    void baseModelIsValid() {
        assertTrue(validator.validate(valid()).valid(), validator.validate(valid()).message());
    }

    @Test
    void specificationVersionOutOfRange() {
        assertInvalid(with(m -> m.setSpecificationVersion(0)), "specification version 0 is outside 1..10");
        assertInvalid(with(m -> m.setSpecificationVersion(11)), "outside 1..10");
    }

    @Test
    void noModelTypeAtAll() {
        assertInvalid(with(m -> m.clearNeuralNetwork()), "the model sets no model type");
    }

    @Test
    void interfaceRules() {
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().clearOutput();
            return m;
        }), "declares no outputs");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, f32("", 8, 4, 4));
            return m;
        }), "empty name");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setOutput(0, f32("x", 8, 4, 4));
            return m;
        }), "model output 'x' is declared twice");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, f32("x"));
            return m;
        }), "model input 'x' has no shape");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, array("x", ArrayFeatureType.ArrayDataType.FLOAT16, 8, 4, 4));
            return m;
        }), "is FLOAT16, which needs specification version 7");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, array("x", ArrayFeatureType.ArrayDataType.INVALID_ARRAY_DATA_TYPE,
                    8, 4, 4));
            return m;
        }), "has no valid data type");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, FeatureDescription.newBuilder().setName("x")
                    .setType(FeatureType.newBuilder().setDoubleType(
                            dev.aneprobe.probes.coreml.DoubleFeatureType.getDefaultInstance())));
            return m;
        }), "must be a multiarray or an image");
    }

    @Test
    void blobGraphRules() {
        assertInvalid(withLayer(relu("probe", "nowhere", "y")), "reads blob 'nowhere' before any layer");
        assertInvalid(withLayer(relu("probe", "x", "z")), "model output 'y' is produced by no layer");
        assertInvalid(with(m -> {
            m.getNeuralNetworkBuilder().addLayers(relu("again", "x", "y"));
            return m;
        }), "blob 'y' is produced twice");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().addInput(f32("x2", 8, 4, 4));
            return m;
        }), "model input 'x2' is used by no layer");
        assertInvalid(with(m -> {
            m.getNeuralNetworkBuilder().clearLayers();
            return m;
        }), "the network has no layers");
        assertInvalid(with(m -> {
            m.getNeuralNetworkBuilder().setLayers(0, relu("probe", "x", "t")).addLayers(relu("probe", "t", "y"));
            return m;
        }), "layer 'probe' is declared twice");
    }

    @Test
    void layerTypeMustBeSet() {
        assertInvalid(withLayer(NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .build()), "has no layer type set");
    }

    @Test
    void arityRules() {
        NeuralNetworkLayer twoInputs = relu("probe", "x", "y").toBuilder().addInput("x").build();
        assertInvalid(withLayer(twoInputs), "(activation) has 2 input(s); it takes 1");
    }

    @Test
    void mappingRules() {
        Model nd = with(m -> {
            m.getNeuralNetworkBuilder().setLayers(0, NeuralNetworkLayer.newBuilder().setName("probe")
                    .addInput("x").addInput("x").addOutput("y")
                    .setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance()));
            return m.setSpecificationVersion(4);
        });
        assertInvalid(nd, "needs EXACT_ARRAY_MAPPING");
        assertInvalid(with(m -> {
            m.getDescriptionBuilder().setInput(0, f32("x", 8, 4)).setOutput(0, f32("y", 8, 4));
            return m;
        }), "with RANK5_ARRAY_MAPPING an input must have rank 1 or 3");
    }

    @Test
    void specificationVersionAgainstFeatures() {
        Model nd = with(m -> {
            m.getNeuralNetworkBuilder()
                    .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                    .setLayers(0, NeuralNetworkLayer.newBuilder().setName("probe")
                            .addInput("x").addInput("x").addOutput("y")
                            .setAddBroadcastable(AddBroadcastableLayerParams.getDefaultInstance()));
            return m;
        });
        assertInvalid(nd, "specification version 1 is too low");
        assertTrue(validator.validate(nd.toBuilder().setSpecificationVersion(4).build()).valid());
        NeuralNetworkLayer fp16 = NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setInnerProduct(InnerProductLayerParams.newBuilder().setInputChannels(8).setOutputChannels(8)
                        .setWeights(Weights.of(new float[64], true)))
                .build();
        Model fp16Model = with(m -> {
            m.getDescriptionBuilder().setInput(0, f32("x", 8)).setOutput(0, f32("y", 8));
            m.getNeuralNetworkBuilder().setLayers(0, fp16);
            return m;
        });
        assertInvalid(fp16Model, "has float16 weights, which needs 2");
        assertEquals(2, SpecificationVersions.required(fp16Model));
    }

    @Test
    void ndRankRules() {
        // Pooling needs rank >= 4; give it a rank-3 input under exact mapping.
        Model m = Model.newBuilder().setSpecificationVersion(4)
                .setDescription(dev.aneprobe.probes.coreml.ModelDescription.newBuilder()
                        .addInput(f32("x", 8, 4, 4)).addOutput(f32("y", 8, 4, 4)))
                .setNeuralNetwork(NeuralNetwork.newBuilder()
                        .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                        .addLayers(NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                                .addInputTensor(Tensor.newBuilder().setRank(3).addDimValue(8).addDimValue(4)
                                        .addDimValue(4))
                                .addOutputTensor(Tensor.newBuilder().setRank(3))
                                .setPooling(PoolingLayerParams.newBuilder().setValid(ValidPadding.getDefaultInstance())
                                        .addKernelSize(1).addKernelSize(1))))
                .build();
        assertInvalid(m, "input has rank 3; it needs rank at least 4");
        Model mismatch = m.toBuilder().setNeuralNetwork(m.getNeuralNetwork().toBuilder().setLayers(0,
                m.getNeuralNetwork().getLayers(0).toBuilder().setInputTensor(0, Tensor.newBuilder().setRank(4))))
                .build();
        assertInvalid(mismatch, "declares input 'x' with rank 4 but it has rank 3");
        Model tensorCount = m.toBuilder().setNeuralNetwork(m.getNeuralNetwork().toBuilder().setLayers(0,
                m.getNeuralNetwork().getLayers(0).toBuilder().addInputTensor(Tensor.newBuilder().setRank(3))))
                .build();
        assertInvalid(tensorCount, "lists 2 input tensors for 1 inputs");
    }

    private static NeuralNetworkLayer conv(UnaryOperator<ConvolutionLayerParams.Builder> change) {
        ConvolutionLayerParams.Builder p = ConvolutionLayerParams.newBuilder()
                .setOutputChannels(8).setKernelChannels(8).addKernelSize(3).addKernelSize(3)
                .setValid(ValidPadding.getDefaultInstance())
                .setWeights(Weights.of(new float[8 * 8 * 9], false))
                .setHasBias(true).setBias(Weights.of(new float[8], false));
        return NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setConvolution(change.apply(p)).build();
    }

    private static Model convModel(UnaryOperator<ConvolutionLayerParams.Builder> change) {
        return with(m -> {
            m.getDescriptionBuilder().setOutput(0, f32("y", 8, 2, 2));
            m.getNeuralNetworkBuilder().setLayers(0, conv(change));
            return m;
        });
    }

    @Test
    void convolutionRules() {
        assertTrue(validator.validate(convModel(p -> p)).valid(), validator.validate(convModel(p -> p)).message());
        assertInvalid(convModel(p -> p.clearValid()), "has no padding type set");
        assertInvalid(convModel(p -> p.setWeights(Weights.of(new float[10], false))),
                "weights hold 10 values but outputChannels × kernelChannels × kernel height × width = 576");
        assertInvalid(convModel(p -> p.setBias(Weights.of(new float[3], false))),
                "bias hold 3 values but outputChannels = 8");
        assertInvalid(convModel(p -> p.setBias(Weights.of(new float[8], true))).toBuilder()
                .setSpecificationVersion(2).build(), "mixes float32 and float16 weights");
        assertInvalid(convModel(p -> p.setKernelChannels(4).setWeights(Weights.of(new float[8 * 4 * 9], false))),
                "input has 8 channels but kernelChannels × nGroups = 4");
        assertInvalid(convModel(p -> p.addKernelSize(3)), "kernelSize must have 2 values");
        assertInvalid(convModel(p -> p.setNGroups(3)), "outputChannels 8 is not divisible by nGroups 3");
        assertInvalid(convModel(p -> p.setIsDeconvolution(true).addDilationFactor(2).addDilationFactor(2)),
                "deconvolution does not support dilation");
    }

    @Test
    void poolingNeedsPaddingType() {
        assertInvalid(withLayer(NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setPooling(PoolingLayerParams.newBuilder()).build()), "has no padding type set");
    }

    @Test
    void weightAndBiasCounts() {
        NeuralNetworkLayer ip = NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setInnerProduct(InnerProductLayerParams.newBuilder().setInputChannels(8).setOutputChannels(8)
                        .setWeights(Weights.of(new float[63], false))).build();
        assertInvalid(withLayer(ip), "weights hold 63 values but inputChannels × outputChannels = 64");
        WeightParams both = WeightParams.newBuilder().addFloatValue(1).setFloat16Value(ByteString.copyFrom(
                new byte[2])).build();
        NeuralNetworkLayer mixed = ip.toBuilder().setInnerProduct(ip.getInnerProduct().toBuilder()
                .setWeights(both)).build();
        assertInvalid(withLayer(mixed).toBuilder().setSpecificationVersion(2).build(),
                "holding both float32 and float16 values");
    }

    @Test
    void flexibleShapesBeforeSpecification3AreIgnoredNotInvalid() {
        // Core ML reads the flexibility fields from specification 3 on; before, it ignores them: a default shape
        // is enough (accepted), and a range without one leaves the input with no shape (rejected).
        ArrayFeatureType.ShapeRange range = ArrayFeatureType.ShapeRange.newBuilder()
                .addSizeRanges(SizeRange.newBuilder().setLowerBound(8).setUpperBound(8))
                .addSizeRanges(SizeRange.newBuilder().setLowerBound(1).setUpperBound(-1))
                .addSizeRanges(SizeRange.newBuilder().setLowerBound(1).setUpperBound(-1)).build();
        for (int version : new int[] {1, 2}) {
            assertValid(with(m -> {
                m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                        .setShapeRange(range);
                return m.setSpecificationVersion(version);
            }));
            assertValid(with(m -> {
                m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                        .setEnumeratedShapes(ArrayFeatureType.EnumeratedShapes.newBuilder().addShapes(
                                ArrayFeatureType.Shape.newBuilder().addShape(8).addShape(4).addShape(4)));
                return m.setSpecificationVersion(version);
            }));
            assertInvalid(with(m -> {
                m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                        .clearShape().setShapeRange(range);
                return m.setSpecificationVersion(version);
            }), "input 'x' has no shape");
        }
        assertValid(with(m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                    .clearShape().setShapeRange(range);
            return m.setSpecificationVersion(3);
        }));
    }

    @Test
    void upsampleRules() {
        NeuralNetworkLayer.Builder base = NeuralNetworkLayer.newBuilder().setName("probe").addInput("x")
                .addOutput("y");
        assertInvalid(withLayer(base.clone().setUpsample(UpsampleLayerParams.newBuilder().addScalingFactor(2))
                .build()), "must set either scalingFactor or fractionalScalingFactor, with 2 values");
        Model fractionalNn = with(m -> {
            m.getNeuralNetworkBuilder()
                    .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                    .setLayers(0, base.clone().setUpsample(UpsampleLayerParams.newBuilder()
                            .addFractionalScalingFactor(1.5f).addFractionalScalingFactor(1.5f)));
            return m.setSpecificationVersion(5);
        });
        assertInvalid(fractionalNn, "fractional scaling factors, which need BILINEAR mode");
        // A factor of 0 is accepted by Core ML (its shape propagation reads it as 1), so it is valid here too.
        assertValid(withLayer(base.clone().setUpsample(UpsampleLayerParams.newBuilder().addScalingFactor(0)
                .addScalingFactor(0)).build()));
        assertValid(withLayer(base.clone().setUpsample(UpsampleLayerParams.newBuilder().addScalingFactor(1)
                .addScalingFactor(0)).build()));
    }

    @Test
    void layerNormalizationNeedsFloat32GammaBeta() {
        NeuralNetworkLayer ln = NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setLayerNormalization(LayerNormalizationLayerParams.newBuilder().addNormalizedShape(4)
                        .setGamma(Weights.of(new float[4], true)).setBeta(Weights.of(new float[4], true)))
                .build();
        Model m = with(b -> {
            b.getNeuralNetworkBuilder()
                    .setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                    .setLayers(0, ln);
            return b.setSpecificationVersion(4);
        });
        assertInvalid(m, "gamma and beta must hold 4 float32 values each");
    }

    /** x [1,8,4,4] → layer → y under exact mapping, with the layer's tensors declared. */
    private static Model nd(NeuralNetworkLayer.Builder layer, int outputs) {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(4);
        m.getDescriptionBuilder().addInput(f32("x", 1, 8, 4, 4));
        layer.setName("probe").addInput("x")
                .addInputTensor(Tensor.newBuilder().setRank(4).addDimValue(1).addDimValue(8).addDimValue(4)
                        .addDimValue(4));
        for (int i = 0; i < outputs; i++) {
            String name = i == 0 ? "y" : "y" + (i + 1);
            layer.addOutput(name).addOutputTensor(Tensor.newBuilder().setRank(4));
            m.getDescriptionBuilder().addOutput(f32(name, 1, 8, 4, 4));
        }
        m.getNeuralNetworkBuilder().setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                .addLayers(layer);
        return m.build();
    }

    @Test
    void ndAxisAndShapeParameterRules() {
        assertTrue(validator.validate(nd(NeuralNetworkLayer.newBuilder().setSoftmaxND(
                dev.aneprobe.probes.coreml.SoftmaxNDLayerParams.newBuilder().setAxis(-1)), 1)).valid());
        assertInvalid(nd(NeuralNetworkLayer.newBuilder().setSoftmaxND(
                dev.aneprobe.probes.coreml.SoftmaxNDLayerParams.newBuilder().setAxis(4)), 1),
                "(softmaxND) axis 4 is outside [-4, 4)");
        assertInvalid(nd(NeuralNetworkLayer.newBuilder().setTranspose(
                dev.aneprobe.probes.coreml.TransposeLayerParams.newBuilder().addAxes(0).addAxes(1)), 1),
                "(transpose) axes has 2 entries but the input has rank 4");
        assertInvalid(nd(NeuralNetworkLayer.newBuilder().setSplitND(
                dev.aneprobe.probes.coreml.SplitNDLayerParams.newBuilder().setAxis(1).setNumSplits(3)), 2),
                "(splitND) splits into 3 parts but has 2 outputs");
        assertInvalid(nd(NeuralNetworkLayer.newBuilder().setClip(
                dev.aneprobe.probes.coreml.ClipLayerParams.newBuilder().setMinVal(2).setMaxVal(1)), 1),
                "(clip) minVal 2.0 is greater than maxVal 1.0");
    }

    @Test
    void legacyPaddingNeedsAType() {
        assertInvalid(withLayer(NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addOutput("y")
                .setPadding(dev.aneprobe.probes.coreml.PaddingLayerParams.newBuilder()).build()),
                "has no padding type set (constant, reflection or replication)");
    }

    // ------------------------------------------------------------ recurrent layers

    private static final long RX = 3; // inputVectorSize
    private static final long RH = 2; // outputVectorSize

    private static final ActivationParams SIGMOID = ActivationParams.newBuilder()
            .setSigmoid(ActivationSigmoid.getDefaultInstance()).build();
    private static final ActivationParams TANH = ActivationParams.newBuilder()
            .setTanh(ActivationTanh.getDefaultInstance()).build();

    private static WeightParams zeros(long n) {
        return Weights.of(new float[(int) n], false);
    }

    /**
     * x [RX] (plus {@code stateInputs} state inputs [RH]) → layer → y [outChannels] and {@code stateOutputs}
     * states [RH]: a legacy network, specification 1.
     */
    private static Model recurrent(NeuralNetworkLayer.Builder layer, int stateInputs, int stateOutputs,
            long outChannels) {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addInput(f32("x", RX)).addOutput(f32("y", outChannels));
        layer.setName("probe").addInput("x").addOutput("y");
        for (int i = 2; i < 2 + stateInputs; i++) {
            m.getDescriptionBuilder().addInput(f32("x" + i, RH));
            layer.addInput("x" + i);
        }
        for (int i = 2; i < 2 + stateOutputs; i++) {
            m.getDescriptionBuilder().addOutput(f32("y" + i, RH));
            layer.addOutput("y" + i);
        }
        m.getNeuralNetworkBuilder().addLayers(layer);
        return m.build();
    }

    private static Model simpleRecurrent(UnaryOperator<SimpleRecurrentLayerParams.Builder> change) {
        SimpleRecurrentLayerParams.Builder p = SimpleRecurrentLayerParams.newBuilder()
                .setInputVectorSize(RX).setOutputVectorSize(RH).setActivation(TANH).setHasBiasVector(true)
                .setWeightMatrix(zeros(RH * RX)).setRecursionMatrix(zeros(RH * RH)).setBiasVector(zeros(RH));
        return recurrent(NeuralNetworkLayer.newBuilder().setSimpleRecurrent(change.apply(p)), 1, 1, RH);
    }

    private static Model gru(UnaryOperator<GRULayerParams.Builder> change) {
        GRULayerParams.Builder p = GRULayerParams.newBuilder()
                .setInputVectorSize(RX).setOutputVectorSize(RH).addActivations(SIGMOID).addActivations(TANH)
                .setHasBiasVectors(true)
                .setUpdateGateWeightMatrix(zeros(RH * RX)).setResetGateWeightMatrix(zeros(RH * RX))
                .setOutputGateWeightMatrix(zeros(RH * RX))
                .setUpdateGateRecursionMatrix(zeros(RH * RH)).setResetGateRecursionMatrix(zeros(RH * RH))
                .setOutputGateRecursionMatrix(zeros(RH * RH))
                .setUpdateGateBiasVector(zeros(RH)).setResetGateBiasVector(zeros(RH))
                .setOutputGateBiasVector(zeros(RH));
        return recurrent(NeuralNetworkLayer.newBuilder().setGru(change.apply(p)), 0, 1, RH);
    }

    /** One direction's LSTM weights, all of the right size, peepholes included. */
    private static LSTMWeightParams.Builder lstmWeights() {
        return LSTMWeightParams.newBuilder()
                .setInputGateWeightMatrix(zeros(RH * RX)).setForgetGateWeightMatrix(zeros(RH * RX))
                .setBlockInputWeightMatrix(zeros(RH * RX)).setOutputGateWeightMatrix(zeros(RH * RX))
                .setInputGateRecursionMatrix(zeros(RH * RH)).setForgetGateRecursionMatrix(zeros(RH * RH))
                .setBlockInputRecursionMatrix(zeros(RH * RH)).setOutputGateRecursionMatrix(zeros(RH * RH))
                .setInputGateBiasVector(zeros(RH)).setForgetGateBiasVector(zeros(RH))
                .setBlockInputBiasVector(zeros(RH)).setOutputGateBiasVector(zeros(RH))
                .setInputGatePeepholeVector(zeros(RH)).setForgetGatePeepholeVector(zeros(RH))
                .setOutputGatePeepholeVector(zeros(RH));
    }

    private static LSTMParams lstmParams() {
        return LSTMParams.newBuilder().setHasBiasVectors(true).setHasPeepholeVectors(true).build();
    }

    private static Model lstm(UnaryOperator<UniDirectionalLSTMLayerParams.Builder> change) {
        UniDirectionalLSTMLayerParams.Builder p = UniDirectionalLSTMLayerParams.newBuilder()
                .setInputVectorSize(RX).setOutputVectorSize(RH)
                .addActivations(SIGMOID).addActivations(TANH).addActivations(TANH)
                .setParams(lstmParams()).setWeightParams(lstmWeights());
        return recurrent(NeuralNetworkLayer.newBuilder().setUniDirectionalLSTM(change.apply(p)), 0, 2, RH);
    }

    private static Model biLstm(UnaryOperator<BiDirectionalLSTMLayerParams.Builder> change) {
        BiDirectionalLSTMLayerParams.Builder p = BiDirectionalLSTMLayerParams.newBuilder()
                .setInputVectorSize(RX).setOutputVectorSize(RH)
                .addActivationsForwardLSTM(SIGMOID).addActivationsForwardLSTM(TANH).addActivationsForwardLSTM(TANH)
                .addActivationsBackwardLSTM(SIGMOID).addActivationsBackwardLSTM(TANH)
                .addActivationsBackwardLSTM(TANH)
                .setParams(lstmParams()).addWeightParams(lstmWeights()).addWeightParams(lstmWeights());
        return recurrent(NeuralNetworkLayer.newBuilder().setBiDirectionalLSTM(change.apply(p)), 0, 4, 2 * RH);
    }

    @Test
    void recurrentBaseModelsAreValid() {
        assertValid(simpleRecurrent(p -> p));
        assertValid(gru(p -> p));
        assertValid(lstm(p -> p));
        assertValid(biLstm(p -> p));
    }

    @Test
    void recurrentActivationKinds() {
        String kinds = "; a recurrent layer takes linear, sigmoid, tanh, scaledTanh, sigmoidHard or ReLU";
        assertOnly(simpleRecurrent(p -> p.clearActivation()),
                "layer 'probe' (simpleRecurrent) activation has no kind set" + kinds);
        assertOnly(gru(p -> p.setActivations(0, ActivationParams.newBuilder()
                        .setLeakyReLU(ActivationLeakyReLU.newBuilder().setAlpha(0.1f)))),
                "layer 'probe' (gru) activation 0 is leakyReLU" + kinds);
        assertOnly(lstm(p -> p.setActivations(2, ActivationParams.newBuilder()
                        .setSoftplus(ActivationSoftplus.getDefaultInstance()))),
                "layer 'probe' (uniDirectionalLSTM) activation 2 is softplus" + kinds);
        assertOnly(biLstm(p -> p.setActivationsBackwardLSTM(1, ActivationParams.newBuilder()
                        .setELU(ActivationELU.newBuilder().setAlpha(1)))),
                "layer 'probe' (biDirectionalLSTM) backward activation 1 is ELU" + kinds);
        // Every kind of the allowed set passes.
        assertValid(gru(p -> p.setActivations(0, ActivationParams.newBuilder()
                .setSigmoidHard(dev.aneprobe.probes.coreml.ActivationSigmoidHard.getDefaultInstance()))
                .setActivations(1, ActivationParams.newBuilder()
                        .setScaledTanh(dev.aneprobe.probes.coreml.ActivationScaledTanh.getDefaultInstance()))));
        assertValid(simpleRecurrent(p -> p.setActivation(ActivationParams.newBuilder()
                .setLinear(dev.aneprobe.probes.coreml.ActivationLinear.getDefaultInstance()))));
        assertValid(simpleRecurrent(p -> p.setActivation(ActivationParams.newBuilder()
                .setReLU(ActivationReLU.getDefaultInstance()))));
    }

    @Test
    void recurrentActivationCounts() {
        assertOnly(lstm(p -> p.removeActivations(2)), "layer 'probe' (uniDirectionalLSTM) needs 3 activations (has 2)");
        assertOnly(biLstm(p -> p.removeActivationsForwardLSTM(0)),
                "layer 'probe' (biDirectionalLSTM) needs 3 forward activations (has 2)");
        assertOnly(biLstm(p -> p.addActivationsBackwardLSTM(TANH)),
                "layer 'probe' (biDirectionalLSTM) needs 3 backward activations (has 4)");
        assertOnly(gru(p -> p.removeActivations(1)), "layer 'probe' (gru) needs 2 activations (has 1)");
    }

    @Test
    void recurrentWeightAndBiasSizes() {
        assertOnly(simpleRecurrent(p -> p.setWeightMatrix(zeros(5))),
                "layer 'probe' (simpleRecurrent) weightMatrix holds 5 values but outputVectorSize × "
                        + "inputVectorSize = 6");
        assertOnly(gru(p -> p.setResetGateRecursionMatrix(zeros(5))),
                "layer 'probe' (gru) resetGateRecursionMatrix holds 5 values but outputVectorSize² = 4");
        assertOnly(gru(p -> p.setOutputGateBiasVector(zeros(3))),
                "layer 'probe' (gru) outputGateBiasVector holds 3 values but outputVectorSize = 2");
        assertOnly(lstm(p -> p.setWeightParams(lstmWeights().setBlockInputWeightMatrix(zeros(2)))),
                "layer 'probe' (uniDirectionalLSTM) blockInputWeightMatrix holds 2 values but outputVectorSize × "
                        + "inputVectorSize = 6");
        assertOnly(lstm(p -> p.setWeightParams(lstmWeights().setForgetGatePeepholeVector(zeros(1)))),
                "layer 'probe' (uniDirectionalLSTM) forgetGatePeepholeVector holds 1 values but "
                        + "outputVectorSize = 2");
        assertOnly(biLstm(p -> p.setWeightParams(1, lstmWeights().setForgetGateBiasVector(zeros(1)))),
                "layer 'probe' (biDirectionalLSTM) backward forgetGateBiasVector holds 1 values but "
                        + "outputVectorSize = 2");
        assertOnly(biLstm(p -> p.setWeightParams(0, lstmWeights().clearInputGateWeightMatrix())),
                "layer 'probe' (biDirectionalLSTM) forward inputGateWeightMatrix holds no float32, float16 or "
                        + "quantized rawValue values (needs outputVectorSize × inputVectorSize = 6)");
        assertOnly(biLstm(p -> p.removeWeightParams(1)),
                "layer 'probe' (biDirectionalLSTM) needs 2 weightParams, forward then backward (has 1)");
        // Bias and peephole vectors are only checked when the layer says it has them.
        assertValid(lstm(p -> p.setParams(LSTMParams.newBuilder().setHasBiasVectors(false))
                .setWeightParams(lstmWeights().clearInputGateBiasVector().setForgetGatePeepholeVector(zeros(7)))));
        assertValid(gru(p -> p.setHasBiasVectors(false).clearUpdateGateBiasVector()));
        assertValid(simpleRecurrent(p -> p.setHasBiasVector(false).setBiasVector(zeros(9))));
    }

    @Test
    void recurrentWeightStorage() {
        WeightParams both = zeros(RH * RX).toBuilder().setRawValue(ByteString.copyFrom(new byte[2])).build();
        assertOnly(gru(p -> p.setUpdateGateWeightMatrix(both)),
                "layer 'probe' (gru) updateGateWeightMatrix sets more than one of floatValue, float16Value, "
                        + "rawValue and int8RawValue");
        // 6 codes of 2 bits: 2 bytes, and a lookup table of 4 values.
        QuantizationParams table = QuantizationParams.newBuilder().setNumberOfBits(2)
                .setLookupTableQuantization(LookUpTableQuantizationParams.newBuilder()
                        .addFloatValue(0).addFloatValue(1).addFloatValue(2).addFloatValue(3)).build();
        WeightParams quantized = WeightParams.newBuilder().setRawValue(ByteString.copyFrom(new byte[2]))
                .setQuantization(table).build();
        assertValid(simpleRecurrent(p -> p.setWeightMatrix(quantized)).toBuilder().setSpecificationVersion(3)
                .build());
        assertOnly(simpleRecurrent(p -> p.setWeightMatrix(quantized.toBuilder()
                        .setRawValue(ByteString.copyFrom(new byte[1])))).toBuilder().setSpecificationVersion(3).build(),
                "layer 'probe' (simpleRecurrent) weightMatrix holds 1 bytes of quantized codes but "
                        + "outputVectorSize × inputVectorSize = 6 codes of 2 bits need 2");
        assertOnly(simpleRecurrent(p -> p.setWeightMatrix(quantized.toBuilder().setQuantization(table.toBuilder()
                        .setLookupTableQuantization(LookUpTableQuantizationParams.newBuilder()
                                .addFloatValue(0).addFloatValue(1).addFloatValue(2))))).toBuilder()
                        .setSpecificationVersion(3).build(),
                "layer 'probe' (simpleRecurrent) weightMatrix has unusable quantization parameters: lookup table "
                        + "has 3 values, not 2^2 = 4");
        assertOnly(simpleRecurrent(p -> p.setWeightMatrix(quantized.toBuilder().setQuantization(table.toBuilder()
                        .setLinearQuantization(LinearQuantizationParams.newBuilder()
                                .addScale(1).addScale(1).addScale(1))))).toBuilder().setSpecificationVersion(3)
                        .build(),
                "layer 'probe' (simpleRecurrent) weightMatrix has unusable quantization parameters: linear scale "
                        + "has 3 values, not 1 or 2");
        // float32 and float16 in one recurrent layer: the general precision rule.
        assertOnly(gru(p -> p.setOutputGateRecursionMatrix(Weights.of(new float[4], true))).toBuilder()
                        .setSpecificationVersion(2).build(),
                "layer 'probe' (gru) mixes float32 and float16 weights; weights and bias must share one precision");
    }

    // ------------------------------------------------------------ expandDims, squeeze, rankPreservingReshape

    private static Tensor tensor(long... dims) {
        Tensor.Builder t = Tensor.newBuilder().setRank(dims.length);
        for (long d : dims) {
            t.addDimValue(d);
        }
        return t.build();
    }

    /** x (shape in) → layer → y (shape out), exact mapping, specification 4, both tensors declared. */
    private static Model reshaped(NeuralNetworkLayer.Builder layer, long[] in, long... out) {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(4);
        m.getDescriptionBuilder().addInput(f32("x", in)).addOutput(f32("y", out));
        layer.setName("probe").addInput("x").addOutput("y").addInputTensor(tensor(in)).addOutputTensor(tensor(out));
        m.getNeuralNetworkBuilder().setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                .addLayers(layer);
        return m.build();
    }

    private static final long[] NCHW = {1, 8, 4, 4};

    private static Model expandDims(long[] out, long... axes) {
        ExpandDimsLayerParams.Builder p = ExpandDimsLayerParams.newBuilder();
        for (long a : axes) {
            p.addAxes(a);
        }
        return reshaped(NeuralNetworkLayer.newBuilder().setExpandDims(p), NCHW, out);
    }

    private static Model squeeze(long[] in, long[] out, long... axes) {
        SqueezeLayerParams.Builder p = SqueezeLayerParams.newBuilder();
        for (long a : axes) {
            p.addAxes(a);
        }
        return reshaped(NeuralNetworkLayer.newBuilder().setSqueeze(p), in, out);
    }

    @Test
    void expandDimsRules() {
        assertValid(expandDims(new long[] {1, 1, 8, 4, 4}, 0));
        assertValid(expandDims(new long[] {1, 1, 8, 4, 4, 1}, -1, 0));
        assertOnly(expandDims(new long[] {1, 1, 8, 4, 4}), "layer 'probe' (expandDims) has no axes");
        assertOnly(expandDims(new long[] {1, 1, 1, 8, 4, 4}, 0, 0), "layer 'probe' (expandDims) axes list 0 twice");
        assertOnly(expandDims(NCHW, 0),
                "layer 'probe' (expandDims) output rank 4 is not the input rank 4 plus 1 axis");
        assertOnly(expandDims(new long[] {1, 8, 4, 4, 1}, 5),
                "layer 'probe' (expandDims) axis 5 is outside [-5, 5) of the rank-5 output");
        assertOnly(expandDims(new long[] {1, 8, 4, 4, 1, 1}, 5, -1),
                "layer 'probe' (expandDims) axes 5 and -1 name the same dimension of the rank-6 output");
    }

    @Test
    void squeezeRules() {
        assertValid(squeeze(NCHW, new long[] {8, 4, 4}, 0));
        assertValid(reshaped(NeuralNetworkLayer.newBuilder().setSqueeze(SqueezeLayerParams.newBuilder()
                .setSqueezeAll(true)), NCHW, 8, 4, 4));
        // A rank-1 input stays rank 1: no rank arithmetic, the axis still has to lie within it.
        assertValid(squeeze(new long[] {1}, new long[] {1}, 0));
        assertOnly(squeeze(NCHW, new long[] {8, 4, 4}),
                "layer 'probe' (squeeze) has no axes (and squeezeAll is false)");
        assertOnly(squeeze(NCHW, new long[] {8, 4, 4}, 0, 0), "layer 'probe' (squeeze) axes list 0 twice");
        assertOnly(squeeze(NCHW, NCHW, 0),
                "layer 'probe' (squeeze) output rank 4 plus 1 axis is not the input rank 4");
        assertOnly(squeeze(NCHW, new long[] {1, 8, 4}, 4),
                "layer 'probe' (squeeze) axis 4 is outside [-4, 4) of the rank-4 input");
        assertOnly(squeeze(NCHW, new long[] {4, 4}, 0, -4),
                "layer 'probe' (squeeze) axes 0 and -4 name the same dimension of the rank-4 input");
    }

    private static Model rankPreservingReshape(long[] out, long... target) {
        RankPreservingReshapeLayerParams.Builder p = RankPreservingReshapeLayerParams.newBuilder();
        for (long d : target) {
            p.addTargetShape(d);
        }
        return reshaped(NeuralNetworkLayer.newBuilder().setRankPreservingReshape(p), NCHW, out);
    }

    @Test
    void rankPreservingReshapeRules() {
        Model ok = rankPreservingReshape(new long[] {1, 8, 16, 1}, 1, 8, 16, 1);
        assertValid(ok);
        NeuralNetworkLayer layer = ok.getNeuralNetwork().getLayers(0);
        assertOnly(ok.toBuilder().setNeuralNetwork(ok.getNeuralNetwork().toBuilder().setLayers(0,
                        layer.toBuilder().clearInputTensor().clearOutputTensor())).build(),
                "layer 'probe' (rankPreservingReshape) must declare its input and output tensors (their ranks)");
        assertOnly(rankPreservingReshape(new long[] {1, 8, 16, 1}),
                "layer 'probe' (rankPreservingReshape) has no targetShape");
        assertOnly(rankPreservingReshape(new long[] {1, 8, 16, 1}, 1, 8, 16),
                "layer 'probe' (rankPreservingReshape) targetShape has 3 entries but the input has rank 4");
        // Equal input and output ranks: the layer's rank rule.
        assertOnly(rankPreservingReshape(new long[] {1, 8, 16}, 1, 8, 16, 1),
                "layer 'probe' (rankPreservingReshape) output 'y' has rank 3 but the input has rank 4 (this layer "
                        + "keeps the rank)");
    }

    // ------------------------------------------------------------ scatter family

    /** Container x, indices x2, updates x3 → scatter along axis 1 → y, all tensors declared. */
    private static Model scatter(long[] indices, long[] updates, long[] out) {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(4);
        m.getDescriptionBuilder().addInput(f32("x", NCHW)).addInput(f32("x2", indices))
                .addInput(f32("x3", updates)).addOutput(f32("y", out));
        m.getNeuralNetworkBuilder().setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING)
                .addLayers(NeuralNetworkLayer.newBuilder().setName("probe").addInput("x").addInput("x2")
                        .addInput("x3").addOutput("y")
                        .addInputTensor(tensor(NCHW)).addInputTensor(tensor(indices)).addInputTensor(tensor(updates))
                        .addOutputTensor(tensor(out))
                        .setScatter(ScatterLayerParams.newBuilder().setAxis(1)));
        return m.build();
    }

    @Test
    void scatterRules() {
        assertValid(scatter(new long[] {2}, new long[] {1, 2, 4, 4}, NCHW));
        assertOnly(scatter(new long[] {2, 1}, new long[] {1, 2, 4, 4}, NCHW),
                "layer 'probe' (scatter) indices (input 1) have rank 2; scatter takes rank-1 indices");
        assertOnly(scatter(new long[] {2}, new long[] {2, 4, 4}, NCHW),
                "layer 'probe' (scatter) updates (input 2) have rank 3 but the container (input 0) has rank 4");
        assertOnly(scatter(new long[] {2}, new long[] {1, 2, 4, 4}, new long[] {8, 4, 4}),
                "layer 'probe' (scatter) output has rank 3 but the container (input 0) has rank 4");
        // scatterND and scatterAlongAxis: Core ML checks only their input and output counts.
        assertOnly(nd(NeuralNetworkLayer.newBuilder().setScatterND(ScatterNDLayerParams.getDefaultInstance()), 1),
                "layer 'probe' (scatterND) has 1 input(s); it takes 3");
        assertOnly(nd(NeuralNetworkLayer.newBuilder()
                        .setScatterAlongAxis(ScatterAlongAxisLayerParams.getDefaultInstance()), 1),
                "layer 'probe' (scatterAlongAxis) has 1 input(s); it takes 3");
    }

    // ------------------------------------------------------------ control flow (nested networks)

    /** x [1] → the given layers → y, exact mapping, specification 4. */
    private static Model flow(NeuralNetworkLayer... layers) {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(4);
        m.getDescriptionBuilder().addInput(f32("x", 1)).addOutput(f32("y", 1));
        m.getNeuralNetworkBuilder().setArrayInputShapeMapping(NeuralNetworkMultiArrayShapeMapping.EXACT_ARRAY_MAPPING);
        for (NeuralNetworkLayer l : layers) {
            m.getNeuralNetworkBuilder().addLayers(l);
        }
        return m.build();
    }

    private static NeuralNetwork net(NeuralNetworkLayer... layers) {
        NeuralNetwork.Builder n = NeuralNetwork.newBuilder();
        for (NeuralNetworkLayer l : layers) {
            n.addLayers(l);
        }
        return n.build();
    }

    private static NeuralNetworkLayer branch(String name, NeuralNetwork ifNet, NeuralNetwork elseNet) {
        dev.aneprobe.probes.coreml.BranchLayerParams.Builder b = dev.aneprobe.probes.coreml.BranchLayerParams
                .newBuilder().setIfBranch(ifNet);
        if (elseNet != null) {
            b.setElseBranch(elseNet);
        }
        return NeuralNetworkLayer.newBuilder().setName(name).addInput("x").setBranch(b).build();
    }

    private static NeuralNetworkLayer loop(String name, long maxIterations, String conditionVar,
            NeuralNetwork condition, NeuralNetwork body) {
        dev.aneprobe.probes.coreml.LoopLayerParams.Builder p = dev.aneprobe.probes.coreml.LoopLayerParams.newBuilder()
                .setMaxLoopIterations(maxIterations).setBodyNetwork(body);
        if (conditionVar != null) {
            p.setConditionVar(conditionVar);
        }
        if (condition != null) {
            p.setConditionNetwork(condition);
        }
        return NeuralNetworkLayer.newBuilder().setName(name).setLoop(p).build();
    }

    private static NeuralNetworkLayer loopBreak(String name) {
        return NeuralNetworkLayer.newBuilder().setName(name)
                .setLoopBreak(dev.aneprobe.probes.coreml.LoopBreakLayerParams.getDefaultInstance()).build();
    }

    @Test
    void blobsMadeInBothBranchesAreVisibleAfterTheBranch() {
        Model both = flow(branch("probe", net(relu("aux_if", "x", "y")), net(relu("aux_else", "x", "y"))));
        assertTrue(validator.validate(both).valid(), validator.validate(both).message());
        assertInvalid(flow(branch("probe", net(relu("aux_if", "x", "y")), null)),
                "model output 'y' is produced by no layer");
        assertInvalid(flow(branch("probe", net(relu("aux_if", "x", "y")), net(relu("aux_else", "x", "z")))),
                "model output 'y' is produced by no layer");
        assertInvalid(flow(branch("probe", net(), net(relu("aux_else", "x", "y")))),
                "layer 'probe' (branch) has an empty if branch");
    }

    @Test
    void nestedLayersReadOnlyWhatIsAvailable() {
        assertInvalid(flow(branch("probe", net(relu("aux_if", "nowhere", "y")), net(relu("aux_else", "x", "y")))),
                "layer 'aux_if' reads blob 'nowhere' before any layer or model input provides it");
        NeuralNetworkLayer twoInputRelu = relu("aux_if", "x", "y").toBuilder().addInput("x").build();
        assertInvalid(flow(branch("probe", net(twoInputRelu), net(relu("aux_else", "x", "y")))),
                "layer 'aux_if' (activation) has 2 input(s); it takes 1");
        assertInvalid(flow(branch("probe", net(relu("aux_same", "x", "y")), net(relu("aux_same", "x", "y")))),
                "layer 'aux_same' is declared twice");
        assertInvalid(flow(relu("aux_first", "x", "y"), branch("probe", net(relu("aux_if", "x", "y")),
                net(relu("aux_else", "x", "w")))), "blob 'y' is produced twice (again by layer 'aux_if')");
    }

    @Test
    void loopRules() {
        Model counted = flow(loop("probe", 2, null, null, net(relu("aux_body", "x", "y"), loopBreak("aux_break"))));
        assertTrue(validator.validate(counted).valid(), validator.validate(counted).message());
        assertInvalid(flow(relu("aux_y", "x", "y"), loopBreak("aux_break")),
                "layer 'aux_break' (loopBreak) must be inside the body network of a loop layer");
        assertInvalid(flow(relu("aux_y", "x", "y"), loop("probe", 2, null, null, net())),
                "layer 'probe' (loop) has an empty body network");
        assertInvalid(flow(relu("aux_y", "x", "y"), loop("probe", 0, null, null, net(relu("aux_body", "x", "w")))),
                "layer 'probe' (loop) has no input, no condition network and maxLoopIterations 0");
        assertInvalid(flow(relu("aux_y", "x", "y"), loop("probe", 2, "c", null, net(relu("aux_body", "x", "w")))),
                "layer 'probe' (loop) needs a condition variable exactly when it has a condition network");
        assertInvalid(flow(relu("aux_y", "x", "y"), loop("probe", 2, "c", net(relu("aux_cond", "x", "d")),
                net(relu("aux_body", "x", "w")))), "layer 'probe' (loop) condition variable 'c' is not produced");
        // With a condition network, only body blobs the condition network also holds survive the loop.
        assertInvalid(flow(loop("probe", 2, "c", net(relu("aux_cond", "x", "c")), net(relu("aux_body", "x", "y")))),
                "model output 'y' is produced by no layer");
    }
}
