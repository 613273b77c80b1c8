package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.CoreMlError;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrivatePathsTest {
    private final PrivatePaths paths = new PrivatePaths("/Users/alice/");

    @Test
    void theHomeDirectoryBecomesATildeAndOtherMacHomesLoseTheirName() {
        assertEquals("cannot open ~/.cache/aneprobe/compiled/x.mlmodelc",
                paths.scrub("cannot open /Users/alice/.cache/aneprobe/compiled/x.mlmodelc"));
        assertEquals("~", paths.scrub("/Users/alice"));
        assertEquals("file:///Users/<user>/m and /Users/<user>", paths.scrub("file:///Users/bob/m and /Users/alice2"));
        assertEquals("/Users/<user>/x", paths.scrub("/Users/<user>/x"));
        assertEquals("no path here", paths.scrub("no path here"));
        assertEquals("/home/carol/x", new PrivatePaths("/").scrub("/home/carol/x"));
        assertEquals("~/x at /home/carolyn", new PrivatePaths("/home/carol").scrub("/home/carol/x at /home/carolyn"));
    }

    @Test
    void everyTextOfAnObservationIsScrubbed() {
        Observation o = new Observation(Observation.SCHEMA, "r", "pooling/k=3", "pooling", "pooling",
                Map.of("k", "3"), "0".repeat(64), ComputeUnits.ANE, "2025-01-01T00:00:00Z",
                List.of(new StageOutcome(Stage.LOAD, StageOutcome.Status.FAILED, 1.0,
                        new CoreMlError("com.apple.CoreML", 0, "Error opening /Users/alice/.cache/m"))),
                List.of(), null, List.of("espresso: /Users/alice/.cache/m"),
                new WorkerFailure(VerdictKind.CRASHED, 6, null, null, List.of("# /Users/alice/hs_err_pid1.log")), null);
        Observation s = paths.scrub(o);
        assertEquals("Error opening ~/.cache/m", s.stages().get(0).error().description());
        assertEquals(List.of("espresso: ~/.cache/m"), s.log());
        assertEquals(List.of("# ~/hs_err_pid1.log"), s.failure().stderrTail());
        assertEquals(o.probeId(), s.probeId());
        Observation clean = new Observation(Observation.SCHEMA, "r", "pooling/k=3", "pooling", "pooling",
                Map.of("k", "3"), "0".repeat(64), ComputeUnits.CPU, "2025-01-01T00:00:00Z", List.of(), List.of(), null,
                List.of(), null, null);
        assertSame(clean, paths.scrub(clean));
    }
}
