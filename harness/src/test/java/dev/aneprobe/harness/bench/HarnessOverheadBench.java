package dev.aneprobe.harness.bench;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.run.LogSource;
import dev.aneprobe.harness.run.ManifestReader;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.harness.run.Sweep;
import dev.aneprobe.harness.run.WorkerProcess;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import dev.aneprobe.harness.results.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The harness's own cost per probe: a whole {@link Sweep#run} over {@code probes} probes under cpu, gpu, ane and
 * all, against the C test double (whose compile/load/plan/predict take microseconds), with 5 warm-up and 50 timed
 * predictions per line as in a default sweep. Everything real is included: the worker process and its JSON
 * protocol, the compiled-model cache lookup, the journal's fsync per line, timing summaries and the verdict
 * bootstrap. The log is off (that cost is the OS's {@code log show}, reported separately in docs/sweep.md).
 *
 * <p>Per-probe overhead = (score(probes=40) - score(probes=0)) / 40; score(probes=0) is the fixed cost of a run
 * (worker JVM start, host query, env.json). Target: at most 50 ms per probe.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class HarnessOverheadBench {
    @Param({"0", "40"})
    public int probes;

    Path dir;
    Path probesDir;
    WorkerProcess.Launch launch;
    int run;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("aneprobe-overhead");
        probesDir = dir.resolve("probes");
        Files.createDirectories(probesDir.resolve("pooling"));
        List<String> manifest = new ArrayList<>();
        for (int i = 0; i < probes; i++) {
            String rel = "pooling/p" + i + ".mlmodel";
            // Distinct latencies per setting, so the verdict's bootstrap runs as it would on a Mac.
            Files.writeString(probesDir.resolve(rel), "plan=probe|pooling|ane|cpu,gpu,ane|nan\nlatency.cpu=200000\n"
                    + "latency.gpu=120000\nlatency.ane=50000\nlatency.all=50000\n# " + i + "\n");
            manifest.add(Json.mapper().writeValueAsString(new ManifestEntry("pooling/k=" + i, "pooling", "pooling",
                    Map.of("k", String.valueOf(i)), 4, "mlmodel", rel,
                    List.of(new FeatureInfo("x", List.of(1L, 64L, 56L, 56L), "FLOAT32")),
                    List.of(new FeatureInfo("y", List.of(1L, 64L, 28L, 28L), "FLOAT32")), null)));
        }
        Files.write(probesDir.resolve("manifest.jsonl"), manifest);
        WorkerProcess.Launch d = WorkerProcess.Launch.defaults(dir.resolve("errors"));
        launch = new WorkerProcess.Launch(d.javaExecutable(), d.classpath(), BenchSupport.doubleLibrary(),
                d.errorDir(), d.jvmArgs(), d.environment(), d.startupTimeout());
    }

    @Benchmark
    public Sweep.Result sweep() {
        Sweep.Plan plan = new Sweep.Plan(dir.resolve("results"), "bench-" + (run++), false,
                ManifestReader.read(probesDir), Shard.ALL,
                List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE, ComputeUnits.ALL), 5, 50,
                Duration.ofSeconds(60), dir.resolve("cache"), "bench", List.of());
        return new Sweep(launch, LogSource.OFF, Clock.systemUTC(), h -> {
        }).run(plan, new Sweep.Listener() {
        });
    }
}
