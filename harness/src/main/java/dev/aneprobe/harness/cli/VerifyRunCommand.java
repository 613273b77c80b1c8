package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.text.Counted;
import dev.aneprobe.harness.verify.RunVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aneprobe verify-run}: what a maintainer runs on a contributed run before it goes into results/raw. */
@Command(name = "verify-run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks sweep runs for publication: env.json complete and free of machine paths; not test "
                + "data, not simulated; every observation line well typed, with a search step if and only if the run "
                + "is adaptive; no duplicate (probe, units) record; sane timings; every model the one this version "
                + "generates for its probe id (unless the run was made by another catalog version); the shard set "
                + "complete when several shards are given.",
            "Prints a summary per run (probes, verdicts per kind, claims covered), then one line per problem; exit "
                + "code 1 when there is any. See CONTRIBUTING.md."})
public final class VerifyRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", arity = "1..*",
            description = "Run directories (they hold env.json), or directories holding them such as results/raw.")
    List<Path> dirs;

    @Option(names = "--dry-run", description = "Accept simulated runs too (to check a simulated sweep). A run "
            + "accepted this way is never for publication.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> runs = runDirs(dirs);
        RunVerifier.Result r = new RunVerifier(RunVerifier.Options.of(dryRun), new RunsOptions().claimSet(spec.commandLine().getErr()))
                .verify(runs);
        for (RunVerifier.RunSummary s : r.runs()) {
            out.printf("run %s (%s)%n", s.runId(), s.dir());
            out.printf("  machine:  %s%n", s.machine());
            out.printf("  aneprobe: %s%n", s.harness());
            out.printf("  catalog:  %s%n", s.catalog());
            if (s.shard() != null) {
                out.printf("  shard:    %s%n", s.shard());
            }
            if (s.simulated() != null) {
                out.printf("  SIMULATED: %s%n", s.simulated());
            }
            out.printf("  probes:   %s, in %s%s%n", Counted.number(s.probes()), Counted.of(s.lines(), "line"), s.linesPerUnits().isEmpty() ? ""
                    : " (" + counts(s.linesPerUnits().entrySet().stream()
                            .map(e -> Map.entry(e.getKey().label(), e.getValue())).toList()) + ")");
            out.printf("  verdicts: %s%n", s.verdicts().isEmpty() ? "none" : counts(s.verdicts().entrySet().stream()
                    .map(e -> Map.entry(e.getKey().name(), e.getValue())).toList()));
            out.printf("  claims:   %d of %d covered, %d with evidence%s%n", s.claimsCovered().size(),
                    r.claimCount(), s.claimsWithEvidence().size(),
                    s.claimsCovered().isEmpty() ? "" : ": " + s.claimsCovered().stream()
                            .map(c -> s.claimsWithEvidence().contains(c) ? c : c + " (no evidence)")
                            .collect(Collectors.joining(", ")));
        }
        r.notes().forEach(n -> out.println("note: " + n));
        r.problems().forEach(p -> out.println("PROBLEM " + p));
        int simulated = (int) r.runs().stream().filter(s -> s.simulated() != null).count();
        if (!r.ok()) {
            out.printf("FAILED: %d problem(s) in %d run(s)%n", r.problems().size(), r.runs().size());
            out.flush();
            return ExitCodes.FAILED;
        }
        if (simulated > 0) {
            out.printf("DRY RUN OK: %d run(s) pass every check; %d of them simulated: never for publication%n",
                    r.runs().size(), simulated);
        } else {
            out.printf("OK: %d run(s) ready for results/raw%n", r.runs().size());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String counts(List<Map.Entry<String, Integer>> entries) {
        return entries.stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /**
     * The run directories named: a directory holding env.json or observations.jsonl is a run; any other directory
     * stands for its subdirectories (results/raw). A path that is not a directory, or a directory with neither, is a
     * bad request.
     */
    static List<Path> runDirs(List<Path> named) {
        List<Path> out = new ArrayList<>();
        for (Path p : named) {
            if (!Files.exists(p)) {
                throw new UserInputException(p + " does not exist");
            }
            if (!Files.isDirectory(p)) {
                throw new UserInputException(p + " is not a directory (give run directories, which hold "
                        + RunDir.ENV + ")");
            }
            if (Files.exists(p.resolve(RunDir.ENV)) || Files.exists(p.resolve(RunDir.OBSERVATIONS))) {
                out.add(p);
                continue;
            }
            List<Path> children;
            try {
                children = RunDir.candidates(p);
            } catch (IOException e) {
                throw new UserInputException("cannot list " + p + ": " + e.getMessage());
            }
            if (children.isEmpty()) {
                throw new UserInputException(p + " holds no run (a run directory holds " + RunDir.ENV + " and "
                        + RunDir.OBSERVATIONS + ")");
            }
            out.addAll(children);
        }
        return out;
    }
}
