package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file or folder the report cites (support-table.md, index.html, ...) exists in this repository. */
class ReportCitationsTest {
    /**
     * A relative path: segments joined by '/', ending in a file name with an extension or in '/', and not part of a
     * URL or of a longer word (probe ids such as {@code pooling/type=max} have no extension).
     */
    static final Pattern PATH = Pattern.compile(
            "(?<![\\w.:/-])((?:\\.\\./)*(?:[\\w.-]+/)+(?:[\\w.-]*\\.(?:md|json|jsonl|csv|html|java|txt|proto)|))"
                    + "(?![\\w/-])");

    static Set<String> cited(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = PATH.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void thePatternFindsPathsAndSkipsUrlsAndProbeIds() {
        assertEquals(Set.of("results/claims/claims.json", "docs/report.md", "results/raw/", "../shared/x.md"),
                cited("see `results/claims/claims.json`, (see docs/report.md). results/raw/ holds ../shared/x.md "
                        + "https://github.com/a/b/docs/c.md pooling/type=max,kernel=3x3 chip/OS"));
    }

    @Test
    void everyCitedPathExistsInTheRepository(@TempDir Path tmp) throws Exception {
        ReportTest.generate(tmp.resolve("measured"), Fixtures.runs());
        ReportTest.generate(tmp.resolve("empty"), Files.createDirectories(tmp.resolve("no-runs")));
        Path repo = Fixtures.repo();
        List<String> missing = new ArrayList<>();
        Set<String> all = new TreeSet<>();
        for (Path dir : List.of(tmp.resolve("measured"), tmp.resolve("empty"), repo.resolve("results/tables"))) {
            for (String f : ReportTest.FILES) {
                for (String p : cited(Files.readString(dir.resolve(f)))) {
                    all.add(p);
                    if (!Files.exists(repo.resolve(p))) {
                        missing.add(dir.getFileName() + "/" + f + " cites " + p);
                    }
                }
            }
        }
        assertEquals(List.of(), missing);
        assertTrue(all.containsAll(Set.of("results/claims/claims.json", "results/claims/README.md", "docs/report.md")),
                all.toString());
    }
}
