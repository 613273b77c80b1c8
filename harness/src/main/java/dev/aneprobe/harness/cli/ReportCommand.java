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
            "The files are written to a temporary directory that then replaces --out."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunsOptions options = new RunsOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: results/tables).")
    Path out = Path.of("results", "tables");

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClaimSet claims = options.claimSet();
        List<RunDir> runs = options.discover(err);
        Provenance.refusePublishing(runs, out);
        Report r = ReportGenerator.generate(runs, claims, out, RunsOptions.warnings(err));
        Map<ClaimStatus, Integer> tally = new TreeMap<>();
        for (ClaimResult cr : r.claimResults()) {
            tally.merge(cr.status(), 1, Integer::sum);
        }
        StringBuilder files = new StringBuilder();
        for (ReportFormat f : ReportFormats.all()) {
            files.append(files.length() > 0 ? ", " : "").append(f.fileName());
        }
        stdout.println("wrote " + out + ": " + files);
        stdout.println((r.empty() ? "no runs (nothing measured yet)" : runs.size() + " runs, "
                + r.columns().size() + " chip/OS, " + r.rowCount() + " probe rows") + "; claims: " + tally);
        stdout.flush();
        return ExitCodes.OK;
    }
}
