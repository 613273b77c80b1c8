package dev.aneprobe.harness.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The search engine against in-memory truths over the catalog's own grid probes. */
class BoundarySearchTest {
    static final Outcome ANE = new Outcome(VerdictKind.ANE, List.of(Device.ANE));
    static final Outcome CPU = new Outcome(VerdictKind.NOT_ANE, List.of(Device.CPU));

    static List<ProbeSpec> universe(Profile profile, String family) {
        return new ProbeGenerator(Catalog.standard()).plan(new GenerationRequest(profile, List.of(family), List.of(),
                Path.of("unused"), false));
    }

    static double largest(String pair) {
        double m = 0;
        for (String p : pair.split("x")) {
            m = Math.max(m, Double.parseDouble(p));
        }
        return m;
    }

    /** An oracle from a predicate, recording every step it was asked with. */
    static final class Truth implements BoundarySearch.Oracle {
        final Predicate<ProbeSpec> onAne;
        final Map<ProbeSpec, SearchStep> asked = new LinkedHashMap<>();

        Truth(Predicate<ProbeSpec> onAne) {
            this.onAne = onAne;
        }

        @Override
        public Outcome outcome(ProbeSpec probe, SearchStep step) {
            assertFalse(asked.containsKey(probe), "asked twice for " + probe.id());
            assertNotNull(step.axis());
            assertTrue(step.reason().length() <= SearchStep.MAX_REASON);
            assertEquals(step.low() == null, step.high() == null);
            if (step.role() == SearchStep.Role.END || step.role() == SearchStep.Role.EDGE) {
                assertEquals(null, step.low(), "END and EDGE steps open a search: no interval");
            }
            asked.put(probe, step);
            return onAne.test(probe) ? ANE : CPU;
        }
    }

    /** contrarian's pooling rule: kernel <= 9 and stride <= 3 (the larger side of each pair). */
    static boolean contrarianPooling(ProbeSpec s) {
        return s.bool("global") || (largest(s.text("kernel")) <= 9 && largest(s.text("stride")) <= 3);
    }

    @Test
    void poolingFullFindsKernelAndStrideWithAFifthOfTheGrid() {
        List<ProbeSpec> all = universe(Profile.FULL, "pooling");
        SearchPlan plan = SearchPlan.of(Catalog.standard().family("pooling"), Profile.FULL, all);
        Truth truth = new Truth(BoundarySearchTest::contrarianPooling);
        BoundarySearch.FamilyResult r = new BoundarySearch(truth).run(plan);

        Map<String, BoundarySearch.Result> byName = new HashMap<>();
        r.searches().forEach(s -> byName.putIfAbsent(s.search().name() + "@" + s.search().contextText(), s));
        BoundarySearch.Result kernel = byName.get("kernel@");
        assertEquals(List.of(new BoundarySearch.Boundary("9x9", ANE, "10x10", CPU)),
                kernel.findings().get(0).boundaries());
        BoundarySearch.Result stride = byName.get("stride@");
        assertEquals(List.of(new BoundarySearch.Boundary("3x3", ANE, "4x4", CPU)),
                stride.findings().get(0).boundaries());
        for (BoundarySearch.Result s : r.searches()) {
            assertFalse(s.nonMonotonic(), s.search().name() + " " + s.why());
        }
        BoundarySearch.Result grid = byName.get("kernel+stride@");
        assertEquals("stride=1x1..3x3", grid.findings().get(0).where());
        assertEquals(List.of(new BoundarySearch.Boundary("9x9", ANE, "10x10", CPU)),
                grid.findings().get(0).boundaries());
        assertEquals("stride=4x4..8x8", grid.findings().get(1).where());
        assertEquals(List.of(), grid.findings().get(1).boundaries());

        // Every cell of every search, inferred or measured, has the truth's outcome (the truth is monotonic).
        assertInferredIsTrue(r, truth);
        int searched = plan.searches().stream().mapToInt(SearchPlan.Search::cells).sum();
        long measuredInSearches = truth.asked.keySet().stream().filter(p -> !plan.rest().contains(p)).count();
        assertTrue(measuredInSearches <= searched / 5, measuredInSearches + " of " + searched);
    }

    static void assertInferredIsTrue(BoundarySearch.FamilyResult r, Truth truth) {
        for (BoundarySearch.Result s : r.searches()) {
            for (int row = 0; row < s.search().rows().size(); row++) {
                List<ProbeSpec> cells = s.search().rows().get(row);
                String rowValue = s.search().twoDimensional() ? s.search().rowValues().get(row) : null;
                BoundarySearch.Finding f = s.findings().stream().filter(x -> rowValue == null || covers(x, rowValue,
                        s.search())).findFirst().orElseThrow();
                Map<String, Outcome> truthSig = new LinkedHashMap<>();
                for (ProbeSpec c : cells) {
                    truthSig.put(c.text(s.search().lineAxis()), truth.onAne.test(c) ? ANE : CPU);
                }
                assertEquals(BoundarySearch.boundaries(truthSig), f.boundaries(), s.search().name() + " row "
                        + rowValue);
            }
        }
    }

