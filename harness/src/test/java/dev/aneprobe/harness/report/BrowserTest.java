package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.results.read.RunLoader;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders index.html (from the FIXTURE runs) in headless Chromium and checks what its script built. Without
 * Chromium the test is skipped with a notice on the console, except on CI ({@code CI=true}), where a missing browser
 * is a failure.
 */
class BrowserTest {
    static String chromium;
    static ClaimSet claims;

    @BeforeAll
    static void findChromium() throws Exception {
        claims = Fixtures.claims();
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    chromium = p.toString();
                    return;
                }
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but no chromium on PATH: .ci/install-deps should have installed it");
        }
        // Surefire's summary only counts skipped tests: say on the console what was not checked, as the clang
        // check does.
        System.err.println("BrowserTest: skipped, chromium not found on PATH (bash .ci/install-deps installs it): "
                + "index.html is not rendered and checked");
        Assumptions.abort("chromium is not installed (apt-get install chromium): skipping the browser check");
    }

    static List<String> command(Path profile, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    static String run(List<String> cmd, Path log) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish: " + cmd);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    static Path page(Path dir, List<Path> runs) throws IOException {
        ReportGenerator.generate(RunLoader.discover(runs, true, w -> { }), claims, dir, w -> { });
        return dir.resolve("index.html");
    }

    static int count(String dom, String regex) {
        Matcher m = Pattern.compile(regex).matcher(dom);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theFixturePageIsBuiltByItsScript(@TempDir Path tmp) throws Exception {
        Path html = page(tmp.resolve("out"), List.of(Fixtures.runs()));
        String dom = run(command(Files.createDirectory(tmp.resolve("profile")), "--dump-dom",
                html.toUri().toString()), tmp.resolve("chromium.log"));
        assertTrue(dom.contains("data-rendered=\"true\""), "the page script ran to the end");
        assertTrue(dom.contains("id=\"fixture-banner\""), "fixture data is announced");
        assertEquals(claims.claims().size(), count(dom, "<tr class=\"claim-row\""));
        assertEquals(7, count(dom, "<tr class=\"family-row\""), "7 families in the fixtures");
        // Claim badges: one per claim and chip/OS, plus the overall one.
        assertEquals(claims.claims().size() * 2, count(dom, "class=\"claim-cell\""));
        assertEquals(4, count(dom, "class=\"claim-overall\" data-status=\"CONFIRMED\""));
        // Max pooling kernel x stride on the fixture M1: 3x3 grid; ANE within kernel <= 13 and stride <= 2,
        // except kernel 13 stride 2, which the two fixture runs dispute.
        String grid = section(dom, "data-heatmap=\"pooling-max\" data-column=\"FIXTURE Apple M1 / macOS 14.5\"");
        assertEquals(9, count(grid, "class=\"hm-cell\""));
        assertEquals(3, count(grid, "fill=\"#2e9d5b\" class=\"hm-cell\" data-kind=\"ane\""));
        assertEquals(5, count(grid, "fill=\"#d1495b\" class=\"hm-cell\" data-kind=\"notAne\""));
        assertEquals(1, count(grid, "fill=\"#7b52ab\" class=\"hm-cell\" data-kind=\"disputed\" data-x=\"13\" "
                + "data-y=\"2\""));
        // Every heatmap grid of the report is drawn, with one rect per (x, y).
        Report r = ReportGenerator.analyse(RunLoader.discover(List.of(Fixtures.runs()), false, w -> { }), claims,
                Files.createDirectory(tmp.resolve("work")), w -> { });
        int grids = 0;
        int cells = 0;
        for (Heatmap h : r.heatmaps()) {
            for (Heatmap.Grid g : h.grids()) {
                grids++;
                cells += g.xs().size() * g.ys().size();
            }
        }
        assertEquals(grids, count(dom, "<svg [^>]*class=\"heatmap\""));
        assertEquals(cells, count(dom, "class=\"hm-cell\""));
        assertEquals(2, count(dom, "class=\"latency-chart\""));
        assertTrue(count(dom, "class=\"lat-bar\"") >= 10);
        assertEquals(r.thresholds().size(), count(dom, "<tr class=\"threshold-row\""));
        assertEquals(3, count(dom, "<tr class=\"run-row\""));
    }

    @Test
    void theEmptyPageSaysNothingWasMeasured(@TempDir Path tmp) throws Exception {
        Path html = page(tmp.resolve("out"), List.of(Files.createDirectory(tmp.resolve("raw"))));
        String dom = run(command(Files.createDirectory(tmp.resolve("profile")), "--dump-dom",
                html.toUri().toString()), tmp.resolve("chromium.log"));
        assertTrue(dom.contains("id=\"empty-banner\""));
        assertEquals(claims.claims().size(), count(dom, "class=\"claim-overall\" data-status=\"UNTESTED\""));
        assertEquals(0, count(dom, "class=\"hm-cell\""));
    }

    @Test
    void theScreenshotIsNotBlank(@TempDir Path tmp) throws Exception {
        Path html = page(tmp.resolve("out"), List.of(Fixtures.runs()));
        Path png = tmp.resolve("page.png");
        run(command(Files.createDirectory(tmp.resolve("profile")), "--hide-scrollbars", "--window-size=1280,2400",
                "--screenshot=" + png, html.toUri().toString()), tmp.resolve("chromium.log"));
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(1280, img.getWidth());
        Set<Integer> colours = new HashSet<>();
        int background = img.getRGB(img.getWidth() - 5, img.getHeight() - 5);
        long different = 0;
        boolean aneGreen = false;
        boolean header = false;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                colours.add(rgb);
                different += rgb != (background & 0xffffff) ? 1 : 0;
                aneGreen |= rgb == 0x2e9d5b;
                header |= y < 60 && rgb == 0x18202c;
            }
        }
        assertTrue(colours.size() > 50, "a drawn page has many colours, found " + colours.size());
        assertTrue(different > img.getWidth() * img.getHeight() / 4 / 10, "more than a tenth is not background");
        assertTrue(aneGreen, "the ANE colour appears (badges, bars, heatmap cells)");
        assertTrue(header, "the dark header is at the top");
    }

    /** The text of the element whose start tag contains {@code marker}, up to its closing svg tag. */
    static String section(String dom, String marker) {
        int i = dom.indexOf(marker);
        assertTrue(i >= 0, "missing " + marker);
        return dom.substring(i, dom.indexOf("</svg>", i));
    }
}
