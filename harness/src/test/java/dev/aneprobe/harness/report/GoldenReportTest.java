package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files pin every byte of the report over the FIXTURE runs (the grid runs and the adaptive one together:
 * three chip/OS, malformed lines, a disputed probe, a sha256 conflict, inferred cells), so that work on the report's
 * speed (the parser, the claims, the row writers) can show it changed nothing.
 *
 * <p>After an intended change to what the report says, regenerate with {@code mvn -pl harness test
 * -Dtest=GoldenReportTest -Daneprobe.golden.update=true} and review the diff.
 */
class GoldenReportTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/report");
    private static final boolean UPDATE = Boolean.getBoolean("aneprobe.golden.update");

    @Test
    void theReportOverTheFixturesIsByteForByteTheGoldenOne(@TempDir Path tmp) throws Exception {
        ReportTest.generate(tmp, Fixtures.runs(), Fixtures.path("adaptive"));
        for (String f : ReportTest.FILES) {
            String made = Files.readString(tmp.resolve(f), StandardCharsets.UTF_8);
            Path golden = GOLDEN.resolve(f);
            if (UPDATE) {
                Files.createDirectories(GOLDEN);
                Files.writeString(golden, made, StandardCharsets.UTF_8);
            }
            assertTrue(Files.exists(golden), "no golden file " + golden
                    + " (run with -Daneprobe.golden.update=true to create it, then review it)");
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), made, "golden differs: " + golden);
        }
    }
}
