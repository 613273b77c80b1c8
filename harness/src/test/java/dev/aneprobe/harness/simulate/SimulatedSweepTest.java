package dev.aneprobe.harness.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The simulated sweep on the production path (shards, resume) and its provenance rules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimulatedSweepTest {
    private Path tmp;
    private Path probes;

    @BeforeAll
    void generate(@TempDir Path dir) throws Exception {
        tmp = dir;
        probes = dir.resolve("probes");
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.QUICK, List.of("pooling",
                "upsample"), List.of(), probes, true), GenerationListener.NONE);
    }

    private Cli.Run sweep(String model, Path out, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("sweep", "--simulate", model, "--probes",
                probes.toString(), "--out", out.toString(), "--iterations", "8", "--warmup", "0", "--quiet"));
        args.addAll(List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void shardsAndResumeWorkAndStayWithTheirDeviceModel() throws Exception {
        Path out = tmp.resolve("sharded");
        Cli.Run first = sweep("seed-v2", out, "--shard", "1/2", "--run-id", "s1");
        assertEquals(0, first.exit(), first.err());
        Cli.Run second = sweep("seed-v2", out, "--shard", "2/2", "--run-id", "s2");
        assertEquals(0, second.exit(), second.err());
        Set<String> seen = new HashSet<>();
        int lines = 0;
        for (String run : List.of("s1", "s2")) {
            for (Observation o : Cli.observations(out.resolve("raw").resolve(run))) {
                seen.add(o.probeId());
                lines++;
            }
        }
        assertEquals(7, seen.size(), "the two shards cover the 7 probes once");
        assertEquals(28, lines);

        Cli.Run again = sweep("seed-v2", out, "--shard", "1/2", "--run-id", "s1", "--resume");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().startsWith("recorded 0 lines"), again.out());

        Cli.Run other = sweep("contrarian", out, "--shard", "1/2", "--run-id", "s1", "--resume");
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("start a new run instead"), other.err());
        // The same simulated host from an edited file: the device model's sha256 tells them apart.
        Path edited = tmp.resolve("seed-v2-edited.yaml");
        try (var in = DeviceModel.class.getResourceAsStream(DeviceModel.RESOURCE_DIR + "seed-v2.yaml")) {
            Files.write(edited, (new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    + "# edited\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Cli.Run changed = sweep(edited.toString(), out, "--shard", "1/2", "--run-id", "s1", "--resume");
        assertEquals(2, changed.exit());
        assertTrue(changed.err().contains("was made against simulated device model seed-v2 (sha256 "), changed.err());

        // claims read both shards as one simulated chip; they may not be read together with a real run.
        Cli.Run claims = Cli.run("claims", "--runs", out.resolve("raw").toString());
        assertEquals(0, claims.exit(), claims.err());
        assertTrue(claims.out().startsWith("SIMULATED runs (s1 (device model seed-v2), s2 (device model seed-v2))"),
                claims.out());
        Cli.Run mixed = Cli.run("claims", "--runs", out.resolve("raw").toString(),
                Fixtures.runs().resolve("fixture-m1-a").toString());
        assertEquals(2, mixed.exit());
        assertTrue(mixed.err().contains("cannot be read together with runs from real Macs"), mixed.err());

        // Nothing simulated is published into a results tree.
        Path results = tmp.resolve("checkout").resolve("results");
        Files.createDirectories(results.resolve("claims"));
        Files.writeString(results.resolve("claims").resolve("claims.json"), "{}");
        Cli.Run report = Cli.run("report", "--runs", out.resolve("raw").toString(), "--out",
                results.resolve("tables").toString());
        assertEquals(2, report.exit());
        assertTrue(report.err().contains("refusing to write a report of simulated runs"), report.err());
        assertFalse(Files.exists(results.resolve("tables")));
        Cli.Run intoResults = sweep("seed-v2", results);
        assertEquals(2, intoResults.exit());
        assertTrue(intoResults.err().contains("a simulated sweep never writes into results/"), intoResults.err());
        assertFalse(Files.exists(results.resolve("raw")));
    }

    @Test
    void aMacWithoutNeuralEngineGivesNoAneEvenWhereCoreMlRefuses() throws Exception {
        Path model = tmp.resolve("intel.yaml");
        Files.writeString(model, """
                format: aneprobe-device-model/1
                name: intel-mac
                host: {chip: Intel Core i9, macos: "14.5", build: 23F79, neuralEngineCores: 0}
                default: {placement: ane}
                rules:
                  - id: no-upsample
                    types: [upsample]
                    reject: {stage: compile, code: -7, message: "Failed to parse the model: upsample (simulated)"}
                """);
        Path out = tmp.resolve("intel");
        Cli.Run r = sweep(model.toString(), out, "--run-id", "i");
        assertEquals(0, r.exit(), r.err());
        List<Observation> lines = Cli.observations(out.resolve("raw").resolve("i"));
        for (Observation o : lines) {
            if (o.verdict() == null) {
                continue;
            }
            // A refusal on such a host says nothing about the ANE: NO_ANE, the refusal kept in the note.
            assertEquals(VerdictKind.NO_ANE, o.verdict().kind(), o.probeId());
            if (o.family().equals("upsample")) {
                assertTrue(o.verdict().note().contains("Failed to parse the model: upsample (simulated)"),
                        o.verdict().note());
            }
        }
    }

    /**
     * A planted split: Core ML splits the layer under test itself (two plan entries of its name, half on the ANE),
     * which the harness must call SPLIT, while a helper kept off the ANE does not make a probe SPLIT.
     */
    @Test
    void aSplitLayerUnderTestIsSplit() throws Exception {
        Path model = tmp.resolve("split.yaml");
        Files.writeString(model, """
                format: aneprobe-device-model/1
                name: split-pooling
                description: FIXTURE for tests, not a real Mac
                host: {chip: Apple M1, macos: "14.5", build: 23F79, neuralEngineCores: 16}
                default: {placement: ane}
                rules:
                  - id: big-pooling-split
                    types: [pooling]
                    when: "math.greatest(params.kernelSize) > 13"
                    placement: ane
                    split: cpu
                    reason: "kernel width > 13: part of the layer falls back"
                """);
        Path out = tmp.resolve("split");
        Cli.Run r = sweep(model.toString(), out, "--run-id", "sp");
        assertEquals(0, r.exit(), r.err());
        DeviceModel device = DeviceModel.load(model.toString());
        java.util.Map<String, dev.aneprobe.harness.run.ProbeModel> byId = new java.util.HashMap<>();
        for (dev.aneprobe.harness.run.ProbeModel p : dev.aneprobe.harness.run.ManifestReader.read(probes)) {
            byId.put(p.id(), p);
        }
        int split = 0;
        for (Observation o : Cli.observations(out.resolve("raw").resolve("sp"))) {
            if (o.verdict() == null) {
                continue;
            }
            dev.aneprobe.harness.run.ProbeModel p = byId.get(o.probeId());
            VerdictKind planted = PlantedTruth.verdict(device, ModelExtractor.extract(p.modelPath()), o.units(),
                    p.entry().layerType());
            assertEquals(planted, o.verdict().kind(), o.units().label() + " " + o.probeId() + ": "
                    + o.verdict().note());
            if (o.verdict().kind() == VerdictKind.SPLIT) {
                split++;
                assertTrue(o.probeId().startsWith("pooling/"), o.probeId());
                assertEquals(2, o.plan().stream().filter(e -> e.name().equals("probe")).count(), o.probeId());
                assertTrue(o.verdict().ranOn().contains(dev.aneprobe.harness.results.Device.ANE));
            }
        }
        assertEquals(2, split, "pooling kernel 14 under ane and all");
    }

    @Test
    void devicesShowsTheSimulatedHost() {
        Cli.Run r = Cli.run("devices", "--simulate", "field-notes");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chip:            SIMULATED Apple M4 [field-notes]"), r.out());
        assertTrue(r.out().contains("macOS:           15.2 (24C101)"), r.out());
        assertTrue(r.out().contains("SIMULATED:       device model field-notes (shipped"), r.out());
    }
}
