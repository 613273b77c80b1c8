package dev.aneprobe.probes.samples;

import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.BoolParameter;
import dev.aneprobe.probes.coreml.CategoricalCrossEntropyLossLayer;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.CustomLayerParams;
import dev.aneprobe.probes.coreml.DictionaryFeatureType;
import dev.aneprobe.probes.coreml.DoubleFeatureType;
import dev.aneprobe.probes.coreml.DoubleParameter;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.FeatureVectorizer;
import dev.aneprobe.probes.coreml.FlattenLayerParams;
import dev.aneprobe.probes.coreml.FunctionDescription;
import dev.aneprobe.probes.coreml.GLMClassifier;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.InnerProductLayerParams;
import dev.aneprobe.probes.coreml.Int64FeatureType;
import dev.aneprobe.probes.coreml.Int64Parameter;
import dev.aneprobe.probes.coreml.Int64Vector;
import dev.aneprobe.probes.coreml.LossLayer;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NetworkUpdateParameters;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkClassifier;
import dev.aneprobe.probes.coreml.NeuralNetworkImageScaler;
import dev.aneprobe.probes.coreml.NeuralNetworkPreprocessing;
import dev.aneprobe.probes.coreml.NeuralNetworkRegressor;
import dev.aneprobe.probes.coreml.Optimizer;
import dev.aneprobe.probes.coreml.Pipeline;
import dev.aneprobe.probes.coreml.PipelineClassifier;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.SGDOptimizer;
import dev.aneprobe.probes.coreml.SizeRange;
import dev.aneprobe.probes.coreml.SoftmaxLayerParams;
import dev.aneprobe.probes.coreml.StringFeatureType;
import dev.aneprobe.probes.coreml.StringVector;
import dev.aneprobe.probes.coreml.TreeEnsembleClassifier;
import dev.aneprobe.probes.coreml.TreeEnsembleParameters;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.coreml.SamePadding;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.coreml.TextClassifier;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Feature;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Models shaped like the ones people ship (what converters and Create ML write), built with the project's own
 * network builders ({@link Net}, {@link Layer}, {@link MilNet}) and then given the interface a real model has: class
 * labels and a probability dictionary, image inputs with preprocessing, image outputs, flexible shapes and sizes,
 * pipelines, on-device update, custom layers, several functions. Each is valid by Core ML's rules unless its name
 * says otherwise. Every model is returned as parsed back from its bytes, as a file would be read.
 */
public final class RealWorldModels {
    private RealWorldModels() {
    }

    // ---------------------------------------------------------------- NeuralNetwork classifiers

    /**
     * A small CNN image classifier as Keras/Caffe converters wrote them (spec 1, rank-5 mapping): a 32x32 RGB image,
     * scaled and biased by the preprocessing, conv 3x3 -> ReLU -> max pool 2x2 -> flatten -> inner product ->
     * softmax into {@code labelProbabilities}; string labels; outputs the label dictionary and {@code label}.
     */
    public static Model nnImageClassifier() {
        Net net = Net.legacy().input("image", 3, 32, 32)
                .layer(Layer.aux("conv").in("image").out("conv", 8, 30, 30).with(b -> b.setConvolution(conv(3, 8, 3,
                        false))))
                .layer(Layer.aux("relu").in("conv").out("relu", 8, 30, 30).with(b -> b.setActivation(relu())))
                .layer(Layer.aux("pool").in("relu").out("pool", 8, 15, 15).with(b -> b.setPooling(maxPool(2))))
                .layer(Layer.aux("flatten").in("pool").out("flat", 1800, 1, 1).with(b -> b.setFlatten(
                        FlattenLayerParams.getDefaultInstance())))
                .layer(Layer.aux("dense").in("flat").out("logits", 10, 1, 1).with(b -> b.setInnerProduct(
                        dense(1800, 10))))
                .layer(Layer.probe().in("logits").out("labelProbabilities", 10, 1, 1).with(b -> b.setSoftmax(
                        SoftmaxLayerParams.getDefaultInstance())));
        Model base = net.toModel("sample");
        NeuralNetwork nn = base.getNeuralNetwork();
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder()
                .addInput(image("image", 32, 32, ImageFeatureType.ColorSpace.RGB))
                .addOutput(dictionary("labelProbabilities", false))
                .addOutput(feature("label", FeatureType.newBuilder().setStringType(
                        StringFeatureType.getDefaultInstance())))
                .setPredictedFeatureName("label")
                .setPredictedProbabilitiesName("labelProbabilities");
        StringVector.Builder labels = StringVector.newBuilder();
        for (int i = 0; i < 10; i++) {
            labels.addVector("class" + i);
        }
        m.setNeuralNetworkClassifier(NeuralNetworkClassifier.newBuilder()
                .addAllLayers(nn.getLayersList())
                .addPreprocessing(NeuralNetworkPreprocessing.newBuilder().setFeatureName("image")
                        .setScaler(NeuralNetworkImageScaler.newBuilder().setChannelScale(1 / 127.5f)
                                .setRedBias(-1).setGreenBias(-1).setBlueBias(-1)))
                .setStringClassLabels(labels)
                .setLabelProbabilityLayerName("labelProbabilities"));
        return reparsed(m.build());
    }

