package dev.aneprobe.harness.rewrite;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Metadata;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.NeuralNetworkPreprocessing;
import dev.aneprobe.probes.coreml.Pipeline;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.validate.ModelKinds;
import dev.aneprobe.probes.validate.Rank5Shapes;
import dev.aneprobe.probes.validate.SpecificationVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts a NeuralNetwork model in two before one of its top-level layers, as the seed document suggests for a model
 * with a layer the ANE cannot run (section "Custom layers"): the part before the layer (which may then run on the
 * ANE), the part from it on, and a pipeline running one after the other with the original's inputs, outputs and
 * metadata. Every blob made before the cut and read after it (or a model output made before it) becomes an output of
 * the first part and an input of the second, a FLOAT32 multiarray of the blob's shape: from the layers' declared
 * tensors in an ND network, from Core ML's shape propagation ([C, H, W]) in a rank-5 one. A blob whose shape is not
 * known cannot cross the cut.
 */
public final class Splitter {
    /** Why a model cannot be split there, in one line. */
    public static final class CannotSplitException extends Exception {
        public CannotSplitException(String message) {
            super(message);
        }
    }

    /** The two parts and the pipeline; {@code crossing} names the blobs passed from the first to the second. */
    public record Split(Model head, Model tail, Model pipeline, List<String> crossing) {
    }

    private Splitter() {
    }

