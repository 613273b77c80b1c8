package dev.aneprobe.harness.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.search.BoundarySearch;
import dev.aneprobe.harness.search.Outcome;
import dev.aneprobe.harness.search.SearchPlan;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "done when" on the full profile, with the simulated Core ML's own decisions made in this process (the
 * CLI runs the same searches through worker processes; see docs/sweep.md for its output): contrarian plants pooling
 * kernel <= 9 and stride <= 3, and upsample scales 1, 2 and 4 only (non-monotonic).
 */
class SimulatedSearchTest {
    @TempDir
    Path dir;

    static final Outcome ANE = new Outcome(VerdictKind.ANE, List.of(Device.ANE));
    static final Outcome CPU = new Outcome(VerdictKind.NOT_ANE, List.of(Device.CPU));

    private BoundarySearch.FamilyResult search(String family) {
        List<ProbeSpec> universe = new ProbeGenerator(Catalog.standard()).plan(new GenerationRequest(Profile.FULL,
                List.of(family), List.of(), dir, false));
        SimulatedOracle oracle = new SimulatedOracle(DeviceModel.shipped("contrarian"), dir, 0, 10);
        return new BoundarySearch((spec, step) -> oracle.outcome(spec, ComputeUnits.ANE))
                .run(SearchPlan.of(Catalog.standard().family(family), Profile.FULL, universe));
    }

    private static BoundarySearch.Result named(BoundarySearch.FamilyResult r, String name) {
        return r.searches().stream().filter(s -> s.search().name().equals(name) && s.search().context().isEmpty())
                .findFirst().orElseThrow();
    }

    @Test
    void contrarianPoolingKernelNineAndStrideThree() {
        BoundarySearch.FamilyResult r = search("pooling");
        assertEquals(List.of(new BoundarySearch.Boundary("9x9", ANE, "10x10", CPU)),
                named(r, "kernel").findings().get(0).boundaries());
        assertEquals(List.of(new BoundarySearch.Boundary("3x3", ANE, "4x4", CPU)),
                named(r, "stride").findings().get(0).boundaries());
        r.searches().forEach(s -> assertFalse(s.nonMonotonic(), s.search().name()));
    }

    @Test
    void contrarianUpsampleScaleIsFlaggedNonMonotonic() {
        BoundarySearch.Result scale = named(search("upsample"), "scale");
        assertTrue(scale.nonMonotonic());
        assertTrue(scale.findings().get(0).boundaries().contains(
                new BoundarySearch.Boundary("3x3", CPU, "1x4", ANE)), scale.findings().toString());
    }
}