    /** A tabular classifier: a rank-1 FLOAT32 [16] input, int64 class labels, an int64-keyed dictionary (spec 1). */
    public static Model nnInt64Classifier() {
        Net net = Net.legacy().input("features", 16)
                .layer(Layer.aux("dense").in("features").out("logits", 3).with(b -> b.setInnerProduct(dense(16, 3))))
                .layer(Layer.probe().in("logits").out("probs", 3).with(b -> b.setSoftmax(
                        SoftmaxLayerParams.getDefaultInstance())));
        Model base = net.toModel("sample");
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addInput(base.getDescription().getInput(0))
                .addOutput(dictionary("probs", true))
                .addOutput(feature("classId", FeatureType.newBuilder().setInt64Type(
                        Int64FeatureType.getDefaultInstance())))
                .setPredictedFeatureName("classId").setPredictedProbabilitiesName("probs");
        m.setNeuralNetworkClassifier(NeuralNetworkClassifier.newBuilder()
                .addAllLayers(base.getNeuralNetwork().getLayersList())
                .setInt64ClassLabels(Int64Vector.newBuilder().addVector(3).addVector(7).addVector(42)));
        return reparsed(m.build());
    }

    /** A regressor over a rank-1 input predicting a multiarray {@code price} (spec 1). */
    public static Model nnRegressor() {
        Net net = Net.legacy().input("features", 8)
                .layer(Layer.probe().in("features").out("price", 1).with(b -> b.setInnerProduct(dense(8, 1))))
                .output("price");
        Model base = net.toModel("sample");
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addAllInput(base.getDescription().getInputList())
                .addAllOutput(base.getDescription().getOutputList())
                .setPredictedFeatureName("price");
        m.setNeuralNetworkRegressor(NeuralNetworkRegressor.newBuilder()
                .addAllLayers(base.getNeuralNetwork().getLayersList()));
        return reparsed(m.build());
    }

    /**
     * The classifier made updatable as Core ML's on-device training wants it (spec 4): the dense layer updatable,
     * a cross-entropy loss on the probabilities against a {@code trueLabel} training input, SGD with epochs.
     */
    public static Model updatableClassifier() {
        Model base = nnInt64Classifier();
        Model.Builder m = base.toBuilder().setSpecificationVersion(4).setIsUpdatable(true);
        NeuralNetworkClassifier.Builder c = m.getNeuralNetworkClassifierBuilder();
        c.getLayersBuilder(0).setIsUpdatable(true).getInnerProductBuilder().getWeightsBuilder().setIsUpdatable(true);
        c.getLayersBuilder(0).getInnerProductBuilder().getBiasBuilder().setIsUpdatable(true);
        c.setUpdateParams(NetworkUpdateParameters.newBuilder()
                .addLossLayers(LossLayer.newBuilder().setName("loss").setCategoricalCrossEntropyLossLayer(
                        CategoricalCrossEntropyLossLayer.newBuilder().setInput("probs").setTarget("trueLabel")))
                .setOptimizer(Optimizer.newBuilder().setSgdOptimizer(SGDOptimizer.newBuilder()
                        .setLearningRate(DoubleParameter.newBuilder().setDefaultValue(0.01))
                        .setMiniBatchSize(Int64Parameter.newBuilder().setDefaultValue(8))))
                .setEpochs(Int64Parameter.newBuilder().setDefaultValue(10))
                .setShuffle(BoolParameter.newBuilder().setDefaultValue(true)));
        m.getDescriptionBuilder().addTrainingInput(base.getDescription().getInput(0))
                .addTrainingInput(feature("trueLabel", FeatureType.newBuilder().setInt64Type(
                        Int64FeatureType.getDefaultInstance())));
        return reparsed(m.build());
    }

