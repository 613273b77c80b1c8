package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ChainFamilies;
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

    @Test
    void seedClaimsAreAboutNeuralNetworkLayersAndFieldNotesClaimsAboutMlProgramOps() {
        for (Claim c : ClaimSet.bundled().claims()) {
            boolean notes = c.sources().stream().allMatch(s -> s.document().equals("ane-field-notes"));
            boolean seed = c.sources().stream().allMatch(s -> s.document().equals("unsupported-layers"));
            assertTrue(notes || seed, c.id() + " mixes documents");
            if (c.predicted().aboutSwitching()) {
                continue; // about whole models of both formats: see the next test
            }
            for (View v : judged(c)) {
                assertEquals(notes, v.family().startsWith("mil."), c.id() + " judges " + v.id());
            }
        }
    }

    @Test
    void switchingClaimsJudgeTheChainProbesAndNothingElse() {
        TreeSet<String> chains = new TreeSet<>();
        standard.stream().filter(v -> ChainFamilies.isChain(v.family())).forEach(v -> chains.add(v.id()));
        assertEquals(4 * 12, chains.size());
        for (Claim c : ClaimSet.bundled().claims()) {
            TreeSet<String> judged = ids(judged(c));
            if (c.predicted().aboutSwitching()) {
                assertEquals(chains, judged, c.id());
            } else {
                judged.retainAll(chains);
                assertEquals(new TreeSet<>(), judged, c.id() + " judges chain probes");
            }
        }
    }

    @Test
    void theFp32ClaimJudgesEveryFp32ProbeOfEveryMlProgramFamily() {
        Claim c = claim("mil-fp32-not-ane");
        TreeSet<String> families = new TreeSet<>();
        judged(c).forEach(v -> families.add(v.family()));
        TreeSet<String> withFp32 = new TreeSet<>();
        for (View v : standard) {
            if ("fp32".equals(v.param("dtype"))) {
                withFp32.add(v.family());
                assertTrue(c.region().test(v) && c.inScope(v.family(), v.layerType()), v.id());
            }
            if (v.family().startsWith("mil.") && "fp16".equals(v.param("dtype"))) {
                assertFalse(c.region().test(v), v.id());
            }
        }
        withFp32.add("mil.cast");
        assertEquals(withFp32, families);
        assertTrue(families.size() > 70, families.size() + " families");
        assertEquals(new TreeSet<>(List.of("fp16-fp32", "fp32-fp16", "fp32-int32", "int32-fp32")),
                new TreeSet<>(judged(c).stream().filter(v -> v.family().equals("mil.cast"))
                        .map(v -> v.param("cast")).toList()));
    }

    @Test
    void theWidthClaimJudgesFp16ProbesWiderThan16384Only() {
        List<View> j = judged(claim("mil-width-gt16384-not-ane"));
        assertTrue(j.size() > 50, j.size() + " probes");
        for (View v : j) {
            // 16448 is the catalog's width beyond the limit; random_categorical's 32000 is a vocabulary of logits.
            assertTrue(v.param("in").endsWith("x16448") || v.param("in").equals("1x1x1x32000"), v.id());
            assertFalse("fp32".equals(v.param("dtype")), v.id());
        }
        assertTrue(ids(j).contains("mil.conv/dtype=fp16,kernel=3x3,stride=1x1,dilation=1x1,groups=1,pad=valid,"
                + "in=1x8x4x16448"), ids(j).first());
        // 16384 is inside the limit; an NMS box count of 16448 is not a width.
        assertTrue(standard.stream().filter(v -> v.family().startsWith("mil.")
                && ("1x8x4x16384".equals(v.param("in")) || "1x16448x1".equals(v.param("in"))))
                .noneMatch(v -> judged(claim("mil-width-gt16384-not-ane")).contains(v)));
    }

    @Test
    void matmulAndAttentionSizeClaimsSplitTheSizeAxisWhereTheObservationsDo() {
        assertEquals(new TreeSet<>(List.of("1x384x384", "1x4x4")), params(judged(claim("mil-matmul-small-not-ane")), "in"));
        assertEquals(new TreeSet<>(List.of("1x512x512", "1x1024x1024")), params(judged(claim("mil-matmul-large-ane")), "in"));
        assertEquals(new TreeSet<>(List.of("1x8x512x64", "1x1x16x16", "1x8x128x64", "1x8x512x128")),
                params(judged(claim("mil-sdpa-small-not-ane")), "in"));
        assertEquals(new TreeSet<>(List.of("1x16x2048x64", "1x32x1024x128")),
                params(judged(claim("mil-sdpa-large-ane")), "in"));
        for (String id : List.of("mil-matmul-small-not-ane", "mil-matmul-large-ane", "mil-sdpa-small-not-ane",
                "mil-sdpa-large-ane")) {
            assertEquals(new TreeSet<>(List.of("fp16")), params(judged(claim(id)), "dtype"), id);
        }
    }

    @Test
    void opClaimsJudgeTheirOps() {
        assertEquals(new TreeSet<>(List.of("1000x256", "4096x512", "32000x128")),
                params(judged(claim("mil-gather-embedding-not-ane")), "table"));
        assertEquals(new TreeSet<>(List.of("fp16-int32", "int32-fp16")),
                params(judged(claim("mil-int32-cast-not-ane")), "cast"));
        TreeSet<String> types = new TreeSet<>();
        judged(claim("mil-select-greater-equal-while-loop-not-ane")).forEach(v -> types.add(v.layerType()));
        assertEquals(new TreeSet<>(List.of("greater_equal", "select", "while_loop")), types);
        TreeSet<String> scatters = new TreeSet<>();
        judged(claim("mil-scatter-not-ane")).forEach(v -> scatters.add(v.layerType()));
        assertEquals(new TreeSet<>(List.of("scatter", "scatter_along_axis", "scatter_nd")), scatters);
    }

    static TreeSet<String> params(List<View> views, String axis) {
        TreeSet<String> out = new TreeSet<>();
        views.forEach(v -> out.add(v.param(axis)));
        return out;
    }
}
