package dev.aneprobe.probes.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.validate.LayerRules;
import dev.aneprobe.probes.validate.ModelValidator;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every probe of every family, in the full profile, builds into a model that passes the validator. */
class CatalogTest {
    private final Catalog catalog = Catalog.standard();
    private final ProbeGenerator generator = new ProbeGenerator(catalog);
    private final ModelValidator validator = new ModelValidator();

    @TestFactory
    List<DynamicTest> everyFullProfileProbeBuildsValid() {
        return catalog.families().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            List<ProbeSpec> probes = f.probes(Profile.FULL, List.of());
            assertFalse(probes.isEmpty(), "family " + f.name() + " has no probes");
            Set<String> files = new HashSet<>();
            int lowest = Integer.MAX_VALUE;
            for (ProbeSpec spec : probes) {
                BuiltProbe built = generator.build(f, spec); // throws GeneratorBugException when invalid
                lowest = Math.min(lowest, built.specificationVersion());
                assertTrue(f.layerTypes().contains(built.layerType()), spec.id());
                assertTrue(files.add(spec.fileName()), "two probes share file name " + spec.fileName());
                if (built.format().equals("mlmodel")) {
                    // A chain has no single layer under test: its layers are named by their place (ChainFamiliesTest).
                    assertEquals(ChainFamilies.isChain(f.name()) ? 0 : 1,
                            countProbeLayers(built.model().getNeuralNetwork()),
                            spec.id() + ": exactly one layer named probe (sub-networks included)");
                    assertShapesAgree(spec, validator.validate(built.model()).warnings());
                }
            }
            assertEquals(f.minSpecificationVersion(), lowest,
                    f.name() + ": declared minimum specification version differs from the lowest its probes need");
        })).toList();
    }

    /**
     * Core ML's rank-5 shape propagation agrees with every probe's declared output shapes. It gives up (a warning,
     * the model is still accepted) only on a valid-padding convolution whose stride of 3 or more leaves a remainder
     * of 2 or more: its upper bound on the input, (out - 1) × stride + kernel + 1, is then below the real input
     * size, though the output size it computed is right.
     */
    private static void assertShapesAgree(ProbeSpec spec, List<String> warnings) {
        for (String w : warnings) {
            String stride = spec.params().getOrDefault("stride", "1");
            int largest = Arrays.stream(stride.split("x")).mapToInt(Integer::parseInt).max().orElse(1);
            assertTrue(spec.family().equals("convolution") && "valid".equals(spec.params().get("pad"))
                    && largest >= 3 && w.startsWith("layer 'probe' (convolution) cannot be shaped: the ")
                    && w.contains(" of blob 'x' is ") && w.contains(" but must be at most "), spec.id() + ": " + w);
        }
    }

    @Test
    void profilesAreNested() {
        for (ProbeFamily f : catalog.families()) {
            Set<String> quick = ids(f, Profile.QUICK);
            Set<String> standard = ids(f, Profile.STANDARD);
            Set<String> full = ids(f, Profile.FULL);
            assertTrue(standard.containsAll(quick), f.name() + ": quick ⊄ standard");
            assertTrue(full.containsAll(standard), f.name() + ": standard ⊄ full");
            assertEquals(f.baseline().id(), f.probes(Profile.QUICK, List.of()).get(0).id(),
                    f.name() + ": the baseline comes first");
        }
    }

    @Test
    void everyNeuralNetworkLayerTypeHasAFamily() {
        assertEquals(158, LayerRules.all().size());
        TreeSet<String> nn = new TreeSet<>();
        for (ProbeFamily f : catalog.families()) {
            if (!f.name().startsWith("mil.")) {
                nn.addAll(f.layerTypes());
            }
        }
        assertEquals(new TreeSet<>(LayerRules.all().keySet()), nn);
    }

    @Test
    void familyLayerTypesAreRealLayerTypes() {
        for (ProbeFamily f : catalog.families()) {
            if (f.name().startsWith("mil.")) {
                continue; // ML Program families name MIL ops, checked by MilFamiliesTest
            }
            for (String t : f.layerTypes()) {
                assertTrue(LayerRules.of(t) != null, f.name() + " names unknown layer type " + t);
            }
        }
    }

    @Test
    void standardProfileCoversLayerTypesThatHaveFamilies() {
        // Every layer type a family names is actually exercised by some standard-profile probe.
        TreeSet<String> exercised = new TreeSet<>();
        for (ProbeFamily f : catalog.families()) {
            for (ProbeSpec s : f.probes(Profile.STANDARD, List.of())) {
                exercised.add(f.layerTypeOf(s));
            }
        }
        assertEquals(catalog.layerTypes(), exercised);
    }

    /** Layers named "probe", including those inside branch and loop sub-networks. */
    private static int countProbeLayers(NeuralNetwork nn) {
        int n = 0;
        for (NeuralNetworkLayer l : nn.getLayersList()) {
            n += l.getName().equals("probe") ? 1 : 0;
            if (l.hasBranch()) {
                n += countProbeLayers(l.getBranch().getIfBranch()) + countProbeLayers(l.getBranch().getElseBranch());
            }
            if (l.hasLoop()) {
                n += countProbeLayers(l.getLoop().getConditionNetwork()) + countProbeLayers(l.getLoop().getBodyNetwork());
            }
        }
        return n;
    }

    private static Set<String> ids(ProbeFamily f, Profile p) {
        Set<String> out = new HashSet<>();
        f.probes(p, List.of()).forEach(s -> out.add(s.id()));
        return out;
    }
}
