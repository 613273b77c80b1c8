package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.results.read.RunLoader;
import dev.aneprobe.harness.results.read.Warnings;
import dev.aneprobe.harness.simulate.Provenance;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that reads raw runs shares: which runs, which claims. */
public final class RunsOptions {
    static final Path DEFAULT_RUNS = Path.of("results", "raw");
    static final Path DEFAULT_CLAIMS = Path.of("results", "claims", "claims.json");

    @Option(names = "--runs", paramLabel = "DIR", arity = "1..*",
            description = "Run directories, or directories holding them (default: results/raw).")
    List<Path> runs;

    @Option(names = "--claims", paramLabel = "FILE",
            description = "The claims file (default: results/claims/claims.json if present, else the copy "
                    + "built into aneprobe).")
    Path claims;

    /** The runs named (or the default results/raw, which may be empty); warnings go to {@code err}. */
    List<RunDir> discover(PrintWriter err) {
        boolean defaults = runs == null || runs.isEmpty();
        List<RunDir> found;
        try {
            found = RunLoader.discover(defaults ? List.of(DEFAULT_RUNS) : runs, defaults, warnings(err));
        } catch (RunLoader.NoRunsException e) {
            throw new UserInputException(e.getMessage());
        }
        // Simulated runs are calibration: never merged with measurements.
        Provenance.refuseMixing(found);
        return found;
    }

    ClaimSet claimSet() {
        Path file = claims != null ? claims : Files.exists(DEFAULT_CLAIMS) ? DEFAULT_CLAIMS : null;
        if (file == null) {
            return ClaimSet.bundled();
        }
        try {
            return ClaimSet.load(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        } catch (IOException e) {
            throw new UserInputException("cannot read claims file " + file + ": " + e.getMessage());
        }
    }

    static Warnings warnings(PrintWriter err) {
        return w -> {
            err.println("aneprobe: warning: " + w);
            err.flush();
        };
    }
}
