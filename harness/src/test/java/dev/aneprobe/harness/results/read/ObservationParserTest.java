package dev.aneprobe.harness.results.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Timing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The streaming parser must read what the shared Jackson mapper reads (minus samples, stages and log). */
class ObservationParserTest {
    static Observation parse(String line) throws Exception {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return ObservationParser.parse(b, 0, b.length);
    }

    /** What data binding reads, with the fields the streaming parser leaves out removed. */
    static Observation bound(String line) throws Exception {
        Observation o = Json.mapper().readValue(line, Observation.class);
        Timing t = o.timing() == null ? null : new Timing(o.timing().compileMs(), o.timing().loadMs(),
                o.timing().coldNs(), null, o.timing().summary());
        return new Observation(o.schema(), o.runId(), o.probeId(), o.family(), o.layerType(), o.params(),
                o.modelSha256(), o.units(), o.startedAt(), null, o.plan(), t, null, o.failure(), o.verdict());
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

    @Test
    void unknownFieldsAndNullsAreTolerated() throws Exception {
        String line = "{\"probeId\":\"p/a=1\",\"family\":\"p\",\"layerType\":\"p\",\"modelSha256\":\"s\","
                + "\"units\":\"ane\",\"future\":{\"x\":[1,2,{\"y\":null}]},\"params\":{\"a\":\"1\"},\"plan\":null,"
                + "\"timing\":{\"samplesNs\":[1,2,3],\"summary\":{\"n\":3,\"minNs\":1,\"medianNs\":2,\"p90Ns\":3,"
                + "\"madNs\":0.5}},\"verdict\":{\"kind\":\"SPLIT\",\"ranOn\":[\"cpu\",\"ane\"],\"signals\":[{\"signal\":"
                + "\"plan\",\"says\":null,\"confidence\":\"0.5\"}]},\"log\":[\"a\"],\"stages\":[]}";
        Observation o = parse(line);
        assertEquals(bound(line), o);
        assertEquals(ComputeUnits.ANE, o.units());
        assertEquals(2.0, o.timing().summary().medianNs());
        assertEquals(List.of(), o.timing().samplesNs());
        assertNull(parse("null"));
    }

    @Test
    void wrongTypesAndUnknownValuesAreNamed() {
        ObservationParser.Problem p = assertThrows(ObservationParser.Problem.class,
                () -> parse("{\"units\":\"npu\"}"));
        assertEquals("bad value \"npu\" for units", p.getMessage());
        p = assertThrows(ObservationParser.Problem.class, () -> parse("{\"verdict\":{\"kind\":\"MAYBE\"}}"));
        assertEquals("bad value \"MAYBE\" for verdict.kind", p.getMessage());
        p = assertThrows(ObservationParser.Problem.class, () -> parse("{\"params\":[1]}"));
        assertEquals("wrong type for params", p.getMessage());
        p = assertThrows(ObservationParser.Problem.class, () -> parse("[1]"));
        assertEquals("wrong type for the observation", p.getMessage());
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
