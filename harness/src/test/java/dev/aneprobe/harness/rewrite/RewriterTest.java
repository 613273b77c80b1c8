package dev.aneprobe.harness.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer.LayerCase;
import dev.aneprobe.probes.coreml.Pipeline;
import dev.aneprobe.probes.samples.RealWorldModels;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each rule, each refusal, and rewrites inside classifiers and pipelines. */
class RewriterTest {
    private static Rewriter.Result rewriteValidVerified(Model model, Set<RewriteRule> rules) {
        Rewriter.Result r = Rewriter.rewrite(model, rules);
        ValidationResult v = new ModelValidator().validate(r.model());
        assertTrue(v.valid(), v.message());
        assertEquals(model.getDescription(), r.model().getDescription());
        assertEquals(model.getSpecificationVersion(), r.model().getSpecificationVersion());
        for (Rewriter.Applied a : r.applied()) {
            RewriteVerifier.Outcome o = RewriteVerifier.verify(a);
            assertTrue(o.equal(), a.where() + ": " + o.problem());
            assertTrue(o.values() > 0);
        }
        return r;
    }

    private static List<LayerCase> types(Model m) {
        return m.getNeuralNetwork().getLayersList().stream().map(NeuralNetworkLayer::getLayerCase).toList();
    }

    @Test
    void everyBinaryRuleAndConcatInOneChain() {
        Model model = SurgeryModels.chain();
        assertTrue(new ModelValidator().validate(model).valid());
        Rewriter.Result r = rewriteValidVerified(model, Set.of());
        assertEquals(List.of("multiply-broadcastable", "subtract-broadcastable", "concat-nd", "add-broadcastable"),
                r.applied().stream().map(a -> a.rule().id()).toList());
        assertEquals(List.of("scale (scale [4])", "activation (linear, alpha -1) + add", "concat",
                "activation (linear, alpha 1, beta 0.25)"), r.applied().stream().map(Rewriter.Applied::replacement)
                .toList());
        // Both constants are absorbed; the ReLU is untouched.
        assertEquals(List.of(LayerCase.SCALE, LayerCase.ACTIVATION, LayerCase.ADD, LayerCase.CONCAT,
                LayerCase.ACTIVATION, LayerCase.ACTIVATION), types(r.model()));
        assertEquals(model.getNeuralNetwork().getLayers(6), r.model().getNeuralNetwork().getLayers(5));
        assertTrue(r.kept().isEmpty(), r.kept().toString());
    }

    @Test
    void onlyAppliesTheNamedRules() {
        Rewriter.Result r = rewriteValidVerified(SurgeryModels.chain(), Set.of(RewriteRule.CONCAT_ND));
        assertEquals(1, r.applied().size());
        assertEquals(LayerCase.MULTIPLYBROADCASTABLE, r.model().getNeuralNetwork().getLayers(1).getLayerCase());
    }

    @Test
    void rankFiveConstantBecomesLoadConstant() {
        Rewriter.Result r = rewriteValidVerified(SurgeryModels.rank5Constant(), Set.of());
        assertEquals(List.of("load-constant-nd", "concat-nd"), r.applied().stream().map(a -> a.rule().id())
                .toList());
        NeuralNetworkLayer k = r.model().getNeuralNetwork().getLayers(0);
        assertEquals(LayerCase.LOADCONSTANT, k.getLayerCase());
        assertEquals(List.of(2L, 3L, 5L), k.getLoadConstant().getShapeList());
    }

    @Test
    void subtractWithAConstantEitherSide() {
        long[] x = {1, 3, 2, 2};
        Rewriter.Result second = rewriteValidVerified(SurgeryModels.binaryConstant("subtract", x,
                new long[] {3, 1, 1}, x, false, 1), Set.of());
        assertEquals("scale (scale 1, bias [3])", second.applied().get(0).replacement());
        Rewriter.Result first = rewriteValidVerified(SurgeryModels.binaryConstant("subtract", x,
                new long[] {1}, x, true, 2), Set.of());
        NeuralNetworkLayer negate = first.model().getNeuralNetwork().getLayers(0);
        assertEquals(LayerCase.ACTIVATION, negate.getLayerCase());
        assertEquals(-1f, negate.getActivation().getLinear().getAlpha());
        assertEquals(1, first.model().getNeuralNetwork().getLayersCount()); // the constant went into beta
    }

    @Test
    void refusalsSayWhy() {
        // Ranks differ: the original layers do not broadcast across ranks.
        Rewriter.Result ranks = Rewriter.rewrite(SurgeryModels.binary("add", new long[] {2, 3, 4},
                new long[] {4}, new long[] {2, 3, 4}), Set.of());
        assertTrue(ranks.applied().isEmpty());
        assertTrue(ranks.kept().get(0).reason().contains("the original add/multiply layers broadcast only"),
                ranks.kept().toString());
        // [C,1,W] is not one of the four patterns.
        Rewriter.Result pattern = Rewriter.rewrite(SurgeryModels.binary("multiply", new long[] {1, 3, 4, 5},
                new long[] {1, 3, 1, 5}, new long[] {1, 3, 4, 5}), Set.of());
        assertTrue(pattern.applied().isEmpty());
        // Both operands broadcast: neither has the output's shape.
        Rewriter.Result both = Rewriter.rewrite(SurgeryModels.binary("subtract", new long[] {1, 3, 1, 1},
                new long[] {1, 1, 4, 5}, new long[] {1, 3, 4, 5}), Set.of());
        assertTrue(both.applied().isEmpty());
        assertEquals("subtract-broadcastable", both.kept().get(0).rule().id());
        // Concat along the width.
        Model width = SurgeryModels.chain();
        width = width.toBuilder().setNeuralNetwork(width.getNeuralNetwork().toBuilder().setLayers(3,
                width.getNeuralNetwork().getLayers(3).toBuilder().setConcatND(
                        width.getNeuralNetwork().getLayers(3).getConcatND().toBuilder().setAxis(-1)))).build();
        Rewriter.Result cat = Rewriter.rewrite(width, Set.of(RewriteRule.CONCAT_ND));
        assertTrue(cat.applied().isEmpty());
        assertTrue(cat.kept().get(0).reason().startsWith("joins rank-4 inputs along axis -1"), cat.kept().toString());
        // A rank-4 constant no other rule absorbs.
        Rewriter.Result constant = Rewriter.rewrite(SurgeryModels.chain(), Set.of(RewriteRule.LOAD_CONSTANT_ND));
        assertEquals(2, constant.kept().size());
        assertTrue(constant.kept().get(0).reason().contains("rank-5 blob [1,1,C,H,W]"));
    }

    @Test
    void noCandidateLeavesTheModelAsItWas() {
        Model m = RealWorldModels.nnImageClassifier();
        Rewriter.Result r = Rewriter.rewrite(m, Set.of());
        assertTrue(r.applied().isEmpty() && r.kept().isEmpty());
        assertEquals(m, r.model());
    }

    @Test
    void insidePipelinesAndWithWherePrefixes() {
        Model inner = SurgeryModels.chain();
        Model pipeline = Model.newBuilder().setSpecificationVersion(inner.getSpecificationVersion())
                .setDescription(inner.getDescription())
                .setPipeline(Pipeline.newBuilder().addModels(inner).addNames("net")).build();
        Rewriter.Result r = rewriteValidVerified(pipeline, Set.of());
        assertEquals(4, r.applied().size());
        assertEquals("pipeline model 1 'net' (neuralNetwork) > layer 'aux_mul'", r.applied().get(0).where());
    }
}
