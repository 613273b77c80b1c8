package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a report format may print, computed once from the raw runs by {@link ReportGenerator}. The per-probe
 * rows are not held in memory: each {@link RowFormat} rendered its rows into a part file while the runs were read
 * ({@link #rowPart}).
 *
 * @param claims the claims file
 * @param claimResults one verdict per claim, in claims-file order
 * @param columns the chip/OS columns, in name order
 * @param families the layer x chip/OS matrix, one row per family
 * @param thresholds measured (and claimed) boundaries
 * @param heatmaps 2-D sweeps coloured by verdict
 * @param latency latency per family, chip/OS and compute units
 * @param runs the runs read, in run-id order
 * @param disagreements probes whose repeated measurements differ (at most {@link #MAX_LISTED})
 * @param disagreementCount how many there are in all
 * @param shaConflicts probe ids measured with more than one model, with where
 * @param rowCount how many rows (probe x run) there are
 * @param rowParts the rendered rows of each {@link RowFormat}, by file name
 * @param adaptive what adaptive runs measured and what can be inferred from them ({@link Coverage#NONE} when no run
 *     is adaptive; then every format is exactly what it is for grid runs)
 * @param chains the chain probes' device sequences per chip/OS (empty when no chain probe was measured)
 */
public record Report(ClaimSet claims, List<ClaimResult> claimResults, List<String> columns, List<FamilyRow> families,
        List<Threshold> thresholds, List<Heatmap> heatmaps, List<Latency> latency, List<RunInfo> runs,
        List<Disagreement> disagreements, int disagreementCount, Map<String, List<String>> shaConflicts,
        long rowCount, Map<String, Path> rowParts, Coverage adaptive, List<ChainTable.Row> chains) {
    /** How many disagreements are listed by name. */
    public static final int MAX_LISTED = 200;

    /** True when no run was read: the report says so plainly. */
    public boolean empty() {
        return runs.isEmpty();
    }

    /** The rows a {@link RowFormat} rendered while the runs were read, or null when there were none. */
    public Path rowPart(String fileName) {
        return rowParts.get(fileName);
    }

    /**
     * One run, as the "how it was measured" section lists it.
     *
     * @param lines observation lines in the file; {@code skipped} of them were malformed
     * @param catalog {@link #CURRENT_CATALOG} when the run's probes come from the catalog version of the aneprobe
     *     making the report, else "another version (<hash prefix>)"; null when the run recorded no catalog hash
     * @param simulated the device model of a simulated run (calibration, never evidence); absent for a real one
     */
    public record RunInfo(String runId, String chipOs, String machineModel, String osBuild, String harnessVersion,
            String gitCommit, String profile, String shard, String startedAt, long lines, long skipped, int probes,
            Map<String, Integer> verdicts, String catalog,
            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            String simulated) {
    }

    /** The device models of the simulated runs read, in run order (empty when every run is from a real Mac). */
    public List<String> simulatedModels() {
        return runs.stream().map(RunInfo::simulated).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** {@link RunInfo#catalog} of a run made by this catalog version. */
    public static final String CURRENT_CATALOG = "this version";

    /** How a run's catalog hash compares with this aneprobe's (see {@link RunInfo#catalog}). */
    public static String catalogOf(String runCatalogHash, String currentCatalogHash) {
        if (runCatalogHash == null) {
            return null;
        }
        return runCatalogHash.equals(currentCatalogHash) ? CURRENT_CATALOG
                : "another version (" + runCatalogHash.substring(0, Math.min(12, runCatalogHash.length())) + ")";
    }

    /**
     * One family's row of the layer x chip/OS matrix.
     *
     * @param family the family
     * @param layerTypes the layer types its probes exercise
     * @param cells one per column, in column order (null where the family was not measured)
     */
    public record FamilyRow(String family, List<String> layerTypes, List<FamilyCell> cells) {
    }

    /**
     * Outcome counts of one family on one chip/OS: probes decided by their ane lines (all lines when a probe has
     * none), and separately what the all-units setting did.
     */
    public record FamilyCell(int probes, int ane, int notAne, int split, int disputed, int noEvidence, int allAne,
            int allEvidence) {
    }

    /** Repeated measurements of one probe that differ. */
    public record Disagreement(String chipOs, String probe, String detail) {
    }
}
