package dev.aneprobe.harness.cli;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.generate.GenerationException;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.GenerationSummary;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code aneprobe generate}: writes probe models and manifest.jsonl. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write single-layer Core ML probe models and manifest.jsonl into a directory.")
public final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", description = "quick, standard or full (default: ${DEFAULT-VALUE})")
    String profile = GenerationRequest.DEFAULT_PROFILE.label();

    @Option(names = "--family", paramLabel = "F", split = ",", description = "only these families (repeatable)")
    List<String> families = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "K", description = "nn (NeuralNetwork layers), mil (ML Program ops) or all "
            + "(default: ${DEFAULT-VALUE})")
    String kind = ProbeKind.ALL.label();

    @Option(names = "--param", paramLabel = "FAMILY.AXIS=VALUES",
            description = "replace the values one axis sweeps, e.g. pooling.kernel=1..20 (the family's baseline "
                    + "probe stays; one --param per axis; a value that yields no probe is an error)")
    List<String> params = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out = Path.of(GenerationRequest.DEFAULT_OUT);

    @Option(names = "--force", description = "replace an earlier generate output in --out (a directory holding "
            + "anything else is never replaced)")
    boolean force;

    @Option(names = "--quiet", description = "print only the summary line")
    boolean quiet;

    @Override
    public Integer call() {
        GenerationRequest request = request(profile, familiesOfKind(kind, families), params, out, force);
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        ProbeGenerator generator = new ProbeGenerator(Catalog.standard());
        GenerationSummary summary;
        try {
            summary = generator.generate(request, quiet ? GenerationListener.NONE
                    : progress(stderr, System.console() != null));
        } catch (GenerationException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        stdout.printf("wrote %s of %s (%s) and manifest.jsonl to %s%n", Counts.of(summary.probes(), "probe", "probes"),
                Counts.of(summary.families(), "family", "families"), Counts.size(summary.bytes()), summary.out());
        return ExitCodes.OK;
    }

    /**
     * Progress on stderr: on a terminal one line redrawn in place every 50 probes; otherwise (a log, a pipe) a new
     * line about every tenth of the way, never a carriage return.
     */
    static GenerationListener progress(PrintWriter err, boolean terminal) {
        return (entry, done, total) -> {
            int every = terminal ? 50 : Math.max(50, (total + 9) / 10);
            if (done % every == 0 || done == total) {
                if (terminal) {
                    err.printf("\rgenerated %d/%d%s", done, total, done == total ? System.lineSeparator() : "");
                } else {
                    err.printf("generated %d/%d%n", done, total);
                }
                err.flush();
            }
        };
    }

    /**
     * The families {@code --kind} and {@code --family} select together: the named ones (all when none are named)
     * restricted to the kind; an unknown kind, or a named family of another kind, is a one-line UserInputException.
     */
    static List<String> familiesOfKind(String kind, List<String> families) {
        try {
            ProbeKind k = ProbeKind.parse(kind);
            return k == ProbeKind.ALL ? families : Catalog.standard().namesOfKind(k, families);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** Parses the shared selection options; bad values become one-line UserInputExceptions. */
    static GenerationRequest request(String profile, List<String> families, List<String> params, Path out,
            boolean force) {
        try {
            List<ParamOverride> overrides = new ArrayList<>();
            for (String p : params) {
                overrides.add(ParamOverride.parse(p));
            }
            return new GenerationRequest(Profile.parse(profile), families, overrides, out, force);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