    public static Split split(Model model, String layerName) throws CannotSplitException {
        if (model.hasMlProgram()) {
            throw new CannotSplitException("an ML Program has no NeuralNetwork layers to cut between (split works "
                    + "on NeuralNetwork models)");
        }
        if (!model.hasNeuralNetwork()) {
            throw new CannotSplitException("a " + ModelKinds.name(model) + " model; split cuts plain NeuralNetwork "
                    + "models (not classifiers, regressors or pipelines)");
        }
        NeuralNetwork nn = model.getNeuralNetwork();
        List<NeuralNetworkLayer> layers = nn.getLayersList();
        int at = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).getName().equals(layerName)) {
                at = i;
                break;
            }
        }
        if (at < 0) {
            throw new CannotSplitException(nestedLayer(layers, layerName)
                    ? "layer '" + layerName + "' is inside a branch or loop network; split cuts between top-level "
                            + "layers"
                    : "no layer named '" + layerName + "'");
        }
        if (at == 0) {
            throw new CannotSplitException("layer '" + layerName + "' is the first layer: the part before it would "
                    + "be empty");
        }
        List<NeuralNetworkLayer> headLayers = layers.subList(0, at);
        List<NeuralNetworkLayer> tailLayers = layers.subList(at, layers.size());
        Set<String> made = new LinkedHashSet<>();
        blobs(headLayers, made, true);
        Set<String> readByTail = new LinkedHashSet<>();
        blobs(tailLayers, readByTail, false);
        ModelDescription d = model.getDescription();
        Set<String> modelInputs = new LinkedHashSet<>();
        d.getInputList().forEach(f -> modelInputs.add(f.getName()));
        Set<String> readByHead = new LinkedHashSet<>();
        blobs(headLayers, readByHead, false);

        boolean nd = nn.getArrayInputShapeMapping() != NeuralNetworkMultiArrayShapeMapping.RANK5_ARRAY_MAPPING
                || layers.stream().anyMatch(SpecificationVersions::needsNd);
        Map<String, long[]> shapes = nd ? declaredShapes(d, layers) : Rank5Shapes.fixedChw(d, layers);

        List<String> crossing = new ArrayList<>();
        for (String blob : readByTail) {
            if (made.contains(blob)) {
                crossing.add(blob);
            }
        }
        List<FeatureDescription> headOutputs = new ArrayList<>();
        List<FeatureDescription> tailOutputs = new ArrayList<>();
        for (FeatureDescription f : d.getOutputList()) {
            (made.contains(f.getName()) ? headOutputs : tailOutputs).add(f);
        }
        if (tailOutputs.isEmpty()) {
            throw new CannotSplitException("every model output is made before layer '" + layerName + "': the part "
                    + "from it on would have no output");
        }
        List<FeatureDescription> tailInputs = new ArrayList<>();
        for (FeatureDescription f : d.getInputList()) {
            if (readByTail.contains(f.getName())) {
                tailInputs.add(f);
            }
        }
        for (String blob : crossing) {
            long[] s = shapes.get(blob);
            if (s == null) {
                throw new CannotSplitException("blob '" + blob + "' is made before layer '" + layerName + "' and "
                        + "read from it on, but its shape is not known (" + (nd ? "no layer declares its sizes"
                        : "Core ML's shape propagation does not fix it") + "), so it cannot become a model input");
            }
            FeatureDescription declared = headOutputs.stream().filter(o -> o.getName().equals(blob)).findFirst()
                    .orElse(null);
            if (declared == null) {
                declared = array(blob, s);
                headOutputs.add(declared);
            }
            tailInputs.add(declared);
        }
        List<FeatureDescription> headInputs = new ArrayList<>();
        for (FeatureDescription f : d.getInputList()) {
            if (readByHead.contains(f.getName())) {
                headInputs.add(f);
            }
        }
        String stem = d.getMetadata().getShortDescription().isEmpty() ? "model"
                : "'" + d.getMetadata().getShortDescription() + "'";
        Model head = part(model, nn, headLayers, headInputs, headOutputs,
                "part 1 of " + stem + ": the layers before '" + layerName + "' (aneprobe split)");
        Model tail = part(model, nn, tailLayers, tailInputs, tailOutputs,
                "part 2 of " + stem + ": the layers from '" + layerName + "' on (aneprobe split)");
        Model.Builder pipeline = Model.newBuilder().setSpecificationVersion(model.getSpecificationVersion())
                .setDescription(d)
                .setPipeline(Pipeline.newBuilder().addModels(head).addModels(tail).addNames("head")
                        .addNames("tail"));
        return new Split(head, tail, pipeline.build(), List.copyOf(crossing));
    }

    private static Model part(Model original, NeuralNetwork nn, List<NeuralNetworkLayer> layers,
            List<FeatureDescription> inputs, List<FeatureDescription> outputs, String description) {
        Set<String> names = new LinkedHashSet<>();
        inputs.forEach(f -> names.add(f.getName()));
        NeuralNetwork.Builder b = nn.toBuilder().clearLayers().addAllLayers(layers).clearPreprocessing();
        for (NeuralNetworkPreprocessing p : nn.getPreprocessingList()) {
            if (p.getFeatureName().isEmpty() ? inputs.stream().anyMatch(f -> f.getType().hasImageType())
                    : names.contains(p.getFeatureName())) {
                b.addPreprocessing(p);
            }
        }
        ModelDescription.Builder d = ModelDescription.newBuilder().addAllInput(inputs).addAllOutput(outputs)
                .setMetadata(Metadata.newBuilder().setShortDescription(description)
                        .setAuthor(original.getDescription().getMetadata().getAuthor()));
        return Model.newBuilder().setSpecificationVersion(original.getSpecificationVersion()).setDescription(d)
                .setNeuralNetwork(b).build();
    }

    private static FeatureDescription array(String name, long[] shape) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(ArrayFeatureType.ArrayDataType.FLOAT32);
        for (long s : shape) {
            a.addShape(s);
        }
        return FeatureDescription.newBuilder().setName(name).setType(FeatureType.newBuilder().setMultiArrayType(a))
                .build();
    }

    /** The blobs the layers make ({@code outputs}) or read, through branch and loop networks. */
    private static void blobs(List<NeuralNetworkLayer> layers, Set<String> into, boolean outputs) {
        for (NeuralNetworkLayer l : layers) {
            into.addAll(outputs ? l.getOutputList() : l.getInputList());
            if (l.hasBranch()) {
                blobs(l.getBranch().getIfBranch().getLayersList(), into, outputs);
                blobs(l.getBranch().getElseBranch().getLayersList(), into, outputs);
            } else if (l.hasLoop()) {
                blobs(l.getLoop().getConditionNetwork().getLayersList(), into, outputs);
                blobs(l.getLoop().getBodyNetwork().getLayersList(), into, outputs);
                if (!outputs && !l.getLoop().getConditionVar().isEmpty()) {
                    into.add(l.getLoop().getConditionVar());
                }
            }
        }
    }

    private static boolean nestedLayer(List<NeuralNetworkLayer> layers, String name) {
        for (NeuralNetworkLayer l : layers) {
            List<List<NeuralNetworkLayer>> inner = l.hasBranch()
                    ? List.of(l.getBranch().getIfBranch().getLayersList(), l.getBranch().getElseBranch().getLayersList())
                    : l.hasLoop() ? List.of(l.getLoop().getConditionNetwork().getLayersList(),
                            l.getLoop().getBodyNetwork().getLayersList()) : List.of();
            for (List<NeuralNetworkLayer> sub : inner) {
                if (sub.stream().anyMatch(x -> x.getName().equals(name)) || nestedLayer(sub, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, long[]> declaredShapes(ModelDescription d, List<NeuralNetworkLayer> layers) {
        Map<String, long[]> shapes = new HashMap<>();
        for (FeatureDescription f : d.getInputList()) {
            var a = f.getType().getMultiArrayType();
            if (f.getType().hasMultiArrayType() && a.getShapeCount() > 0 && !a.hasShapeRange()
                    && !a.hasEnumeratedShapes()) {
                shapes.put(f.getName(), a.getShapeList().stream().mapToLong(Long::longValue).toArray());
            }
        }
        for (NeuralNetworkLayer l : layers) {
            for (int i = 0; i < l.getOutputCount() && i < l.getOutputTensorCount(); i++) {
                Tensor t = l.getOutputTensor(i);
                if (t.getDimValueCount() > 0 && t.getDimValueCount() == t.getRank()
                        && t.getDimValueList().stream().allMatch(x -> x > 0)) {
                    shapes.putIfAbsent(l.getOutput(i), t.getDimValueList().stream().mapToLong(Long::longValue)
                            .toArray());
                }
            }
            for (int i = 0; i < l.getInputCount() && i < l.getInputTensorCount(); i++) {
                Tensor t = l.getInputTensor(i);
                if (t.getDimValueCount() > 0 && t.getDimValueCount() == t.getRank()
                        && t.getDimValueList().stream().allMatch(x -> x > 0)) {
                    shapes.putIfAbsent(l.getInput(i), t.getDimValueList().stream().mapToLong(Long::longValue)
                            .toArray());
                }
            }
        }
        return shapes;
    }
}