    // ---------------------------------------------------------------- NeuralNetworks

    /** Style transfer: a 64x64 RGB image in, a same-padded conv, a 64x64 RGB image out (spec 1). */
    public static Model nnImageToImage() {
        Net net = Net.legacy().input("image", 3, 64, 64)
                .layer(Layer.probe().in("image").out("stylized", 3, 64, 64).with(b -> b.setConvolution(
                        conv(3, 3, 3, true))))
                .output("stylized");
        Model.Builder m = net.toModel("sample").toBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().setInput(0, image("image", 64, 64, ImageFeatureType.ColorSpace.RGB))
                .setOutput(0, image("stylized", 64, 64, ImageFeatureType.ColorSpace.RGB));
        return reparsed(m.build());
    }

    /**
     * A rank-5 network over a [3, H, W] array whose height and width may be anything from 8 to 64 (spec 3), given
     * as a shape range or as enumerated shapes; without a default shape when {@code noDefault}.
     */
    public static Model nnFlexibleRank5(boolean enumerated, boolean noDefault) {
        Net net = Net.legacy().input("x", 3, 16, 16)
                .layer(Layer.probe().in("x").out("y", 3, 16, 16).with(b -> b.setActivation(relu())))
                .output("y");
        Model.Builder m = net.toModel("sample").toBuilder().setSpecificationVersion(3);
        ArrayFeatureType.Builder a = m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder()
                .getMultiArrayTypeBuilder();
        flexible(a, enumerated, new long[] {3, 3}, new long[] {8, 64}, new long[] {8, 64});
        if (noDefault) {
            a.clearShape();
        }
        return reparsed(m.build());
    }

    /** An ND network (spec 4) over [1, 3, H, W] with a flexible height and width, as PyTorch converters wrote them. */
    public static Model nnFlexibleNd(boolean enumerated) {
        Net net = Net.nd().input("x", 1, 3, 16, 16)
                .layer(Layer.probe().in("x").out("y", 1, 3, 16, 16).with(b -> b.setActivation(relu())))
                .output("y");
        Model.Builder m = net.toModel("sample").toBuilder().setSpecificationVersion(4);
        flexible(m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder(),
                enumerated, new long[] {1, 1}, new long[] {3, 3}, new long[] {8, 64}, new long[] {8, 64});
        return reparsed(m.build());
    }

    /** A custom layer (its class supplied by the app) between input and output (spec 2). */
    public static Model nnCustomLayer() {
        Net net = Net.legacy().input("x", 8, 4, 4)
                .layer(Layer.probe().in("x").out("y", 8, 4, 4).with(b -> b.setCustom(CustomLayerParams.newBuilder()
                        .setClassName("AAPLSwish").setDescription("x * sigmoid(x)"))))
                .output("y");
        return reparsed(net.toModel("sample").toBuilder().setSpecificationVersion(2).build());
    }

    // ---------------------------------------------------------------- pipelines and other model types

