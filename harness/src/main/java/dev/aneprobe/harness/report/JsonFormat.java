package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.SearchStep;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code support.json}: {@code {"schema": 1, "runs": [...], "rows": [...]}} with the same rows as support.csv, one
 * row per line so that it diffs well. A row: {@code runId, chipOs, probeId, family, layerType, modelSha256, params}
 * and one object per compute-unit setting the run has ({@code cpu, gpu, ane, all}) with {@code lines},
 * {@code history} (when more than one line), {@code verdict, ranOn, agreed, signals, plan, note, failure} (when
 * set) and {@code medianNs, p90Ns, minNs, madNs, samples}.
 *
 * <p>When the report reads adaptive runs, the file has an {@code adaptive} object (the runs, what each search covered,
 * the boundaries between measured neighbours and the intervals found not monotonic), every measured row has
 * {@code "cell": "measured"} and its {@code search} step, and each inferred cell has a row of its own after them with
 * {@code "cell": "inferred"}, no run, no model and no setting objects, and an {@code inferred} object saying from
 * which neighbours. Without adaptive runs none of this appears.
 *
 * <p>When chain probes were measured, {@code chainColumns} (the chip/OS columns) and {@code chains} follow: per chain
 * probe its layers and, per column (null where not measured) and setting, each distinct device sequence with its
 * switches, how often it left the ANE for the GPU and for the CPU, its verdict and how many lines showed it.
 */
public final class JsonFormat implements RowFormat {
    public static final int SCHEMA = 1;
    private static final String[] UNITS = {"cpu", "gpu", "ane", "all"};

    @Override
    public String fileName() {
        return "support.json";
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        StringBuilder sb = new StringBuilder("{\"schema\": " + SCHEMA + ",\n");
        if (!report.simulatedModels().isEmpty()) {
            // Made from simulated runs: calibration, never evidence (each run and each row's chip/OS say so too).
            sb.append("\"simulated\": ").append(Json.mapper().writeValueAsString(report.simulatedModels()))
                    .append(",\n");
        }
        if (report.adaptive().present()) {
            Coverage a = report.adaptive();
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("runs", a.runs());
            m.put("searches", a.searches());
            m.put("inferredCells", a.inferred().size());
            m.put("boundaries", a.boundaries());
            m.put("nonMonotonic", a.nonMonotonic());
            sb.append("\"adaptive\": ").append(Json.mapper().writeValueAsString(m)).append(",\n");
        }
        sb.append("\"runs\": [");
        boolean first = true;
        for (Report.RunInfo r : report.runs()) {
            sb.append(first ? "\n" : ",\n").append(Json.mapper().writeValueAsString(r));
            first = false;
        }
        sb.append(first ? "" : "\n").append("],\n\"rows\": [");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        Path part = report.rowPart(fileName());
        boolean rows = part != null && Files.size(part) > 0;
        if (rows) {
            Files.copy(part, out);
        }
        for (Coverage.InferredCell c : report.adaptive().inferred()) {
            sb.setLength(0);
            sb.append(rows ? ",\n{" : "\n{");
            rows = true;
            sb.append("\"cell\":\"inferred\"");
            string(sb.append(",\"chipOs\":"), c.chipOs());
            string(sb.append(",\"probeId\":"), c.probeId());
            string(sb.append(",\"family\":"), c.family());
            string(sb.append(",\"layerType\":"), c.layerType());
            params(sb, c.params());
            string(sb.append(",\"inferred\":{\"axis\":"), c.axis());
            string(sb.append(",\"below\":"), c.below());
            string(sb.append(",\"above\":"), c.above());
            sb.append(",\"outcome\":[");
            for (int i = 0; i < c.outcome().size(); i++) {
                string(sb.append(i == 0 ? "" : ","), c.outcome().get(i));
            }
            sb.append("]}}");
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        out.write((rows ? "\n]" : "]").getBytes(StandardCharsets.UTF_8));
        if (!report.chains().isEmpty()) {
            // The chain probes' device sequences per chip/OS and setting (only when some were measured).
            out.write((",\n\"chainColumns\": " + Json.mapper().writeValueAsString(report.columns())
                    + ",\n\"chains\": " + Json.mapper().writeValueAsString(report.chains()))
                    .getBytes(StandardCharsets.UTF_8));
        }
        out.write("}\n".getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public byte[] cell(Cell c) {
        StringBuilder sb = Scratch.builder();
        member(sb, "verdict", c.verdict());
        member(sb, "ranOn", c.ranOn());
        member(sb, "agreed", c.agreed());
        member(sb, "signals", c.signals());
        member(sb, "plan", c.plan());
        member(sb, "note", c.note());
        member(sb, "failure", c.failure());
        number(sb, "medianNs", c.medianNs());
        number(sb, "p90Ns", c.p90Ns());
        number(sb, "minNs", c.minNs());
        number(sb, "madNs", c.madNs());
        number(sb, "samples", c.samples());
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void row(boolean first, RowHead h, byte[][] cells, int[] lines, String[] history, OutputStream out)
            throws IOException {
        StringBuilder sb = Scratch.builder();
        sb.append(first ? "\n{" : ",\n{");
        string(sb.append("\"runId\":"), h.runId());
        string(sb.append(",\"chipOs\":"), h.chipOs());
        string(sb.append(",\"probeId\":"), h.probeId());
        string(sb.append(",\"family\":"), h.family());
        string(sb.append(",\"layerType\":"), h.layerType());
        string(sb.append(",\"modelSha256\":"), h.modelSha256());
        params(sb, h.params());
        if (h.adaptiveReport()) {
            sb.append(",\"cell\":\"measured\"");
            SearchStep st = h.search();
            if (st != null) {
                string(sb.append(",\"search\":{\"axis\":"), st.axis());
                string(sb.append(",\"role\":"), st.role().name());
                if (st.low() != null) {
                    string(sb.append(",\"low\":"), st.low());
                    string(sb.append(",\"high\":"), st.high());
                }
                member(sb, "reason", st.reason());
                sb.append('}');
            }
        }
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] == null) {
                continue;
            }
            sb.append(",\"").append(UNITS[i]).append("\":{\"lines\":").append(lines[i]);
            if (history[i] != null) {
                string(sb.append(",\"history\":"), history[i]);
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
            out.write(cells[i]);
            sb.append('}');
        }
        sb.append('}');
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void params(StringBuilder sb, Map<String, String> params) {
        sb.append(",\"params\":{");
        boolean firstParam = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            string(sb.append(firstParam ? "" : ","), e.getKey());
            string(sb.append(':'), e.getValue());
            firstParam = false;
        }
        sb.append('}');
    }

    private static void member(StringBuilder sb, String name, String value) {
        if (value != null) {
            string(sb.append(",\"").append(name).append("\":"), value);
        }
    }

    private static void number(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(",\"").append(name).append("\":").append(value);
        }
    }

    /** A JSON string literal. */
    static void string(StringBuilder sb, String s) {
        boolean plain = true;
        for (int i = 0; i < s.length() && plain; i++) {
            char c = s.charAt(i);
            plain = c >= 0x20 && c != '"' && c != '\\' && c != '\u2028' && c != '\u2029';
        }
        if (plain) {
            sb.append('"').append(s).append('"');
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
