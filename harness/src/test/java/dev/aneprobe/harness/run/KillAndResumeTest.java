package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.testutil.ChildJvm;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.harness.testutil.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a real sweep process mid-run, then --resume: nothing lost, nothing duplicated. */
class KillAndResumeTest {
    @TempDir
    Path dir;

    @Test
    void resumeAfterKill9() throws Exception {
        Probes p = new Probes();
        int probes = 16;
        for (int i = 0; i < probes; i++) {
            // A real 20 ms sleep per prediction keeps the sweep busy long enough to be killed mid-run.
            p.add(String.format("pooling/k=%02d", i), "sleep_ms=20", "latency.ane=30000");
        }
        Path probesDir = p.write(dir.resolve("probes"));
        String[] args = {"sweep", "--probes", probesDir.toString(), "--out", dir.resolve("results").toString(),
            "--cache", dir.resolve("cache").toString(), "--log", "off", "--units", "cpu,ane", "--warmup", "0",
            "--iterations", "5", "--run-id", "k", "--quiet"};
        Path journal = dir.resolve("results/raw/k/observations.jsonl");

        Process sweep = ChildJvm.cli(true, dir, args).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lineCount(journal) < 5) {
            assertTrue(sweep.isAlive(), "the sweep ended before it could be killed: "
                    + Files.readString(dir.resolve("first.log")));
            assertTrue(System.nanoTime() < deadline, "no progress within 120 s");
            Thread.sleep(20);
        }
        sweep.destroyForcibly(); // SIGKILL
        assertTrue(sweep.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, sweep.exitValue(), "killed by SIGKILL");
        long before = lineCount(journal);
        assertTrue(before < 2L * probes, "killed mid-run, not after: " + before);

        ChildJvm.Done resumed = ChildJvm.run(ChildJvm.cli(true, dir, withResume(args)));
        assertEquals(0, resumed.exit(), resumed.err());

        List<Observation> obs = Cli.observations(dir.resolve("results/raw/k"));
        assertEquals(2 * probes, obs.size());
        Set<String> keys = new HashSet<>();
        for (Observation o : obs) {
            assertTrue(keys.add(o.probeId() + "/" + o.units().label()), "duplicate " + o.probeId() + " " + o.units());
        }
        for (int i = 0; i < probes; i++) {
            String id = String.format("pooling/k=%02d", i);
            assertTrue(keys.contains(id + "/cpu") && keys.contains(id + "/ane"), "missing " + id);
        }
        // Within each probe the cpu baseline precedes the ane line, across the two sessions too.
        for (int i = 0; i < obs.size(); i++) {
            if (obs.get(i).units() == ComputeUnits.ANE) {
                String id = obs.get(i).probeId();
                assertTrue(obs.subList(0, i).stream().anyMatch(o -> o.probeId().equals(id)
                        && o.units() == ComputeUnits.CPU));
                assertTrue(obs.get(i).verdict() != null);
            }
        }
    }

    private static String[] withResume(String[] args) {
        String[] r = java.util.Arrays.copyOf(args, args.length + 1);
        r[args.length] = "--resume";
        return r;
    }

    private static long lineCount(Path journal) throws java.io.IOException {
        if (!Files.exists(journal)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(journal);
        long n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }
}
