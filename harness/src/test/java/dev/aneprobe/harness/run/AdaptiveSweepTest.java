package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.search.BoundarySearch;
import dev.aneprobe.harness.search.SearchPlan;
import dev.aneprobe.harness.testutil.ChildJvm;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sweep --adaptive against the simulated Core ML: the real sweep (workers, journal), probes chosen as it goes. */
class AdaptiveSweepTest {
    @TempDir
    Path dir;

    private String[] args(String runId, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("sweep", "--adaptive", "--simulate", "contrarian",
                "--out", dir.resolve("out").toString(), "--units", "cpu,ane", "--warmup", "0", "--iterations", "5",
                "--log", "off", "--run-id", runId, "--quiet"));
        a.addAll(List.of(more));
        return a.toArray(new String[0]);
    }

    @Test
    void chosenProbesAreTheGridsProbesByteForByteAndEveryLineSaysWhy() throws Exception {
        Cli.Run r = Cli.run(args("a", "--profile", "standard", "--family", "pooling"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("pooling kernel [ane]: 9x9 (ANE/ane) | 10x10 (NOT_ANE/cpu)"), r.out());
        assertTrue(r.out().contains("pooling stride [ane]: 3x3 (ANE/ane) | 4x4 (NOT_ANE/cpu)"), r.out());
        assertTrue(r.out().contains("the grid of the same ranges: 640 lines"), r.out());
        assertTrue(r.out().contains("not ordered, swept as the grid sweeps them: type, pad, global"), r.out());

        Path grid = dir.resolve("grid");
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.STANDARD, List.of("pooling"),
                List.of(), grid, true), GenerationListener.NONE);
        Map<String, String> shaById = new HashMap<>();
        ManifestReader.read(grid).forEach(p -> shaById.put(p.id(), p.sha256()));
        List<Observation> lines = Cli.observations(dir.resolve("out/raw/a"));
        assertTrue(lines.size() > 20 && lines.size() < 640 / 4, "adaptive ran " + lines.size() + " lines");
        for (Observation o : lines) {
            assertEquals(shaById.get(o.probeId()), o.modelSha256(), "not the grid's bytes: " + o.probeId());
            assertNotNull(o.search(), "no search step on " + o.probeId());
        }
        assertTrue(lines.stream().anyMatch(o -> o.search().role() == dev.aneprobe.harness.results.SearchStep.Role.BISECT
                && o.search().axis().equals("kernel+stride") && o.search().low().contains("+")));
    }

    @Test
    void resumeAfterKill9ContinuesTheSearchWithoutRepeatingAProbe() throws Exception {
        String[] args = args("k", "--profile", "standard", "--family", "pooling");
        Path journal = dir.resolve("out/raw/k/observations.jsonl");
        Process sweep = ChildJvm.cli(false, dir, args).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lineCount(journal) < 40) {
            assertTrue(sweep.isAlive(), "ended before it could be killed: " + Files.readString(dir.resolve("first.log")));
            assertTrue(System.nanoTime() < deadline, "no progress within 120 s");
            Thread.sleep(10);
        }
        sweep.destroyForcibly(); // SIGKILL
        assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, sweep.exitValue());
        long before = lineCount(journal);

        String[] resume = java.util.Arrays.copyOf(args, args.length + 1);
        resume[args.length] = "--resume";
        ChildJvm.Done resumed = ChildJvm.run(ChildJvm.cli(false, dir, resume));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.out().contains("pooling kernel [ane]: 9x9 (ANE/ane) | 10x10 (NOT_ANE/cpu)"),
                resumed.out());

        List<Observation> lines = Cli.observations(dir.resolve("out/raw/k"));
        assertTrue(before < lines.size(), "killed mid-run, not after: " + before + " of " + lines.size());
        Set<String> keys = new HashSet<>();
        Map<String, Observation> ane = new HashMap<>();
        for (Observation o : lines) {
            assertTrue(keys.add(o.probeId() + "/" + o.units().label()), "ran twice: " + o.probeId() + " " + o.units());
            if (o.units() == ComputeUnits.ANE) {
                ane.put(o.probeId(), o);
            }
        }
        // The journal is exactly one uninterrupted search: replayed against it, the search asks for every recorded
        // probe and for nothing else.
        List<ProbeSpec> universe = new ProbeGenerator(Catalog.standard()).plan(new GenerationRequest(Profile.STANDARD,
                List.of("pooling"), List.of(), dir, false));
        Set<String> asked = new HashSet<>();
        new BoundarySearch((spec, step) -> {
            asked.add(spec.id());
            Observation o = ane.get(spec.id());
            assertNotNull(o, "the search goes on past the run's end at " + spec.id());
            assertEquals(step, o.search(), "recorded with another step: " + spec.id());
            return AdaptiveSweep.outcome(o);
        }).run(SearchPlan.of(Catalog.standard().family("pooling"), Profile.STANDARD, universe));
        assertEquals(ane.keySet(), asked);
        assertEquals(lines.stream().map(Observation::probeId).collect(Collectors.toSet()), asked);
    }

    @Test
    void shardsSplitByFamily() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 1; i <= 2; i++) {
            Cli.Run r = Cli.run(args("s" + i, "--profile", "quick", "--family", "pooling,upsample",
                    "--shard", i + "/2"));
            assertEquals(0, r.exit(), r.err());
            Set<String> families = Cli.observations(dir.resolve("out/raw/s" + i)).stream()
                    .map(Observation::family).collect(Collectors.toSet());
            for (String f : families) {
                assertEquals(i, Shard.of(f, 2), f + " in shard " + i);
                assertTrue(seen.add(f), f + " in two shards");
            }
        }
        assertEquals(Set.of("pooling", "upsample"), seen);
        // verify-run knows an adaptive sweep's shards split by family, and finds the set complete.
        Cli.Run verify = Cli.run("verify-run", "--dry-run", dir.resolve("out/raw/s1").toString(),
                dir.resolve("out/raw/s2").toString());
        assertEquals(0, verify.exit(), verify.out() + verify.err());
    }

    @Test
    void badRequestsAreOneLine() {
        Cli.Run probes = Cli.run(args("b", "--probes", dir.toString()));
        assertEquals(2, probes.exit());
        assertTrue(probes.err().startsWith("aneprobe: --adaptive generates the probes it needs"), probes.err());
        Cli.Run units = Cli.run("sweep", "--adaptive", "--simulate", "contrarian", "--units", "cpu,gpu", "--out",
                dir.resolve("out").toString(), "--family", "pooling");
        assertEquals(2, units.exit());
        assertTrue(units.err().contains("--units must include ane or all"), units.err());
        Cli.Run param = Cli.run("sweep", "--simulate", "contrarian", "--param", "pooling.kernel=3", "--out",
                dir.resolve("out").toString());
        assertEquals(2, param.exit());
        assertTrue(param.err().contains("--param needs --adaptive"), param.err());
        Cli.Run badParam = Cli.run(args("c", "--family", "pooling", "--param", "pooling.kernel=0"));
        assertEquals(2, badParam.exit());
        assertFalse(badParam.err().contains("Exception"), badParam.err());
        assertEquals(1, badParam.err().strip().lines().count(), badParam.err());
    }

    @Test
    void eachKindOfSweepResumesOnlyAsItself() throws Exception {
        Cli.Run adaptive = Cli.run(args("m", "--profile", "quick", "--family", "upsample"));
        assertEquals(0, adaptive.exit(), adaptive.err());
        Path journal = dir.resolve("out/raw/m/observations.jsonl");
        long lines = lineCount(journal);
        Cli.Run asGrid = Cli.run("sweep", "--simulate", "contrarian", "--out", dir.resolve("out").toString(),
                "--units", "cpu,ane", "--warmup", "0", "--iterations", "5", "--log", "off", "--run-id", "m",
                "--resume", "--profile", "quick", "--family", "upsample", "--quiet");
        assertEquals(2, asGrid.exit(), asGrid.err());
        assertEquals("aneprobe: run m is an adaptive sweep: resume it with --adaptive", asGrid.err().strip());
        assertEquals(lines, lineCount(journal), "nothing appended to the adaptive run");
        Cli.Run grid = Cli.run("sweep", "--simulate", "contrarian", "--out", dir.resolve("out").toString(),
                "--units", "cpu,ane", "--warmup", "0", "--iterations", "5", "--log", "off", "--run-id", "g",
                "--profile", "quick", "--family", "upsample", "--quiet");
        assertEquals(0, grid.exit(), grid.err());
        Cli.Run asAdaptive = Cli.run(args("g", "--resume", "--profile", "quick", "--family", "upsample"));
        assertEquals(2, asAdaptive.exit(), asAdaptive.err());
        assertTrue(asAdaptive.err().contains("is a grid sweep: resume it without --adaptive"), asAdaptive.err());
    }

    private static long lineCount(Path journal) throws java.io.IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        long n = 0;
        for (byte x : Files.readAllBytes(journal)) {
            n += x == '\n' ? 1 : 0;
        }
        return n;
    }
}
