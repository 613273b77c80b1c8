package dev.aneprobe.harness.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.analysis.thresholds.ThresholdFinder;
import dev.aneprobe.harness.results.read.RunLoader;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random thresholds planted in a device model come back from the pipeline: sweeps dense enough to bracket any of
 * them (pooling kernel 1..16 and stride 1..6, upsample scale 1..6), a simulated sweep, and the threshold finder
 * reporting "on the ANE up to T, not from T+1" for each.
 */
class PlantedThresholdsPropertyTest {
    private static Path dir;
    private static Path probes;

    @BeforeContainer
    static void generate() throws Exception {
        dir = Files.createTempDirectory("aneprobe-thresholds");
        probes = dir.resolve("probes");
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.QUICK, List.of("pooling",
                "upsample"), List.of(ParamOverride.parse("pooling.kernel=1..16"),
                ParamOverride.parse("pooling.stride=1..6"), ParamOverride.parse("upsample.scale=1,2,3,4,5,6")),
                probes, true), GenerationListener.NONE);
    }

    @AfterContainer
    static void clean() throws Exception {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 4, seed = "20260301", shrinking = ShrinkingMode.OFF)
    void plantedThresholdsComeBack(@ForAll @IntRange(min = 3, max = 15) int kernel,
            @ForAll @IntRange(min = 1, max = 5) int stride, @ForAll @IntRange(min = 2, max = 5) int scale)
            throws Exception {
        Path run = Files.createTempDirectory(dir, "run");
        Path model = run.resolve("planted.yaml");
        Files.writeString(model, """
                format: aneprobe-device-model/1
                name: planted
                host: {chip: Apple M1, macos: "14.5", build: 23F79, neuralEngineCores: 16}
                default: {placement: ane}
                rules:
                  - id: kernel
                    types: [pooling]
                    when: "!params.globalPooling && math.greatest(params.kernelSize) > %d"
                    placement: cpu
                  - id: stride
                    types: [pooling]
                    when: "!params.globalPooling && math.greatest(params.stride) > %d"
                    placement: cpu
                  - id: scale
                    types: [upsample]
                    when: "math.greatest(params.scalingFactor) > %d"
                    placement: cpu
                """.formatted(kernel, stride, scale));
        Path out = run.resolve("out");
        Cli.Run r = Cli.run("sweep", "--simulate", model.toString(), "--probes", probes.toString(), "--out",
                out.toString(), "--units", "cpu,ane", "--iterations", "8", "--warmup", "0", "--log", "off",
                "--quiet");
        assertEquals(0, r.exit(), r.err());
        var runs = RunLoader.discover(List.of(out.resolve("raw")), false, w -> { });
        Map<String, String> measured = new TreeMap<>();
        for (Threshold t : ThresholdFinder.find(ResultMatrix.read(runs, w -> { }, RunListener.NONE),
                ClaimSet.bundled())) {
            if (t.chipOs() != null && t.dimension().equals("max")) {
                Threshold.Group g = t.groups().get(0);
                measured.put(t.family() + "|" + t.axis(), g.shape() + " " + g.lastBefore() + "/" + g.firstAfter());
            }
        }
        assertEquals("drop " + kernel + "/" + (kernel + 1), measured.get("pooling|kernel"), measured.toString());
        assertEquals("drop " + stride + "/" + (stride + 1), measured.get("pooling|stride"), measured.toString());
        assertEquals("drop " + scale + "/" + (scale + 1), measured.get("upsample|scale"), measured.toString());
    }
}
