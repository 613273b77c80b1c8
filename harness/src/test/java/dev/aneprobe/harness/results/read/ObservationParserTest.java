package dev.aneprobe.harness.results.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Timing;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The streaming parser reads what the shared Jackson mapper reads (minus samples, stages and log) for every
 * well-formed line, and refuses every line that is not exactly an observation, saying which field and what is wrong
 * in a few plain words.
 */
class ObservationParserTest {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static Observation parse(String line) throws Exception {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return ObservationParser.parse(b, 0, b.length, null);
    }

    /** What data binding reads, with the fields the streaming parser leaves out removed. */
    static Observation bound(String line) throws Exception {
        Observation o = Json.mapper().readValue(line, Observation.class);
        Timing t = o.timing() == null ? null : new Timing(o.timing().compileMs(), o.timing().loadMs(),
                o.timing().coldNs(), null, o.timing().summary());
        return new Observation(o.schema(), o.runId(), o.probeId(), o.family(), o.layerType(), o.params(),
                o.modelSha256(), o.units(), o.startedAt(), null, o.plan(), t, null, o.failure(), o.verdict(), o.search());
    }

    /** A FIXTURE line of fixture-m2 as a tree: 0 is a cpu line, 1 an ane line with a verdict. */
    static ObjectNode fixtureLine(int index) throws Exception {
        String line = Files.readAllLines(Fixtures.runs().resolve("fixture-m2/observations.jsonl")).get(index);
        return (ObjectNode) Json.mapper().readTree(line);
    }

    static String text(JsonNode n) throws Exception {
        return Json.mapper().writeValueAsString(n);
    }

    /** The ane line, changed by {@code change}, as text. */
    static String ane(Consumer<ObjectNode> change) throws Exception {
        ObjectNode o = fixtureLine(1);
        change.accept(o);
        return text(o);
    }

    static ObjectNode at(ObjectNode o, String path) {
        ObjectNode n = o;
        for (String part : path.split("\\.")) {
            n = (ObjectNode) n.get(part);
        }
        return n;
    }

    static String problem(String line) {
        ObservationParser.Problem p = assertThrows(ObservationParser.Problem.class, () -> parse(line), line);
        assertTrue(p.getMessage().length() <= 100, "a short line: " + p.getMessage());
        return p.getMessage();
    }

