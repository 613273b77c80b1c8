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

    /**
     * switching: with "gpu: once", ops after the first ANE -> GPU switch that would go back to the ANE stay on the
     * GPU; with "cpu: repeat" (and without the section) every op is placed on its own. Only when the ANE is allowed.
     */
    @Test
    void switchingOnceKeepsTheModelOnTheDeviceItLeftTheAneFor() throws Exception {
        String rules = """
                rules:
                  - id: u-gpu
                    types: [select]
                    placement: gpu
                  - id: u-cpu
                    types: [gather_along_axis]
                    placement: cpu
                """;
        Path once = tmp.resolve("once.yaml");
        Files.writeString(once, HEAD + "switching: {gpu: once, cpu: repeat}\n" + rules);
        Path plain = tmp.resolve("plain.yaml");
        Files.writeString(plain, HEAD + rules);
        ModelFacts gpuChain = chain("select", "u1", "s1", "u2", "s2");
        ModelFacts gpuChainSFirst = chain("select", "s1", "u1", "s2", "u2");
        ModelFacts cpuChain = chain("gather_along_axis", "s1", "u1", "s2", "u2");
        DeviceModel d = DeviceModel.load(once.toString());
        assertEquals("ane gpu gpu gpu", devices(d, gpuChainSFirst, dev.aneprobe.harness.results.ComputeUnits.ALL));
        // U first: the model has not left the ANE yet when it meets s1.
        assertEquals("gpu ane gpu gpu", devices(d, gpuChain, dev.aneprobe.harness.results.ComputeUnits.ALL));
        assertEquals("ane cpu ane cpu", devices(d, cpuChain, dev.aneprobe.harness.results.ComputeUnits.ALL));
        // Without the GPU (CPU + Neural Engine), select falls to the CPU, which repeats.
        assertEquals("ane cpu ane cpu", devices(d, gpuChainSFirst, dev.aneprobe.harness.results.ComputeUnits.ANE));
        DeviceModel p = DeviceModel.load(plain.toString());
        assertEquals(DeviceModel.Switching.REPEAT, p.switching());
        assertEquals("ane gpu ane gpu", devices(p, gpuChainSFirst, dev.aneprobe.harness.results.ComputeUnits.ALL));

        Path bad = tmp.resolve("bad-switching.yaml");
        Files.writeString(bad, HEAD + "switching: {gpu: twice}\n");
        Cli.Run r = Cli.run("devices", "--simulate", bad.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("switching: 'gpu' must be once or repeat, not 'twice'"), r.err());
    }

    /** A chain of matmuls (s*) and {@code uType} ops (u*), in the given order. */
    private static ModelFacts chain(String uType, String... names) {
        java.util.List<OpFacts> ops = new java.util.ArrayList<>();
        for (String n : names) {
            ops.add(new OpFacts(n, n.startsWith("s") ? "matmul" : uType, 0, java.util.Map.of(), java.util.List.of(),
                    java.util.List.of(), java.util.List.of(), 0, false));
        }
        return new ModelFacts(ModelFacts.ML_PROGRAM, 7, "CoreML6", java.util.List.of(), java.util.List.of(), false,
                100, "00", ops);
    }

    private static String devices(DeviceModel d, ModelFacts m, dev.aneprobe.harness.results.ComputeUnits units) {
        java.util.List<String> out = new java.util.ArrayList<>();
        new Simulation(d, m, units).plan().forEach(p -> out.add(p.preferred().label()));
        return String.join(" ", out);
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
