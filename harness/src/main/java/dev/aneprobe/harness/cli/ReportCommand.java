package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ClaimStatus;
import dev.aneprobe.harness.report.Report;
import dev.aneprobe.harness.report.ReportFormat;
import dev.aneprobe.harness.report.ReportFormats;
import dev.aneprobe.harness.report.ReportGenerator;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.simulate.Provenance;
import dev.aneprobe.harness.text.Counted;
import dev.aneprobe.probes.output.OutputPathException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aneprobe report}: regenerates the published tables from the raw runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Regenerates the support table from raw runs only: support-table.md, support.csv, "
                + "support.json and index.html (one self-contained page).",
            "The files are written to a temporary directory that then replaces --out. --out must be absent, empty "
                + "or hold only those files (an earlier report); it may not be, hold or lie inside the runs read."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunsOptions options = new RunsOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/tables of the "
            + "aneprobe checkout around the working directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        out = options.reportOut(out); // the default is in the checkout around the working directory
        ClaimSet claims = options.claimSet(err);
        List<RunDir> runs = options.discover(err);
        Provenance.refusePublishing(runs, out);
        Report r;
        try {
            r = ReportGenerator.generate(runs, claims, out, RunsOptions.warnings(err));
        } catch (OutputPathException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Map<ClaimStatus, Integer> tally = new TreeMap<>();
        for (ClaimResult cr : r.claimResults()) {
            tally.merge(cr.status(), 1, Integer::sum);
        }
        StringBuilder files = new StringBuilder();
        for (ReportFormat f : ReportFormats.all()) {
            files.append(files.length() > 0 ? ", " : "").append(f.fileName());
        }
        stdout.println("wrote " + out + ": " + files);
        stdout.println((r.empty() ? "no runs (nothing measured yet)" : Counted.of(runs.size(), "run") + ", "
                + Counted.number(r.columns().size()) + " chip/OS, " + Counted.of(r.rowCount(), "probe row"))
                + "; claims: " + Counted.tally(tally));
        stdout.flush();
        return ExitCodes.OK;
    }
}
