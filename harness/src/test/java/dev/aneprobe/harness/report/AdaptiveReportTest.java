package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.results.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a FIXTURE adaptive run (src/test/resources/fixtures/adaptive, hand-written lines with search steps,
 * not measurements): which cells it measured, which it only infers, and that no format shows or counts an inferred
 * cell as measured.
 */
class AdaptiveReportTest {
    static final String M3 = "FIXTURE Apple M3 / macOS 15.1";
    static final String RUN = "fixture-m3-adaptive";

    @TempDir
    static Path tmp;
    static Report report;
    static Path out;

    static String id(String type, int kernel, int stride) {
        return "pooling/type=" + type + ",kernel=" + kernel + "x" + kernel + ",stride=" + stride + "x" + stride
                + ",pad=valid,global=false,in=64x56x56";
    }

    /** The probes the fixture run measured (26). */
    static final Set<String> MEASURED = new TreeSet<>();
    /**
     * What the fixture's measurements let a reader infer: max pooling kernels between measured neighbours on the
     * ANE at stride 1, average pooling kernels 13..15 between NOT_ANE neighbours 12 and 16, and stride 2 at kernel 16
     * between NOT_ANE neighbours planned on the CPU; and, over both axes of the kernel+stride search, kernels 1 and
     * 2 at stride 2 (between 1x1+1x1 and 3x3+2x2, both on the ANE) and kernels 14 and 15 at strides 2 and 3 (between
     * 14x14+1x1 or 15x15+1x1 and 16x16+3x3, all NOT_ANE on the CPU).
     */
    static final Set<String> INFERRED = new TreeSet<>(List.of(id("max", 2, 1), id("max", 4, 1), id("max", 5, 1),
            id("max", 6, 1), id("max", 7, 1), id("max", 9, 1), id("max", 10, 1), id("average", 13, 1),
            id("average", 14, 1), id("average", 15, 1), id("max", 16, 2), id("max", 1, 2), id("max", 2, 2),
            id("max", 14, 2), id("max", 14, 3), id("max", 15, 2), id("max", 15, 3)));
    /** Grid cells between neighbours whose outcomes differ: unknown, never inferred. */
    static final List<String> UNKNOWN = List.of(
            id("max", 3, 3), // stride between 2 (ANE) and 4 (NOT_ANE): the search stopped there
            id("max", 8, 3)); // kernel at stride 3 between 1 (NOT_ANE on the GPU) and 16 (NOT_ANE on the CPU)

    @BeforeAll
    static void generate() throws Exception {
        out = tmp.resolve("out");
        report = ReportTest.generate(out, Fixtures.path("adaptive"));
        for (String line : Files.readAllLines(Fixtures.path("adaptive/" + RUN + "/observations.jsonl"))) {
            MEASURED.add(Json.mapper().readTree(line).get("probeId").asText());
        }
    }

    @Test
    void theCoverageSaysWhatWasMeasuredInferredAndUnknown() {
        Coverage a = report.adaptive();
        assertTrue(a.present());
        assertEquals(List.of(RUN), a.runs());
        assertEquals(1, a.searches().size());
        Coverage.Search s = a.searches().get(0);
        assertEquals("profile full, --param pooling.kernel=1..16, --param pooling.stride=1..4", s.grid(),
                "the run's --param values (both spellings) are read from its recorded arguments");
        assertEquals(26, MEASURED.size());
        assertEquals(26, s.measured());
        assertEquals(INFERRED.size(), s.inferred());
        assertEquals(s.gridProbes() - 26 - INFERRED.size(), s.unknown());
        Set<String> inferred = new TreeSet<>();
        a.inferred().forEach(c -> inferred.add(c.probeId()));
        assertEquals(INFERRED, inferred);
        for (String u : UNKNOWN) {
            assertFalse(inferred.contains(u), u + " lies between neighbours whose outcomes differ");
        }
        Coverage.InferredCell c = a.inferred().stream().filter(x -> x.probeId().equals(id("max", 9, 1)))
                .findFirst().orElseThrow();
        assertEquals("kernel", c.axis());
        assertEquals(id("max", 8, 1), c.below());
        assertEquals(id("max", 11, 1), c.above());
        assertEquals(List.of("cpu: preferred cpu", "ane: ANE (preferred ane)"), c.outcome());
    }