    @Test
    void everyWellFormedFixtureLineReadsAsDataBindingReadsIt() throws Exception {
        int n = 0;
        try (Stream<Path> files = Files.walk(Fixtures.runs())) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("observations.jsonl")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    Observation expected;
                    try {
                        expected = bound(line);
                    } catch (Exception e) {
                        continue; // the deliberately malformed lines
                    }
                    if (expected.probeId() == null) {
                        continue;
                    }
                    assertEquals(expected, parse(line), line);
                    n++;
                }
            }
        }
        assertEquals(69, n);
    }

    /**
     * The parser reads decimals with Jackson's fast double parser and keeps recent texts in a small table per thread;
     * neither may change what is read. Random decimals (with and without exponent, 17 digits) and axis values drawn
     * from a small pool, so that texts recur and slots collide, read exactly as data binding reads them.
     */
    @Test
    void randomDecimalsAndRecurringTextsReadAsDataBindingReadsThem() throws Exception {
        ObjectNode template = fixtureLine(1);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261203);
        String[] pool = {"1x1", "3x3", "13x13", "64x56x56", "max", "average", "valid", "same", "false", "true", "x"};
        for (int i = 0; i < 3000; i++) {
            ObjectNode o = template.deepCopy();
            ObjectNode params = NODES.objectNode();
            StringBuilder id = new StringBuilder("pooling/");
            int axes = 1 + rnd.nextInt(6);
            for (int a = 0; a < axes; a++) {
                String axis = "a" + rnd.nextInt(3) + a;
                String value = pool[rnd.nextInt(pool.length)] + (rnd.nextInt(4) == 0 ? Integer.toString(i) : "");
                params.put(axis, value);
                id.append(a == 0 ? "" : ",").append(axis).append('=').append(value);
            }
            o.set("params", params);
            o.put("probeId", id.toString());
            double median = decimal(rnd, 1e9);
            double p90 = median + decimal(rnd, 1e6);
            ObjectNode summary = at(o, "timing.summary");
            summary.put("minNs", (long) Math.floor(median * rnd.nextDouble()));
            summary.put("medianNs", median);
            summary.put("p90Ns", p90);
            summary.put("madNs", decimal(rnd, 1e5));
            at(o, "timing").put("compileMs", decimal(rnd, 1e4));
            ((ObjectNode) o.get("verdict").get("signals").get(1)).put("confidence", rnd.nextDouble());
            String line = text(o);
            assertEquals(bound(line), parse(line), line);
        }
    }

    /** A non-negative decimal below {@code max}: sometimes whole, sometimes tiny (written with an exponent). */
    private static double decimal(java.util.SplittableRandom rnd, double max) {
        return switch (rnd.nextInt(4)) {
            case 0 -> Math.floor(rnd.nextDouble() * max);
            case 1 -> rnd.nextDouble() * 1e-3;
            default -> rnd.nextDouble() * max;
        };
    }

    @Test
    void unknownFieldsAndNullsWhereTheWriterAllowsThemAreTolerated() throws Exception {
        String line = ane(o -> {
            o.putObject("future").putArray("x").add(1).add(2).addObject().putNull("y");
            o.put("anotherFuture", "text");
            at(o, "timing").putNull("compileMs");
            ((ObjectNode) o.get("plan").get(0)).putNull("preferred");
            ((ObjectNode) o.get("plan").get(0)).put("cost", 0.25);
            at(o, "verdict").putNull("note");
            o.putNull("failure");
        });
        Observation o = parse(line);
        assertEquals(bound(line), o);
        assertEquals(ComputeUnits.ANE, o.units());
        assertEquals(400000.0, o.timing().summary().medianNs());
        assertEquals(List.of(), o.timing().samplesNs());
        assertNull(o.timing().compileMs());
        String noTiming = ane(o2 -> o2.putNull("timing"));
        assertNull(parse(noTiming).timing());
        String withoutSummary = ane(o2 -> {
            at(o2, "timing").putArray("samplesNs");
            at(o2, "timing").remove("summary");
        });
        assertNull(parse(withoutSummary).timing().summary(), "a timing without samples has no summary");
    }

    /** The cases of issue 9, and the rest of the schema: each field by type and range. */
    @Test
    void everyFieldIsCheckedByTypeAndRange() throws Exception {
        assertEquals("probeId: a number, expected text", problem(ane(o -> o.put("probeId", 42))));
        assertEquals("timing.samplesNs: text, expected an array of whole numbers",
                problem(ane(o -> at(o, "timing").put("samplesNs", "abc"))));
        assertEquals("schema: 99, but this aneprobe reads version 1 only", problem(ane(o -> o.put("schema", 99))));
        assertEquals("schema: text, expected a whole number", problem(ane(o -> o.put("schema", "1"))));
        assertEquals("params: null, expected an object of axis values", problem(ane(o -> o.putNull("params"))));
        assertEquals("params.kernel: a number, expected text",
                problem(ane(o -> at(o, "params").put("kernel", 3))));
        assertEquals("timing.samplesNs[2]: -5 is negative", problem(ane(o -> {
            ArrayNode s = at(o, "timing").putArray("samplesNs");
            s.add(400000).add(400000).add(-5).add(400000).add(400000);
        })));
        assertEquals("timing.summary.n: 5, but samplesNs has 0",
                problem(ane(o -> at(o, "timing").putArray("samplesNs"))));
        assertEquals("timing.samplesNs[0]: 1.5 is not a whole number", problem(ane(o -> {
            ArrayNode s = at(o, "timing").putArray("samplesNs");
            s.add(1.5).add(400000).add(400000).add(400000).add(400000);
        })));
        assertEquals("timing.summary.n: 0 is out of range (at least 1)", problem(ane(o -> {
            at(o, "timing").putArray("samplesNs");
            at(o, "timing.summary").put("n", 0);
        })));
        assertEquals("timing: missing summary of its 5 samples",
                problem(ane(o -> at(o, "timing").remove("summary"))));
        assertEquals("timing.summary.medianNs: text, expected a number",
                problem(ane(o -> at(o, "timing.summary").put("medianNs", "NaN"))));
        assertEquals("timing.summary.medianNs: 1.0E308 is out of range (at most a day)",
                problem(ane(o -> at(o, "timing.summary").put("medianNs", 1e308))));
        assertEquals("timing.summary.p90Ns: -1.0 is negative",
                problem(ane(o -> at(o, "timing.summary").put("p90Ns", -1.0))));
        assertEquals("timing.summary: minNs, medianNs and p90Ns are not in order",
                problem(ane(o -> at(o, "timing.summary").put("minNs", 500000))));
        assertEquals("timing.summary: missing madNs", problem(ane(o -> at(o, "timing.summary").remove("madNs"))));
        assertTrue(problem(ane(o -> at(o, "timing").put("coldNs", new BigInteger("1" + "0".repeat(30)))))
                .startsWith("timing.coldNs: 1" + "0".repeat(23) + "... is out of range"));
        assertEquals("units: \"npu\" is not one of cpu, gpu, ane, all", problem(ane(o -> o.put("units", "npu"))));
        assertEquals("verdict.kind: \"MAYBE\" is not a verdict (ANE, NOT_ANE, SPLIT, REJECTED, ...)",
                problem(ane(o -> at(o, "verdict").put("kind", "MAYBE"))));
        assertEquals("verdict: missing kind", problem(ane(o -> at(o, "verdict").remove("kind"))));
        assertEquals("missing verdict (required on ane lines)", problem(ane(o -> o.remove("verdict"))));
        assertEquals("verdict: not expected on a cpu line (only ane and all lines have one)",
                problem(ane(o -> o.put("units", "cpu"))));
        assertEquals("verdict.signals.confidence: 2 is out of range (0 to 1)",
                problem(ane(o -> ((ObjectNode) o.get("verdict").get("signals").get(1)).put("confidence", 2))));
        assertEquals("verdict.agreed[]: \"vibes\" is not one of plan, dispatch, reason",
                problem(ane(o -> at(o, "verdict").putArray("agreed").add("vibes"))));
        assertEquals("verdict.ranOn[]: \"npu\" is not one of cpu, gpu, ane, other",
                problem(ane(o -> at(o, "verdict").putArray("ranOn").add("npu"))));
        assertEquals("failure.kind: ANE is not CRASHED or TIMEOUT",
                problem(ane(o -> o.putObject("failure").put("kind", "ANE"))));
        assertEquals("failure.signal: 99 is out of range (1 to 64)",
                problem(ane(o -> o.putObject("failure").put("kind", "CRASHED").put("signal", 99))));
        assertEquals("runId: \"another-run\" is not this run's (\"fixture-m2\" in env.json)",
                problemFor(ane(o -> o.put("runId", "another-run")), "fixture-m2"));
        assertEquals("probeId: \"...,kernel=3x3,stride=1...\" is not family/params "
                + "(\"...,kernel=5x5,stride=1...\")", problem(ane(o -> at(o, "params").put("kernel", "5x5"))));
        assertEquals("probeId: \"42\" is not family/params (\"pooling/type=max,ker...\")",
                problem(ane(o -> o.put("probeId", "42"))));
        assertEquals("modelSha256: \"ab\" is not 64 lower-case hex digits",
                problem(ane(o -> o.put("modelSha256", "ab"))));
        assertEquals("startedAt: \"yesterday\" is not a UTC time such as 2025-01-10T10:00:00Z",
                problem(ane(o -> o.put("startedAt", "yesterday"))));
        assertEquals("family: \"pool ing\" is not a family name", problem(ane(o -> o.put("family", "pool ing"))));
        assertEquals("probeId: \"pooling/type=max,kernel=...\" has a control character",
                problem(ane(o -> o.put("probeId", o.get("probeId").asText() + "\n"))));
        assertEquals("stages.status: \"DONE\" is not OK, FAILED, SKIPPED or UNSUPPORTED",
                problem(ane(o -> ((ObjectNode) o.get("stages").get(0)).put("status", "DONE"))));
        assertEquals("plan[]: an array, expected an object",
                problem(ane(o -> o.putArray("plan").addArray().addArray().addArray().add(1))));
        assertEquals("log[]: an object, expected text", problem(ane(o -> o.putArray("log").addObject())));
        assertEquals("missing probeId, params, log", problem(ane(o -> {
            o.remove("probeId");
            o.remove("params");
            o.remove("log");
        })));
    }

    @Test
    void whatIsNotARecordIsSaidInPlainWords() throws Exception {
        String good = text(fixtureLine(1));
        assertEquals("the line is null, not a record (an object)", problem("null"));
        assertEquals("the line is an array, not a record (an object)", problem("[1]"));
        assertEquals("text after the record", problem(good + " trailing"));
        assertEquals("text after the record", problem(good + good));
        assertEquals("probeId: appears twice", problem(good.replace("{\"schema\":1,",
                "{\"schema\":1,\"probeId\":\"pooling/x=1\",")));
        assertEquals("params.kernel: appears twice", problem(good.replace("\"kernel\":\"3x3\",",
                "\"kernel\":\"3x3\",\"kernel\":\"3x3\",")));
        // What the JSON library throws is turned into plain words, never its own message.
        List<String> syntax = List.of(
                good.substring(0, good.length() / 2),
                good.replace("\"medianNs\":400000.0", "\"medianNs\":NaN"),
                "{" + "\"future\":".repeat(1) + "[".repeat(5000) + "]".repeat(5000) + "}",
                "{\"probeId\":\"" + new String(new byte[] {(byte) 0xc3, (byte) 0x28}, StandardCharsets.ISO_8859_1)
                        + "\"}");
        List<String> said = List.of("cut short: it ends inside a value", "not JSON (error at character ",
                "not JSON that can be read: nested too deeply, or a number or text far too long", "not UTF-8 text");
        for (int i = 0; i < syntax.size(); i++) {
            byte[] b = syntax.get(i).getBytes(i == 3 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
            String problem = readOne(b);
            assertTrue(problem.startsWith(said.get(i)), problem);
            assertTrue(!problem.contains("Jackson") && !problem.contains("StreamReadFeature")
                    && !problem.contains("Unexpected") && !problem.contains("was expecting"), problem);
        }
    }

    /** The problem the reader records for one line of bytes. */
    static String readOne(byte[] line) {
        String[] problems = new String[1];
        assertNull(ObservationReader.parseLine(line, 0, line.length, null, problems, 0));
        return problems[0];
    }

    static String problemFor(String line, String runId) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return assertThrows(ObservationParser.Problem.class, () -> ObservationParser.parse(b, 0, b.length, runId))
                .getMessage();
    }

    @Test
    void anAdaptiveSweepsSearchStepIsReadAndChecked() throws Exception {
        String line = ane(o -> {
            ObjectNode s = o.putObject("search");
            s.put("axis", "kernel");
            s.put("role", "BISECT");
            s.put("low", "3x3");
            s.put("high", "15x15");
            s.put("reason", "outcomes differ at 3x3 (ANE) and 15x15 (NOT_ANE)");
        });
        Observation o = parse(line);
        assertEquals(bound(line), o);
        assertEquals(new dev.aneprobe.harness.results.SearchStep("kernel",
                dev.aneprobe.harness.results.SearchStep.Role.BISECT, "3x3", "15x15",
                "outcomes differ at 3x3 (ANE) and 15x15 (NOT_ANE)"), o.search());
        assertEquals(null, parse(ane(o2 -> { })).search());
        assertEquals("search.role: \"LEAP\" is not END, EDGE, BISECT, VERIFY or GRID", problem(ane(o2 -> {
            ObjectNode s = o2.putObject("search");
            s.put("axis", "kernel");
            s.put("role", "LEAP");
        })));
        assertEquals("search: missing role", problem(ane(o2 -> o2.putObject("search").put("axis", "kernel"))));
        assertEquals("search: low and high go together (an interval has two ends)", problem(ane(o2 -> {
            ObjectNode s = o2.putObject("search");
            s.put("axis", "kernel");
            s.put("role", "VERIFY");
            s.put("low", "3x3");
        })));
        assertEquals("search: text, expected an object", problem(ane(o2 -> o2.put("search", "x"))));
    }

    @Test
    void theIdIsItsFamilyAndParamsInOrder() {
        java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("axes", "-2,-1");
        params.put("in", "1x2x3");
        assertTrue(ObservationParser.idMatches("reduceND/axes=-2,-1,in=1x2x3", "reduceND", params));
        assertTrue(!ObservationParser.idMatches("reduceND/in=1x2x3,axes=-2,-1", "reduceND", params));
        assertTrue(!ObservationParser.idMatches("reduceND/axes=-2,-1,in=1x2x3,x=1", "reduceND", params));
        assertTrue(!ObservationParser.idMatches("reduceND/axes=-2,-1,in=1x2x", "reduceND", params));
        assertTrue(!ObservationParser.idMatches("reduce/axes=-2,-1,in=1x2x3", "reduceND", params));
        assertTrue(ObservationParser.idMatches("f/", "f", java.util.Map.of()));
        assertTrue(!ObservationParser.idMatches("42", "f", java.util.Map.of()));
    }

    @Test
    void instantsAreTheSweepsOwnFormat() {
        assertTrue(ObservationParser.isInstant("2025-01-10T10:00:00Z"));
        assertTrue(ObservationParser.isInstant("2025-01-10T10:00:00.123456789Z"));
        assertTrue(!ObservationParser.isInstant("2025-01-10T10:00:00.Z"));
        assertTrue(!ObservationParser.isInstant("2025-01-10 10:00:00Z"));
        assertTrue(!ObservationParser.isInstant("2025-01-10T10:00:00+01:00"));
    }

    @Test
    void newlinesAreFoundEightBytesAtATime() {
        String text = "a\nbb\n\n" + "x".repeat(37) + "\nlast";
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        int[] ends = ObservationReader.newlines(b, b.length);
        assertEquals("[1, 4, 5, 43, 48]", Arrays.toString(ends));
        assertTrue(ObservationReader.newlines(new byte[0], 0).length == 0);
        byte[] nl = "\n".repeat(20).getBytes(StandardCharsets.UTF_8);
        assertEquals(20, ObservationReader.newlines(nl, nl.length).length);
    }
}
