package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.read.RunLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the page of the FIXTURE adaptive run in headless Chromium (skipped without it, as {@link BrowserTest}):
 * inferred cells are drawn hatched, never as measured, and the section lists the searches and the interval that is
 * not monotonic.
 */
class AdaptiveBrowserTest {
    @BeforeAll
    static void findChromium() throws Exception {
        BrowserTest.findChromium();
    }

    @Test
    void inferredCellsAreDrawnApartFromMeasuredOnes(@TempDir Path tmp) throws Exception {
        Path html = BrowserTest.page(tmp.resolve("out"), List.of(Fixtures.path("adaptive")));
        String dom = BrowserTest.run(BrowserTest.command(Files.createDirectory(tmp.resolve("profile")), "--dump-dom",
                html.toUri().toString()), tmp.resolve("chromium.log"));
        assertTrue(dom.contains("data-rendered=\"true\""), "the page script ran to the end");
        assertTrue(dom.contains("data-adaptive-rendered=\"true\""), "the adaptive script ran to the end");
        Report r = ReportGenerator.analyse(RunLoader.discover(List.of(Fixtures.path("adaptive")), false, w -> { }),
                BrowserTest.claims, Files.createDirectory(tmp.resolve("work")), w -> { });
        // Every heatmap cell that holds inferred probes only is drawn as inferred; every cell with measured probes
        // keeps its measured colour.
        int inferredOnly = 0;
        int measuredCells = 0;
        for (Heatmap h : r.heatmaps()) {
            for (Heatmap.Grid g : h.grids()) {
                for (int y = 0; y < g.ys().size(); y++) {
                    for (int x = 0; x < g.xs().size(); x++) {
                        boolean measured = g.cells().get(y).get(x) != null;
                        measuredCells += measured ? 1 : 0;
                        inferredOnly += !measured && g.inferred() != null && g.inferred().get(y).get(x) != null
                                ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(17, inferredOnly, "the 17 inferred max and average pooling cells (see AdaptiveReportTest)");
        assertEquals(inferredOnly, BrowserTest.count(dom, "data-kind=\"inferred\""));
        int empty = BrowserTest.count(dom, "data-kind=\"empty\"");
        int drawn = BrowserTest.count(dom, "class=\"hm-cell\"");
        assertEquals(measuredCells, drawn - empty - inferredOnly, "measured cells are the only filled ones");
        // The max pooling grid: kernel 2 at stride 1 hatched green (its neighbours ran on the ANE), kernel 16 at
        // stride 2 hatched red, kernel 3 at stride 3 unknown (empty).
        String grid = BrowserTest.section(dom, "data-heatmap=\"pooling-max\"");
        assertTrue(Pattern.compile("fill=\"url\\(#inferred-ane\\)\" class=\"hm-cell\" data-kind=\"inferred\" "
                + "data-x=\"2\" data-y=\"1\"").matcher(grid).find(), grid);
        assertTrue(grid.contains("fill=\"url(#inferred-notAne)\" class=\"hm-cell\" data-kind=\"inferred\" "
                + "data-x=\"16\" data-y=\"2\""), grid);
        assertTrue(grid.contains("class=\"hm-cell\" data-kind=\"empty\" data-x=\"3\" data-y=\"3\""), grid);
        Matcher title = Pattern.compile("data-x=\"2\" data-y=\"1\"[^>]*><title>([^<]*)</title>").matcher(grid);
        assertTrue(title.find(), grid);
        assertTrue(title.group(1).contains("1 inferred, not measured"), title.group(1));
        assertEquals(1, BrowserTest.count(dom, "<tr class=\"search-row\""));
        assertEquals(1, BrowserTest.count(dom, "<li class=\"non-monotonic\""));
        assertEquals(r.adaptive().boundaries().size(), BrowserTest.count(dom, "<tr class=\"boundary-row\""));
        assertEquals(3, BrowserTest.count(dom, "<tr class=\"boundary-row\" data-exact=\"false\""),
                "stride 2..4 and 1..3, and kernel 1..16 at stride 3");
    }
}
