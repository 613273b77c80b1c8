package dev.aneprobe.harness.fuzz;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real probes to mutate, built in memory by the project's own generator (which validates each as always): families
 * chosen to reach every part of the checker — convolution and recurrent weights (peepholes included), nested branch
 * and loop networks, custom and ND layers; ML Programs with weight files, control flow, tensor lists, classifier
 * outputs, state, constexpr ops. Each is its family's quick baseline with the sizes made small (a few KB), so a
 * mutant is quick to write, check and compare.
 */
public final class FuzzSeeds {
    /** NeuralNetwork probes (written as {@code .mlmodel} files): family, then axis=value pairs over the baseline. */
    static final List<List<String>> NN = List.of(
            List.of("pooling", "in", "8x8x8"),
            List.of("convolution", "cout", "8", "in", "4x8x8"),
            List.of("innerProduct", "in", "16", "cout", "8"),
            List.of("uniDirectionalLSTM", "in", "8", "hidden", "4", "peephole", "true"),
            List.of("gru", "in", "8", "hidden", "4"),
            List.of("branch", "in", "1x8x8x8"),
            List.of("loop", "in", "1x8x8x8"),
            List.of("embedding", "vocab", "20", "cout", "8"),
            List.of("addBroadcastable", "in", "1x8x8x8"),
            List.of("reshapeND", "in", "1x8x8x8"),
            List.of("custom", "in", "8x8x8"),
            List.of("batchnorm", "in", "8x8x8"),
            List.of("concat", "in", "8x8x8"),
            List.of("resizeBilinear", "in", "8x8x8"),
            List.of("layerNormalization", "in", "1x8x8x8"));
    /** ML Program probes (written as {@code .mlpackage} directories). */
    static final List<List<String>> MIL = List.of(
            List.of("mil.conv", "in", "1x4x8x8"),
            List.of("mil.cond", "in", "1x8x8x8"),
            List.of("mil.while_loop", "in", "1x8x8x8"),
            List.of("mil.list", "in", "1x8x8x8"),
            List.of("mil.classify"),
            List.of("mil.state", "in", "1x8x8x8"),
            List.of("mil.constexpr", "in", "1x8x64"),
            List.of("mil.lstm", "hidden", "16", "in", "4x1x16"),
            List.of("mil.gather", "in", "1x8x8x8"),
            List.of("mil.reshape", "in", "1x8x8x8"),
            List.of("mil.layer_norm", "in", "1x8x8x8"));

    private static List<BuiltProbe> nn;
    private static List<BuiltProbe> mil;

    private FuzzSeeds() {
    }

    public static synchronized List<BuiltProbe> neuralNetworks() {
        if (nn == null) {
            nn = build(NN);
        }
        return nn;
    }

    public static synchronized List<BuiltProbe> programs() {
        if (mil == null) {
            mil = build(MIL);
        }
        return mil;
    }

    private static List<BuiltProbe> build(List<List<String>> seeds) {
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        List<BuiltProbe> built = new ArrayList<>();
        for (List<String> seed : seeds) {
            String family = seed.get(0);
            ProbeSpec baseline = generator.plan(new GenerationRequest(Profile.QUICK, List.of(family), List.of(),
                    Path.of("unused"), false)).get(0);
            Map<String, String> params = new LinkedHashMap<>(baseline.params());
            for (int i = 1; i < seed.size(); i += 2) {
                if (params.replace(seed.get(i), seed.get(i + 1)) == null) {
                    throw new IllegalStateException(family + " has no axis " + seed.get(i));
                }
            }
            built.add(generator.build(catalog.family(family), new ProbeSpec(family, params)));
        }
        return List.copyOf(built);
    }
}
