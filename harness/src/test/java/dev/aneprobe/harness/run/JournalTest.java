package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    static Observation obs(String id, ComputeUnits u) {
        return new Observation(1, "r", id, "pooling", "pooling", Map.of("k", "3"), "abc", u, "2025-01-01T00:00:00Z",
                List.of(), List.of(), null, List.of(), null, null);
    }

    @Test
    void appendsOneLinePerObservationAndReadsThemBack() {
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertTrue(j.existing().isEmpty());
            j.append(obs("a", ComputeUnits.CPU));
            j.append(obs("a", ComputeUnits.ANE));
            assertTrue(j.isDone("a", ComputeUnits.ANE));
            assertFalse(j.isDone("a", ComputeUnits.GPU));
        }
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertEquals(List.of(obs("a", ComputeUnits.CPU), obs("a", ComputeUnits.ANE)), j.existing());
            assertEquals(0, j.truncatedBytes());
            assertTrue(j.isDone("a", ComputeUnits.CPU));
        }
    }

    @Test
    void tornLastLineIsTruncatedAndAppendingContinuesCleanly() throws Exception {
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            j.append(obs("a", ComputeUnits.CPU));
        }
        Path f = dir.resolve(ObservationJournal.FILE);
        String good = Files.readString(f);
        Files.writeString(f, good + "{\"schema\":1,\"runId\":\"r\",\"probeId\":\"b\",\"uni");
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertEquals(1, j.existing().size());
            assertEquals(42, j.truncatedBytes());
            assertFalse(j.isDone("b", ComputeUnits.CPU));
            j.append(obs("b", ComputeUnits.CPU));
        }
        List<String> lines = Files.readAllLines(f);
        assertEquals(2, lines.size());
        assertEquals(good.strip(), lines.get(0));
        assertEquals(2, ObservationJournal.read(f).size());
    }

    @Test
    void aFileThatIsOnlyATornLineBecomesEmpty() throws Exception {
        Path f = dir.resolve(ObservationJournal.FILE);
        Files.writeString(f, "{\"schema\":1,\"ru");
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertEquals(15, j.truncatedBytes());
            assertTrue(j.existing().isEmpty());
        }
        assertEquals(0, Files.size(f));
    }

    @Test
    void tornLineLongerThanTheScanBlockIsFound() throws Exception {
        Path f = dir.resolve(ObservationJournal.FILE);
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            j.append(obs("a", ComputeUnits.CPU));
        }
        long good = Files.size(f);
        Files.write(f, "x".repeat(20_000).getBytes(StandardCharsets.UTF_8), java.nio.file.StandardOpenOption.APPEND);
        assertEquals(20_000, ObservationJournal.repair(f));
        assertEquals(good, Files.size(f));
    }

    @Test
    void aCorruptCompleteLineIsRefused() throws Exception {
        Path f = dir.resolve(ObservationJournal.FILE);
        Files.writeString(f, "not json\n");
        UserInputException e = assertThrows(UserInputException.class, () -> ObservationJournal.open(dir));
        assertTrue(e.getMessage().contains(":1 is not an observation"), e.getMessage());
    }

    @Test
    void envIsWrittenAtomicallyAndTheLatestRunIsFound() {
        Path out = dir.resolve("results");
        HostInfo h = new HostInfo("Apple M1", "Mac", "macOS", "14.5", "23F79", true, 16, List.of("cpu", "gpu", "ane"));
        RunDirectory.writeEnv(RunDirectory.of(out, "old"), new EnvRecord(1, "old", "2025-01-01T00:00:00Z", h, "dev",
                null, "jvm", null, List.of("sweep"), null));
        RunDirectory.writeEnv(RunDirectory.of(out, "new"), new EnvRecord(1, "new", "2025-02-01T00:00:00Z", h, "dev",
                null, "jvm", null, List.of("sweep"), "1/2"));
        assertEquals("new", RunDirectory.latestRunId(out).orElseThrow());
        assertEquals("1/2", RunDirectory.readEnv(RunDirectory.of(out, "new")).orElseThrow().shard());
        assertFalse(Files.exists(RunDirectory.of(out, "new").resolve("env.json.tmp")));
        assertThrows(UserInputException.class, () -> RunDirectory.of(out, "../x"));
    }
}
