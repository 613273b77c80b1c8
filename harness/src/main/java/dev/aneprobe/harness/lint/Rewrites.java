package dev.aneprobe.harness.lint;

import dev.aneprobe.harness.lint.Placement.Where;
import dev.aneprobe.harness.rewrite.Rewriter;
import dev.aneprobe.probes.coreml.Model;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code aneprobe rewrite} would replace in a model, for lint: each replaced layer (by where it sits) with the
 * replacement layers read as probes from the rewritten model, so that their placement can be predicted like any
 * layer's.
 */
final class Rewrites {
    private static final Rewrites NONE = new Rewrites(Map.of());

    private record Replacement(Rewriter.Applied applied, List<LintedLayer> layers) {
    }

    private final Map<String, Replacement> byWhere;

    private Rewrites(Map<String, Replacement> byWhere) {
        this.byWhere = byWhere;
    }

    static Rewrites of(Model model, FamilyAxes axes) {
        if (model.hasMlProgram()) {
            return NONE;
        }
        Rewriter.Result result = Rewriter.rewrite(model, Set.of());
        if (result.applied().isEmpty()) {
            return NONE;
        }
        Map<String, LintedLayer> after = new HashMap<>();
        for (LintedLayer l : ModelWalker.walk(result.model(), axes).layers()) {
            after.put(l.where(), l);
        }
        Map<String, Replacement> byWhere = new HashMap<>();
        for (Rewriter.Applied a : result.applied()) {
            List<LintedLayer> layers = a.newLayers().stream().map(n -> after.get(a.prefix() + "layer '" + n + "'"))
                    .toList();
            if (layers.stream().allMatch(java.util.Objects::nonNull)) {
                Replacement r = new Replacement(a, layers);
                byWhere.put(a.where(), r);
                // A constant layer the replacement takes in goes with it.
                a.before().stream().filter(l -> !l.getName().equals(a.layer()))
                        .forEach(l -> byWhere.put(a.prefix() + "layer '" + l.getName() + "'", r));
            }
        }
        return new Rewrites(byWhere);
    }

    /**
     * The rewrite of {@code layer} when every layer replacing it is expected on the ANE by {@code predictor}, as
     * {@code rule -> replacement (expected on the ANE: basis)}; else null.
     */
    String movesToAne(LintedLayer layer, Predictor predictor) {
        Replacement r = byWhere.get(layer.where());
        if (r == null) {
            return null;
        }
        Placement.Basis weakest = Placement.Basis.MEASURED;
        for (LintedLayer l : r.layers()) {
            Placement p = predictor.predict(l);
            if (p.where() != Where.ANE) {
                return null;
            }
            weakest = p.basis().ordinal() > weakest.ordinal() ? p.basis() : weakest;
        }
        String folded = layer.where().equals(r.applied().where()) ? ""
                : "folded into the replacement of layer '" + r.applied().layer() + "': ";
        return folded + r.applied().rule().id() + " -> " + r.applied().replacement() + " (expected on the ANE: "
                + weakest.words() + ")";
    }
}