    @Test
    void boundariesSayWhetherTheyAreExact() {
        Coverage.Boundary kernel = boundary("kernel", "13x13");
        assertEquals("14x14", kernel.firstAfter());
        assertTrue(kernel.exact(), "13 and 14 are adjacent values of the grid");
        Coverage.Boundary stride = boundary("stride", "2x2");
        assertEquals("4x4", stride.firstAfter());
        assertFalse(stride.exact());
        assertEquals(1, stride.unmeasured(), "stride 3 was never measured");
        // Same verdict, different preferred device: a different outcome, so nothing between them is inferred.
        Coverage.Boundary devices = report.adaptive().boundaries().stream()
                .filter(b -> b.axis().equals("kernel") && b.where().equals(java.util.Map.of("stride", "3x3")))
                .findFirst().orElseThrow();
        assertEquals("cpu: preferred cpu; ane: NOT_ANE (preferred gpu)", devices.before());
        assertEquals("cpu: preferred cpu; ane: NOT_ANE (preferred cpu)", devices.after());
        assertEquals(14, devices.unmeasured());
    }

    static Coverage.Boundary boundary(String axis, String lastBefore) {
        return report.adaptive().boundaries().stream()
                .filter(b -> b.axis().equals(axis) && b.lastBefore().equals(lastBefore) && b.where().isEmpty())
                .findFirst().orElseThrow(() -> new AssertionError(axis + " " + lastBefore + " in "
                        + report.adaptive().boundaries()));
    }

    @Test
    void aGridStepMarksTheIntervalNotMonotonic() throws Exception {
        // The baseline's lines carry GRID with no interval (no search covers them, as sweep --adaptive writes it):
        // not a disagreement, so the only non-monotonic interval is the one swept after a check disagreed.
        assertEquals(1, report.adaptive().nonMonotonic().size());
        Coverage.NonMonotonic n = report.adaptive().nonMonotonic().get(0);
        assertEquals("kernel", n.axis());
        assertEquals("1x1", n.low());
        assertEquals("8x8", n.high());
        assertEquals(java.util.Map.of("type", "average"), n.where());
        assertEquals(6, n.probes());
        String md = Files.readString(out.resolve("support-table.md"));
        assertTrue(md.contains("- **not monotonic**: pooling kernel 1x1..8x8 on " + M3 + " where type=average: "
                + "swept as a grid (6 probes, run `" + RUN + "`)"), md);
        JsonNode json = Json.mapper().readTree(out.resolve("support.json").toFile());
        assertEquals("1x1", json.get("adaptive").get("nonMonotonic").get(0).get("low").asText());
        assertTrue(Files.readString(out.resolve("index.html")).contains("\"nonMonotonic\":[{\"chipOs\":\"" + M3));
    }

