package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.read.RunLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed results/tables must be exactly what `aneprobe report` makes from the committed results/raw: a table
 * edited by hand, or not regenerated after a run was added, fails here.
 */
class PublishedTablesTest {
    @Test
    void resultsTablesAreRegeneratedFromResultsRawByteForByte(@TempDir Path tmp) throws Exception {
        Path repo = Fixtures.repo();
        Path out = tmp.resolve("tables");
        ReportGenerator.generate(RunLoader.discover(List.of(repo.resolve("results/raw")), true, w -> { }),
                Fixtures.claims(), out, w -> { });
        Path published = repo.resolve("results/tables");
        assertEquals(names(out), names(published), "the files in results/tables");
        for (String f : names(out)) {
            byte[] expected = Files.readAllBytes(out.resolve(f));
            byte[] actual = Files.readAllBytes(published.resolve(f));
            assertTrue(Arrays.equals(expected, actual), "results/tables/" + f + " is not what `./aneprobe report` "
                    + "makes from results/raw: regenerate it and commit");
        }
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
