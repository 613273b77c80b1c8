package dev.aneprobe.harness.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimEvaluator;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSource;
import dev.aneprobe.harness.analysis.claims.ClaimStatus;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.Region;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.simulate.Provenance;
import dev.aneprobe.harness.text.Counted;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code aneprobe claims}: each claim's verdict per chip/OS, with its evidence. */
@Command(name = "claims", mixinStandardHelpOptions = true,
        description = {"Judges every claim (the seed table's, and those from the field notes) against the raw "
                + "runs: CONFIRMED, REFUTED, PARTIAL (and where it fails) or UNTESTED, per chip/OS, with evidence counts and the deciding probes.",
            "Only ANE, NOT_ANE and SPLIT verdicts are evidence; REJECTED, CRASHED, TIMEOUT, NO_ANE and "
                + "INCONCLUSIVE are counted separately."})
public final class ClaimsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunsOptions options = new RunsOptions();

    @Option(names = "--json", description = "Print the verdicts as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ClaimSet claims = options.claimSet(err);
        List<RunDir> runs = options.discover(err);
        List<String> simulated = Provenance.simulated(runs);
        ResultMatrix m = ResultMatrix.read(runs, RunsOptions.warnings(err), RunListener.NONE);
        List<ClaimResult> results = ClaimEvaluator.evaluate(claims, m);
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            results.forEach(r -> rows.add(toJson(r)));
            Map<String, Object> root = new java.util.LinkedHashMap<>();
            root.put("schema", 1);
            if (!simulated.isEmpty()) {
                // Simulated runs: calibration, never evidence. Every column's chip says SIMULATED too.
                root.put("simulated", simulated);
            }
            root.put("runs", runs.size());
            root.put("columns", m.columns().stream().map(ResultMatrix.Column::chipOs).toList());
            root.put("claims", rows);
            out.println(Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        } else {
            if (!simulated.isEmpty()) {
                out.println("SIMULATED runs (" + String.join(", ", simulated) + "): a simulated Core ML with a planted "
                        + "truth; calibration only, never evidence.");
            }
            text(out, runs, m, results);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void text(PrintWriter out, List<RunDir> runs, ResultMatrix m, List<ClaimResult> results) {
        if (runs.isEmpty()) {
            out.println("Nothing has been measured yet: no runs, so every claim is UNTESTED.");
        } else {
            out.println(Counted.of(runs.size(), "run") + ", " + Counted.number(m.columns().size()) + " chip/OS: "
                    + String.join("; ", m.columns().stream().map(ResultMatrix.Column::chipOs).toList()));
        }
        Map<ClaimStatus, Integer> tally = new TreeMap<>();
        for (ClaimResult r : results) {
            tally.merge(r.status(), 1, Integer::sum);
            Claim c = r.claim();
            out.println();
            out.printf("%-9s %s  [%s%s]%n", r.status(), c.id(), c.sourceLabel(),
                    c.impliedBy() != null ? ", implied" : "");
            out.println("          " + c.text());
            out.println("          predicted: " + c.predicted().words() + "; layers: " + c.describeScope()
                    + "; region: " + (c.region() == Region.EVERYTHING ? "all" : c.region().describe()));
            if (!runs.isEmpty()) {
                out.println("          " + r.summary());
            }
            for (ClaimResult.Column col : r.columns()) {
                out.println("          " + col.chipOs() + ": " + col.status() + " - " + evidenceCounts(col));
                if (col.where() != null) {
                    out.println("              fails where " + col.where());
                }
                if (!col.deciding().isEmpty()) {
                    out.println("              deciding: " + String.join(", ", col.deciding())
                            + (col.more() > 0 ? " (+" + Counted.number(col.more()) + " more)" : ""));
                }
            }
        }
        out.println();
        out.println("claims: " + Counted.tally(tally));
    }

    /**
     * A column's counts in words: "2 probes, 1 agrees, 1 contradicts; evidence: 2 observations (1 SPLIT); not
     * evidence: 1 CRASHED".
     */
    static String evidenceCounts(ClaimResult.Column col) {
        StringBuilder sb = new StringBuilder(Counted.of(col.probes(), "probe")).append(", ")
                .append(Counted.number(col.supporting())).append(Counted.verb(col.supporting(), " agrees", " agree"))
                .append(", ").append(Counted.number(col.contradicting()))
                .append(Counted.verb(col.contradicting(), " contradicts", " contradict"));
        if (col.disputed() > 0) {
            sb.append(", ").append(Counted.number(col.disputed())).append(" disputed");
        }
        sb.append("; evidence: ").append(Counted.of(col.evidence(), "observation"));
        if (col.split() > 0) {
            sb.append(" (").append(Counted.number(col.split())).append(" SPLIT)");
        }
        if (col.noEvidenceTotal() > 0) {
            sb.append("; not evidence: ").append(Counted.tally(new TreeMap<>(col.noEvidence())));
        }
        return sb.toString();
    }

    static Map<String, Object> toJson(ClaimResult r) {
        Claim c = r.claim();
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("id", c.id());
        m.put("claim", c.text());
        m.put("section", c.section());
        List<Map<String, Object>> src = new ArrayList<>();
        for (ClaimSource s : c.sources()) {
            Map<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("document", s.document());
            if (s.version() != null) {
                x.put("version", s.version());
            }
            if (s.item() != null) {
                x.put("item", s.item());
            }
            src.add(x);
        }
        m.put("sources", src);
        if (c.impliedBy() != null) {
            m.put("impliedBy", c.impliedBy());
        }
        m.put("scope", c.describeScope());
        m.put("region", c.region() == Region.EVERYTHING ? null : c.region().describe());
        m.put("predicted", c.predicted().name());
        m.put("status", r.status().name());
        m.put("summary", r.summary());
        List<Map<String, Object>> cols = new ArrayList<>();
        for (ClaimResult.Column col : r.columns()) {
            Map<String, Object> x = col.countsAsMap();
            x.put("noEvidence", new TreeMap<>(col.noEvidence()));
            x.put("where", col.where());
            x.put("deciding", col.deciding());
            x.put("moreDeciding", col.more());
            cols.add(x);
        }
        m.put("columns", cols);
        return m;
    }
}