    /**
     * A pipeline classifier as scikit-learn converters write them: a feature vectorizer joining three doubles into
     * an array, a NeuralNetwork embedding it, and a GLM classifier giving the label and its probabilities (spec 1).
     */
    public static Model pipelineVectorizerNnGlm() {
        Model vectorizer = Model.newBuilder().setSpecificationVersion(1)
                .setDescription(ModelDescription.newBuilder()
                        .addInput(doubleFeature("rooms")).addInput(doubleFeature("area")).addInput(doubleFeature("age"))
                        .addOutput(array("features", ArrayFeatureType.ArrayDataType.DOUBLE, 3)))
                .setFeatureVectorizer(FeatureVectorizer.newBuilder()
                        .addInputList(FeatureVectorizer.InputColumn.newBuilder().setInputColumn("rooms")
                                .setInputDimensions(1))
                        .addInputList(FeatureVectorizer.InputColumn.newBuilder().setInputColumn("area")
                                .setInputDimensions(1))
                        .addInputList(FeatureVectorizer.InputColumn.newBuilder().setInputColumn("age")
                                .setInputDimensions(1)))
                .build();
        Net net = Net.legacy().input(Feature.of("features", ArrayFeatureType.ArrayDataType.DOUBLE, 3))
                .layer(Layer.probe().in("features").out("embedding", 4).with(b -> b.setInnerProduct(dense(3, 4))))
                .output("embedding", ArrayFeatureType.ArrayDataType.DOUBLE);
        Model network = net.toModel("sample").toBuilder().setSpecificationVersion(1).build();
        Model glm = Model.newBuilder().setSpecificationVersion(1)
                .setDescription(ModelDescription.newBuilder()
                        .addInput(array("embedding", ArrayFeatureType.ArrayDataType.DOUBLE, 4))
                        .addOutput(feature("label", FeatureType.newBuilder().setStringType(
                                StringFeatureType.getDefaultInstance())))
                        .addOutput(dictionary("labelProbability", false))
                        .setPredictedFeatureName("label").setPredictedProbabilitiesName("labelProbability"))
                .setGlmClassifier(GLMClassifier.newBuilder()
                        .addWeights(GLMClassifier.DoubleArray.newBuilder().addValue(0.1).addValue(0.2).addValue(0.3)
                                .addValue(0.4))
                        .addOffset(0.5)
                        .setStringClassLabels(StringVector.newBuilder().addVector("cheap").addVector("dear")))
                .build();
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addAllInput(vectorizer.getDescription().getInputList())
                .addAllOutput(glm.getDescription().getOutputList())
                .setPredictedFeatureName("label").setPredictedProbabilitiesName("labelProbability");
        m.setPipelineClassifier(PipelineClassifier.newBuilder().setPipeline(Pipeline.newBuilder()
                .addModels(vectorizer).addModels(network).addModels(glm)));
        return reparsed(m.build());
    }

    /** A pipeline whose first model is itself a pipeline holding the image classifier, then nothing else (spec 1). */
    public static Model nestedPipeline(Model inner) {
        Model innerPipeline = Model.newBuilder().setSpecificationVersion(inner.getSpecificationVersion())
                .setDescription(inner.getDescription().toBuilder().clearPredictedFeatureName()
                        .clearPredictedProbabilitiesName())
                .setPipeline(Pipeline.newBuilder().addModels(inner).addNames("classifier"))
                .build();
        Model.Builder m = Model.newBuilder().setSpecificationVersion(inner.getSpecificationVersion());
        m.getDescriptionBuilder().addAllInput(inner.getDescription().getInputList())
                .addAllOutput(inner.getDescription().getOutputList());
        m.setPipeline(Pipeline.newBuilder().addModels(innerPipeline).addNames("stage"));
        return reparsed(m.build());
    }

