package dev.aneprobe.harness.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ChainFamilies;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The layer mapping agrees with the catalog: lint reads every generated probe of the standard profile as the probe it
 * is — the layer under test gets the probe's family, and every axis value lint reads is the value the generator
 * wrote. (Axes lint cannot read from a model are allowed to stay unread; none may be read wrong.)
 */
class ProbesReadAsThemselvesTest {
    @Test
    void everyStandardProbeReadsAsItself() {
        Catalog catalog = Catalog.standard();
        FamilyAxes axes = new FamilyAxes(catalog);
        ProbeGenerator generator = new ProbeGenerator(catalog);
        List<String> wrong = new ArrayList<>();
        int read = 0;
        int exact = 0;
        int probes = 0;
        for (ProbeFamily family : catalog.families()) {
            if (ChainFamilies.isChain(family.name())) {
                continue; // no single layer under test: lint reads each of its layers as that layer's own family
            }
            for (ProbeSpec spec : family.probes(Profile.STANDARD, List.of())) {
                probes++;
                BuiltProbe built = generator.build(family, spec);
                Model model = built.model();
                LintedLayer layer = null;
                for (LintedLayer l : ModelWalker.walk(model, axes).layers()) {
                    if (l.name().equals("probe") || l.name().equals("y")) {
                        layer = l;
                    }
                }
                if (layer == null && family.name().equals("mil.state")) {
                    continue; // its op under test (write_state) has no output to be named by
                }
                if (layer == null) {
                    wrong.add(spec.id() + ": no layer 'probe' or op 'y' found");
                    continue;
                }
                if (!family.name().equals(layer.family())) {
                    wrong.add(spec.id() + ": read as family " + layer.family());
                    continue;
                }
                for (Map.Entry<String, String> e : layer.params().entrySet()) {
                    read++;
                    if (!e.getValue().equals(spec.params().get(e.getKey()))) {
                        wrong.add(spec.id() + ": " + e.getKey() + " read as " + e.getValue());
                    }
                }
                if (layer.unread().isEmpty()) {
                    exact++;
                }
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(read > probes, "only " + read + " axis values read over " + probes + " probes");
        System.out.println("lint reads " + exact + " of " + probes + " standard probes completely");
    }
}