    @Test
    void theCsvFlagsEveryRowAndLeavesInferredRowsWithoutAnyMeasurement() throws Exception {
        List<List<String>> rows = ReportTest.csv(Files.readString(out.resolve("support.csv")));
        List<String> header = rows.get(0);
        assertEquals(CsvFormat.header(true).strip(), String.join(",", header));
        int cell = header.indexOf("cell");
        Set<String> measured = new TreeSet<>();
        Set<String> inferred = new TreeSet<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            assertEquals(header.size(), r.size());
            String id = r.get(header.indexOf("probe_id"));
            if (r.get(cell).equals("measured")) {
                assertEquals(RUN, r.get(0));
                assertTrue(measured.add(id));
                assertFalse(r.get(header.indexOf("ane_verdict")).isEmpty());
                assertFalse(r.get(header.indexOf("search")).isEmpty(), "every line of the run carries its step");
            } else {
                assertEquals("inferred", r.get(cell));
                assertTrue(inferred.add(id));
                // No run, no model, no verdict, no timing: nothing that counts measurements can count it.
                for (int i = 0; i < cell; i++) {
                    String name = header.get(i);
                    if (!Set.of("chip_os", "probe_id", "family", "layer_type", "params").contains(name)) {
                        assertEquals("", r.get(i), name + " of inferred " + id);
                    }
                }
                assertFalse(r.get(header.indexOf("inferred_outcome")).isEmpty());
                assertTrue(r.get(header.indexOf("inferred_between")).contains(" between "));
            }
        }
        assertEquals(MEASURED, measured);
        assertEquals(INFERRED, inferred);
        assertTrue(rows.stream().anyMatch(r -> r.get(header.indexOf("search"))
                .equals("kernel BISECT 12x12..14x14: outcomes differ at 12x12 (ANE) and 14x14 (NOT_ANE)")));
    }

    @Test
    void theJsonFlagsEveryRowAndCountsOnlyMeasuredProbes() throws Exception {
        JsonNode json = Json.mapper().readTree(out.resolve("support.json").toFile());
        Set<String> measured = new TreeSet<>();
        Set<String> inferred = new TreeSet<>();
        for (JsonNode r : json.get("rows")) {
            if (r.get("cell").asText().equals("measured")) {
                measured.add(r.get("probeId").asText());
                assertEquals(RUN, r.get("runId").asText());
                assertTrue(r.has("ane"));
                assertTrue(r.has("search"));
            } else {
                assertEquals("inferred", r.get("cell").asText());
                inferred.add(r.get("probeId").asText());
                for (String f : List.of("runId", "modelSha256", "cpu", "gpu", "ane", "all", "search")) {
                    assertFalse(r.has(f), f + " on an inferred row");
                }
                assertEquals(2, r.get("inferred").get("outcome").size());
            }
        }
        assertEquals(MEASURED, measured);
        assertEquals(INFERRED, inferred);
        assertEquals(26, json.get("runs").get(0).get("probes").asInt(), "the run measured 26 probes");
        JsonNode s = json.get("adaptive").get("searches").get(0);
        assertEquals(26, s.get("measured").asInt());
        assertEquals(INFERRED.size(), s.get("inferred").asInt());
    }

    @Test
    void theMarkdownListsInferredCellsApartAndCountsOnlyMeasuredOnes() throws Exception {
        String md = Files.readString(out.resolve("support-table.md"));
        assertTrue(md.contains("in 1 run: 26 probe measurements, 52 observations"), md);
        assertTrue(md.contains("## Adaptive sweeps: measured and inferred cells"));
        assertTrue(md.contains("| pooling | " + M3 + " | kernel, kernel+stride, stride | profile full, --param "
                + "pooling.kernel=1..16, --param pooling.stride=1..4 | " + report.adaptive().searches().get(0)
                .gridProbes() + " | 26 (26 by the search) | 17 | "), md);
        assertTrue(md.contains("| pooling | kernel | " + M3 + " | baseline | 13x13: cpu: preferred cpu; ane: ANE "
                + "(preferred ane) | 14x14: cpu: preferred cpu; ane: NOT_ANE (preferred cpu) | exact (adjacent grid "
                + "values) |"), md);
        assertTrue(md.contains("| pooling | stride | " + M3 + " | baseline | 2x2: cpu: preferred cpu; ane: ANE "
                + "(preferred ane) | 4x4: cpu: preferred cpu; ane: NOT_ANE (preferred cpu) | no: 1 grid value "
                + "between, unknown |"), md);
        // Every inferred cell is listed as such, and nowhere else in the table.
        for (String id : INFERRED) {
            assertEquals(1, count(md, "`" + id + "`"), id);
            assertTrue(md.contains("- inferred, not measured: " + M3 + " `" + id + "`: "), id);
        }
        // The matrix counts measured probes only.
        Report.FamilyCell pooling = report.families().stream().filter(f -> f.family().equals("pooling"))
                .findFirst().orElseThrow().cells().get(0);
        assertEquals(26, pooling.probes());
        assertEquals(26, report.runs().get(0).probes());
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void heatmapsKeepInferredCellsApartFromMeasuredOnes() throws Exception {
        Heatmap max = report.heatmaps().stream().filter(h -> h.id().equals("pooling-max")).findFirst().orElseThrow();
        Heatmap.Grid g = max.grids().get(0);
        int measured = 0;
        int inferred = 0;
        for (int y = 0; y < g.ys().size(); y++) {
            for (int x = 0; x < g.xs().size(); x++) {
                Heatmap.Cell m = g.cells().get(y).get(x);
                Heatmap.Cell i = g.inferred().get(y).get(x);
                measured += m == null ? 0 : m.ane() + m.notAne() + m.split() + m.disputed() + m.noEvidence();
                inferred += i == null ? 0 : i.ane() + i.notAne() + i.split() + i.disputed() + i.noEvidence();
            }
        }
        long maxMeasured = MEASURED.stream().filter(id -> id.contains("type=max")).count();
        long maxInferred = INFERRED.stream().filter(id -> id.contains("type=max")).count();
        assertEquals(maxMeasured, measured, "measured cells count measured probes only");
        assertEquals(maxInferred, inferred);
        // Kernel 2 at stride 1: inferred only, so the page draws no measured cell there.
        int x2 = g.xs().indexOf("2");
        int y1 = g.ys().indexOf("1");
        assertNull(g.cells().get(y1).get(x2));
        assertEquals(1, g.inferred().get(y1).get(x2).ane());
        // Kernel 3 at stride 3 is unknown: neither measured nor inferred.
        int x3 = g.xs().indexOf("3");
        int y3 = g.ys().indexOf("3");
        assertNull(g.cells().get(y3).get(x3));
        assertNull(g.inferred().get(y3).get(x3));
        String html = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(html.contains("<section id=\"adaptive\">"));
        assertTrue(html.contains("\"inferred\":[["), "the grids carry their inferred cells apart");
        // Both scripts get the shared helpers, each in its own closure; no include line is left over.
        assertEquals(2, html.split("\n  function el\\(tag, attrs, kids\\) \\{\n", -1).length - 1);
        assertEquals(2, html.split("\n  function table\\(headers, rows, cls\\) \\{\n", -1).length - 1);
        assertFalse(html.contains("@@INCLUDE"), "an include line reached the page");
    }

    @Test
    void claimsAndThresholdsReadMeasuredProbesOnly() {
        // pooling-kernel-gt13-not-ane covers max(kernel) > 13: measured are max 14, 15, 16 at stride 1, max 16 at
        // stride 3 and average 16; the inferred average 14 and 15 and max 16 at stride 2 are not evidence.
        ClaimResult gt13 = report.claimResults().stream()
                .filter(c -> c.claim().id().equals("pooling-kernel-gt13-not-ane")).findFirst().orElseThrow();
        ClaimResult.Column col = gt13.columns().get(0);
        assertEquals(5, col.probes());
        assertEquals(5, col.supporting());
        for (String id : col.deciding()) {
            assertTrue(MEASURED.contains(id), id);
        }
        Threshold kernel = report.thresholds().stream().filter(t -> t.family().equals("pooling")
                && t.axis().equals("kernel") && M3.equals(t.chipOs())).findFirst().orElseThrow();
        Threshold.Group drop = kernel.groups().stream().filter(g -> g.shape().equals("drop")
                && "stride=1x1, type=max".equals(g.condition())).findFirst().orElseThrow();
        assertEquals("on the ANE up to 13, not from 14", drop.text());
        assertEquals(List.of(id("max", 13, 1)), drop.below());
        assertEquals(List.of(id("max", 14, 1)), drop.above());
        // The stride boundary at kernel 3 is read between the last measured ANE value and the first measured other
        // one: stride 3 was never measured, and nothing is made up for it.
        Threshold stride = report.thresholds().stream().filter(t -> t.family().equals("pooling")
                && t.axis().equals("stride") && M3.equals(t.chipOs())).findFirst().orElseThrow();
        assertTrue(stride.summary().contains("on the ANE up to 2, not from 4 where kernel=3x3"), stride.summary());
        // The average pooling kernel line is read as measured: not monotone, with the grid-swept points.
        assertTrue(kernel.summary().contains("not monotone: 1..3 ANE, 4 not, 5..8 ANE, 9 not, 10 ANE, 11..16 not "
                + "where type=average"), kernel.summary());
        List<String> evidence = new ArrayList<>();
        kernel.groups().forEach(g -> {
            evidence.addAll(g.below());
            evidence.addAll(g.above());
        });
        for (String id : evidence) {
            assertTrue(MEASURED.contains(id), id);
        }
    }

    @Test
    void gridRunsHaveNoAdaptiveColumnsOrSections(@TempDir Path dir) throws Exception {
        Report grid = ReportTest.generate(dir.resolve("out"), Fixtures.runs());
        assertFalse(grid.adaptive().present());
        String csv = Files.readString(dir.resolve("out/support.csv"));
        assertTrue(csv.startsWith(CsvFormat.header()));
        assertFalse(csv.contains("inferred"));
        assertFalse(Files.readString(dir.resolve("out/support.json")).contains("\"adaptive\""));
        assertFalse(Files.readString(dir.resolve("out/support.json")).contains("\"cell\""));
        assertFalse(Files.readString(dir.resolve("out/support-table.md")).contains("Adaptive"));
        String html = Files.readString(dir.resolve("out/index.html"));
        assertFalse(html.contains("id=\"adaptive\""));
        assertFalse(html.contains("\"inferred\""));
        assertEquals(1, html.split("\n  function el\\(tag, attrs, kids\\) \\{\n", -1).length - 1);
        assertFalse(html.contains("@@INCLUDE"), "an include line reached the page");
    }
}
