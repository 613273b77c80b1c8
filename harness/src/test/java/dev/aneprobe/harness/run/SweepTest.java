package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.harness.testutil.Probes;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sweep API with an injected log and worker environment. */
class SweepTest {
    @TempDir
    Path dir;

    private Sweep.Plan plan(Path probes, String runId) {
        return new Sweep.Plan(dir.resolve("results"), runId, false, ManifestReader.read(probes), Shard.ALL,
                List.of(ComputeUnits.ALL, ComputeUnits.ANE, ComputeUnits.CPU), 1, 12, Duration.ofSeconds(60),
                dir.resolve("cache"), "quick", List.of("sweep"));
    }

    @Test
    void reasonLinesFromTheLogReachTheVerdict() throws Exception {
        Path probes = new Probes().add("pooling/wide", "plan=probe|pooling|ane|cpu,gpu,ane|nan")
                .write(dir.resolve("probes"));
        List<List<LogSource.Window>> asked = new ArrayList<>();
        LogSource log = windows -> {
            asked.add(windows);
            List<List<String>> per = new ArrayList<>();
            for (int i = 0; i < windows.size(); i++) {
                // the cpu window is first; the ane compiler complains in the ane and all windows
                per.add(i == 0 ? List.of() : List.of("E ANECompilerService [com.apple.ane:compiler] "
                        + "(dilated)kernel width = 28 > 13"));
            }
            return new LogSource.Capture(per, null);
        };
        Sweep.Result r = new Sweep(WorkerProcess.Launch.defaults(dir.resolve("err")), log, Clock.systemUTC(), h -> {
        }).run(plan(probes, "log"), new Sweep.Listener() {
        });
        assertEquals(3, r.recorded());
        assertEquals(1, asked.size(), "one log read per probe");
        assertEquals(3, asked.get(0).size());
        List<Observation> obs = Cli.observations(r.runDir());
        assertEquals(List.of(ComputeUnits.CPU, ComputeUnits.ANE, ComputeUnits.ALL),
                obs.stream().map(Observation::units).toList());
        Observation ane = obs.get(1);
        // The plan says ANE and the latency (the double's default 100 us everywhere) says CPU; the log decides.
        assertEquals(VerdictKind.NOT_ANE, ane.verdict().kind());
        assertEquals(List.of("dispatch", "reason"), ane.verdict().agreed());
        assertEquals(1, ane.log().size());
        SignalReading plan = ane.verdict().signals().get(0);
        assertEquals(VerdictKind.ANE, plan.says());
        assertTrue(ane.verdict().note().contains("kernel width = 28 > 13"), ane.verdict().note());
        assertEquals(Map.of(VerdictKind.NOT_ANE, 2), r.verdicts());
    }

    /** The manifest's layer type reaches the verdict: an op without outputs (empty plan name) is found by kind. */
    @Test
    void theManifestLayerTypePicksAnOpWithoutOutputsByKind() {
        HostInfo host = new HostInfo("Apple M1", "MacBookPro17,1", "macOS", "15.0", "24A335", true, 16,
                List.of("cpu", "gpu", "ane"));
        EnvRecord env = new EnvRecord(EnvRecord.SCHEMA, "run", "2025-01-01T00:00:00Z", host, "test", null, "jvm",
                "quick", List.of(), null);
        ManifestEntry entry = new ManifestEntry("mil.write_state/dtype=fp16", "mil.write_state", "write_state",
                Map.of("dtype", "fp16"), 9, "mlpackage", "mil.write_state/dtype-fp16.mlpackage", List.of(), List.of(),
                null);
        ProbeModel probe = new ProbeModel(entry, dir.resolve("m.mlpackage"), "0".repeat(64));
        List<PlanEntry> plan = List.of(new PlanEntry("c_v", "const", null, List.of(), null),
                new PlanEntry("aux_s", "read_state", Device.ANE, List.of(Device.CPU, Device.ANE), 0.4),
                new PlanEntry("", "write_state", Device.CPU, List.of(Device.CPU), 0.6));
        List<WorkerMessage> messages = List.of(
                WorkerMessage.stage(new StageOutcome(Stage.COMPILE, StageOutcome.Status.OK, 1.0, null)),
                WorkerMessage.stage(new StageOutcome(Stage.LOAD, StageOutcome.Status.OK, 1.0, null)),
                WorkerMessage.stage(new StageOutcome(Stage.PLAN, StageOutcome.Status.OK, 1.0, null)).withPlan(plan),
                WorkerMessage.stage(new StageOutcome(Stage.PREDICT, StageOutcome.Status.OK, 1.0, null))
                        .withSamples(120_000, List.of(100_000L, 101_000L, 99_000L)));
        Sweep.LineRun run = new Sweep.LineRun(ComputeUnits.ANE, Instant.parse("2025-01-01T00:00:01Z"),
                new WorkerProcess.Completed(messages));

        Observation o = Sweep.observation(env, probe, run, null, "log off", true, Map.of(), null);
        assertEquals("write_state", o.layerType());
        SignalReading planReading = o.verdict().signals().get(0);
        assertEquals(VerdictKind.NOT_ANE, planReading.says());
        assertTrue(planReading.detail().startsWith("no entry named 'probe' or 'y' with a device; "
                + "entries of kind 'write_state': (unnamed) (write_state) preferred=cpu"), planReading.detail());
        assertEquals(VerdictKind.NOT_ANE, o.verdict().kind());
        assertEquals(List.of(Device.CPU), o.verdict().ranOn());
    }

    @Test
    void aHostWithoutNeuralEngineRecordsNoAneNeverNotAne() throws Exception {
        Path probes = new Probes().add("pooling/a", "plan=probe|pooling|ane|cpu,gpu,ane|nan")
                .add("pooling/b", "plan=probe|pooling|cpu|cpu|nan").write(dir.resolve("probes"));
        WorkerProcess.Launch launch = WorkerProcess.Launch.defaults(dir.resolve("err"))
                .withEnvironment(Map.of("ANEPROBE_DOUBLE_NO_ANE", "1"));
        Sweep.Result r = new Sweep(launch, LogSource.OFF, Clock.systemUTC(), h -> {
        }).run(plan(probes, "vm"), new Sweep.Listener() {
        });
        List<Observation> obs = Cli.observations(r.runDir());
        assertEquals(6, obs.size());
        for (Observation o : obs) {
            if (o.verdict() != null) {
                assertEquals(VerdictKind.NO_ANE, o.verdict().kind());
                assertNotEquals(VerdictKind.NOT_ANE, o.verdict().kind());
            }
        }
        assertEquals(Map.of(VerdictKind.NO_ANE, 4), r.verdicts());
    }
}
