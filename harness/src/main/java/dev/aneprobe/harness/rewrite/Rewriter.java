package dev.aneprobe.harness.rewrite;

import dev.aneprobe.harness.rewrite.ReferenceEvaluator.NotEvaluableException;
import dev.aneprobe.probes.coreml.ActivationLinear;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.AddLayerParams;
import dev.aneprobe.probes.coreml.ConcatLayerParams;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.LoadConstantLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.MultiplyLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.Pipeline;
import dev.aneprobe.probes.coreml.ScaleLayerParams;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.validate.ModelKinds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Model surgery the seed document suggests (its section "Broadcastable layers"): replaces broadcastable and ND layers
 * of NeuralNetwork models (plain, classifier, regressor, inside pipelines at any depth) by the original Core ML
 * layers wherever the shapes make the replacement compute exactly the same function, and leaves everything else as
 * it was. Each replacement is offered only when the {@link ReferenceEvaluator} can evaluate both the layers it
 * removes and the layers it adds, with the shapes the model declares; what cannot be replaced is reported with the
 * reason. Only the layers of a network's top level are rewritten (not those inside branch or loop networks).
 *
 * <p>The replacements, each exact in fp32 (IEEE negation, multiplication by 1 and addition of 0 are exact):
 * <ul>
 * <li>a broadcastable add, multiply or subtract with a constant operand (a load-constant layer used by nothing
 * else) whose other operand already has the output's shape: a linear activation when the constant is one value
 * (x·c, x + c, x − c, c − x), else a scale layer when the constant has a shape scale takes ([1], [C], [1,H,W] or
 * [C,H,W] against the last three axes, the axes before all 1): scale c, or scale ±1 with bias ±c; the constant's
 * layer goes;
 * <li>otherwise add and multiply when the operands have equal ranks and the smaller fits the original layers'
 * limited broadcasting ([1,1,1], [C,1,1], [1,H,W] or [C,H,W] in the last three axes, the axes before equal), the
 * full-shape operand first (the output takes the first input's shape); subtract as a linear activation with alpha −1
 * on the subtrahend followed by that add;
 * <li>concatND along axis −3 (rank 3 or more) as concat, along −5 (rank 5 or more) as a sequence concat;
 * <li>loadConstantND of shape [1, 1, C, H, W] as loadConstant of [C, H, W] (in an ND network Core ML makes a
 * loadConstant's output the rank-5 blob [1, 1, C, H, W], so only such a constant keeps its blob's rank).
 * </ul>
 */
public final class Rewriter {
    /** One replacement made. */
    public record Applied(RewriteRule rule, String prefix, String layer, String layerType, String replacement,
            List<String> newLayers, List<NeuralNetworkLayer> before, List<NeuralNetworkLayer> after,
            Map<String, long[]> inputShapes, String output) {
        /** Where the replaced layer sits, as lint writes it. */
        public String where() {
            return prefix + "layer '" + layer + "'";
        }
    }

    /** A candidate layer left as it was, and why. */
    public record Kept(RewriteRule rule, String where, String layerType, String reason) {
    }

    /**
     * What a rewrite did: the new model, the replacements, the candidates kept, and the model types in it that hold
     * no NeuralNetwork (named with where they sit).
     */
    public record Result(Model model, List<Applied> applied, List<Kept> kept, List<String> notNeuralNetwork) {
    }

    private final Set<RewriteRule> rules;
    private final List<Applied> applied = new ArrayList<>();
    private final List<Kept> kept = new ArrayList<>();
    private final List<String> others = new ArrayList<>();

    private Rewriter(Set<RewriteRule> rules) {
        this.rules = rules;
    }

    /** Rewrites every layer the given rules (all when empty) can replace exactly. */
    public static Result rewrite(Model model, Set<RewriteRule> rules) {
        Rewriter r = new Rewriter(rules.isEmpty() ? EnumSet.allOf(RewriteRule.class) : EnumSet.copyOf(rules));
        Model out = r.model(model, "");
        return new Result(out, List.copyOf(r.applied), List.copyOf(r.kept), List.copyOf(r.others));
    }

    private Model model(Model model, String prefix) {
        Pipeline pipeline = ModelKinds.pipeline(model);
        if (pipeline != null) {
            Pipeline.Builder p = pipeline.toBuilder();
            for (int i = 0; i < pipeline.getModelsCount(); i++) {
                Model sub = pipeline.getModels(i);
                String name = pipeline.getNamesCount() > i ? " '" + pipeline.getNames(i) + "'" : "";
                p.setModels(i, model(sub, prefix + "pipeline model " + (i + 1) + name + " ("
                        + ModelKinds.name(sub) + ") > "));
            }
            Model.Builder b = model.toBuilder();
            switch (model.getTypeCase()) {
                case PIPELINE -> b.setPipeline(p);
                case PIPELINECLASSIFIER -> b.setPipelineClassifier(model.getPipelineClassifier().toBuilder()
                        .setPipeline(p));
                case PIPELINEREGRESSOR -> b.setPipelineRegressor(model.getPipelineRegressor().toBuilder()
                        .setPipeline(p));
                default -> throw new IllegalStateException("pipeline of type " + model.getTypeCase());
            }
            return b.build();
        }
        Model.Builder b = model.toBuilder();
        Set<String> outputs = new HashSet<>();
        for (FeatureDescription f : model.getDescription().getOutputList()) {
            outputs.add(f.getName());
        }
        switch (model.getTypeCase()) {
            case NEURALNETWORK -> {
                var nn = b.getNeuralNetworkBuilder();
                List<NeuralNetworkLayer> layers = network(model.getDescription(), nn.getLayersList(), outputs,
                        prefix);
                nn.clearLayers().addAllLayers(layers);
            }
            case NEURALNETWORKCLASSIFIER -> {
                var nn = b.getNeuralNetworkClassifierBuilder();
                if (!nn.getLabelProbabilityLayerName().isEmpty()) {
                    outputs.add(nn.getLabelProbabilityLayerName());
                }
                List<NeuralNetworkLayer> layers = network(model.getDescription(), nn.getLayersList(), outputs,
                        prefix);
                nn.clearLayers().addAllLayers(layers);
            }
            case NEURALNETWORKREGRESSOR -> {
                var nn = b.getNeuralNetworkRegressorBuilder();
                List<NeuralNetworkLayer> layers = network(model.getDescription(), nn.getLayersList(), outputs,
                        prefix);
                nn.clearLayers().addAllLayers(layers);
            }
            default -> {
                others.add(prefix + ModelKinds.name(model));
                return model;
            }
        }
        return b.build();
    }

    // ---------------------------------------------------------------- one network

    /** A planned replacement of one layer (and of the constant layer it absorbs, if any). */
    private record Plan(RewriteRule rule, String replacement, List<NeuralNetworkLayer> after, String absorbed) {
    }

    private List<NeuralNetworkLayer> network(ModelDescription description, List<NeuralNetworkLayer> layers,
            Set<String> modelOutputs, String prefix) {
        Map<String, long[]> shapes = new HashMap<>();
        for (FeatureDescription f : description.getInputList()) {
            var a = f.getType().getMultiArrayType();
            if (f.getType().hasMultiArrayType() && a.getShapeCount() > 0 && !a.hasShapeRange()
                    && !a.hasEnumeratedShapes()) {
                shapes.put(f.getName(), a.getShapeList().stream().mapToLong(Long::longValue).toArray());
            }
        }
        Set<String> names = new HashSet<>();
        Map<String, Integer> uses = new HashMap<>();
        for (String o : modelOutputs) {
            uses.merge(o, 1, Integer::sum);
        }
        scan(layers, shapes, names, uses);
        Map<String, NeuralNetworkLayer> producers = new HashMap<>();
        for (NeuralNetworkLayer l : layers) {
            for (String o : l.getOutputList()) {
                producers.put(o, l);
            }
        }
        Map<Integer, Plan> plans = new HashMap<>();
        Map<Integer, Applied> appliedHere = new java.util.TreeMap<>();
        Map<Integer, Kept> keptHere = new java.util.TreeMap<>();
        Set<String> absorbed = new HashSet<>();
        Fresh fresh = new Fresh(names);
        // Binary layers first: they may absorb a constant layer, which the load-constant rule then leaves alone.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < layers.size(); i++) {
                NeuralNetworkLayer l = layers.get(i);
                String type = type(l);
                RewriteRule rule = RewriteRule.forLayerType(type);
                boolean binary = rule == RewriteRule.ADD_BROADCASTABLE || rule == RewriteRule.MULTIPLY_BROADCASTABLE
                        || rule == RewriteRule.SUBTRACT_BROADCASTABLE;
                if (rule == null || binary != (pass == 0)) {
                    continue;
                }
                String where = prefix + "layer '" + l.getName() + "'";
                if (!rules.contains(rule)) {
                    continue;
                }
                if (absorbed.contains(l.getName())) {
                    continue;
                }
                try {
                    Plan plan = switch (rule) {
                        case CONCAT_ND -> concat(l, shapes);
                        case LOAD_CONSTANT_ND -> loadConstant(l);
                        default -> binary(rule, l, shapes, producers, uses, absorbed, fresh);
                    };
                    List<NeuralNetworkLayer> before = new ArrayList<>();
                    if (plan.absorbed() != null) {
                        before.add(producers.get(plan.absorbed()));
                    }
                    before.add(l);
                    Map<String, long[]> inputs = externalShapes(before, shapes);
                    checkEvaluable(l, before, plan.after(), inputs);
                    if (plan.absorbed() != null) {
                        absorbed.add(producers.get(plan.absorbed()).getName());
                    }
                    plans.put(i, plan);
                    List<String> newNames = plan.after().stream().map(NeuralNetworkLayer::getName).toList();
                    appliedHere.put(i, new Applied(rule, prefix, l.getName(), type, plan.replacement(), newNames,
                            List.copyOf(before), plan.after(), inputs, l.getOutput(0)));
                } catch (Refusal e) {
                    keptHere.put(i, new Kept(rule, where, type, e.getMessage()));
                }
            }
        }
        List<NeuralNetworkLayer> out = new ArrayList<>(layers.size());
        for (int i = 0; i < layers.size(); i++) {
            NeuralNetworkLayer l = layers.get(i);
            if (absorbed.contains(l.getName())) {
                continue;
            }
            Plan p = plans.get(i);
            if (p == null) {
                out.add(l);
            } else {
                out.addAll(p.after());
            }
        }
        // The report in model order, then what sits in branch and loop networks.
        applied.addAll(appliedHere.values());
        kept.addAll(keptHere.values());
        nested(layers, prefix, false);
        return out;
    }

    /** Candidate layers inside branch and loop networks are reported, not rewritten. */
    private void nested(List<NeuralNetworkLayer> layers, String prefix, boolean inside) {
        for (NeuralNetworkLayer l : layers) {
            String where = prefix + "layer '" + l.getName() + "'";
            RewriteRule rule = RewriteRule.forLayerType(type(l));
            if (inside && rule != null && rules.contains(rule)) {
                kept.add(new Kept(rule, where, type(l), "inside a branch or loop network, which rewrite leaves "
                        + "as it is (only a network's top-level layers are rewritten)"));
            }
            if (l.hasBranch()) {
                nested(l.getBranch().getIfBranch().getLayersList(), where + " (branch) > if > ", true);
                nested(l.getBranch().getElseBranch().getLayersList(), where + " (branch) > else > ", true);
            } else if (l.hasLoop()) {
                nested(l.getLoop().getConditionNetwork().getLayersList(), where + " (loop) > condition > ", true);
                nested(l.getLoop().getBodyNetwork().getLayersList(), where + " (loop) > body > ", true);
            }
        }
    }

    /** The shapes the layers declare, every layer and blob name, and how often each blob is read. */
    private static void scan(List<NeuralNetworkLayer> layers, Map<String, long[]> shapes, Set<String> names,
            Map<String, Integer> uses) {
        for (NeuralNetworkLayer l : layers) {
            names.add(l.getName());
            names.addAll(l.getInputList());
            names.addAll(l.getOutputList());
            for (String in : l.getInputList()) {
                uses.merge(in, 1, Integer::sum);
            }
            declared(l.getInputList(), l.getInputTensorList(), shapes);
            declared(l.getOutputList(), l.getOutputTensorList(), shapes);
            if (l.hasBranch()) {
                scan(l.getBranch().getIfBranch().getLayersList(), shapes, names, uses);
                scan(l.getBranch().getElseBranch().getLayersList(), shapes, names, uses);
            } else if (l.hasLoop()) {
                scan(l.getLoop().getConditionNetwork().getLayersList(), shapes, names, uses);
                scan(l.getLoop().getBodyNetwork().getLayersList(), shapes, names, uses);
                if (!l.getLoop().getConditionVar().isEmpty()) {
                    uses.merge(l.getLoop().getConditionVar(), 1, Integer::sum);
                }
            }
        }
    }

    private static void declared(List<String> blobs, List<Tensor> tensors, Map<String, long[]> shapes) {
        for (int i = 0; i < blobs.size() && i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t.getDimValueCount() > 0 && t.getDimValueCount() == t.getRank()
                    && t.getDimValueList().stream().allMatch(d -> d > 0)) {
                shapes.putIfAbsent(blobs.get(i), t.getDimValueList().stream().mapToLong(Long::longValue).toArray());
            }
        }
    }

    private static String type(NeuralNetworkLayer l) {
        if (l.getLayerCase() == NeuralNetworkLayer.LayerCase.LAYER_NOT_SET) {
            return "(none)";
        }
        return NeuralNetworkLayer.getDescriptor().findFieldByNumber(l.getLayerCase().getNumber()).getName();
    }

    /** Why a candidate stays as it is. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }

    // ---------------------------------------------------------------- binary layers

    private Plan binary(RewriteRule rule, NeuralNetworkLayer l, Map<String, long[]> shapes,
            Map<String, NeuralNetworkLayer> producers, Map<String, Integer> uses, Set<String> absorbed, Fresh fresh)
            throws Refusal {
        if (l.getInputCount() != 2 || l.getOutputCount() != 1) {
            throw new Refusal("has " + l.getInputCount() + " inputs and " + l.getOutputCount()
                    + " outputs, not 2 and 1");
        }
        String a = l.getInput(0);
        String b = l.getInput(1);
        long[] sa = known(shapes, a);
        long[] sb = known(shapes, b);
        long[] so;
        try {
            so = ReferenceEvaluator.numpyShape("", sa, sb);
        } catch (NotEvaluableException e) {
            throw new Refusal("input shapes " + ReferenceEvaluator.text(sa) + " and " + ReferenceEvaluator.text(sb)
                    + " do not broadcast");
        }
        long[] declaredOut = shapes.get(l.getOutput(0));
        if (declaredOut != null && !Arrays.equals(declaredOut, so)) {
            throw new Refusal("declares output shape " + ReferenceEvaluator.text(declaredOut) + " but its inputs "
                    + "broadcast to " + ReferenceEvaluator.text(so));
        }
        String out = l.getOutput(0);
        // A constant operand used only here, beside an operand that already has the output's shape.
        for (int k = 0; k < 2; k++) {
            String c = k == 0 ? b : a;
            String x = k == 0 ? a : b;
            long[] sx = k == 0 ? sa : sb;
            long[] sc = k == 0 ? sb : sa;
            NeuralNetworkLayer producer = producers.get(c);
            if (producer == null || absorbed.contains(producer.getName()) || uses.getOrDefault(c, 0) != 1
                    || !Arrays.equals(sx, so) || a.equals(b)) {
                continue;
            }
            WeightParams data = switch (producer.getLayerCase()) {
                case LOADCONSTANTND -> producer.getLoadConstantND().getData();
                case LOADCONSTANT -> producer.getLoadConstant().getData();
                default -> null;
            };
            if (data == null) {
                continue;
            }
            float[] values;
            try {
                values = ReferenceEvaluator.values("", data, FloatTensor.count(sc));
            } catch (NotEvaluableException e) {
                continue;
            }
            boolean fp16 = ReferenceEvaluator.isFloat16(data);
            boolean constantFirst = k == 1; // c − x for subtract
            if (values.length == 1) {
                float v = values[0];
                float alpha;
                float beta;
                switch (rule) {
                    case ADD_BROADCASTABLE -> {
                        alpha = 1;
                        beta = v;
                    }
                    case MULTIPLY_BROADCASTABLE -> {
                        alpha = v;
                        beta = 0;
                    }
                    default -> {
                        alpha = constantFirst ? -1 : 1;
                        beta = constantFirst ? v : -v;
                    }
                }
                return new Plan(rule, "activation (linear, alpha " + num(alpha) + ", beta " + num(beta) + ")",
                        List.of(linear(l.getName(), x, sx, out, so, alpha, beta)), c);
            }
            List<Long> scaleShape = scaleShape(sx, sc);
            if (scaleShape == null) {
                continue;
            }
            ScaleLayerParams.Builder p = ScaleLayerParams.newBuilder();
            String replacement;
            if (rule == RewriteRule.MULTIPLY_BROADCASTABLE) {
                p.addAllShapeScale(scaleShape).setScale(Weights.of(values, fp16));
                replacement = "scale (scale " + scaleShape + ")";
            } else {
                float sign = rule == RewriteRule.SUBTRACT_BROADCASTABLE && constantFirst ? -1 : 1;
                float[] bias = values.clone();
                if (rule == RewriteRule.SUBTRACT_BROADCASTABLE && !constantFirst) {
                    for (int i = 0; i < bias.length; i++) {
                        bias[i] = -bias[i];
                    }
                }
                p.addShapeScale(1).setScale(Weights.of(new float[] {sign}, fp16))
                        .setHasBias(true).addAllShapeBias(scaleShape).setBias(Weights.of(bias, fp16));
                replacement = "scale (scale " + num(sign) + ", bias " + scaleShape + ")";
            }
            NeuralNetworkLayer scale = NeuralNetworkLayer.newBuilder().setName(l.getName()).addInput(x)
                    .addOutput(out).addInputTensor(tensor(sx)).addOutputTensor(tensor(so)).setScale(p).build();
            return new Plan(rule, replacement, List.of(scale), c);
        }
        // Two blobs: the original add/multiply, full-shape operand first.
        String legacy = "the original add/multiply layers broadcast only operands of equal rank whose last three "
                + "axes are [1,1,1], [C,1,1], [1,H,W] or [C,H,W] of the other's, the axes before equal";
        if (rule == RewriteRule.SUBTRACT_BROADCASTABLE) {
            String negated = fresh.name(out + "_negated");
            String negLayer = fresh.name(l.getName() + "_negate");
            NeuralNetworkLayer neg = linear(negLayer, b, sb, negated, sb, -1, 0);
            List<String> order = order(a, sa, negated, sb, so);
            if (order == null) {
                throw new Refusal("shapes " + ReferenceEvaluator.text(sa) + " and " + ReferenceEvaluator.text(sb)
                        + ": " + legacy);
            }
            NeuralNetworkLayer add = elementwise(l.getName(), order, order.get(0).equals(a) ? sa : sb,
                    order.get(0).equals(a) ? sb : sa, out, so).setAdd(AddLayerParams.getDefaultInstance()).build();
            return new Plan(rule, "activation (linear, alpha -1) + add", List.of(neg, add), null);
        }
        List<String> order = order(a, sa, b, sb, so);
        if (order == null) {
            throw new Refusal("shapes " + ReferenceEvaluator.text(sa) + " and " + ReferenceEvaluator.text(sb)
                    + ": " + legacy);
        }
        boolean swapped = !order.get(0).equals(a);
        NeuralNetworkLayer.Builder e = elementwise(l.getName(), order, swapped ? sb : sa, swapped ? sa : sb, out,
                so);
        if (rule == RewriteRule.ADD_BROADCASTABLE) {
            e.setAdd(AddLayerParams.getDefaultInstance());
        } else {
            e.setMultiply(MultiplyLayerParams.getDefaultInstance());
        }
        return new Plan(rule, rule == RewriteRule.ADD_BROADCASTABLE ? "add" : "multiply", List.of(e.build()), null);
    }

    /** The two operands in the order the original layers need (output shape first), or null. */
    private static List<String> order(String a, long[] sa, String b, long[] sb, long[] so) {
        if (Arrays.equals(sa, so) && ReferenceEvaluator.legacyBroadcasts(so, sb)) {
            return List.of(a, b);
        }
        if (Arrays.equals(sb, so) && ReferenceEvaluator.legacyBroadcasts(so, sa)) {
            return List.of(b, a);
        }
        return null;
    }

    private static NeuralNetworkLayer.Builder elementwise(String name, List<String> inputs, long[] first,
            long[] second, String out, long[] so) {
        return NeuralNetworkLayer.newBuilder().setName(name).addAllInput(inputs).addOutput(out)
                .addInputTensor(tensor(first)).addInputTensor(tensor(second)).addOutputTensor(tensor(so));
    }

    private static NeuralNetworkLayer linear(String name, String in, long[] sin, String out, long[] sout,
            float alpha, float beta) {
        return NeuralNetworkLayer.newBuilder().setName(name).addInput(in).addOutput(out)
                .addInputTensor(tensor(sin)).addOutputTensor(tensor(sout))
                .setActivation(ActivationParams.newBuilder().setLinear(ActivationLinear.newBuilder()
                        .setAlpha(alpha).setBeta(beta)))
                .build();
    }

    /**
     * The scale/bias shape ([1], [C], [1,H,W] or [C,H,W]) a constant of shape {@code sc} has against an input of
     * shape {@code sx} (rank 3 or more), aligned on the right as NumPy broadcasting aligns them; null if none.
     */
    static List<Long> scaleShape(long[] sx, long[] sc) {
        int r = sx.length;
        if (r < 3 || sc.length > r) {
            return null;
        }
        long[] p = new long[r];
        Arrays.fill(p, 1);
        System.arraycopy(sc, 0, p, r - sc.length, sc.length);
        for (int i = 0; i < r - 3; i++) {
            if (p[i] != 1) {
                return null;
            }
        }
        long c = p[r - 3];
        long h = p[r - 2];
        long w = p[r - 1];
        long cx = sx[r - 3];
        if (c != 1 && c != cx) {
            return null;
        }
        if (h == 1 && w == 1) {
            return List.of(c);
        }
        if (h == sx[r - 2] && w == sx[r - 1]) {
            return List.of(c, h, w);
        }
        return null;
    }

    // ---------------------------------------------------------------- concat and constants

    private static Plan concat(NeuralNetworkLayer l, Map<String, long[]> shapes) throws Refusal {
        if (l.getConcatND().getInterleave()) {
            throw new Refusal("interleaves its inputs, which concat cannot");
        }
        List<long[]> in = new ArrayList<>();
        for (String blob : l.getInputList()) {
            in.add(known(shapes, blob));
        }
        int rank = in.get(0).length;
        long axis = l.getConcatND().getAxis();
        long negative = axis < 0 ? axis : axis - rank;
        boolean sequence;
        if (negative == -3 && rank >= 3) {
            sequence = false;
        } else if (negative == -5 && rank >= 5) {
            sequence = true;
        } else {
            throw new Refusal("joins rank-" + rank + " inputs along axis " + axis + "; concat joins only along axis "
                    + "-3 (rank 3 or more) or -5 (rank 5 or more)");
        }
        NeuralNetworkLayer.Builder b = l.toBuilder().clearLayer()
                .setConcat(ConcatLayerParams.newBuilder().setSequenceConcat(sequence));
        return new Plan(RewriteRule.CONCAT_ND, sequence ? "concat (sequenceConcat)" : "concat", List.of(b.build()),
                null);
    }

    private static Plan loadConstant(NeuralNetworkLayer l) throws Refusal {
        List<Long> s = l.getLoadConstantND().getShapeList();
        if (s.size() != 5 || s.get(0) != 1 || s.get(1) != 1) {
            throw new Refusal("shape " + s + ": loadConstant makes the rank-5 blob [1,1,C,H,W] in an ND network, so "
                    + "only a constant of shape [1,1,C,H,W] keeps its blob's shape (this one would change rank)");
        }
        NeuralNetworkLayer.Builder b = l.toBuilder().clearLayer()
                .setLoadConstant(LoadConstantLayerParams.newBuilder().addAllShape(s.subList(2, 5))
                        .setData(l.getLoadConstantND().getData()));
        if (b.getOutputTensorCount() == 0) {
            b.addOutputTensor(Tensor.newBuilder().setRank(5).addAllDimValue(s));
        }
        return new Plan(RewriteRule.LOAD_CONSTANT_ND, "loadConstant " + s.subList(2, 5), List.of(b.build()), null);
    }

    // ---------------------------------------------------------------- helpers

    private static long[] known(Map<String, long[]> shapes, String blob) throws Refusal {
        long[] s = shapes.get(blob);
        if (s == null) {
            throw new Refusal("the shape of '" + blob + "' is not declared (no input shape or layer tensor with "
                    + "its sizes), so exactness cannot be decided");
        }
        return s;
    }

    private static Map<String, long[]> externalShapes(List<NeuralNetworkLayer> layers, Map<String, long[]> shapes)
            throws Refusal {
        Set<String> made = new HashSet<>();
        Map<String, long[]> in = new LinkedHashMap<>();
        for (NeuralNetworkLayer l : layers) {
            for (String blob : l.getInputList()) {
                if (!made.contains(blob) && !in.containsKey(blob)) {
                    in.put(blob, known(shapes, blob));
                }
            }
            made.addAll(l.getOutputList());
        }
        return in;
    }

    /** Offers a replacement only when the evaluator can run both sides and they give the same output shape. */
    private static void checkEvaluable(NeuralNetworkLayer original, List<NeuralNetworkLayer> before,
            List<NeuralNetworkLayer> after, Map<String, long[]> inputs) throws Refusal {
        String out = original.getOutput(0);
        try {
            long[] x = ReferenceEvaluator.shapes(before, inputs).get(out);
            long[] y = ReferenceEvaluator.shapes(after, inputs).get(out);
            if (!Arrays.equals(x, y)) {
                throw new Refusal("the replacement would give " + ReferenceEvaluator.text(y) + " instead of "
                        + ReferenceEvaluator.text(x));
            }
        } catch (NotEvaluableException e) {
            throw new Refusal("the reference evaluator cannot check the replacement (" + e.getMessage() + ")");
        }
    }

    /** A float as the report writes it: 1 rather than 1.0, else its shortest exact decimal form. */
    static String num(float v) {
        return v == Math.rint(v) && Math.abs(v) < 1e7 ? String.valueOf((long) v) : String.valueOf(v);
    }

    static Tensor tensor(long[] shape) {
        Tensor.Builder t = Tensor.newBuilder().setRank(shape.length);
        for (long d : shape) {
            t.addDimValue(d);
        }
        return t.build();
    }

    /** Names not yet used in the network, for the layers and blobs a replacement adds. */
    private static final class Fresh {
        private final Set<String> taken;

        Fresh(Set<String> taken) {
            this.taken = taken;
        }

        String name(String base) {
            String n = base;
            for (int i = 2; taken.contains(n); i++) {
                n = base + "_" + i;
            }
            taken.add(n);
            return n;
        }
    }
}