    static boolean covers(BoundarySearch.Finding f, String rowValue, SearchPlan.Search s) {
        String range = f.where().substring(f.where().indexOf('=') + 1);
        String[] ends = range.split("\\.\\.");
        List<String> rows = s.rowValues();
        int lo = rows.indexOf(ends[0]);
        int hi = rows.indexOf(ends[ends.length - 1]);
        int at = rows.indexOf(rowValue);
        return lo <= at && at <= hi;
    }

    /** contrarian's upsample rule: only scales 1, 2 and 4 (each side) run on the ANE. */
    static boolean contrarianUpsample(ProbeSpec s) {
        for (String p : s.text("scale").split("x")) {
            double v = Double.parseDouble(p);
            if (v != 1 && v != 2 && v != 4) {
                return false;
            }
        }
        return true;
    }

    @Test
    void nonMonotonicScaleIsFlaggedAndSweptAsAGrid() {
        List<ProbeSpec> all = universe(Profile.FULL, "upsample");
        SearchPlan plan = SearchPlan.of(Catalog.standard().family("upsample"), Profile.FULL, all);
        Truth truth = new Truth(BoundarySearchTest::contrarianUpsample);
        BoundarySearch.FamilyResult r = new BoundarySearch(truth).run(plan);
        BoundarySearch.Result scale = r.searches().stream().filter(s -> s.search().name().equals("scale")
                && s.search().context().isEmpty()).findFirst().orElseThrow();
        assertTrue(scale.nonMonotonic(), "the scale rule (1, 2, 4 on the ANE) is not monotonic");
        assertNotNull(scale.why());
        assertTrue(truth.asked.values().stream().anyMatch(st -> st.role() == SearchStep.Role.GRID
                && st.axis().equals("scale") && st.low() != null && st.reason().startsWith("verify at ")));
        // Despite the non-monotonic truth, what is reported is what a full grid finds.
        assertInferredIsTrue(r, truth);
    }

    @Test
    void aMonotonicLineNeedsOnlyEndsBisectionAndVerification() {
        List<ProbeSpec> all = universe(Profile.FULL, "pooling");
        SearchPlan plan = SearchPlan.of(Catalog.standard().family("pooling"), Profile.FULL, all);
        SearchPlan.Search kernel = plan.searches().get(0);
        assertEquals("kernel", kernel.name());
        Truth truth = new Truth(s -> largest(s.text("kernel")) <= 13);
        BoundarySearch engine = new BoundarySearch(truth);
        engine.run(plan);
        List<SearchStep.Role> roles = new ArrayList<>();
        truth.asked.forEach((p, st) -> {
            if (kernel.rows().get(0).contains(p) && st.axis().equals("kernel")) {
                roles.add(st.role());
            }
        });
        assertEquals(2, roles.stream().filter(x -> x == SearchStep.Role.END).count());
        assertTrue(roles.contains(SearchStep.Role.BISECT));
        assertTrue(roles.contains(SearchStep.Role.VERIFY));
        assertFalse(roles.contains(SearchStep.Role.GRID));
        assertTrue(roles.size() <= 12, roles.toString());
    }

    @Test
    void pairsAreOrderedByTheirLargerSideThenArea() {
        List<String> v = new ArrayList<>(List.of("10x10", "1x10", "9x9", "10x1", "3x14", "1x13"));
        v.sort(ValueOrder.of(dev.aneprobe.probes.sweep.AxisKind.PAIR));
        assertEquals(List.of("9x9", "1x10", "10x1", "10x10", "1x13", "3x14"), v);
        List<String> s = new ArrayList<>(List.of("8x4x8192", "64x28x28", "1x1x1"));
        s.sort(ValueOrder.of(dev.aneprobe.probes.sweep.AxisKind.SHAPE));
        assertEquals(List.of("1x1x1", "64x28x28", "8x4x8192"), s);
        assertFalse(ValueOrder.ordered(dev.aneprobe.probes.sweep.AxisKind.CHOICE));
    }

    @Test
    void spreadPicksEvenlyAndAllWhenFew() {
        assertEquals(List.of(3), BoundarySearch.spread(List.of(1, 2, 3, 4, 5), 1));
        assertEquals(List.of(2, 4), BoundarySearch.spread(List.of(1, 2, 3, 4, 5), 2));
        assertEquals(List.of(7, 8), BoundarySearch.spread(List.of(7, 8), 3));
    }
}
