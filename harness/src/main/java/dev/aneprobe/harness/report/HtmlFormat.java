package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.Region;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.text.Counted;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code index.html}: one self-contained page (inline CSS, JavaScript and SVG; no network) with the claims, the
 * layer x chip/OS matrix, the 2-D sweeps as heatmaps, latency per compute unit, thresholds and runs. The page's
 * script draws everything from one JSON block embedded in it; the template is {@code index.template.html}.
 */
public final class HtmlFormat implements ReportFormat {
    static final String PLACEHOLDER = "@@DATA@@";

    @Override
    public String fileName() {
        return "index.html";
    }

    @Override
    public void write(Report r, OutputStream out) throws IOException {
        String template = resource("index.template.html");
        int at = template.indexOf(PLACEHOLDER);
        String json = Json.mapper().writeValueAsString(data(r))
                // Inside <script>, "</script>" or "<!--" in a string would end or confuse the block.
                .replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        if (r.adaptive().present()) {
            template = withAdaptive(template);
            at = template.indexOf(PLACEHOLDER);
        }
        out.write(template.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.write(json.getBytes(StandardCharsets.UTF_8));
        out.write(template.substring(at + PLACEHOLDER.length()).getBytes(StandardCharsets.UTF_8));
    }

    /** Separates the section from the script in {@code index.adaptive.html}. */
    static final String SCRIPT_MARK = "<!-- @@SCRIPT@@ -->";

    /**
     * The page with the adaptive section (before the end of main) and its script (after the page's own, which has
     * drawn the heatmaps it marks). Only a report of adaptive runs gets them, so a page of grid runs is unchanged.
     */
    private static String withAdaptive(String template) throws IOException {
        String part = resource("index.adaptive.html");
        int mark = part.indexOf(SCRIPT_MARK);
        String section = part.substring(0, mark);
        String script = part.substring(mark + SCRIPT_MARK.length()).stripLeading();
        int main = template.lastIndexOf("</main>");
        template = template.substring(0, main) + section + template.substring(main);
        int body = template.lastIndexOf("</body>");
        return template.substring(0, body) + script + template.substring(body);
    }

    /** A line of a page's script standing for a script piece both scripts use (index.dom.js, index.table.js). */
    private static final Pattern INCLUDE = Pattern.compile("(?m)^[ ]*// @@INCLUDE ([a-z.]+\\.js)@@\n");

    /**
     * A page resource with its {@link #INCLUDE} lines replaced by the pieces they name, so that the page's script and
     * the adaptive section's script share their helpers (each is a closure of its own, and the page of a grid report
     * stays as it was). A piece's leading "//" lines describe it to its readers and are not included.
     */
    private static String resource(String name) throws IOException {
        String text;
        try (InputStream in = HtmlFormat.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the resource " + name + " is missing from aneprobe's jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = INCLUDE.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 2048);
        while (m.find()) {
            String piece = resource(m.group(1)).replaceFirst("\\A(//[^\n]*\n)*", "");
            m.appendReplacement(out, Matcher.quoteReplacement(piece));
        }
        m.appendTail(out);
        return out.toString();
    }

    static Map<String, Object> data(Report r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("empty", r.empty());
        d.put("columns", r.columns());
        d.put("runs", r.runs());
        List<Map<String, Object>> claims = new ArrayList<>();
        for (ClaimResult cr : r.claimResults()) {
            Claim c = cr.claim();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("text", c.text());
            m.put("section", c.section());
            m.put("source", c.sourceLabel());
            m.put("implied", c.impliedBy() != null);
            m.put("predictedWords", c.predicted().words());
            m.put("scope", c.describeScope());
            m.put("region", c.region() == Region.EVERYTHING ? null : c.region().describe());
            m.put("note", c.note());
            m.put("status", cr.status().name());
            m.put("summary", cr.summary());
            List<Map<String, Object>> cols = new ArrayList<>();
            for (ClaimResult.Column col : cr.columns()) {
                Map<String, Object> x = col.countsAsMap();
                x.put("noEvidenceText", col.noEvidenceTotal() == 0 ? null : Counted.tally(new TreeMap<>(col.noEvidence())));
                x.put("where", col.where());
                x.put("deciding", col.deciding());
                x.put("more", col.more());
                cols.add(x);
            }
            m.put("columns", cols);
            claims.add(m);
        }
        d.put("claims", claims);
        d.put("chains", r.chains());
        d.put("families", r.families());
        d.put("heatmaps", r.heatmaps());
        d.put("latency", r.latency());
        List<Map<String, Object>> th = new ArrayList<>();
        for (Threshold t : r.thresholds()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("family", t.family());
            m.put("axisLabel", t.axisLabel());
            m.put("chipOs", t.chipOs());
            m.put("kind", t.kind().name());
            m.put("summary", t.summary());
            m.put("claimed", t.claimed());
            m.put("groups", t.groups());
            th.add(m);
        }
        d.put("thresholds", th);
        d.put("disagreements", r.disagreements());
        d.put("disagreementCount", r.disagreementCount());
        d.put("shaConflicts", r.shaConflicts());
        if (r.adaptive().present()) {
            // Inferred cells themselves are in the heatmaps' grids (apart from the measured ones) and in the CSV
            // and JSON rows; the page lists what each search covered.
            Coverage a = r.adaptive();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runs", a.runs());
            m.put("searches", a.searches());
            m.put("inferredCells", a.inferred().size());
            m.put("boundaries", a.boundaries().size() > Report.MAX_LISTED
                    ? a.boundaries().subList(0, Report.MAX_LISTED) : a.boundaries());
            m.put("nonMonotonic", a.nonMonotonic());
            d.put("adaptive", m);
        }
        return d;
    }
}
