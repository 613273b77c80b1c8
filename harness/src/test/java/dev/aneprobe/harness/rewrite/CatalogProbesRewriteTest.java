package dev.aneprobe.harness.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every probe of the standard profile whose layer under test a rule replaces: where the rewrite applies, the result
 * is valid, keeps the interface, and the reference evaluator finds the replaced part equal; where it does not, the
 * layer is kept with a reason. The counts pin which probes are rewritten.
 */
class CatalogProbesRewriteTest {
    @Test
    void standardProbesOfTheReplacedLayerTypes() {
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        ModelValidator validator = new ModelValidator();
        List<String> wrong = new ArrayList<>();
        TreeMap<String, int[]> counts = new TreeMap<>();
        for (String name : List.of("addBroadcastable", "multiplyBroadcastable", "binaryBroadcastable", "concatND",
                "loadConstantND")) {
            ProbeFamily family = catalog.family(name);
            for (ProbeSpec spec : family.probes(Profile.STANDARD, List.of())) {
                if (name.equals("binaryBroadcastable") && !"subtractBroadcastable".equals(spec.params().get("layer"))) {
                    continue; // of the other arithmetic layers, the seed names no replacement
                }
                Model model = generator.build(family, spec).model();
                Rewriter.Result r = Rewriter.rewrite(model, Set.of());
                int[] c = counts.computeIfAbsent(name, k -> new int[2]);
                if (r.applied().isEmpty()) {
                    c[1]++;
                    if (r.kept().isEmpty()) {
                        wrong.add(spec.id() + ": neither rewritten nor kept with a reason");
                    }
                    continue;
                }
                c[0]++;
                ValidationResult v = validator.validate(r.model());
                if (!v.valid()) {
                    wrong.add(spec.id() + ": invalid after rewrite: " + v.message());
                }
                if (!r.model().getDescription().equals(model.getDescription())) {
                    wrong.add(spec.id() + ": interface changed");
                }
                for (Rewriter.Applied a : r.applied()) {
                    RewriteVerifier.Outcome o = RewriteVerifier.verify(a);
                    if (!o.equal()) {
                        wrong.add(spec.id() + ": " + a.where() + " differs: " + o.problem());
                    }
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(k).append(' ').append(v[0]).append('/').append(v[1]).append('\n'));
        assertTrue(wrong.isEmpty(), sb + String.join("\n", wrong));
        System.out.println(sb);
    }
}
