package dev.aneprobe.harness.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * A format with one row per probe and run (support.csv, support.json). Its rows are rendered while the runs are
 * read, so that a report over a million lines never holds them: each observation's cell on a parser thread
 * ({@link #cell}), each finished row on the reading thread ({@link #row}) into a part file that
 * {@link #write(Report, OutputStream)} then frames (header, footer) and copies ({@link Report#rowPart}).
 */
public interface RowFormat extends ReportFormat {
    /** One compute-unit setting of a probe in a run, without its line count and verdict history. */
    byte[] cell(Cell cell);

    /**
     * Appends one row.
     *
     * @param first true for the first row of the part
     * @param head the probe and run
     * @param cells per compute-unit setting in the order cpu, gpu, ane, all: the rendered cell, or null when the
     *     run has no such line
     * @param lines per setting, how many lines the run has
     * @param history per setting, every verdict in line order when there was more than one line, else null
     */
    void row(boolean first, RowHead head, byte[][] cells, int[] lines, String[] history, OutputStream out)
            throws IOException;

    /**
     * The probe and run of a row.
     *
     * @param params the axis values, in axis order
     * @param adaptiveReport true when the report reads adaptive runs: then every row says whether its cell was
     *     measured or inferred (a row rendered here is always measured), and gives its search step
     * @param search the search step of the probe's first line in the run that has one (adaptive runs), else null
     */
    record RowHead(String runId, String chipOs, String probeId, String family, String layerType,
            String modelSha256, Map<String, String> params, boolean adaptiveReport,
            dev.aneprobe.harness.results.SearchStep search) {
    }

    /** A search step in words: "kernel BISECT 8x8..16x16: outcomes differ at ..." (no interval for END and EDGE). */
    static String describe(dev.aneprobe.harness.results.SearchStep s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(s.axis()).append(' ').append(s.role());
        if (s.low() != null) {
            sb.append(' ').append(s.low()).append("..").append(s.high());
        }
        if (s.reason() != null && !s.reason().isBlank()) {
            sb.append(": ").append(s.reason());
        }
        return sb.toString();
    }

    /**
     * One compute-unit setting of a probe in a run. Verdict fields are set on ane and all lines only.
     *
     * @param verdict the verdict kind (of the run's last line for this setting)
     * @param ranOn where it ran, e.g. "cpu" or "cpu+ane"
     * @param agreed the signals that agreed with the verdict
     * @param signals every signal's reading, e.g. "plan=ANE (preferred=ane); dispatch=ANE (...); reason=- ()"
     * @param plan the compute plan's entries, e.g. "pool [pooling]: preferred=ane supported=cpu,gpu,ane"
     * @param note the verdict's note
     * @param failure the worker failure, when the worker died
     * @param medianNs median prediction latency
     * @param p90Ns 90th percentile
     * @param minNs fastest sample
     * @param madNs median absolute deviation
     * @param samples number of timed samples
     *     (the numbers as plain decimal text, formatted once for every format; see {@link #number})
     */
    record Cell(String verdict, String ranOn, String agreed, String signals, String plan, String note,
            String failure, String medianNs, String p90Ns, String minNs, String madNs, String samples) {
    }

    /** A number as plain decimal text (no exponent), the same on every machine; null for null or NaN. */
    static String number(Double d) {
        if (d == null || d.isNaN() || d.isInfinite()) {
            return null;
        }
        double v = d;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e7) {
            return Double.toString(v); // no exponent in this range
        }
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
