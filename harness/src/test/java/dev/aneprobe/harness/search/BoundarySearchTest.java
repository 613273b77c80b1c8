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
        SearchPlan plan = SearchPlan.of(Catalog.standard().family("pooling"), Profile.FULL,
                universe(Profile.FULL, "pooling"));
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
        Truth truth = new Truth(BoundarySearchTest::contrarianUpsample);
        BoundarySearch.FamilyResult r = searchFull("upsample", truth);
        BoundarySearch.Result scale = r.searches().stream().filter(s -> s.search().name().equals("scale")
                && s.search().context().isEmpty()).findFirst().orElseThrow();
        assertTrue(scale.nonMonotonic(), "the scale rule (1, 2, 4 on the ANE) is not monotonic");
        assertNotNull(scale.why());
        assertTrue(truth.asked.values().stream().anyMatch(st -> st.role() == SearchStep.Role.GRID
                && st.axis().equals("scale") && st.low() != null && st.reason().startsWith("non-monotonic (")));
        // Despite the non-monotonic truth, what is reported is what a full grid finds.
        assertInferredIsTrue(r, truth);
    }

    @Test
    void aMonotonicLineNeedsOnlyItsStartBisectionAndVerification() {
        List<ProbeSpec> all = universe(Profile.FULL, "pooling");
        SearchPlan plan = SearchPlan.of(Catalog.standard().family("pooling"), Profile.FULL, all);
        SearchPlan.Search kernel = plan.searches().stream().filter(x -> x.name().equals("kernel")
                && x.contextText().equals("pad=same")).findFirst().orElseThrow();
        Truth truth = new Truth(s -> largest(s.text("kernel")) <= 13);
        new BoundarySearch(truth).run(plan);
        List<SearchStep.Role> roles = new ArrayList<>();
        truth.asked.forEach((p, st) -> {
            if (kernel.rows().get(0).contains(p)) {
                assertEquals("kernel", st.axis());
                roles.add(st.role());
            }
        });
        // Both ends (1x1, 32x32: also the least and greatest values) and the line's baseline value (3x3).
        assertEquals(3, roles.stream().filter(x -> x == SearchStep.Role.END).count());
        assertTrue(roles.contains(SearchStep.Role.BISECT));
        assertTrue(roles.contains(SearchStep.Role.VERIFY));
        assertFalse(roles.contains(SearchStep.Role.GRID));
        // 42 values; the asymmetric kernels beside the limit (1x13, 13x1, 1x14, 14x1) cannot be inferred from the
        // square ones and are measured.
        assertTrue(roles.size() <= 20, roles.toString());
    }

    @Test
    void aLineInsideA2dSearchIsReadOffIt() {
        Truth truth = new Truth(BoundarySearchTest::contrarianPooling);
        BoundarySearch.FamilyResult r = searchFull("pooling", truth);
        // The kernel line at baseline is row stride=1x1 of kernel x stride: no probe is chosen for it on its own
        // (the family's baseline aside), yet it reports its boundary.
        BoundarySearch.Result kernel = atBaseline(r, "kernel");
        truth.asked.forEach((p, st) -> {
            if (kernel.search().rows().get(0).contains(p)) {
                assertTrue(st.axis().equals("kernel+stride") || st.reason().startsWith("the family's baseline"),
                        p.id() + " " + st);
            }
        });
        assertEquals(List.of(new BoundarySearch.Boundary("9x9", ANE, "10x10", CPU)),
                kernel.findings().get(0).boundaries());
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

    /** The family's search of {@code name} with every other axis at baseline. */
    static BoundarySearch.Result atBaseline(BoundarySearch.FamilyResult r, String name) {
        return r.searches().stream().filter(x -> x.search().name().equals(name) && x.search().context().isEmpty())
                .findFirst().orElseThrow();
    }

    /** The family's searches over the full profile against {@code truth}. */
    static BoundarySearch.FamilyResult searchFull(String family, Truth truth) {
        return new BoundarySearch(truth).run(SearchPlan.of(Catalog.standard().family(family), Profile.FULL,
                universe(Profile.FULL, family)));
    }

    @Test
    void aLimitOnOneSideOfA3dStrideIsFoundThoughElementCountOrdersItOtherwise() {
        // 3-D strides in element-count order: 2x1x1 (ANE) 3x1x1 (not) 1x2x2 (ANE) ... the outcomes come back along
        // the linear order, but each is convex in the partial order, so the search infers exactly, without flagging.
        Truth truth = new Truth(s -> largest(s.text("stride")) <= 2);
        BoundarySearch.FamilyResult r = searchFull("pooling3d", truth);
        BoundarySearch.Result stride = atBaseline(r, "stride");
        assertFalse(stride.nonMonotonic(), stride.why());
        assertTrue(stride.findings().get(0).boundaries().size() > 1, stride.findings().toString());
        for (BoundarySearch.Result x : r.searches()) {
            assertFalse(x.nonMonotonic(), x.search().name() + " " + x.why());
        }
        assertInferredIsTrue(r, truth);
    }

    @Test
    void shapesThatEachStretchAnotherDimensionAreNotWorthSearching() {
        // binaryBroadcastable's shapes probe the width, the height, the channels and the element count each on its
        // own: nearly all are least or greatest, so a search would measure them all anyway.
        var family = Catalog.standard().family("binaryBroadcastable");
        SearchPlan plan = SearchPlan.of(family, Profile.FULL, universe(Profile.FULL, "binaryBroadcastable"));
        assertTrue(plan.searches().stream().noneMatch(x -> x.name().equals("in")));
        SearchPlan.Unsearched in = plan.unsearched().stream().filter(x -> x.name().equals("in")).findFirst()
                .orElseThrow();
        assertTrue(in.extremes() * SearchPlan.EXTREMES_AT_MOST_ONE_IN > in.cells().size(), in.toString());
        assertTrue(plan.rest().containsAll(in.cells()));
    }

    @Test
    void aBaselineThatAloneRunsOnTheAneIsCaughtAtOnce() {
        // field-notes' upsample rule: only a factor of 2 (the baseline) runs on the ANE. Sampling would miss a single
        // value; the baseline, measured first, lies between two ends that agree with each other and not with it.
        Truth truth = new Truth(s -> s.text("scale").equals("2x2"));
        BoundarySearch.FamilyResult r = searchFull("upsample", truth);
        BoundarySearch.Result scale = atBaseline(r, "scale");
        assertTrue(scale.nonMonotonic());
        assertTrue(scale.why().startsWith("2x2 gave ANE/ane between "), scale.why());
        assertInferredIsTrue(r, truth);
    }

    @Test
    void aSearchNeverInfersAcrossValuesThePartialOrderDoesNotCompare() {
        // kernel <= 13 on the height only: 14x1 runs, 1x14 does not. Linear order puts 1x14 between 13x13 and 14x1,
        // which agree; the partial order does not, so 1x14 is measured, not inferred.
        Truth truth = new Truth(s -> s.bool("global") || Long.parseLong(s.text("kernel").split("x")[1]) <= 13);
        BoundarySearch.FamilyResult r = searchFull("pooling", truth);
        for (BoundarySearch.Result x : r.searches()) {
            assertFalse(x.nonMonotonic(), x.search().name() + " " + x.why());
        }
        assertInferredIsTrue(r, truth);
    }

    @Test
    void axisIndicesAreNotSearched() {
        var family = Catalog.standard().family("softmaxND");
        assertTrue(family.axis("axis").nominal());
        SearchPlan plan = SearchPlan.of(family, Profile.FULL, universe(Profile.FULL, "softmaxND"));
        assertTrue(plan.unordered().contains("axis"));
        assertTrue(plan.searches().stream().noneMatch(x -> x.name().contains("axis")));
    }

    @Test
    void thePartialOrderComparesComponentByComponent() {
        assertTrue(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.PAIR, "1x13", "13x13"));
        assertFalse(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.PAIR, "1x14", "13x13"));
        assertFalse(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.PAIR, "13x13", "1x14"));
        assertTrue(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.DECIMAL_PAIR, "1.5", "2x1.5"));
        assertTrue(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.SHAPE, "1x8x4x16384", "1x8x4x16448"));
        assertFalse(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.SHAPE, "1x8x4x16385", "1x8x16448x4"));
        assertFalse(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.SHAPE, "4x8x8", "1x4x8x8"));
        assertTrue(ValueOrder.atMost(dev.aneprobe.probes.sweep.AxisKind.INT, "-2", "3"));
    }

    @Test
    void checksGrowWithTheLengthOfARun() {
        assertEquals(List.of(0, 1, 1, 1, 1, 1, 2, 2, 2, 4), List.of(0, 1, 2, 3, 4, 7, 8, 15, 16, 500).stream()
                .map(BoundarySearch::checks).toList());
    }
}
