package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.adaptive.Coverage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code support.csv}: one row per probe and run (RFC 4180, UTF-8, LF line ends), in run-id then probe-id order.
 * For each compute-unit setting (cpu, gpu, ane, all) the same columns: lines (how many observation lines the run
 * has), history (every verdict, when more than one line), verdict, ran_on, agreed, signals, plan, note, failure and
 * the timing summary in nanoseconds. Verdict columns are empty for cpu and gpu, whose lines carry no verdict.
 *
 * <p>When the report reads adaptive runs ({@code sweep --adaptive}), four columns follow: {@code cell}
 * ({@code measured} or {@code inferred}), {@code search} (the measured probe's search step), {@code inferred_outcome}
 * and {@code inferred_between}. An inferred cell gets a row of its own after the measured rows, with no run, no
 * model and every measured column empty, so that nothing counting verdicts counts it. Without adaptive runs these
 * columns are absent and the file is what it always was.
 */
public final class CsvFormat implements RowFormat {
    static final String[] UNITS = {"cpu", "gpu", "ane", "all"};
    static final String[] CELL = {"lines", "history", "verdict", "ran_on", "agreed", "signals", "plan", "note",
        "failure", "median_ns", "p90_ns", "min_ns", "mad_ns", "samples"};
    private static final byte[] EMPTY_CELL = ",".repeat(CELL.length).getBytes(StandardCharsets.UTF_8);

    @Override
    public String fileName() {
        return "support.csv";
    }

    /** The columns a report with adaptive runs adds at the end of every row. */
    static final String ADAPTIVE_COLUMNS = "cell,search,inferred_outcome,inferred_between";

    static String header() {
        return header(false);
    }

    static String header(boolean adaptive) {
        StringBuilder header = new StringBuilder("run_id,chip_os,probe_id,family,layer_type,model_sha256,params");
        for (String u : UNITS) {
            for (String c : CELL) {
                header.append(',').append(u).append('_').append(c);
            }
        }
        if (adaptive) {
            header.append(',').append(ADAPTIVE_COLUMNS);
        }
        return header.append('\n').toString();
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Coverage adaptive = report.adaptive();
        out.write(header(adaptive.present()).getBytes(StandardCharsets.UTF_8));
        Path part = report.rowPart(fileName());
        if (part != null) {
            Files.copy(part, out);
        }
        StringBuilder sb = new StringBuilder(512);
        for (Coverage.InferredCell c : adaptive.inferred()) {
            sb.setLength(0);
            // No run and no model: nothing measured this cell.
            field(sb, c.chipOs());
            field(sb, c.probeId());
            field(sb, c.family());
            field(sb, c.layerType());
            field(sb, null);
            field(sb, params(c.params()));
            for (int i = 0; i < UNITS.length; i++) {
                sb.append(new String(EMPTY_CELL, StandardCharsets.UTF_8));
            }
            field(sb, "inferred");
            field(sb, null);
            field(sb, c.outcomeText());
            field(sb, c.axis() + " between " + c.below() + " and " + c.above());
            sb.append('\n');
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public byte[] cell(Cell c) {
        StringBuilder sb = Scratch.builder();
        field(sb, c.verdict());
        field(sb, c.ranOn());
        field(sb, c.agreed());
        field(sb, c.signals());
        field(sb, c.plan());
        field(sb, c.note());
        field(sb, c.failure());
        field(sb, c.medianNs());
        field(sb, c.p90Ns());
        field(sb, c.minNs());
        field(sb, c.madNs());
        field(sb, c.samples());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void row(boolean first, RowHead h, byte[][] cells, int[] lines, String[] history, OutputStream out)
            throws IOException {
        StringBuilder sb = Scratch.builder();
        escape(sb, h.runId());
        field(sb, h.chipOs());
        field(sb, h.probeId());
        field(sb, h.family());
        field(sb, h.layerType());
        field(sb, h.modelSha256());
        field(sb, params(h.params()));
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null) {
                out.write(EMPTY_CELL);
                continue;
            }
            sb.setLength(0);
            field(sb, Integer.toString(lines[i]));
            field(sb, history[i]);
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            out.write(cells[i]);
        }
        if (h.adaptiveReport()) {
            sb.setLength(0);
            field(sb, "measured");
            field(sb, RowFormat.describe(h.search()));
            sb.append(",,");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.write('\n');
    }

    static String params(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() > 0 ? ";" : "").append(k).append('=').append(v));
        return sb.toString();
    }

    /** A comma, then the value (quoted when it must be); nothing after the comma for null. */
    static void field(StringBuilder sb, String v) {
        sb.append(',');
        escape(sb, v);
    }

    static void escape(StringBuilder sb, String v) {
        if (v == null) {
            return;
        }
        // indexOf is vectorized: four scans beat one loop over the characters.
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
