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
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every command that reads raw runs shares: which runs, which claims; and the defaults of both (and of
 * report's output), which are paths in the aneprobe checkout around the working directory ({@link Checkout}), so
 * {@code claims} and {@code report} work from any folder inside it. Outside a checkout, a default that is needed is
 * an error saying what to pass, except the claims, which then come from the copy built into aneprobe (with a note
 * saying so).
 */
public final class RunsOptions {
    static final Path DEFAULT_RUNS = Path.of("results", "raw");
    static final Path DEFAULT_CLAIMS = Checkout.CLAIMS;
    static final Path DEFAULT_TABLES = Path.of("results", "tables");
    /** The largest claims file read (the real one is about 60 kB). */
    static final long MAX_CLAIMS_BYTES = 16 << 20;

    @Option(names = "--runs", paramLabel = "DIR", arity = "1..*",
            description = "Run directories, or directories holding them (default: results/raw of the aneprobe "
                    + "checkout around the working directory).")
    List<Path> runs;

    @Option(names = "--claims", paramLabel = "FILE",
            description = "The claims file (default: results/claims/claims.json of the checkout around the working "
                    + "directory; outside a checkout, the copy built into aneprobe).")
    Path claims;

    /** Where the defaults are looked for: the process's working directory (tests name another). */
    Path workingDirectory = Checkout.workingDirectory();
    private Optional<Path> checkout;

    /** The checkout around the working directory, if any (looked up once). */
    Optional<Path> checkout() {
        if (checkout == null) {
            checkout = Checkout.around(workingDirectory);
        }
        return checkout;
    }

    private boolean runsGiven() {
        return runs != null && !runs.isEmpty();
    }

    private String outside() {
        return workingDirectory + " is not inside an aneprobe checkout";
    }

    /** The checkout's results/raw, as shown to the user; an error saying to pass --runs outside a checkout. */
    Path defaultRuns() {
        return checkout().map(c -> Checkout.shown(c.resolve(DEFAULT_RUNS), workingDirectory))
                .orElseThrow(() -> new UserInputException(outside() + ", so there are no default runs ("
                        + DEFAULT_RUNS + "): pass --runs DIR (a run directory, or a directory of runs)"));
    }

    /**
     * Report's output directory: {@code out} when given, else the checkout's results/tables; outside a checkout, an
     * error saying what to pass (--out, and --runs when that is missing too).
     */
    Path reportOut(Path out) {
        if (out != null) {
            return out;
        }
        return checkout().map(c -> Checkout.shown(c.resolve(DEFAULT_TABLES), workingDirectory))
                .orElseThrow(() -> new UserInputException(outside() + ", so there is no default output ("
                        + DEFAULT_TABLES + "): pass --out DIR" + (runsGiven() ? "" : " and --runs DIR")));
    }

    /** The runs named (or the checkout's results/raw, which may be empty); warnings go to {@code err}. */
    List<RunDir> discover(PrintWriter err) {
        boolean defaults = !runsGiven();
        List<RunDir> found;
        try {
            found = RunLoader.discover(defaults ? List.of(defaultRuns()) : runs, defaults, warnings(err));
        } catch (RunLoader.NoRunsException e) {
            throw new UserInputException(e.getMessage());
        }
        // Simulated runs are calibration: never merged with measurements.
        Provenance.refuseMixing(found);
        return found;
    }

    /**
     * The claims: --claims, else the checkout's claims file, else (outside a checkout) the copy built into aneprobe,
     * with a note on {@code err} saying that this is the one used.
     */
    ClaimSet claimSet(PrintWriter err) {
        Path file = claims;
        if (file == null) {
            Optional<Path> c = checkout();
            if (c.isEmpty()) {
                if (!runsGiven()) {
                    defaultRuns(); // the runs are missing too: say that alone, in one line
                }
                err.println("aneprobe: note: " + outside() + ", so the claims are the copy built into aneprobe "
                        + "(--claims FILE for another)");
                err.flush();
                return ClaimSet.bundled();
            }
            file = Checkout.shown(c.get().resolve(DEFAULT_CLAIMS), workingDirectory);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("claims file " + file + (Files.exists(file) ? " is not a regular file"
                    : " does not exist"));
        }
        try {
            if (Files.size(file) > MAX_CLAIMS_BYTES) {
                throw new UserInputException("claims file " + file + " is larger than " + (MAX_CLAIMS_BYTES >> 20)
                        + " MB, so not a claims file");
            }
            return ClaimSet.load(file);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage());
        } catch (IOException e) {
            throw new UserInputException("cannot read claims file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    static Warnings warnings(PrintWriter err) {
        return w -> {
            err.println("aneprobe: warning: " + w);
            err.flush();
        };
    }
}
