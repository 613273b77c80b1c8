package dev.aneprobe.harness.run;

import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code <out>/raw/<run-id>/}: the env record (written atomically) and the observation journal. */
public final class RunDirectory {
    public static final String ENV = "env.json";

    private RunDirectory() {
    }

    public static Path of(Path out, String runId) {
        if (runId.isBlank() || runId.contains("/") || runId.contains("\\") || runId.startsWith(".")) {
            throw new UserInputException("run id '" + runId + "' must be a plain directory name");
        }
        return out.resolve("raw").resolve(runId);
    }

    /** Writes env.json through a temporary file and an atomic rename, so a reader never sees half of it. */
    public static void writeEnv(Path runDir, EnvRecord env) {
        try {
            Files.createDirectories(runDir);
            Path tmp = runDir.resolve(ENV + ".tmp");
            byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(env);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            try {
                Files.move(tmp, runDir.resolve(ENV), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, runDir.resolve(ENV), StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + runDir.resolve(ENV) + ": " + e.getMessage(), e);
        }
    }

    private static void syncDirectory(Path dir) {
        // Makes the rename durable where the platform allows opening a directory (Linux, macOS); elsewhere a no-op.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort
        }
    }

    public static Optional<EnvRecord> readEnv(Path runDir) {
        Path p = runDir.resolve(ENV);
        if (!Files.isRegularFile(p)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(p.toFile(), EnvRecord.class));
        } catch (IOException e) {
            throw new UserInputException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The run with the latest start time under {@code <out>/raw}, if any. */
    public static Optional<String> latestRunId(Path out) {
        Path raw = out.resolve("raw");
        if (!Files.isDirectory(raw)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.list(raw)) {
            return s.filter(d -> Files.isRegularFile(d.resolve(ENV)))
                    .map(d -> readEnv(d).orElseThrow())
                    .max(Comparator.comparing(e -> e.startedAt() == null ? "" : e.startedAt()))
                    .map(EnvRecord::runId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
