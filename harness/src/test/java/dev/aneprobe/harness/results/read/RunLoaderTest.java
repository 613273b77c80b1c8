package dev.aneprobe.harness.results.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
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
        assertTrue(warnings.get(0).endsWith("observations.jsonl:52: skipped: not JSON (error at character 6)"),
                warnings.get(0));
        assertTrue(warnings.get(1).endsWith(":53: skipped: missing probeId"), warnings.get(1));
        assertTrue(warnings.get(2).endsWith(":54: skipped: verdict.kind: \"MAYBE\" is not a verdict (ANE, NOT_ANE, "
                + "SPLIT, REJECTED, ...)"), warnings.get(2));
    }

    @Test
    void anAneLineWithoutVerdictIsMalformed(@TempDir Path dir) throws Exception {
        Path run = copyEnv(dir.resolve("r"));
        ObjectNode cpu = ObservationParserTest.fixtureLine(0);
        ObjectNode ane = ObservationParserTest.fixtureLine(1);
        ane.remove("verdict");
        Files.writeString(run.resolve(RunDir.OBSERVATIONS), ObservationParserTest.text(ane) + "\n\n"
                + ObservationParserTest.text(cpu.deepCopy().put("units", "npu")) + "\n"
                + ObservationParserTest.text(cpu) + "\n");
        List<String> warnings = new ArrayList<>();
        RunDir r = RunLoader.discover(List.of(run), false, warnings::add).get(0);
        ObservationReader.Stats st = ObservationReader.read(r, warnings::add, o -> { });
        assertEquals(1, st.used());
        assertEquals(4, st.lines());
        assertTrue(warnings.get(0).endsWith(":1: skipped: missing verdict (required on ane lines)"), warnings.get(0));
        assertTrue(warnings.get(1).endsWith(":3: skipped: units: \"npu\" is not one of cpu, gpu, ane, all"),
                warnings.get(1));
    }

    /** Issue 9: lines of the wrong types made a run gain probe rows; now each is one warning and only good rows count. */
    @Test
    void linesWithWrongTypesAddNoProbe(@TempDir Path dir) throws Exception {
        Path run = copyEnv(dir.resolve("r"));
        List<String> good = Files.readAllLines(Fixtures.runs().resolve("fixture-m2/observations.jsonl"));
        List<String> lines = new ArrayList<>(good);
        ObjectNode t = ObservationParserTest.fixtureLine(1);
        lines.add(ObservationParserTest.text(t.deepCopy().put("probeId", 42)));
        lines.add(ObservationParserTest.text(t.deepCopy().put("schema", 99)));
        lines.add(ObservationParserTest.text(t.deepCopy().putNull("params")));
        ObjectNode samples = t.deepCopy();
        ((ObjectNode) samples.get("timing")).put("samplesNs", "abc");
        lines.add(ObservationParserTest.text(samples));
        ObjectNode nan = t.deepCopy();
        ((ObjectNode) nan.get("timing").get("summary")).put("medianNs", "NaN");
        lines.add(ObservationParserTest.text(nan));
        ObjectNode huge = t.deepCopy();
        ((ObjectNode) huge.get("timing").get("summary")).put("medianNs", 1e308);
        lines.add(ObservationParserTest.text(huge));
        ObjectNode otherId = t.deepCopy().put("probeId", "pooling/type=max,kernel=99x99");
        lines.add(ObservationParserTest.text(otherId));
        Files.write(run.resolve(RunDir.OBSERVATIONS), lines);
        List<String> warnings = new ArrayList<>();
        RunDir r = RunLoader.discover(List.of(run), false, warnings::add).get(0);
        java.util.Set<String> ids = new java.util.TreeSet<>();
        ObservationReader.Stats st = ObservationReader.read(r, warnings::add, o -> ids.add(o.probeId()));
        assertEquals(good.size(), st.used());
        assertEquals(7, st.skipped());
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (String g : good) {
            expected.add(ObservationParserTest.bound(g).probeId());
        }
        assertEquals(expected, ids);
        assertEquals(7, warnings.size(), warnings.toString());
        for (int i = 0; i < 7; i++) {
            assertTrue(warnings.get(i).contains("observations.jsonl:" + (good.size() + 1 + i) + ": skipped: "),
                    warnings.get(i));
            String said = warnings.get(i).substring(warnings.get(i).indexOf(": skipped: ") + 11);
            assertTrue(said.length() <= 100, said);
        }
    }

    @Test
    void aFifoOrAnOverlongLineNeverBlocksOrFillsTheHeap(@TempDir Path dir) throws Exception {
        Path run = copyEnv(dir.resolve("r"));
        String good = ObservationParserTest.text(ObservationParserTest.fixtureLine(0));
        try (java.io.Writer w = Files.newBufferedWriter(run.resolve(RunDir.OBSERVATIONS))) {
            w.write(good + "\n");
            w.write("{\"future\":\"");
            char[] block = new char[1 << 20];
            Arrays.fill(block, 'x');
            for (int i = 0; i <= ObservationReader.MAX_LINE_BYTES >> 20; i++) {
                w.write(block);
            }
            w.write("\"}\n" + good + "\n");
        }
        List<String> warnings = new ArrayList<>();
        RunDir r = RunLoader.discover(List.of(run), false, warnings::add).get(0);
        ObservationReader.Stats st = ObservationReader.read(r, warnings::add, o -> { });
        assertEquals(new ObservationReader.Stats(3, 2, 1), st);
        assertTrue(warnings.get(0).endsWith(":2: skipped: longer than 16 MB, so not an observation"), warnings.toString());

        Path fifo = copyEnv(dir.resolve("f")).resolve(RunDir.OBSERVATIONS);
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo(fifo), "mkfifo is not available");
        warnings.clear();
        RunDir f = RunLoader.discover(List.of(fifo.getParent()), false, warnings::add).get(0);
        assertEquals(new ObservationReader.Stats(0, 0, 0), ObservationReader.read(f, warnings::add, o -> { }));
        assertTrue(warnings.get(0).endsWith("observations.jsonl: not a regular file; the run's observations are not "
                + "read"), warnings.toString());
    }

    static boolean mkfifo(Path p) throws Exception {
        try {
            return new ProcessBuilder("mkfifo", p.toString()).start().waitFor() == 0;
        } catch (java.io.IOException e) {
            return false;
        }
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
    void anUnusableEnvIsRefusedWithOnePlainLine(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("r"));
        ObjectNode env = (ObjectNode) Json.mapper().readTree(Fixtures.runs().resolve("fixture-m2/env.json").toFile());
        java.util.Map<String, Consumer<ObjectNode>> cases = new java.util.LinkedHashMap<>();
        cases.put("missing host.osName, host.osVersion", e -> {
            ((ObjectNode) e.get("host")).remove("osName");
            ((ObjectNode) e.get("host")).remove("osVersion");
        });
        cases.put("host.chip: a number, expected text", e -> ((ObjectNode) e.get("host")).put("chip", 42));
        cases.put("host: text, expected an object", e -> e.put("host", "M1"));
        cases.put("schema: \"2\", but this aneprobe reads version 1 only", e -> e.put("schema", 2));
        cases.put("host.hasNeuralEngine: text, expected true or false",
                e -> ((ObjectNode) e.get("host")).put("hasNeuralEngine", "yes"));
        cases.put("runId: \"../x\" is not a plain directory name", e -> e.put("runId", "../x"));
        cases.put("host.computeDevices[]: a number, expected text",
                e -> ((ObjectNode) e.get("host")).putArray("computeDevices").add(1));
        cases.put("host.osVersion: \"14.5?\" has a control character",
                e -> ((ObjectNode) e.get("host")).put("osVersion", "14.5\n"));
        cases.put("the file is an array, not a record (an object)", e -> { });
        for (var c : cases.entrySet()) {
            ObjectNode e = env.deepCopy();
            c.getValue().accept(e);
            Files.writeString(run.resolve(RunDir.ENV), c.getKey().startsWith("the file is an array")
                    ? "[" + Json.mapper().writeValueAsString(e) + "]" : Json.mapper().writeValueAsString(e));
            assertRefused(run, c.getKey());
        }
        String text = Json.mapper().writeValueAsString(env);
        Files.writeString(run.resolve(RunDir.ENV), "{not json");
        assertRefused(run, "not JSON (error at line 1, character ");
        Files.writeString(run.resolve(RunDir.ENV), text.substring(0, text.length() / 2));
        assertRefused(run, "cut short: it ends inside a value");
        Files.writeString(run.resolve(RunDir.ENV), text + " {}");
        assertRefused(run, "text after the record");
        Files.writeString(run.resolve(RunDir.ENV), text.replace("{\"schema\":1,", "{\"schema\":1,\"schema\":1,"));
        assertRefused(run, "a field appears twice");
        Files.writeString(run.resolve(RunDir.ENV), "");
        assertRefused(run, "empty");
        Files.delete(run.resolve(RunDir.ENV));
        if (mkfifo(run.resolve(RunDir.ENV))) {
            assertRefused(run, "not a regular file");
        }
    }

    /** A damaged or renamed simulated mark never makes a simulated run look real. */
    @Test
    void anyFormOfTheSimulatedMarkMakesTheRunSimulated() throws Exception {
        ObjectNode env = (ObjectNode) Json.mapper().readTree(Fixtures.runs().resolve("fixture-m2/env.json").toFile());
        assertFalse(EnvParser.parse(Json.mapper().writeValueAsBytes(env)).simulated());
        assertFalse(EnvParser.parse(Json.mapper().writeValueAsBytes(env.deepCopy().put("simulated", false)))
                .simulated());
        assertTrue(EnvParser.parse(Json.mapper().writeValueAsBytes(env.deepCopy().put("simulated", true)))
                .simulated());
        assertTrue(EnvParser.parse(Json.mapper().writeValueAsBytes(env.deepCopy().put("simulated", "yes")))
                .simulated());
        ObjectNode marked = env.deepCopy();
        marked.putObject("simulation").put("deviceModel", "contrarian");
        assertEquals("contrarian", EnvParser.parse(Json.mapper().writeValueAsBytes(marked)).simulation()
                .deviceModel());
    }

    private static void assertRefused(Path run, String why) {
        List<String> warnings = new ArrayList<>();
        RunLoader.NoRunsException e = assertThrows(RunLoader.NoRunsException.class,
                () -> RunLoader.discover(List.of(run), false, warnings::add));
        assertEquals(1, warnings.size(), warnings.toString());
        String w = warnings.get(0);
        assertTrue(w.contains(RunDir.ENV + ": refused: " + why), w);
        String said = w.substring(w.indexOf(": refused: ") + 11);
        assertTrue(said.length() <= 100 && !said.contains("dev.aneprobe") && !said.contains("Cannot construct")
                && !said.contains("StreamReadFeature"), said);
        assertEquals("no readable run in " + run + ": 1 run refused (see above)", e.getMessage());
    }

    static Path copyEnv(Path run) throws Exception {
        Files.createDirectories(run);
        Files.copy(Fixtures.runs().resolve("fixture-m2/env.json"), run.resolve(RunDir.ENV));
        return run;
    }
}
