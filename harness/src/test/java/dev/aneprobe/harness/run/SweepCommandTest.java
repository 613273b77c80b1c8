package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.harness.testutil.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep end to end: CLI in this JVM, real worker JVMs, the C test double underneath. */
class SweepCommandTest {
    @TempDir
    Path dir;

    static final String[] ANE_PROBE = {"plan=probe|pooling|ane|cpu,gpu,ane|nan", "latency.cpu=100000",
        "latency.gpu=60000", "latency.ane=30000", "latency.all=30000"};
    static final String[] CPU_PROBE = {"plan=probe|pooling|cpu|cpu|nan", "latency.cpu=100000",
        "latency.gpu=100000", "latency.ane=100000", "latency.all=100000"};

    private Cli.Run sweep(Path probes, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "--probes", probes.toString(),
                "--out", dir.resolve("results").toString(), "--cache", dir.resolve("cache").toString(),
                "--log", "off", "--warmup", "1", "--iterations", "12"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private Path runDir(String id) {
        return dir.resolve("results").resolve("raw").resolve(id);
    }

    @Test
    void sweepsEveryProbeUnderEverySettingInOrderWithVerdicts() throws Exception {
        Path probes = new Probes()
                .add("pooling/ane", ANE_PROBE)
                .add("pooling/cpu", CPU_PROBE)
                .add("pooling/refused", "fault.ane=error@load", "fault.all=error@load",
                        "error=com.apple.CoreML|0|Failed to load model: ANECCompile() FAILED")
                .add("upsample/crash", "fault.ane=abort@predict")
                .add("pooling/after", ANE_PROBE)
                .write(dir.resolve("probes"));
        Cli.Run r = sweep(probes, "--run-id", "r1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("recorded 20 lines"), r.out());
        assertTrue(r.out().contains("worker restarts: 1"), r.out());
        assertTrue(r.err().contains("[20/20]"), r.err());

        List<Observation> obs = Cli.observations(runDir("r1"));
        assertEquals(20, obs.size());
        for (int p = 0; p < 5; p++) {
            assertEquals(List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE, ComputeUnits.ALL),
                    obs.subList(p * 4, p * 4 + 4).stream().map(Observation::units).toList());
        }
        for (Observation o : obs) {
            assertEquals(o.units().allowsNeuralEngine(), o.verdict() != null, o.toString());
            assertEquals("r1", o.runId());
            assertEquals(List.of(Stage.COMPILE, Stage.LOAD, Stage.PLAN, Stage.PREDICT),
                    o.stages().stream().map(StageOutcome::stage).toList());
        }
        assertEquals(VerdictKind.ANE, obs.get(2).verdict().kind());
        assertEquals(List.of("plan", "dispatch"), obs.get(2).verdict().agreed());
        assertEquals(VerdictKind.ANE, obs.get(3).verdict().kind());
        assertEquals(VerdictKind.NOT_ANE, obs.get(6).verdict().kind());
        assertEquals(VerdictKind.REJECTED, obs.get(10).verdict().kind());
        assertTrue(obs.get(10).verdict().note().contains("ANECCompile() FAILED"));

        Observation crash = obs.get(14);
        assertEquals(VerdictKind.CRASHED, crash.verdict().kind());
        assertEquals(6, crash.failure().signal());
        assertTrue(crash.failure().stderrTail().stream().anyMatch(l -> l.contains("aborting in predict")));
        assertEquals(StageOutcome.Status.OK, crash.stages().get(1).status());
        assertEquals(StageOutcome.Status.FAILED, crash.stages().get(3).status());
        assertEquals("probe", crash.plan().get(0).name(), "the plan read before the crash is kept");
        assertNotNull(obs.get(15).timing(), "the sweep went on after the crash");
        assertEquals(VerdictKind.ANE, obs.get(18).verdict().kind(), "later probes still succeed");

        Observation cpu = obs.get(0);
        assertEquals(12, cpu.timing().samplesNs().size());
        assertEquals(12, cpu.timing().summary().n());
        assertEquals(100000 * 20 + 12345, cpu.timing().coldNs());
        assertEquals(12.5, cpu.timing().compileMs());
        assertNull(obs.get(1).timing().compileMs(), "one compile per probe, then the cache");

        EnvRecord env = Json.mapper().readValue(runDir("r1").resolve("env.json").toFile(), EnvRecord.class);
        assertEquals("r1", env.runId());
        assertEquals("Test Double D1", env.host().chip());
        assertTrue(env.arguments().contains("--run-id"));
        assertNull(env.shard());
        assertEquals(List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE, ComputeUnits.ALL), env.units());
        assertEquals(dev.aneprobe.probes.generate.CatalogHash.current(), env.catalogHash());
        assertTrue(env.arguments().stream().noneMatch(a -> a.contains(dir.toString())), env.arguments().toString());
    }

