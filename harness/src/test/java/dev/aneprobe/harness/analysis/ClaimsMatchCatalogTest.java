package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every claim is about probes the catalog actually generates: its families exist, its family pattern matches some
 * family, and the standard profile has probes in its scope and region (a claim no probe can test would stay
 * UNTESTED forever).
 */
class ClaimsMatchCatalogTest {
    static Catalog catalog;
    /** The standard profile's probes, as the claims see them. */
    static List<View> standard = new ArrayList<>();

    record View(String family, String layerType, Map<String, String> params, String id) implements ProbeView {
        @Override
        public String param(String axis) {
            return params.get(axis);
        }
    }

    @BeforeAll
    static void enumerate() {
        catalog = Catalog.standard();
        for (ProbeFamily f : catalog.families()) {
            for (ProbeSpec s : f.probes(Profile.STANDARD, List.of())) {
                if (f.isAdmissible(s)) {
                    standard.add(new View(f.name(), f.layerTypeOf(s), new LinkedHashMap<>(s.params()), s.id()));
                }
            }
        }
    }

    /** The standard probes a claim judges: in its scope and its region. */
    static List<View> judged(Claim c) {
        return standard.stream().filter(v -> c.inScope(v.family(), v.layerType()) && c.region().test(v)).toList();
    }

    static Claim claim(String id) {
        return ClaimSet.bundled().claims().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    static TreeSet<String> ids(List<View> views) {
        TreeSet<String> out = new TreeSet<>();
        views.forEach(v -> out.add(v.id()));
        return out;
    }

    @Test
    void everyClaimNamesRealFamiliesAndCoversSomeProbe() {
        for (Claim c : ClaimSet.bundled().claims()) {
            for (String f : c.families()) {
                assertTrue(catalog.family(f) != null, c.id() + " names unknown family " + f);
            }
            if (c.familyPattern() != null) {
                assertTrue(catalog.families().stream().anyMatch(f -> c.familyPattern().matcher(f.name()).matches()),
                        c.id() + "'s family pattern matches no family");
            }
            boolean covered = false;
            for (ProbeFamily f : catalog.families()) {
                for (String t : f.layerTypes()) {
                    covered |= c.inScope(f.name(), t);
                }
            }
            assertTrue(covered, c.id() + " is about no layer the catalog probes");
        }
    }

    @Test
    void everyClaimHasProbesInItsRegionInTheStandardProfile() {
        assertTrue(standard.size() > 3000, "the standard profile has " + standard.size() + " probes");
        for (Claim c : ClaimSet.bundled().claims()) {
            assertFalse(judged(c).isEmpty(), c.id() + " has no probe of the standard profile in its region");
        }
    }

    static TreeSet<String> params(List<View> views, String axis) {
        TreeSet<String> out = new TreeSet<>();
        views.forEach(v -> out.add(v.param(axis)));
        return out;
    }
}
