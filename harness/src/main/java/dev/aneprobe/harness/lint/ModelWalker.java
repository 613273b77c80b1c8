package dev.aneprobe.harness.lint;

import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.Pipeline;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.validate.ModelKinds;
import dev.aneprobe.probes.validate.Rank5Shapes;
import dev.aneprobe.probes.validate.SpecificationVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Walks every NeuralNetwork layer and ML Program op of a model in the order Core ML runs them — inside classifiers,
 * regressors and pipelines at any depth, into branch and loop networks and into the blocks of cond and while_loop —
 * and reads each as a probe ({@link FamilyAxes}). Shapes come from what the model states: a rank-5 network's blob
 * sizes from Core ML's shape propagation, an ND network's from its layers' tensors and its inputs, an ML Program's
 * from its value types. What holds no layers (a tree ensemble, say) is listed as not linted.
 */
final class ModelWalker {
    private final FamilyAxes axes;
    private final List<LintedLayer> layers = new ArrayList<>();
    private final List<String> notLinted = new ArrayList<>();

    private ModelWalker(FamilyAxes axes) {
        this.axes = axes;
    }

    /** The model's layers and ops, and the model types in it that have none aneprobe can read. */
    record Walked(List<LintedLayer> layers, List<String> notLinted) {
    }

    static Walked walk(Model model, FamilyAxes axes) {
        ModelWalker w = new ModelWalker(axes);
        w.model(model, "");
        return new Walked(List.copyOf(w.layers), List.copyOf(w.notLinted));
    }

    private void model(Model model, String prefix) {
        Pipeline pipeline = ModelKinds.pipeline(model);
        if (pipeline != null) {
            for (int i = 0; i < pipeline.getModelsCount(); i++) {
                Model sub = pipeline.getModels(i);
                String name = pipeline.getNamesCount() > i ? " '" + pipeline.getNames(i) + "'" : "";
                model(sub, prefix + "pipeline model " + (i + 1) + name + " (" + ModelKinds.name(sub) + ") > ");
            }
            return;
        }
        NeuralNetwork nn = SpecificationVersions.network(model);
        if (nn != null) {
            network(model.getDescription(), nn, prefix);
        } else if (model.hasMlProgram()) {
            program(model, prefix);
        } else {
            notLinted.add(ModelKinds.name(model));
        }
    }

    // ---------------------------------------------------------------- NeuralNetworks

    private void network(ModelDescription description, NeuralNetwork nn, String prefix) {
        Map<String, long[]> shapes = new HashMap<>();
        Map<String, NeuralNetworkLayer> producers = new HashMap<>();
        boolean nd = nn.getArrayInputShapeMapping() != NeuralNetworkMultiArrayShapeMapping.RANK5_ARRAY_MAPPING;
        for (NeuralNetworkLayer l : nn.getLayersList()) {
            nd |= SpecificationVersions.needsNd(l);
        }
        if (!nd) {
            shapes.putAll(Rank5Shapes.fixedChw(description, nn.getLayersList()));
        } else {
            for (FeatureDescription f : description.getInputList()) {
                if (f.getType().hasMultiArrayType() && f.getType().getMultiArrayType().getShapeCount() > 0
                        && !f.getType().getMultiArrayType().hasShapeRange()
                        && !f.getType().getMultiArrayType().hasEnumeratedShapes()) {
                    shapes.put(f.getName(), f.getType().getMultiArrayType().getShapeList().stream()
                            .mapToLong(Long::longValue).toArray());
                }
            }
        }
        layers(nn.getLayersList(), prefix, shapes, producers, nd, List.of());
    }

    private void layers(List<NeuralNetworkLayer> list, String prefix, Map<String, long[]> shapes,
            Map<String, NeuralNetworkLayer> producers, boolean nd, List<NeuralNetworkLayer> enclosing) {
        // The first layer of this network that reads each blob (what a layer without inputs feeds).
        Map<String, NeuralNetworkLayer> consumers = new HashMap<>();
        for (NeuralNetworkLayer layer : list) {
            for (String in : layer.getInputList()) {
                consumers.putIfAbsent(in, layer);
            }
        }
        for (NeuralNetworkLayer layer : list) {
            if (nd) {
                tensors(layer.getInputList(), layer.getInputTensorList(), shapes);
                tensors(layer.getOutputList(), layer.getOutputTensorList(), shapes);
            }
            String type = layerType(layer);
            String where = prefix + "layer '" + layer.getName() + "'";
            FamilyAxes.NnContext c = new FamilyAxes.NnContext(layer, shapes::get, producers::get,
                    consumers::get, enclosing);
            add(where, layer.getName(), type == null ? "(none)" : type,
                    type == null ? null : axes.familyOf(layer, type, c), c, null);
            for (String out : layer.getOutputList()) {
                producers.put(out, layer);
            }
            List<NeuralNetworkLayer> inside = layer.hasBranch() || layer.hasLoop() ? within(enclosing, layer) : null;
            if (layer.hasBranch()) {
                layers(layer.getBranch().getIfBranch().getLayersList(), where + " (branch) > if > ", shapes,
                        producers, nd, inside);
                layers(layer.getBranch().getElseBranch().getLayersList(), where + " (branch) > else > ", shapes,
                        producers, nd, inside);
            } else if (layer.hasLoop()) {
                layers(layer.getLoop().getConditionNetwork().getLayersList(), where + " (loop) > condition > ",
                        shapes, producers, nd, inside);
                layers(layer.getLoop().getBodyNetwork().getLayersList(), where + " (loop) > body > ", shapes,
                        producers, nd, inside);
            }
        }
    }