    @Test
    void aHangingProbeTimesOutAndTheSweepGoesOn() throws Exception {
        Path probes = new Probes()
                .add("pooling/hang", "fault.ane=hang@predict")
                .add("pooling/next", ANE_PROBE)
                .write(dir.resolve("probes"));
        Cli.Run r = sweep(probes, "--run-id", "h", "--units", "cpu,ane", "--timeout", "2");
        assertEquals(0, r.exit(), r.err());
        List<Observation> obs = Cli.observations(runDir("h"));
        assertEquals(4, obs.size());
        assertEquals(VerdictKind.TIMEOUT, obs.get(1).verdict().kind());
        assertEquals(2.0, obs.get(1).failure().timeoutSeconds());
        assertEquals(VerdictKind.ANE, obs.get(3).verdict().kind());
    }

    @Test
    void resumeSkipsRecordedLinesAndRepairsATornLine() throws Exception {
        // Ids as the generator writes them (family/params): a resume checks recorded lines as every reader does.
        Path probes = new Probes().add("pooling/k=a", ANE_PROBE).add("pooling/k=b", CPU_PROBE)
                .add("pooling/k=c", ANE_PROBE).write(dir.resolve("probes"));
        assertEquals(0, sweep(probes, "--run-id", "r", "--units", "cpu,ane").exit());
        Path journal = runDir("r").resolve("observations.jsonl");
        List<String> lines = Files.readAllLines(journal);
        assertEquals(6, lines.size());
        // Keep three complete lines and half of the fourth, as a kill mid-write would.
        String torn = lines.get(3).substring(0, lines.get(3).length() / 2);
        Files.writeString(journal, String.join("\n", lines.subList(0, 3)) + "\n" + torn);

        Cli.Run again = sweep(probes, "--run-id", "r", "--units", "cpu,ane");
        assertEquals(2, again.exit(), "without --resume an existing run is refused");
        assertTrue(again.err().contains("already exists"), again.err());

        Cli.Run resumed = sweep(probes, "--resume", "--units", "cpu,ane");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("3 lines already recorded"), resumed.err());
        assertTrue(resumed.err().contains("removed a torn last line"), resumed.err());
        assertTrue(!resumed.err().contains("warning"), resumed.err());
        List<Observation> obs = Cli.observations(runDir("r"));
        assertEquals(6, obs.size());
        assertEquals(6, obs.stream().map(o -> o.probeId() + "/" + o.units()).collect(Collectors.toSet()).size());
        assertEquals(lines.subList(0, 3), Files.readAllLines(journal).subList(0, 3), "recorded lines never change");
        // b's ane line was judged against b's cpu line recorded by the first session.
        assertEquals(VerdictKind.NOT_ANE, obs.get(3).verdict().kind());
        assertEquals(List.of("plan", "dispatch"), obs.get(3).verdict().agreed());

        Cli.Run nothing = sweep(probes, "--resume", "--run-id", "r", "--units", "cpu,ane");
        assertTrue(nothing.out().contains("recorded 0 lines"), nothing.out());
        assertEquals(6, Cli.observations(runDir("r")).size());

