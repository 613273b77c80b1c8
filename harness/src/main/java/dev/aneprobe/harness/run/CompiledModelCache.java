package dev.aneprobe.harness.run;

import dev.aneprobe.harness.bridge.Shim;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Compiled models, keyed by the OS build that compiled them and the model's sha256:
 * {@code <root>/<os-build>/<sha256>/model.mlmodelc}. A re-run on the same OS build never recompiles; an OS update
 * (a new Core ML compiler) starts a fresh key. Compiles go to a unique temporary name first and are renamed into
 * place, so concurrent sweeps sharing the cache (shards on one machine) never see a half-written model.
 *
 * <p>The root is, in order: {@code --cache DIR}; the property {@value #PROPERTY}; the environment variable
 * {@value #ENV}; {@code $XDG_CACHE_HOME/aneprobe/compiled}; {@code ~/.cache/aneprobe/compiled}.
 */
public final class CompiledModelCache {
    public static final String PROPERTY = "aneprobe.cache";
    public static final String ENV = "ANEPROBE_CACHE";
    public static final String BUNDLE = "model.mlmodelc";

    private final Path root;

    public CompiledModelCache(Path root) {
        this.root = root;
    }

    public static Path defaultRoot() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        if (p != null && !p.isBlank()) {
            return Path.of(p);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("aneprobe").resolve("compiled");
    }

    /** A compiled model: where it is, and the compile time when it was compiled now (null for a cache hit). */
    public record Entry(Path compiled, Double compileMs) {
    }

    public Path location(String osBuild, String sha256) {
        return root.resolve(safe(osBuild)).resolve(safe(sha256)).resolve(BUNDLE);
    }

    /** The compiled model, compiling it through the shim on a miss. Shim exceptions propagate. */
    public Entry compiled(Shim shim, Path model, String sha256, String osBuild) {
        Path target = location(osBuild, sha256);
        if (Files.isDirectory(target)) {
            return new Entry(target, null);
        }
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime()
                    + ".mlmodelc");
            double ms = shim.compile(model, tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            } catch (IOException e) {
                // Another sweep sharing the cache renamed its copy into place first (EEXIST, ENOTEMPTY or the
                // platform's equivalent): keep theirs.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                deleteTree(tmp);
            }
            return new Entry(target, ms);
        } catch (IOException e) {
            throw new UncheckedIOException("compiled-model cache " + root + ": " + e.getMessage(), e);
        }
    }

    private static String safe(String s) {
        String v = s == null || s.isBlank() ? "unknown" : s;
        return v.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