    /** A gradient-boosted tree classifier (two stumps) over a DOUBLE [2] array, int64 labels (spec 1). */
    public static Model treeEnsembleClassifier() {
        TreeEnsembleParameters.Builder trees = TreeEnsembleParameters.newBuilder().setNumPredictionDimensions(1)
                .addBasePredictionValue(0);
        for (int t = 0; t < 2; t++) {
            trees.addNodes(TreeEnsembleParameters.TreeNode.newBuilder().setTreeId(t).setNodeId(0)
                    .setNodeBehavior(TreeEnsembleParameters.TreeNode.TreeNodeBehavior.BranchOnValueLessThanEqual)
                    .setBranchFeatureIndex(t).setBranchFeatureValue(0.5).setTrueChildNodeId(1).setFalseChildNodeId(2));
            for (int leaf = 1; leaf <= 2; leaf++) {
                trees.addNodes(TreeEnsembleParameters.TreeNode.newBuilder().setTreeId(t).setNodeId(leaf)
                        .setNodeBehavior(TreeEnsembleParameters.TreeNode.TreeNodeBehavior.LeafNode)
                        .addEvaluationInfo(TreeEnsembleParameters.TreeNode.EvaluationInfo.newBuilder()
                                .setEvaluationIndex(0).setEvaluationValue(leaf == 1 ? -0.3 : 0.3)));
            }
        }
        Model.Builder m = Model.newBuilder().setSpecificationVersion(1);
        m.getDescriptionBuilder().addInput(array("x", ArrayFeatureType.ArrayDataType.DOUBLE, 2))
                .addOutput(feature("classId", FeatureType.newBuilder().setInt64Type(
                        Int64FeatureType.getDefaultInstance())))
                .addOutput(dictionary("classProbability", true))
                .setPredictedFeatureName("classId").setPredictedProbabilitiesName("classProbability");
        m.setTreeEnsembleClassifier(TreeEnsembleClassifier.newBuilder().setTreeEnsemble(trees)
                .setInt64ClassLabels(Int64Vector.newBuilder().addVector(0).addVector(1)));
        return reparsed(m.build());
    }

