package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every value {@code aneprobe list} shows for an axis of a family in a profile (the axis' values for that profile)
 * is used by at least one probe the generator plans for that profile: a value declared on an axis but dropped by
 * the family's rules in every combination the sweep tries, or reachable only in an undeclared grid, would tell a
 * reader of {@code list} that something is probed which is not.
 */
class ListedValuesProbedTest {
    @Test
    void everyListedValueIsProbedInItsProfile() {
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        List<String> offenders = new ArrayList<>();
        for (Profile profile : Profile.values()) {
            List<ProbeSpec> planned = generator.plan(
                    new GenerationRequest(profile, List.of(), List.of(), Path.of("unused"), false));
            Map<String, Set<String>> used = new HashMap<>(); // "family axis" -> values some planned probe has
            for (ProbeSpec s : planned) {
                s.params().forEach((axis, value) ->
                        used.computeIfAbsent(s.family() + " " + axis, k -> new HashSet<>()).add(value));
            }
            for (ProbeFamily f : catalog.families()) {
                for (Axis a : f.axes()) {
                    Set<String> probed = used.getOrDefault(f.name() + " " + a.name(), Set.of());
                    for (String v : a.values(profile)) {
                        if (!probed.contains(v)) {
                            offenders.add(profile.label() + " " + f.name() + "." + a.name() + "=" + v);
                        }
                    }
                }
            }
        }
        assertTrue(offenders.isEmpty(), offenders.size() + " listed values no planned probe uses:\n"
                + String.join("\n", offenders));
    }
}
