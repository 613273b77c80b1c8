package dev.aneprobe.harness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The aneprobe checkout around a directory: the nearest directory at or above it that holds the parent
 * {@code pom.xml} (artifactId {@value #PARENT_ARTIFACT}) and {@code results/claims/claims.json}. The defaults of
 * {@code claims} and {@code report} ({@code results/raw}, {@code results/claims/claims.json},
 * {@code results/tables}) are paths in it, so the commands work from any folder of the checkout.
 */
final class Checkout {
    static final String PARENT_ARTIFACT = "aneprobe-parent";
    static final Path CLAIMS = Path.of("results", "claims", "claims.json");
    /** Enough of pom.xml to reach the parent's own artifactId, which comes before its modules. */
    private static final int POM_HEAD = 16 * 1024;

    private Checkout() {
    }

    /** The process's working directory, absolute. */
    static Path workingDirectory() {
        return Path.of("").toAbsolutePath();
    }

    /** The checkout at or above {@code dir}, or empty when {@code dir} is not inside one. */
    static Optional<Path> around(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (isRoot(d)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    static boolean isRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        if (!Files.isRegularFile(dir.resolve(CLAIMS)) || !Files.isRegularFile(pom)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(pom)) {
            String head = new String(in.readNBytes(POM_HEAD), StandardCharsets.UTF_8);
            return head.contains("<artifactId>" + PARENT_ARTIFACT + "</artifactId>");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A path as it is best shown and used: relative to the working directory {@code cwd} when it lies inside it
     * ({@code results/raw} from the checkout's root), else absolute.
     */
    static Path shown(Path path, Path cwd) {
        Path abs = path.toAbsolutePath().normalize();
        Path base = cwd.toAbsolutePath().normalize();
        return abs.startsWith(base) && !abs.equals(base) ? base.relativize(abs) : abs;
    }
}