    /** A Create ML text classifier: a string in, its label out; the trained parameters are opaque bytes (spec 3). */
    public static Model textClassifier() {
        Model.Builder m = Model.newBuilder().setSpecificationVersion(3);
        m.getDescriptionBuilder().addInput(feature("text", FeatureType.newBuilder().setStringType(
                        StringFeatureType.getDefaultInstance())))
                .addOutput(feature("label", FeatureType.newBuilder().setStringType(
                        StringFeatureType.getDefaultInstance())))
                .setPredictedFeatureName("label");
        m.setTextClassifier(TextClassifier.newBuilder().setRevision(1).setLanguage("en")
                .setModelParameterData(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3, 4}))
                .setStringClassLabels(StringVector.newBuilder().addVector("positive").addVector("negative")));
        return reparsed(m.build());
    }

    // ---------------------------------------------------------------- ML Programs

    /** A one-op ML Program: {@code x} (fp32 [1, 3, 64, 64] by default) -> relu -> {@code y}, at the given opset. */
    public static Model milRelu(String opset, String input, long... dims) {
        long[] shape = dims.length == 0 ? new long[] {1, 3, 64, 64} : dims;
        MilNet net = MilNet.of(opset).input(input, DataType.FLOAT32, shape);
        Map<String, List<String>> ins = new LinkedHashMap<>();
        ins.put("x", List.of(input));
        net.op("relu", ins, "y", DataType.FLOAT32, shape).output("y");
        return reparsed(net.toModel("sample", (type, data, count) -> {
            throw new IllegalStateException("no large consts here");
        }));
    }

    /**
     * An ML Program taking a 64x64 RGB image (spec 6, opset CoreML5): the image reaches {@code main} as an fp32
     * [1, 3, 64, 64] tensor. With {@code flexible}, any size from 32 to 128 (the function's height and width then
     * unknown, and the output described without a shape).
     */
    public static Model milImageInput(boolean flexible) {
        Model.Builder m = milRelu("CoreML5", "image").toBuilder();
        ImageFeatureType.Builder im = ImageFeatureType.newBuilder().setWidth(64).setHeight(64)
                .setColorSpace(ImageFeatureType.ColorSpace.RGB);
        if (flexible) {
            im.setImageSizeRange(ImageFeatureType.ImageSizeRange.newBuilder()
                    .setWidthRange(SizeRange.newBuilder().setLowerBound(32).setUpperBound(128))
                    .setHeightRange(SizeRange.newBuilder().setLowerBound(32).setUpperBound(128)));
            unknownDims(m, Set.of("image", "y"), 2, 3);
            m.getDescriptionBuilder().getOutputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder().clearShape();
        }
        m.getDescriptionBuilder().setInput(0, feature("image", FeatureType.newBuilder().setImageType(im)));
        return reparsed(m.build());
    }

    /** An ML Program whose output is a 64x64 RGB image (its [1, 3, 64, 64] tensor), spec 6. */
    public static Model milImageOutput() {
        Model.Builder m = milRelu("CoreML5", "x").toBuilder();
        m.getDescriptionBuilder().setOutput(0, image("y", 64, 64, ImageFeatureType.ColorSpace.RGB));
        return reparsed(m.build());
    }

    /**
     * An ML Program over an audio feature {@code lpb_magnitude} of [1, 257, T] with T from 1 to 2048 frames (a
     * shape range) or one of 100, 200, 400 (enumerated shapes), spec 7 (opset CoreML6): the function sees T as
     * unknown.
     */
    public static Model milFlexibleArray(boolean enumerated) {
        Model.Builder m = milRelu("CoreML6", "lpb_magnitude", 1, 257, 100).toBuilder();
        unknownDims(m, Set.of("lpb_magnitude", "y"), 2);
        ArrayFeatureType.Builder a = m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder()
                .getMultiArrayTypeBuilder();
        if (enumerated) {
            for (long t : new long[] {100, 200, 400}) {
                a.getEnumeratedShapesBuilder().addShapes(ArrayFeatureType.Shape.newBuilder().addShape(1)
                        .addShape(257).addShape(t));
            }
        } else {
            ArrayFeatureType.ShapeRange.Builder r = a.getShapeRangeBuilder();
            r.addSizeRanges(SizeRange.newBuilder().setLowerBound(1).setUpperBound(1));
            r.addSizeRanges(SizeRange.newBuilder().setLowerBound(257).setUpperBound(257));
            r.addSizeRanges(SizeRange.newBuilder().setLowerBound(1).setUpperBound(2048));
        }
        m.getDescriptionBuilder().getOutputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder().clearShape();
        return reparsed(m.build());
    }

    /**
     * Two functions in one ML Program (spec 9, opset CoreML8), as {@code save_multifunction} writes them: {@code
     * main} over [1, 3, 64, 64] and {@code small} over [1, 3, 32, 32], each described by its own function
     * description; the default is {@code main}.
     */
    public static Model milTwoFunctions() {
        Model big = milRelu("CoreML8", "x");
        Model small = milRelu("CoreML8", "x", 1, 3, 32, 32);
        Program.Builder program = big.getMlProgram().toBuilder()
                .putFunctions("small", small.getMlProgram().getFunctionsOrThrow("main"));
        ModelDescription.Builder d = ModelDescription.newBuilder().setDefaultFunctionName("main")
                .addFunctions(FunctionDescription.newBuilder().setName("main")
                        .addAllInput(big.getDescription().getInputList())
                        .addAllOutput(big.getDescription().getOutputList()))
                .addFunctions(FunctionDescription.newBuilder().setName("small")
                        .addAllInput(small.getDescription().getInputList())
                        .addAllOutput(small.getDescription().getOutputList()))
                .setMetadata(big.getDescription().getMetadata());
        return reparsed(Model.newBuilder().setSpecificationVersion(9).setDescription(d).setMlProgram(program)
                .build());
    }

    // ---------------------------------------------------------------- helpers

    /** The model as a file holding it would be read: serialized and parsed back. */
    public static Model reparsed(Model model) {
        try {
            return Model.parseFrom(model.toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Makes the given axes of the named values of function 'main' (inputs and op outputs) unknown. */
    private static void unknownDims(Model.Builder m, Set<String> names, int... axes) {
        Function.Builder main = m.getMlProgramBuilder().getFunctionsMap().get("main").toBuilder();
        for (NamedValueType.Builder in : main.getInputsBuilderList()) {
            if (names.contains(in.getName())) {
                unknown(in.getTypeBuilder(), axes);
            }
        }
        var block = main.getBlockSpecializationsMap().get(main.getOpset()).toBuilder();
        for (Operation.Builder op : block.getOperationsBuilderList()) {
            for (NamedValueType.Builder out : op.getOutputsBuilderList()) {
                if (names.contains(out.getName())) {
                    unknown(out.getTypeBuilder(), axes);
                }
            }
        }
        main.putBlockSpecializations(main.getOpset(), block.build());
        m.getMlProgramBuilder().putFunctions("main", main.build());
    }

    private static void unknown(ValueType.Builder type, int... axes) {
        TensorType.Builder t = type.getTensorTypeBuilder();
        for (int axis : axes) {
            t.setDimensions(axis, Dimension.newBuilder().setUnknown(Dimension.UnknownDimension.getDefaultInstance()));
        }
    }

    private static void flexible(ArrayFeatureType.Builder a, boolean enumerated, long[]... ranges) {
        if (enumerated) {
            for (long size : new long[] {8, 16, 64}) {
                ArrayFeatureType.Shape.Builder s = ArrayFeatureType.Shape.newBuilder();
                for (long[] r : ranges) {
                    s.addShape(r[0] == r[1] ? r[0] : size);
                }
                if (size == 16 || !a.getShapeList().isEmpty()) {
                    a.getEnumeratedShapesBuilder().addShapes(s);
                }
            }
        } else {
            for (long[] r : ranges) {
                a.getShapeRangeBuilder().addSizeRanges(SizeRange.newBuilder().setLowerBound(r[0])
                        .setUpperBound(r[1]));
            }
        }
    }

    private static ConvolutionLayerParams conv(int in, int out, int k, boolean same) {
        ConvolutionLayerParams.Builder c = ConvolutionLayerParams.newBuilder().setKernelChannels(in)
                .setOutputChannels(out).addKernelSize(k).addKernelSize(k).addStride(1).addStride(1)
                .setWeights(Weights.constant((long) in * out * k * k, 0.01f));
        if (same) {
            c.setSame(SamePadding.getDefaultInstance());
        } else {
            c.setValid(ValidPadding.getDefaultInstance());
        }
        return c.build();
    }

    private static PoolingLayerParams maxPool(int k) {
        return PoolingLayerParams.newBuilder().setType(PoolingLayerParams.PoolingType.MAX).addKernelSize(k)
                .addKernelSize(k).addStride(k).addStride(k).setValid(ValidPadding.getDefaultInstance()).build();
    }

    private static InnerProductLayerParams dense(int in, int out) {
        return InnerProductLayerParams.newBuilder().setInputChannels(in).setOutputChannels(out).setHasBias(true)
                .setWeights(Weights.constant((long) in * out, 0.01f)).setBias(Weights.constant(out, 0f)).build();
    }

    private static ActivationParams relu() {
        return ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()).build();
    }

    static FeatureDescription feature(String name, FeatureType.Builder type) {
        return FeatureDescription.newBuilder().setName(name).setType(type).build();
    }

    static FeatureDescription image(String name, long width, long height, ImageFeatureType.ColorSpace space) {
        return feature(name, FeatureType.newBuilder().setImageType(ImageFeatureType.newBuilder().setWidth(width)
                .setHeight(height).setColorSpace(space)));
    }

    static FeatureDescription dictionary(String name, boolean int64Keys) {
        DictionaryFeatureType.Builder d = DictionaryFeatureType.newBuilder();
        if (int64Keys) {
            d.setInt64KeyType(Int64FeatureType.getDefaultInstance());
        } else {
            d.setStringKeyType(StringFeatureType.getDefaultInstance());
        }
        return feature(name, FeatureType.newBuilder().setDictionaryType(d));
    }

    static FeatureDescription doubleFeature(String name) {
        return feature(name, FeatureType.newBuilder().setDoubleType(DoubleFeatureType.getDefaultInstance()));
    }

    static FeatureDescription array(String name, ArrayFeatureType.ArrayDataType type, long... dims) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(type);
        for (long d : dims) {
            a.addShape(d);
        }
        return feature(name, FeatureType.newBuilder().setMultiArrayType(a));
    }
}
