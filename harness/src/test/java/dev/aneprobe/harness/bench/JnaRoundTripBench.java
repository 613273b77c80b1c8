package dev.aneprobe.harness.bench;

import dev.aneprobe.harness.bridge.Shim;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.PlanEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JNA round trip into the C test double, through {@link Shim} (the path the worker uses). Target: at most 5 µs
 * per call. The double does (almost) nothing, so this is the marshalling cost.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JnaRoundTripBench {
    Shim shim;
    Shim.ComputePlan plan;
    Shim.LoadedModel model;
    Path dir;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        shim = Shim.load(BenchSupport.doubleLibrary());
        dir = Files.createTempDirectory("aneprobe-bench");
        Path m = dir.resolve("m.mlmodel");
        Files.writeString(m, "plan=aux_const|load_constant|none|cpu|nan\nplan=probe|pooling|ane|cpu,gpu,ane|0.5\n");
        Path c = dir.resolve("m.mlmodelc");
        shim.compile(m, c);
        plan = shim.plan(c, ComputeUnits.ANE);
        model = shim.load(c, ComputeUnits.ANE);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        plan.close();
        model.close();
    }

    /** No arguments, int result: the floor of a JNA call. */
    @Benchmark
    public int abiVersion() {
        return shim.abiVersion();
    }

    /** A pointer argument and a long result. */
    @Benchmark
    public long planCount() {
        return plan.count();
    }

    /** Two structures (the entry and the error) read back, plus two C strings. */
    @Benchmark
    public PlanEntry planEntry() {
        return plan.entry(1);
    }

    /** The largest structure (host: ~400 bytes) plus the error structure. */
    @Benchmark
    public Object hostInfo() {
        return shim.host();
    }

    /** One predict call returning 1 cold + 10 samples (the double's own work is a few hundred ns). */
    @Benchmark
    public Object predict10() {
        return model.predict(0, 10);
    }
}
