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
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
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

    /** FIXTURE: a made-up observation of run "r" that passes every field check (probe "pooling/k=ID"). */
    static Observation obs(String id, ComputeUnits u) {
        Verdict v = u.allowsNeuralEngine() ? new Verdict(VerdictKind.NO_ANE, List.of(), List.of(), List.of(),
                "fixture") : null;
        return new Observation(1, "r", pid(id), "pooling", "pooling", Map.of("k", id), "a".repeat(64), u,
                "2025-01-01T00:00:00Z", List.of(), List.of(), null, List.of(), null, v);
    }

    static String pid(String id) {
        return "pooling/k=" + id;
    }

    @Test
    void appendsOneLinePerObservationAndReadsThemBack() {
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertTrue(j.existing().isEmpty());
            j.append(obs("a", ComputeUnits.CPU));
            j.append(obs("a", ComputeUnits.ANE));
            assertTrue(j.isDone(pid("a"), ComputeUnits.ANE));
            assertFalse(j.isDone(pid("a"), ComputeUnits.GPU));
        }
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            assertEquals(List.of(obs("a", ComputeUnits.CPU), obs("a", ComputeUnits.ANE)), j.existing());
            assertEquals(0, j.truncatedBytes());
            assertTrue(j.isDone(pid("a"), ComputeUnits.CPU));
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
            assertFalse(j.isDone(pid("b"), ComputeUnits.CPU));
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
    void aDamagedLineIsSkippedWithOneLineAndKeptAndItsProbeIsMeasuredAgain() throws Exception {
        try (ObservationJournal j = ObservationJournal.open(dir)) {
            j.append(obs("a", ComputeUnits.CPU));
        }
        Path f = dir.resolve(ObservationJournal.FILE);
        String good = Files.readString(f);
        String otherRun = good.replace("\"runId\":\"r\"", "\"runId\":\"q\"").replace("k=a", "k=c")
                .replace("\"k\":\"a\"", "\"k\":\"c\"");
        String badUnits = good.replace("\"units\":\"cpu\"", "\"units\":\"npu\"").replace("k=a", "k=b")
                .replace("\"k\":\"a\"", "\"k\":\"b\"");
        String before = good + "not json\n" + badUnits + otherRun;
        Files.writeString(f, before);
        List<String> warnings = new java.util.ArrayList<>();
        try (ObservationJournal j = ObservationJournal.open(dir, "r", warnings::add)) {
            assertEquals(List.of(obs("a", ComputeUnits.CPU)), j.existing());
            assertTrue(j.isDone(pid("a"), ComputeUnits.CPU));
            assertFalse(j.isDone(pid("b"), ComputeUnits.CPU), "a damaged line's probe is measured again");
            assertFalse(j.isDone(pid("c"), ComputeUnits.CPU));
            j.append(obs("b", ComputeUnits.CPU));
        }
        assertEquals(3, warnings.size(), warnings.toString());
        for (String w : warnings) {
            assertEquals(1, w.lines().count(), w);
            assertTrue(w.endsWith("; it stays in the file, and its probe and setting are measured again"), w);
        }
        assertTrue(warnings.get(0).startsWith(f + ":2: skipped a damaged line (not JSON"), warnings.get(0));
        assertTrue(warnings.get(1).startsWith(f + ":3: skipped a damaged line (units"), warnings.get(1));
        assertTrue(warnings.get(2).startsWith(f + ":4: skipped a damaged line (runId"), warnings.get(2));
        // Nothing recorded is lost: the damaged lines stay, the new line follows them.
        assertTrue(Files.readString(f).startsWith(before));
        assertEquals(5, Files.readAllLines(f).size());

        // Where nobody can be told (a plain open), damage is refused with the same line.
        UserInputException e = assertThrows(UserInputException.class, () -> ObservationJournal.open(dir));
        assertTrue(e.getMessage().startsWith(f + ":2: skipped a damaged line (not JSON"), e.getMessage());
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
