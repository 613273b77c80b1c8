package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.testutil.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsEntriesInOrderWithAbsolutePathsAndComputedSha() throws Exception {
        Path p = new Probes().add("pooling/a", "x=1").add("upsample/b", "x=2").write(dir);
        List<ProbeModel> m = ManifestReader.read(p);
        assertEquals(List.of("pooling/a", "upsample/b"), m.stream().map(ProbeModel::id).toList());
        assertTrue(m.get(0).modelPath().isAbsolute());
        assertEquals(64, m.get(0).sha256().length());
        assertEquals(ManifestReader.sha256(m.get(0).modelPath()), m.get(0).sha256());
        assertTrue(!m.get(0).sha256().equals(m.get(1).sha256()));
    }

    @Test
    void problemsNameTheLine() throws Exception {
        Path p = new Probes().add("pooling/a").write(dir);
        String line = Files.readAllLines(p.resolve("manifest.jsonl")).get(0);
        Files.write(p.resolve("manifest.jsonl"), List.of(line, line));
        UserInputException dup = assertThrows(UserInputException.class, () -> ManifestReader.read(p));
        assertTrue(dup.getMessage().endsWith("manifest.jsonl:2: duplicate probe id pooling/a"), dup.getMessage());

        Files.write(p.resolve("manifest.jsonl"), List.of(line.replace("pooling/p0.mlmodel", "pooling/gone.mlmodel")));
        assertTrue(assertThrows(UserInputException.class, () -> ManifestReader.read(p)).getMessage()
                .contains("model pooling/gone.mlmodel does not exist"));

        Files.write(p.resolve("manifest.jsonl"), List.of("{oops"));
        assertTrue(assertThrows(UserInputException.class, () -> ManifestReader.read(p)).getMessage()
                .contains("manifest.jsonl:1: not a manifest entry"));
    }
}
