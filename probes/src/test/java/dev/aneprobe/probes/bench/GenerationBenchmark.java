package dev.aneprobe.probes.bench;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.GenerationSummary;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Is generation I/O-bound, and is its heap flat? Two benchmarks side by side on the same machine:
 * {@code generateAndValidate} writes a whole profile (build, validate, serialize, hash, write, manifest), and
 * {@code plainWrites} writes files of exactly the same sizes from one buffer with no other work. The ratio of
 * their times is the ratio of their MB/s (the {@code megabytes} counter is the bytes written per operation).
 * Everything runs in a JVM limited to 384 MB of heap. {@code liveHeap} repeats the generation while forcing a
 * collection every 100 probes and reports the largest live heap seen ({@code maxLiveHeapMB}): it is set by the
 * largest models in flight (a bounded window), not by the number of probes, so {@code pooling:quick} and
 * {@code pooling:full} show the same figure.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx384m"})
public class GenerationBenchmark {
    /**
     * What to generate: a profile, or {@code family:profile}. {@code pooling:quick} (5 probes) against
     * {@code pooling:full} (about 900 probes of the same size) is the flatness check: same models, 180 times as many.
     */
    @Param({"full", "pooling:quick", "pooling:full"})
    public String profile;

    private Path root;
    private List<Long> fileSizes;
    private byte[] buffer;
    private int run;

    /** Bytes written and live heap of one operation, in MB (JMH sums them over the measured iterations). */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Memory {
        public double megabytes;
        public double maxLiveHeapMB;
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        root = Files.createTempDirectory("aneprobe-bench");
        Path reference = root.resolve("reference");
        new ProbeGenerator(Catalog.standard()).generate(request(reference), GenerationListener.NONE);
        fileSizes = new ArrayList<>();
        long max = 0;
        try (Stream<Path> s = Files.walk(reference)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                long size = Files.size(p);
                fileSizes.add(size);
                max = Math.max(max, size);
            }
        }
        buffer = new byte[(int) max];
        new Random(1).nextBytes(buffer);
        deleteTree(reference);
    }

    private GenerationRequest request(Path out) {
        int colon = profile.indexOf(':');
        List<String> families = colon < 0 ? List.of() : List.of(profile.substring(0, colon));
        return new GenerationRequest(Profile.parse(profile.substring(colon + 1)), families, List.of(), out, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        deleteTree(root);
    }

    @Benchmark
    public GenerationSummary generateAndValidate(Memory memory) {
        Path out = root.resolve("gen-" + run++);
        GenerationSummary summary = new ProbeGenerator(Catalog.standard()).generate(
                request(out),
                GenerationListener.NONE);
        memory.megabytes = summary.bytes() / 1e6;
        deleteTree(out);
        return summary;
    }

    @Benchmark
    public GenerationSummary liveHeap(Memory memory) {
        Path out = root.resolve("heap-" + run++);
        MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
        long[] maxLive = {0};
        GenerationSummary summary = new ProbeGenerator(Catalog.standard()).generate(
                request(out),
                (entry, done, total) -> {
                    if (done % 100 == 0 || done == total) {
                        System.gc();
                        maxLive[0] = Math.max(maxLive[0], heap.getHeapMemoryUsage().getUsed());
                    }
                });
        memory.megabytes = summary.bytes() / 1e6;
        memory.maxLiveHeapMB = maxLive[0] / 1e6;
        deleteTree(out);
        return summary;
    }

    @Benchmark
    public long plainWrites(Memory memory) throws IOException {
        Path out = Files.createDirectories(root.resolve("plain-" + run++));
        long total = 0;
        int i = 0;
        for (long size : fileSizes) {
            try (OutputStream os = Files.newOutputStream(out.resolve("f" + i++))) {
                os.write(buffer, 0, (int) size);
            }
            total += size;
        }
        memory.megabytes = total / 1e6;
        deleteTree(out);
        return total;
    }

    private static void deleteTree(Path p) {
        if (p == null || !Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
