package dev.aneprobe.harness.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Device-model files: the shipped ones load; every kind of bad input is one line naming file, rule and problem. */
class DeviceModelTest {
    @TempDir
    Path tmp;

    private static final String HEAD = """
            format: aneprobe-device-model/1
            name: test
            host: {chip: Apple M1, macos: "14.5", build: 23F79, neuralEngineCores: 16}
            default: {placement: ane}
            """;

    @Test
    void theShippedDeviceModelsLoad() {
        for (String name : DeviceModel.SHIPPED) {
            DeviceModel d = DeviceModel.shipped(name);
            assertEquals(name, d.name());
            assertTrue(d.shipped());
            assertEquals(64, d.sha256().length());
            assertFalse(d.rules().isEmpty(), name);
        }
    }

    @Test
    void aRuleMatchesByTypeAndPredicateFirstMatchWins() throws Exception {
        Path f = tmp.resolve("m.yaml");
        Files.writeString(f, HEAD + """
                rules:
                  - id: big-kernel
                    types: [pooling]
                    when: "math.greatest(params.kernelSize) > 9"
                    placement: cpu
                    reason: "kernel too big"
                  - id: any-pooling
                    types: [pooling]
                    placement: gpu
                """);
        DeviceModel d = DeviceModel.load(f.toString());
        OpFacts big = pooling(13);
        OpFacts small = pooling(3);
        ModelFacts m = new ModelFacts(ModelFacts.NEURAL_NETWORK, 1, "", java.util.List.of(), java.util.List.of(),
                false, 100, "00", java.util.List.of(big));
        assertEquals("big-kernel", d.decide(big, m).id());
        assertEquals("any-pooling", d.decide(small, m).id());
        assertEquals("default", d.decide(new OpFacts("p", "convolution", 0, java.util.Map.of(), java.util.List.of(),
                java.util.List.of(), java.util.List.of(), 0, false), m).id());
    }

    private static OpFacts pooling(long k) {
        return new OpFacts("probe", "pooling", 0, java.util.Map.of("kernelSize", java.util.List.of(k, k),
                "globalPooling", false), java.util.List.of(), java.util.List.of(), java.util.List.of(), 0, false);
    }

    /** Each bad file: exit 2, one stderr line naming the file, where, and what is wrong; nothing written. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "syntax error|rules:\\n  - id: r1\\n    types: [pooling\\n|line |syntax error",
        "unknown field|rules:\\n  - id: r1\\n    placment: cpu\\n|rule 'r1' (rules[0])|unknown field 'placment'",
        "does not compile|rules:\\n  - id: r1\\n    when: \"elements >\"\\n    placement: cpu\\n|rule 'r1' (rules[0])|'when' does not compile",
        "unknown value|rules:\\n  - id: r1\\n    when: \"kernal > 3\"\\n    placement: cpu\\n|rule 'r1' (rules[0])|'when' names an unknown value 'kernal'",
        "unknown param|rules:\\n  - id: r1\\n    types: [pooling]\\n    when: \"params.kernel[0] > 3\"\\n    placement: cpu\\n|rule 'r1' (rules[0])|'when' names an unknown value 'params.kernel'",
        "not a bool|rules:\\n  - id: r1\\n    when: \"elements + 1\"\\n    placement: cpu\\n|rule 'r1' (rules[0])|expected type 'bool' but found 'int'",
        "wrong operand type|rules:\\n  - id: r1\\n    when: \"type > 3\"\\n    placement: cpu\\n|rule 'r1' (rules[0])|no matching overload",
        "wrong field type|rules:\\n  - id: r1\\n    placement: cpu\\n    wholeModel: 3\\n|rule 'r1' (rules[0])|field 'wholeModel' has the wrong type: expected true or false",
        "unknown type|rules:\\n  - id: r1\\n    types: [poolling]\\n    placement: cpu\\n|rule 'r1' (rules[0])|unknown layer or op type 'poolling' (did you mean 'pooling'?)",
        "no outcome|rules:\\n  - id: r1\\n    types: [pooling]\\n|rule 'r1' (rules[0])|has no outcome",
        "split off the ane|rules:\\n  - id: r1\\n    placement: cpu\\n    split: gpu\\n|rule 'r1' (rules[0])|'split' (the second half of a layer Core ML splits) needs placement: ane",
        "split to the ane|rules:\\n  - id: r1\\n    placement: ane\\n    split: ane\\n|rule 'r1' (rules[0])|must be cpu or gpu",
    })
    void badInputIsOneLineAndWritesNothing(String what, String rules, String where, String problem) throws Exception {
        Path f = tmp.resolve("bad.yaml");
        Files.writeString(f, HEAD + rules.replace("\\n", "\n"));
        Path out = tmp.resolve("out");
        Cli.Run r = Cli.run("sweep", "--simulate", f.toString(), "--probes", tmp.resolve("none").toString(),
                "--out", out.toString());
        assertEquals(2, r.exit(), what + ": " + r.err());
        String line = r.err().strip();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("aneprobe: device model " + f + ", "), line);
        assertTrue(line.contains(where), what + ": " + line);
        assertTrue(line.contains(problem), what + ": " + line);
        assertFalse(Files.exists(out), "nothing is written");
    }

    @Test
    void aHostFieldOfTheWrongTypeNamesTheField() throws Exception {
        Path f = tmp.resolve("host.json");
        Files.writeString(f, """
                {"format": "aneprobe-device-model/1", "name": "j",
                 "host": {"chip": "Apple M1", "macos": 14.5, "build": "23F79", "neuralEngineCores": 16},
                 "default": {"placement": "ane"}}
                """);
        Cli.Run r = Cli.run("devices", "--simulate", f.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("field 'host.macos' has the wrong type: expected a string (quote it)"), r.err());
    }

    @Test
    void anUnknownNameIsRefused() {
        Cli.Run r = Cli.run("devices", "--simulate", "no-such-model");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no such file, and no shipped device model of that name (shipped: seed-v1, "
                + "seed-v2, field-notes, contrarian)"), r.err());
    }
}