    private static List<NeuralNetworkLayer> within(List<NeuralNetworkLayer> enclosing, NeuralNetworkLayer layer) {
        List<NeuralNetworkLayer> out = new ArrayList<>(enclosing);
        out.add(layer);
        return out;
    }

    /** The NeuralNetworkLayer oneof field set ({@code pooling}, {@code addBroadcastable}), or null. */
    static String layerType(NeuralNetworkLayer layer) {
        if (layer.getLayerCase() == NeuralNetworkLayer.LayerCase.LAYER_NOT_SET) {
            return null;
        }
        return NeuralNetworkLayer.getDescriptor().findFieldByNumber(layer.getLayerCase().getNumber()).getName();
    }

    private static void tensors(List<String> blobs, List<Tensor> tensors, Map<String, long[]> shapes) {
        for (int i = 0; i < blobs.size() && i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.getDimValueCount() > 0 && t.getDimValueCount() == t.getRank()
                    && t.getDimValueList().stream().allMatch(d -> d > 0)) {
                shapes.putIfAbsent(blobs.get(i), t.getDimValueList().stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    // ---------------------------------------------------------------- ML Programs

    private void program(Model model, String prefix) {
        // Functions in name order, the default (or only, 'main') first.
        String first = model.getDescription().getDefaultFunctionName().isEmpty() ? "main"
                : model.getDescription().getDefaultFunctionName();
        Map<String, Function> functions = new TreeMap<>(model.getMlProgram().getFunctionsMap());
        List<String> order = new ArrayList<>();
        if (functions.containsKey(first)) {
            order.add(first);
        }
        functions.keySet().stream().filter(n -> !n.equals(first)).forEach(order::add);
        for (String name : order) {
            Function fn = functions.get(name);
            Map<String, ValueType> types = new HashMap<>();
            Map<String, Value> consts = new HashMap<>();
            Map<String, Operation> producers = new HashMap<>();
            for (NamedValueType in : fn.getInputsList()) {
                types.put(in.getName(), in.getType());
            }
            Block block = fn.getBlockSpecializationsMap().get(fn.getOpset());
            if (block != null) {
                block(block, prefix + "function '" + name + "' > ", types, consts, producers);
            }
        }
    }

    private void block(Block block, String prefix, Map<String, ValueType> types, Map<String, Value> consts,
            Map<String, Operation> producers) {
        for (NamedValueType in : block.getInputsList()) {
            types.put(in.getName(), in.getType());
        }
        // The first op of the block that reads each value (what a const or constexpr feeds).
        Map<String, Operation> consumers = new HashMap<>();
        for (Operation op : block.getOperationsList()) {
            for (Argument a : op.getInputsMap().values()) {
                for (Argument.Binding b : a.getArgumentsList()) {
                    if (b.hasName()) {
                        consumers.putIfAbsent(b.getName(), op);
                    }
                }
            }
        }
        for (Operation op : block.getOperationsList()) {
            for (NamedValueType out : op.getOutputsList()) {
                types.put(out.getName(), out.getType());
                producers.put(out.getName(), op);
            }
            if (op.getType().equals("const") && op.getOutputsCount() == 1 && op.getAttributesMap().containsKey("val")) {
                consts.put(op.getOutputs(0).getName(), op.getAttributesMap().get("val"));
            }
            String name = op.getOutputsCount() > 0 ? op.getOutputs(0).getName() : op.getType();
            String where = prefix + "op '" + name + "' (" + op.getType() + ")";
            FamilyAxes.MilContext c = new FamilyAxes.MilContext(op, types::get, consts::get, producers::get,
                    consumers::get);
            add(where, name, op.getType(), axes.familyOf(op), null, c);
            for (int i = 0; i < op.getBlocksCount(); i++) {
                block(op.getBlocks(i), where + " > block " + i + " > ", types, consts, producers);
            }
        }
    }

    private void add(String where, String name, String type, String family, FamilyAxes.NnContext nn,
            FamilyAxes.MilContext mil) {
        List<String> unread = new ArrayList<>();
        Map<String, String> params = family == null ? Map.of()
                : nn != null ? axes.read(family, nn, type, unread) : axes.read(family, mil, unread);
        layers.add(new LintedLayer(where, name, type, family, params, unread));
    }
}
