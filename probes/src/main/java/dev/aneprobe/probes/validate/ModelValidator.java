package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkClassifier;
import dev.aneprobe.probes.coreml.NeuralNetworkImageShapeMapping;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Core ML's validation rules, in Java, for a model of any type ({@link #validate}). For the three NeuralNetwork
 * model types (plain, classifier, regressor): the model interface (a classifier's class labels and label outputs, a
 * regressor's prediction), the specification version against the
 * features used, the shape mapping against the layer types, the blob graph, each layer's arity and ranks, and each
 * layer's parameters (padding set, weight and bias counts, precision). Problems read as one line each, naming the
 * layer or feature concerned. A valid rank-5 network then goes through Core ML's shape propagation
 * ({@link Rank5Shapes}), whose findings are warnings, as in Core ML. ML Program models are handed to
 * {@link ProgramValidator}.
 */
public final class ModelValidator {
    private final ProgramValidator programs = new ProgramValidator();

    private final PipelineValidator pipelines = new PipelineValidator(this);

    /**
     * Any model: NeuralNetworks (plain, classifier, regressor) and ML Programs by their rules, pipelines by theirs
     * with every model inside checked in turn; other model types by the interface rules all models share, and named
     * in {@link ValidationResult#notChecked()} — never invalid for rules aneprobe does not have.
     */
    public ValidationResult validate(Model model) {
        List<String> problems = new ArrayList<>();
        int version = model.getSpecificationVersion();
        if (version < 1 || version > SpecificationVersions.NEWEST) {
            problems.add("specification version " + version + " is outside 1.." + SpecificationVersions.NEWEST);
            return new ValidationResult(problems);
        }
        switch (model.getTypeCase()) {
            case MLPROGRAM:
                return programs.validate(model);
            case NEURALNETWORK:
            case NEURALNETWORKCLASSIFIER:
            case NEURALNETWORKREGRESSOR:
                return validateNetwork(model, version);
            case PIPELINE:
            case PIPELINECLASSIFIER:
            case PIPELINEREGRESSOR:
                return pipelines.validate(model);
            case TYPE_NOT_SET:
                if (ModelKinds.unknownType(model) == null) {
                    problems.add("the model sets no model type (not a NeuralNetwork, ML Program, pipeline or any "
                            + "other kind of model)");
                    return new ValidationResult(problems);
                }
                // A model type newer than this schema: nothing to check but that it is there.
                return ValidationResult.notChecked(ModelKinds.name(model));
            default:
                InterfaceRules.model(model, problems);
                return new ValidationResult(problems, List.of(), List.of(ModelKinds.name(model)));
        }
    }

    /** A NeuralNetwork, NeuralNetworkClassifier or NeuralNetworkRegressor. */
    private ValidationResult validateNetwork(Model model, int version) {
        List<String> problems = new ArrayList<>();
        NeuralNetwork nn = SpecificationVersions.network(model);
        checkInterface(model, version, problems);
        if (!problems.isEmpty()) {
            return new ValidationResult(problems);
        }
        SpecificationVersions.Requirement needed = SpecificationVersions.requirement(model);
        if (needed.version() > version) {
            problems.add("specification version " + version + " is too low: " + needed.reason() + ", which needs "
                    + needed.version());
        }
        List<String> warnings = new ArrayList<>();
        checkNetwork(model, nn, problems, warnings);
        return new ValidationResult(problems, warnings);
    }

    private static void checkInterface(Model model, int version, List<String> problems) {
        List<FeatureDescription> inputs = model.getDescription().getInputList();
        List<FeatureDescription> outputs = model.getDescription().getOutputList();
        if (outputs.isEmpty()) {
            problems.add("the model declares no outputs");
        }
        if (model.getDescription().getFunctionsCount() > 0
                || !model.getDescription().getDefaultFunctionName().isEmpty()) {
            problems.add("only ML Programs may describe several functions (this is a " + ModelKinds.name(model)
                    + ")");
        }
        Set<String> names = new HashSet<>();
        for (FeatureDescription f : inputs) {
            checkFeature(f, "input", version, names, problems);
        }
        boolean allOptional = !inputs.isEmpty();
        for (FeatureDescription f : inputs) {
            allOptional &= f.getType().getIsOptional();
        }
        if (allOptional) {
            problems.add("every model input is optional; at least one must be required");
        }
        if (model.hasNeuralNetwork()) {
            for (FeatureDescription f : outputs) {
                checkFeature(f, "output", version, names, problems);
            }
        } else {
            // A classifier's or regressor's outputs are not held to the network's own types: its label and
            // probabilities are made from the network's output, and Core ML checks them by the classifier and
            // regressor rules instead.
            for (FeatureDescription f : outputs) {
                if (!names.add(f.getName())) {
                    problems.add("model output '" + f.getName() + "' is declared twice (feature names must be "
                            + "unique)");
                }
                InterfaceRules.feature(f, version, InterfaceRules.Role.OUTPUT, problems);
            }
            if (problems.isEmpty()) {
                if (model.hasNeuralNetworkClassifier()) {
                    checkClassifierInterface(model, problems);
                } else {
                    checkRegressorInterface(model, problems);
                }
            }
        }
        if (model.getIsUpdatable() && version < 4) {
            problems.add("an updatable model needs specification version 4 (it declares " + version + ")");
        }
    }

    /**
     * A NeuralNetworkClassifier's class labels and label outputs (Core ML's classifier interface): labels given,
     * all of one kind; the predicted feature an output of that kind (string or int64); the probabilities, when
     * named, an output that is a dictionary (or a multiarray, which Core ML still accepts).
     */
    private static void checkClassifierInterface(Model model, List<String> problems) {
        NeuralNetworkClassifier c = model.getNeuralNetworkClassifier();
        boolean int64Labels;
        switch (c.getClassLabelsCase()) {
            case STRINGCLASSLABELS -> {
                if (c.getStringClassLabels().getVectorCount() == 0) {
                    problems.add("the classifier declares string class labels but lists none");
                    return;
                }
                int64Labels = false;
            }
            case INT64CLASSLABELS -> {
                if (c.getInt64ClassLabels().getVectorCount() == 0) {
                    problems.add("the classifier declares int64 class labels but lists none");
                    return;
                }
                int64Labels = true;
            }
            default -> {
                problems.add("the classifier lists no class labels");
                return;
            }
        }
        ModelDescription d = model.getDescription();
        String label = d.getPredictedFeatureName();
        if (label.isEmpty()) {
            problems.add("the classifier names no predicted feature (predictedFeatureName)");
            return;
        }
        FeatureDescription labelOut = output(d, label);
        FeatureType.TypeCase want = int64Labels ? FeatureType.TypeCase.INT64TYPE : FeatureType.TypeCase.STRINGTYPE;
        if (labelOut == null) {
            problems.add("the predicted feature '" + label + "' is not a model output");
            return;
        }
        if (labelOut.getType().getTypeCase() != want) {
            problems.add("the predicted feature '" + label + "' is a " + ModelKinds.featureKind(labelOut.getType())
                    + " but the class labels are " + (int64Labels ? "int64" : "strings"));
            return;
        }
        String probabilities = d.getPredictedProbabilitiesName();
        if (!probabilities.isEmpty()) {
            FeatureDescription probOut = output(d, probabilities);
            if (probOut == null) {
                problems.add("the predicted probabilities '" + probabilities + "' are not a model output");
            } else if (!probOut.getType().hasDictionaryType() && !probOut.getType().hasMultiArrayType()) {
                problems.add("the predicted probabilities '" + probabilities + "' are a "
                        + ModelKinds.featureKind(probOut.getType()) + " (a dictionary from label to probability)");
            }
        }
    }

    /** A NeuralNetworkRegressor's prediction: a named output that is a double or a multiarray. */
    private static void checkRegressorInterface(Model model, List<String> problems) {
        String name = model.getDescription().getPredictedFeatureName();
        if (name.isEmpty()) {
            problems.add("the regressor names no predicted feature (predictedFeatureName)");
            return;
        }
        FeatureDescription out = output(model.getDescription(), name);
        if (out == null) {
            problems.add("the predicted feature '" + name + "' is not a model output");
        } else if (!out.getType().hasDoubleType() && !out.getType().hasMultiArrayType()) {
            problems.add("the predicted feature '" + name + "' is a " + ModelKinds.featureKind(out.getType())
                    + " (a regressor predicts a double or a multiarray)");
        }
    }

    private static FeatureDescription output(ModelDescription d, String name) {
        for (FeatureDescription f : d.getOutputList()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static void checkFeature(FeatureDescription f, String role, int version, Set<String> names,
            List<String> problems) {
        if (f.getName().isEmpty()) {
            problems.add("a model " + role + " has an empty name");
            return;
        }
        String who = "model " + role + " '" + f.getName() + "'";
        if (!names.add(f.getName())) {
            problems.add(who + " is declared twice (feature names must be unique)");
        }
        FeatureType t = f.getType();
        if (!t.hasMultiArrayType() && !t.hasImageType()) {
            problems.add(who + " must be a multiarray or an image for a NeuralNetwork (it is "
                    + t.getTypeCase() + ")");
            return;
        }
        // Images, and the flexible shapes of arrays (a default inside the range or among the enumerated shapes),
        // by the rules every model's interface follows.
        if (t.hasImageType() || t.getMultiArrayType().getShapeFlexibilityCase()
                != ArrayFeatureType.ShapeFlexibilityCase.SHAPEFLEXIBILITY_NOT_SET) {
            int before = problems.size();
            InterfaceRules.feature(f, version, role.equals("input") ? InterfaceRules.Role.INPUT
                    : InterfaceRules.Role.OUTPUT, problems);
            if (problems.size() > before || t.hasImageType()) {
                return;
            }
        }
        if (t.hasMultiArrayType()) {
            ArrayFeatureType a = t.getMultiArrayType();
            if (a.getShapeCount() == 0 && role.equals("input") && !a.hasShapeRange() && !a.hasEnumeratedShapes()) {
                problems.add(who + " has no shape");
            }
            for (long d : a.getShapeList()) {
                if (d < 0) {
                    problems.add(who + " has a negative dimension " + d);
                    break;
                }
            }
            switch (a.getDataType()) {
                case FLOAT32:
                case DOUBLE:
                case INT32:
                    break;
                case FLOAT16:
                    if (version < 7) {
                        problems.add(who + " is FLOAT16, which needs specification version 7 (the model declares "
                                + version + ")");
                    }
                    break;
                case INT8:
                    if (version < 10) {
                        problems.add(who + " is INT8, which needs specification version 10 (the model declares "
                                + version + ")");
                    }
                    break;
                default:
                    problems.add(who + " has no valid data type (" + a.getDataType() + ")");
            }
        }
    }

    private static void checkNetwork(Model model, NeuralNetwork nn, List<String> problems, List<String> warnings) {
        if (nn.getLayersCount() == 0) {
            problems.add("the network has no layers");
            return;
        }
        boolean rank5 = nn.getArrayInputShapeMapping() == NeuralNetworkMultiArrayShapeMapping.RANK5_ARRAY_MAPPING;
        boolean hasArrayInput = false;
        Map<String, Integer> ranks = new HashMap<>();
        for (FeatureDescription f : model.getDescription().getInputList()) {
            if (f.getType().hasMultiArrayType()) {
                hasArrayInput = true;
                int rank = declaredRank(f.getType().getMultiArrayType());
                if (rank5 && !rank5Compatible(f.getType().getMultiArrayType())) {
                    problems.add("model input '" + f.getName() + "' has rank " + rank
                            + "; with RANK5_ARRAY_MAPPING an input must have rank 1 or 3");
                }
                ranks.put(f.getName(), rank5 ? 5 : rank);
            } else if (f.getType().hasImageType()) {
                ranks.put(f.getName(), nn.getImageInputShapeMappingValue() == 1 ? 4 : 5);
            }
        }
        boolean nd = !rank5;
        for (NeuralNetworkLayer layer : nn.getLayersList()) {
            if (SpecificationVersions.needsNd(layer)) {
                nd = true;
                if (rank5 && hasArrayInput) {
                    problems.add("layer '" + layer.getName() + "' (" + Messages.layerType(layer) + ") needs "
                            + "EXACT_ARRAY_MAPPING: RANK5_ARRAY_MAPPING allows only the original layer types");
                    return;
                }
            }
        }
        checkGraph(model, nn, problems);
        if (!problems.isEmpty()) {
            return;
        }
        checkLayers(model, nn.getLayersList(), nd, ranks, new HashSet<>(), problems);
        // Core ML propagates rank-5 shapes only through networks it does not read as ND, and only once the layers
        // themselves are valid; what it cannot shape it reports without rejecting the model.
        if (problems.isEmpty() && !nd
                && nn.getImageInputShapeMapping() == NeuralNetworkImageShapeMapping.RANK5_IMAGE_MAPPING) {
            Rank5Shapes.check(model, nn.getLayersList(), warnings);
        }
    }

    /**
     * Whether a rank-5 network can take this array input: a default shape of rank 1 or 3, or without one, a shape
     * range of rank 1 or 3 or enumerated shapes each of rank 1 or 3.
     */
    private static boolean rank5Compatible(ArrayFeatureType a) {
        if (a.getShapeCount() > 0) {
            return a.getShapeCount() == 1 || a.getShapeCount() == 3;
        }
        if (a.hasShapeRange()) {
            int n = a.getShapeRange().getSizeRangesCount();
            return n == 1 || n == 3;
        }
        if (a.hasEnumeratedShapes() && a.getEnumeratedShapes().getShapesCount() > 0) {
            return a.getEnumeratedShapes().getShapesList().stream()
                    .allMatch(s -> s.getShapeCount() == 1 || s.getShapeCount() == 3);
        }
        return false;
    }

    /**
     * An array input's rank: its default shape's, else (a flexible input without a default) its shape range's or
     * its enumerated shapes' when they all agree, else -1.
     */
    private static int declaredRank(ArrayFeatureType a) {
        if (a.getShapeCount() > 0) {
            return a.getShapeCount();
        }
        if (a.hasShapeRange()) {
            return a.getShapeRange().getSizeRangesCount();
        }
        if (a.hasEnumeratedShapes() && a.getEnumeratedShapes().getShapesCount() > 0) {
            int rank = a.getEnumeratedShapes().getShapes(0).getShapeCount();
            for (ArrayFeatureType.Shape shape : a.getEnumeratedShapes().getShapesList()) {
                if (shape.getShapeCount() != rank) {
                    return -1;
                }
            }
            return rank;
        }
        return 0;
    }

    /** Each layer's own rules, nested networks (branch, loop) included; layer names are unique model-wide. */
    private static void checkLayers(Model model, List<NeuralNetworkLayer> layers, boolean nd,
            Map<String, Integer> ranks, Set<String> layerNames, List<String> problems) {
        for (NeuralNetworkLayer layer : layers) {
            String who = "layer '" + layer.getName() + "'";
            if (layer.getName().isEmpty()) {
                problems.add("a layer has an empty name");
                continue;
            }
            if (!layerNames.add(layer.getName())) {
                problems.add(who + " is declared twice (layer names must be unique)");
            }
            String type = Messages.layerType(layer);
            if (type == null) {
                problems.add(who + " has no layer type set");
                continue;
            }
            LayerRule rule = LayerRules.of(type);
            who = who + " (" + type + ")";
            checkArity(layer, rule, who, problems);
            checkTensors(layer, rule, who, nd, ranks, problems);
            LayerChecks.check(layer, who, model, problems);
            if (layer.hasBranch()) {
                checkLayers(model, layer.getBranch().getIfBranch().getLayersList(), nd, ranks, layerNames, problems);
                checkLayers(model, layer.getBranch().getElseBranch().getLayersList(), nd, ranks, layerNames,
                        problems);
            } else if (layer.hasLoop()) {
                checkLayers(model, layer.getLoop().getConditionNetwork().getLayersList(), nd, ranks, layerNames,
                        problems);
                checkLayers(model, layer.getLoop().getBodyNetwork().getLayersList(), nd, ranks, layerNames,
                        problems);
            }
        }
    }

    /**
     * The blob graph, as Core ML walks it: every layer reads blobs already available, no blob is produced twice
     * (except by {@code copy}), every model output is produced and every model input read. Branch and loop layers
     * nest networks: a nested network sees the blobs available where its layer stands; after a branch, the blobs
     * both the if and the else branch hold become available; after a loop, those of its condition network, plus
     * those of its body network (all of them without a condition network, else those the condition network also
     * holds). loopBreak and loopContinue belong inside a loop's body.
     */
    private static void checkGraph(Model model, NeuralNetwork nn, List<String> problems) {
        Map<String, String> available = new HashMap<>();
        Set<String> consumed = new HashSet<>();
        for (FeatureDescription f : model.getDescription().getInputList()) {
            available.put(f.getName(), "the model input");
        }
        walk(nn.getLayersList(), available, consumed, 0, problems);
        ModelDescription d = model.getDescription();
        for (FeatureDescription f : d.getOutputList()) {
            // A classifier's label and probabilities are made by Core ML from the network's output; a regressor's
            // outputs are not matched to blobs by Core ML's validation at all.
            boolean made = model.hasNeuralNetworkRegressor() || (model.hasNeuralNetworkClassifier()
                    && (f.getName().equals(d.getPredictedFeatureName())
                    || f.getName().equals(d.getPredictedProbabilitiesName())));
            if (!made && !available.containsKey(f.getName())) {
                problems.add("model output '" + f.getName() + "' is produced by no layer");
            }
        }
        if (model.hasNeuralNetworkClassifier()) {
            String probabilities = model.getNeuralNetworkClassifier().getLabelProbabilityLayerName();
            if (!probabilities.isEmpty() && (!available.containsKey(probabilities)
                    || "the model input".equals(available.get(probabilities)))) {
                problems.add("the classifier takes its probabilities from blob '" + probabilities
                        + "' (labelProbabilityLayerName), which no layer produces");
            }
        }
        for (FeatureDescription f : model.getDescription().getInputList()) {
            if (!consumed.contains(f.getName())) {
                problems.add("model input '" + f.getName() + "' is used by no layer");
            }
        }
    }

    /**
     * Walks one network's layers; {@code available} maps each blob to the first layer that produced it, and grows.
     * Returns the blobs this network's own layers produced (copies of existing blobs included).
     */
    private static Set<String> walk(List<NeuralNetworkLayer> layers, Map<String, String> available,
            Set<String> consumed, int loopDepth, List<String> problems) {
        Set<String> produced = new HashSet<>();
        for (NeuralNetworkLayer layer : layers) {
            String who = "layer '" + layer.getName() + "'";
            Set<String> before = layer.getLayerCase() == NeuralNetworkLayer.LayerCase.BRANCH
                    || layer.getLayerCase() == NeuralNetworkLayer.LayerCase.LOOP ? Set.copyOf(available.keySet())
                    : Set.of();
            switch (layer.getLayerCase()) {
                case BRANCH -> branch(layer, who, available, consumed, loopDepth, problems);
                case LOOP -> loop(layer, who, available, consumed, loopDepth, problems);
                case LOOPBREAK, LOOPCONTINUE -> {
                    if (loopDepth == 0) {
                        problems.add(who + " (" + Messages.layerType(layer) + ") must be inside the body network "
                                + "of a loop layer");
                    }
                }
                default -> {
                }
            }
            if (!before.isEmpty()) {
                available.keySet().stream().filter(b -> !before.contains(b)).forEach(produced::add);
            }
            for (String in : layer.getInputList()) {
                if (!available.containsKey(in)) {
                    problems.add(who + " reads blob '" + in + "' before any layer or model input provides it");
                }
                consumed.add(in);
            }
            for (String out : layer.getOutputList()) {
                String earlier = available.putIfAbsent(out, layer.getName());
                if (earlier != null && layer.getLayerCase() != NeuralNetworkLayer.LayerCase.COPY) {
                    problems.add("blob '" + out + "' is produced twice (again by layer '" + layer.getName() + "')");
                }
                produced.add(out);
            }
        }
        return produced;
    }

    private static void branch(NeuralNetworkLayer layer, String who, Map<String, String> available,
            Set<String> consumed, int loopDepth, List<String> problems) {
        var branch = layer.getBranch();
        if (branch.getIfBranch().getLayersCount() == 0) {
            problems.add(who + " (branch) has an empty if branch");
            return;
        }
        Map<String, String> ifBlobs = new HashMap<>(available);
        walk(branch.getIfBranch().getLayersList(), ifBlobs, consumed, loopDepth, problems);
        if (branch.getElseBranch().getLayersCount() > 0) {
            Map<String, String> elseBlobs = new HashMap<>(available);
            walk(branch.getElseBranch().getLayersList(), elseBlobs, consumed, loopDepth, problems);
            for (Map.Entry<String, String> e : ifBlobs.entrySet()) {
                if (elseBlobs.containsKey(e.getKey())) {
                    available.putIfAbsent(e.getKey(), e.getValue());
                }
            }
        }
    }

    private static void loop(NeuralNetworkLayer layer, String who, Map<String, String> available,
            Set<String> consumed, int loopDepth, List<String> problems) {
        var loop = layer.getLoop();
        boolean hasCondition = loop.getConditionNetwork().getLayersCount() > 0;
        if (loop.getBodyNetwork().getLayersCount() == 0) {
            problems.add(who + " (loop) has an empty body network");
            return;
        }
        if (hasCondition == loop.getConditionVar().isEmpty()) {
            problems.add(who + " (loop) needs a condition variable exactly when it has a condition network");
            return;
        }
        if (!hasCondition && loop.getMaxLoopIterations() == 0 && layer.getInputCount() == 0) {
            problems.add(who + " (loop) has no input, no condition network and maxLoopIterations 0");
            return;
        }
        Map<String, String> condBlobs = new HashMap<>(available);
        if (hasCondition) {
            Set<String> condProduced = walk(loop.getConditionNetwork().getLayersList(), condBlobs, consumed,
                    loopDepth, problems);
            String var = loop.getConditionVar();
            if (!condProduced.contains(var)) {
                problems.add(who + " (loop) condition variable '" + var + "' is not produced by its condition "
                        + "network");
            }
            condBlobs.forEach(available::putIfAbsent);
        }
        Map<String, String> bodyBlobs = new HashMap<>(available);
        walk(loop.getBodyNetwork().getLayersList(), bodyBlobs, consumed, loopDepth + 1, problems);
        for (Map.Entry<String, String> e : bodyBlobs.entrySet()) {
            if (!hasCondition || condBlobs.containsKey(e.getKey())) {
                available.putIfAbsent(e.getKey(), e.getValue());
            }
        }
    }

    private static void checkArity(NeuralNetworkLayer layer, LayerRule rule, String who, List<String> problems) {
        int in = layer.getInputCount();
        int out = layer.getOutputCount();
        if (in < rule.inMin() || (rule.inMax() >= 0 && in > rule.inMax())) {
            problems.add(who + " has " + in + " input(s); it takes " + bounds(rule.inMin(), rule.inMax()));
        }
        if (out < rule.outMin() || (rule.outMax() >= 0 && out > rule.outMax())) {
            problems.add(who + " has " + out + " output(s); it takes " + bounds(rule.outMin(), rule.outMax()));
        }
    }

    private static void checkTensors(NeuralNetworkLayer layer, LayerRule rule, String who, boolean nd,
            Map<String, Integer> ranks, List<String> problems) {
        if (layer.getInputTensorCount() > 0 && layer.getInputTensorCount() != layer.getInputCount()) {
            problems.add(who + " lists " + layer.getInputTensorCount() + " input tensors for "
                    + layer.getInputCount() + " inputs");
            return;
        }
        if (layer.getOutputTensorCount() > 0 && layer.getOutputTensorCount() != layer.getOutputCount()) {
            problems.add(who + " lists " + layer.getOutputTensorCount() + " output tensors for "
                    + layer.getOutputCount() + " outputs");
            return;
        }
        if (!nd) {
            return;
        }
        // Known ranks: declared tensors, else what an earlier layer or the model interface established.
        for (int i = 0; i < layer.getInputCount(); i++) {
            String blob = layer.getInput(i);
            Integer known = ranks.get(blob);
            if (layer.getInputTensorCount() > 0) {
                Tensor t = layer.getInputTensor(i);
                if (t.getDimValueCount() > 0 && t.getDimValueCount() != t.getRank()) {
                    problems.add(who + " input tensor " + i + " has rank " + t.getRank() + " but "
                            + t.getDimValueCount() + " dimensions");
                }
                if (known != null && known != t.getRank()) {
                    problems.add(who + " declares input '" + blob + "' with rank " + t.getRank()
                            + " but it has rank " + known);
                }
                ranks.putIfAbsent(blob, t.getRank());
            }
        }
        Integer firstRank = layer.getInputCount() > 0 ? ranks.get(layer.getInput(0)) : null;
        if (firstRank != null && rule.minRank() >= 0) {
            if (firstRank < rule.minRank() || (rule.maxRank() >= 0 && firstRank > rule.maxRank())) {
                problems.add(who + " input has rank " + firstRank + "; it needs rank "
                        + bounds(rule.minRank(), rule.maxRank()));
            }
        }
        for (int i = 0; i < layer.getOutputCount(); i++) {
            if (layer.getOutputTensorCount() > 0) {
                int outRank = layer.getOutputTensor(i).getRank();
                if (rule.rankPreserving() && firstRank != null && outRank != firstRank) {
                    problems.add(who + " output '" + layer.getOutput(i) + "' has rank " + outRank
                            + " but the input has rank " + firstRank + " (this layer keeps the rank)");
                }
                ranks.put(layer.getOutput(i), outRank);
            } else if (rule.rankPreserving() && firstRank != null) {
                ranks.put(layer.getOutput(i), firstRank);
            }
        }
    }

    private static String bounds(int lo, int hi) {
        if (hi < 0) {
            return "at least " + lo;
        }
        return lo == hi ? Integer.toString(lo) : lo + " to " + hi;
    }
}