        // A damaged complete line: one warning line, the line kept, nothing else lost or repeated.
        List<String> recorded = Files.readAllLines(journal);
        List<String> damaged = new java.util.ArrayList<>(recorded);
        damaged.add(1, "{\"schema\": 1, garbage}");
        Files.write(journal, damaged);
        Cli.Run warned = sweep(probes, "--resume", "--run-id", "r", "--units", "cpu,ane", "--quiet");
        assertEquals(0, warned.exit(), warned.err());
        String warning = warned.err().strip();
        assertEquals(1, warning.lines().count(), warning);
        assertTrue(warning.startsWith("aneprobe: warning: " + journal + ":2: skipped a damaged line (not JSON"),
                warning);
        assertTrue(warning.endsWith("it stays in the file, and its probe and setting are measured again"), warning);
        assertTrue(warned.out().contains("recorded 0 lines"), warned.out());
        assertEquals(damaged, Files.readAllLines(journal));
    }

    @Test
    void shardsSplitTheProbesDisjointlyAndCompletely() throws Exception {
        Probes p = new Probes();
        for (int i = 0; i < 12; i++) {
            p.add("pooling/k" + i, ANE_PROBE);
        }
        Path probes = p.write(dir.resolve("probes"));
        java.util.Set<String> seen = new java.util.HashSet<>();
        int total = 0;
        for (int i = 1; i <= 3; i++) {
            Cli.Run r = sweep(probes, "--shard", i + "/3", "--units", "cpu", "--run-id", "s" + i);
            assertEquals(0, r.exit(), r.err());
            List<Observation> obs = Cli.observations(runDir("s" + i));
            for (Observation o : obs) {
                assertEquals(i, Shard.of(o.probeId(), 3));
                seen.add(o.probeId());
            }
            total += obs.size();
            assertEquals(i + "/3", Json.mapper().readValue(runDir("s" + i).resolve("env.json").toFile(),
                    EnvRecord.class).shard());
        }
        assertEquals(12, total);
        assertEquals(12, seen.size());
        Cli.Run wrong = sweep(probes, "--shard", "2/3", "--units", "cpu", "--run-id", "s1", "--resume");
        assertEquals(2, wrong.exit());
        assertTrue(wrong.err().contains("resume it with the same --shard"), wrong.err());
    }

    @Test
    void familyFilterAndInputErrors() throws Exception {
        Path probes = new Probes().add("pooling/a", ANE_PROBE).add("upsample/b", ANE_PROBE)
                .write(dir.resolve("probes"));
        Cli.Run r = sweep(probes, "--family", "upsample", "--units", "cpu", "--run-id", "f");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("upsample/b"), Cli.observations(runDir("f")).stream().map(Observation::probeId).toList());

        Cli.Run unknown = sweep(probes, "--family", "lstm");
        assertEquals(2, unknown.exit());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("no probes of family 'lstm'"));

        assertEquals(2, sweep(probes, "--shard", "4/3").exit());
        assertEquals(2, sweep(probes, "--units", "npu").exit());
        // Without --probes the sweep generates its own (the quick profile by default) under <out>/probes.
        Path results = dir.resolve("results");
        Cli.Run generated = Cli.run("sweep", "--out", results.toString(), "--family", "upsample", "--units", "cpu",
                "--run-id", "gen", "--quiet");
        assertEquals(0, generated.exit(), generated.err());
        assertTrue(Files.exists(results.resolve("probes/quick/manifest.jsonl")));
        List<Observation> genObs = Cli.observations(results.resolve("raw/gen"));
        assertEquals(2, genObs.size());
        assertTrue(genObs.stream().allMatch(o -> o.probeId().startsWith("upsample/")), genObs.toString());
        Cli.Run badFamily = Cli.run("sweep", "--out", results.toString(), "--family", "lstm");
        assertEquals(2, badFamily.exit());
        assertEquals("aneprobe: unknown family 'lstm' (see 'aneprobe list')", badFamily.err().strip());
        Cli.Run empty = Cli.run("sweep", "--probes", dir.toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().contains("has no manifest.jsonl"));
    }

    @Test
    void devicesShowsTheHost() {
        Cli.Run r = Cli.run("devices");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chip:            Test Double D1"), r.out());
        assertTrue(r.out().contains("neural engine:   yes, 16 cores"), r.out());
        assertTrue(r.out().contains("compute devices: cpu, gpu, ane"), r.out());
        Cli.Run json = Cli.run("devices", "--json");
        assertTrue(json.out().contains("\"machineModel\" : \"Double1,1\""), json.out());
    }
}
