package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.analysis.adaptive.CoverageFinder;
import dev.aneprobe.harness.analysis.claims.ClaimEvaluator;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.analysis.thresholds.ThresholdFinder;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.results.read.Warnings;
import dev.aneprobe.probes.output.OutputDirectory;
import dev.aneprobe.probes.output.OutputPathException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code aneprobe report}: reads raw runs once (streaming), analyses them, and writes every format into a temporary
 * directory beside the output, which then replaces the output directory, so readers never see half a report.
 * What may be replaced is {@link OutputDirectory}'s policy.
 */
public final class ReportGenerator {
    private ReportGenerator() {
    }

    /**
     * Reads the runs and writes every format into {@code outDir}, which must be absent, empty or an earlier report
     * (see {@link OutputDirectory}); the runs' intermediate rows are kept in the same temporary directory, so a
     * stopped report leaves nothing behind.
     *
     * @throws OutputPathException (one line) when {@code outDir} may not be written, or writing it failed
     */
    public static Report generate(List<RunDir> runs, ClaimSet claims, Path outDir, Warnings warnings)
            throws IOException {
        List<Path> read = runs.stream().map(RunDir::dir).toList();
        try (OutputDirectory output = OutputDirectory.claim(outDir, ReportFormats.OUTPUT, true, read)) {
            Path tmp = output.begin();
            Path work = Files.createDirectory(tmp.resolve(".rows"));
            Report r = analyse(runs, claims, work, warnings);
            try {
                writeAll(r, ReportFormats.all(), tmp);
                OutputDirectory.deleteTree(work);
                output.commit();
            } catch (IOException e) {
                throw new OutputPathException("writing the report to " + output.path() + " failed: "
                        + OutputDirectory.reason(e));
            }
            return r;
        }
    }

    /** Reads the runs once; the row formats' rows are rendered into {@code work}. */
    public static Report analyse(List<RunDir> runs, ClaimSet claims, Path work, Warnings warnings)
            throws IOException {
        List<RowFormat> rowFormats = new ArrayList<>();
        for (ReportFormat f : ReportFormats.all()) {
            if (f instanceof RowFormat rf) {
                rowFormats.add(rf);
            }
        }
        ResultMatrix m;
        long rows;
        Map<String, Path> parts;
        boolean adaptive = runs.stream().anyMatch(r -> r.env().adaptive());
        try (RowCollector rc = new RowCollector(rowFormats, work, adaptive)) {
            m = ResultMatrix.read(runs, warnings, rc);
            rows = rc.rows();
            parts = rc.parts();
        }
        return summarise(m, claims, parts, rows);
    }

    static Report summarise(ResultMatrix m, ClaimSet claims, Map<String, Path> parts, long rows) {
        List<String> columns = new ArrayList<>();
        m.columns().forEach(c -> columns.add(c.chipOs()));
        List<Report.Disagreement> dis = new ArrayList<>();
        int disCount = 0;
        Map<String, Report.FamilyCell[]> fam = new TreeMap<>();
        Map<String, TreeSet<String>> layerTypes = new TreeMap<>();
        for (int ci = 0; ci < columns.size(); ci++) {
            ResultMatrix.Column col = m.columns().get(ci);
            Map<String, int[]> counts = new TreeMap<>();
            for (ProbeResult p : col.probes()) {
                layerTypes.computeIfAbsent(p.family(), k -> new TreeSet<>()).add(p.layerType());
                int[] c = counts.computeIfAbsent(p.family(), k -> new int[8]);
                c[0]++;
                Outcome o = p.outcome();
                c[o == Outcome.ON_ANE ? 1 : o == Outcome.OFF_ANE ? 2 : o == Outcome.SPLIT ? 3
                        : o == Outcome.DISPUTED ? 4 : 5]++;
                Outcome all = p.outcome(p.lines(ComputeUnits.ALL) > 0 ? ComputeUnits.ALL : null);
                if (all == Outcome.ON_ANE) {
                    c[6]++;
                }
                if (all != Outcome.NO_EVIDENCE) {
                    c[7]++;
                }
                String d = p.disagreement();
                if (d != null) {
                    disCount++;
                    if (dis.size() < Report.MAX_LISTED) {
                        dis.add(new Report.Disagreement(col.chipOs(), p.label(), d));
                    }
                }
            }
            final int index = ci;
            counts.forEach((f, c) -> fam.computeIfAbsent(f, k -> new Report.FamilyCell[columns.size()])[index] =
                    new Report.FamilyCell(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]));
        }
        List<Report.FamilyRow> families = new ArrayList<>();
        fam.forEach((f, cells) -> families.add(new Report.FamilyRow(f, List.copyOf(layerTypes.get(f)),
                java.util.Arrays.asList(cells))));
        List<Report.RunInfo> runs = new ArrayList<>();
        m.runStats().forEach((run, st) -> {
            EnvRecord e = run.env();
            Map<String, Integer> verdicts = new TreeMap<>(Comparator.comparing(VerdictKind::valueOf));
            st.verdicts().forEach((k, v) -> verdicts.put(k.name(), v));
            runs.add(new Report.RunInfo(e.runId(), run.chipOs(), e.host().machineModel(), e.host().osBuild(),
                    e.harnessVersion(), e.gitCommit(), e.profile(), e.shard(), e.startedAt(), st.lines(),
                    st.skipped(), st.probes(), verdicts,
                    Report.catalogOf(e.catalogHash(), dev.aneprobe.probes.generate.CatalogHash.current()),
                    e.simulated() ? e.simulation().deviceModel() : null));
        });
        // The four analyses only read the matrix (whose probe lists were sorted above): run them side by side.
        CompletableFuture<List<ClaimResult>> claimResults =
                CompletableFuture.supplyAsync(() -> ClaimEvaluator.evaluate(claims, m));
        CompletableFuture<List<Threshold>> thresholds =
                CompletableFuture.supplyAsync(() -> ThresholdFinder.find(m, claims));
        // What adaptive runs measured and what can be inferred from them: read from the matrix, never put back into
        // it, so claims and thresholds (which read the matrix) never see an inferred cell.
        Coverage adaptive = CoverageFinder.find(m);
        CompletableFuture<List<Heatmap>> heatmaps = CompletableFuture.supplyAsync(() -> Heatmap.build(m, adaptive));
        List<Latency> latency = Latency.build(m);
        return new Report(claims, claimResults.join(), List.copyOf(columns), families, thresholds.join(),
                heatmaps.join(), latency, runs, dis, disCount, m.shaConflicts(), rows, Map.copyOf(parts), adaptive,
                ChainTable.build(m));
    }

    /** Each format into its own file, in parallel: they only read the report. */
    private static void writeAll(Report report, List<ReportFormat> formats, Path dir) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(formats.size(),
                Runtime.getRuntime().availableProcessors())));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ReportFormat f : formats) {
                done.add(pool.submit(() -> {
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve(f.fileName())),
                            1 << 16)) {
                        f.write(report, out);
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                try {
                    d.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing the report", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
