package dev.aneprobe.harness.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code support.csv}: one row per probe and run (RFC 4180, UTF-8, LF line ends). For each compute-unit setting
 * (cpu, gpu, ane, all) the same columns: lines, verdict, verdicts, ran_on, agreed, signals, plan, note, failure and
 * the timing summary in nanoseconds. Verdict columns are empty for cpu and gpu, whose lines carry no verdict.
 */
public final class CsvFormat implements ReportFormat {
    static final String[] UNITS = {"cpu", "gpu", "ane", "all"};
    static final String[] CELL = {"lines", "verdict", "verdicts", "ran_on", "agreed", "signals", "plan", "note",
        "failure", "median_ns", "p90_ns", "min_ns", "mad_ns", "samples"};

    @Override
    public String fileName() {
        return "support.csv";
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder("run_id,chip_os,probe_id,family,layer_type,model_sha256,params");
        for (String u : UNITS) {
            for (String c : CELL) {
                header.append(',').append(u).append('_').append(c);
            }
        }
        w.write(header.append('\n').toString());
        StringBuilder sb = new StringBuilder(1024);
        try {
            report.forEachRow(r -> {
                sb.setLength(0);
                field(sb, r.runId(), true);
                field(sb, r.chipOs(), false);
                field(sb, r.probeId(), false);
                field(sb, r.family(), false);
                field(sb, r.layerType(), false);
                field(sb, r.modelSha256(), false);
                field(sb, params(r.params()), false);
                for (SupportRow.Cell c : new SupportRow.Cell[] {r.cpu(), r.gpu(), r.ane(), r.all()}) {
                    if (c == null) {
                        sb.append(",".repeat(CELL.length));
                        continue;
                    }
                    field(sb, Integer.toString(c.lines()), false);
                    field(sb, c.verdict(), false);
                    field(sb, c.verdicts(), false);
                    field(sb, c.ranOn(), false);
                    field(sb, c.agreed(), false);
                    field(sb, c.signals(), false);
                    field(sb, c.plan(), false);
                    field(sb, c.note(), false);
                    field(sb, c.failure(), false);
                    field(sb, number(c.medianNs()), false);
                    field(sb, number(c.p90Ns()), false);
                    field(sb, c.minNs() == null ? null : c.minNs().toString(), false);
                    field(sb, number(c.madNs()), false);
                    field(sb, c.samples() == null ? null : c.samples().toString(), false);
                }
                sb.append('\n');
                try {
                    w.write(sb.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.flush();
    }

    static String params(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() > 0 ? ";" : "").append(k).append('=').append(v));
        return sb.toString();
    }

    /** A number as plain decimal text (no exponent), the same on every machine. */
    static String number(Double d) {
        if (d == null || d.isNaN() || d.isInfinite()) {
            return null;
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static void field(StringBuilder sb, String v, boolean first) {
        if (!first) {
            sb.append(',');
        }
        if (v == null) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
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
