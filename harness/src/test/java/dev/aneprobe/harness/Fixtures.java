package dev.aneprobe.harness;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** Paths of the hand-made FIXTURE runs (see src/test/resources/fixtures/README.md). Not measurements. */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path path(String relative) {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/" + relative).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parent of the three fixture runs. */
    public static Path runs() {
        return path("runs");
    }

    /** The repository's claims file, results/claims/claims.json. */
    public static dev.aneprobe.harness.analysis.claims.ClaimSet claims() {
        try {
            return dev.aneprobe.harness.analysis.claims.ClaimSet.load(repo().resolve("results/claims/claims.json"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The repository root (tests run in the harness module directory). */
    public static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        return here.getFileName().toString().equals("harness") ? here.getParent() : here;
    }
}
