package dev.aneprobe.harness.results.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.Observation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunLoaderTest {
    @Test
    void aParentOfRunsIsReadInRunIdOrder() {
        List<String> warnings = new ArrayList<>();
        List<RunDir> runs = RunLoader.discover(List.of(Fixtures.runs()), false, warnings::add);
        assertEquals(List.of("fixture-m1-a", "fixture-m1-b", "fixture-m2"), runs.stream().map(RunDir::runId).toList());
        assertTrue(runs.get(0).env().host().chip().startsWith("FIXTURE"), "fixtures say they are fixtures");
        assertEquals("FIXTURE Apple M1 / macOS 14.5", runs.get(0).chipOs());
        assertEquals(List.of(), warnings);
    }

    @Test
    void malformedLinesAreSkippedWithFileAndLineAndTheRestIsUsed() {
        RunDir a = RunLoader.discover(List.of(Fixtures.runs().resolve("fixture-m1-a")), false, w -> { }).get(0);
        List<String> warnings = new ArrayList<>();
        List<Observation> seen = new ArrayList<>();
        ObservationReader.Stats st = ObservationReader.read(a, warnings::add, seen::add);
        assertEquals(54, st.lines());
        assertEquals(51, st.used());
        assertEquals(3, st.skipped());
        assertEquals(51, seen.size());
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).endsWith("observations.jsonl:52: skipped: not JSON (Unrecognized token 'this': "
                + "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false'))"),
                warnings.get(0));
        assertTrue(warnings.get(1).endsWith(":53: skipped: missing probeId"), warnings.get(1));
        assertTrue(warnings.get(2).endsWith(":54: skipped: bad value \"MAYBE\" for verdict.kind"), warnings.get(2));
    }

    @Test
    void anAneLineWithoutVerdictIsMalformed(@TempDir Path dir) throws Exception {
        Path run = copyEnv(dir.resolve("r"));
        Files.writeString(run.resolve(RunDir.OBSERVATIONS),
                "{\"probeId\":\"p/a=1\",\"family\":\"p\",\"layerType\":\"p\",\"modelSha256\":\"s\",\"units\":\"ane\"}\n"
                + "\n"
                + "{\"probeId\":\"p/a=1\",\"family\":\"p\",\"layerType\":\"p\",\"modelSha256\":\"s\",\"units\":\"npu\"}\n"
                + "{\"probeId\":\"p/a=1\",\"family\":\"p\",\"layerType\":\"p\",\"modelSha256\":\"s\",\"units\":\"cpu\"}\n");
        List<String> warnings = new ArrayList<>();
        RunDir r = RunLoader.discover(List.of(run), false, warnings::add).get(0);
        ObservationReader.Stats st = ObservationReader.read(r, warnings::add, o -> { });
        assertEquals(1, st.used());
        assertTrue(warnings.get(0).endsWith(":1: skipped: missing verdict (required on ane lines)"), warnings.get(0));
        assertTrue(warnings.get(1).contains(":3: skipped:") && warnings.get(1).contains("units"), warnings.get(1));
    }

    @Test
    void manyMalformedLinesAreCountedNotAllPrinted(@TempDir Path dir) throws Exception {
        Path run = copyEnv(dir.resolve("r"));
        Files.writeString(run.resolve(RunDir.OBSERVATIONS), "garbage\n".repeat(50));
        List<String> warnings = new ArrayList<>();
        RunDir r = RunLoader.discover(List.of(run), false, warnings::add).get(0);
        ObservationReader.read(r, warnings::add, o -> { });
        assertEquals(Warnings.PER_FILE + 1, warnings.size());
        assertTrue(warnings.get(Warnings.PER_FILE).endsWith("30 more malformed lines skipped (50 in all)"));
    }

    @Test
    void aRunWithoutEnvIsRefusedAndNothingReadableIsOneError() {
        List<String> warnings = new ArrayList<>();
        RunLoader.NoRunsException e = assertThrows(RunLoader.NoRunsException.class,
                () -> RunLoader.discover(List.of(Fixtures.path("bad/no-env")), false, warnings::add));
        assertTrue(warnings.get(0).contains("refused: no env.json"), warnings.toString());
        assertTrue(e.getMessage().startsWith("no readable run in "), e.getMessage());
        // The other runs are still read when one is refused.
        List<RunDir> runs = RunLoader.discover(List.of(Fixtures.path("bad"), Fixtures.runs()), false, w -> { });
        assertEquals(3, runs.size());
    }

    @Test
    void missingPathsAndEmptyParents(@TempDir Path dir) {
        assertThrows(RunLoader.NoRunsException.class,
                () -> RunLoader.discover(List.of(dir.resolve("nope")), false, w -> { }));
        assertThrows(RunLoader.NoRunsException.class, () -> RunLoader.discover(List.of(dir), false, w -> { }));
        assertEquals(List.of(), RunLoader.discover(List.of(dir), true, w -> { }),
                "the default results/raw may be empty: nothing measured yet");
        assertThrows(RunLoader.NoRunsException.class,
                () -> RunLoader.discover(List.of(dir.resolve("nope")), true, w -> { }));
    }

    @Test
    void anUnusableEnvIsRefused(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        Files.writeString(run.resolve(RunDir.ENV), "{\"runId\":\"r\",\"host\":{\"chip\":\"FIXTURE X\"}}");
        List<String> warnings = new ArrayList<>();
        assertThrows(RunLoader.NoRunsException.class, () -> RunLoader.discover(List.of(run), false, warnings::add));
        assertTrue(warnings.get(0).contains("refused: missing host.osName, host.osVersion"), warnings.toString());
        Files.writeString(run.resolve(RunDir.ENV), "{not json");
        warnings.clear();
        assertThrows(RunLoader.NoRunsException.class, () -> RunLoader.discover(List.of(run), false, warnings::add));
        assertTrue(warnings.get(0).contains("refused: not a valid env record"), warnings.toString());
    }

    static Path copyEnv(Path run) throws Exception {
        Files.createDirectories(run);
        Files.copy(Fixtures.runs().resolve("fixture-m2/env.json"), run.resolve(RunDir.ENV));
        return run;
    }
}
