package dev.aneprobe.probes.catalog;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chain families: every quick probe builds valid (the generator validates it; CatalogTest builds every full one)
 * at the family's declared minimum specification version, its layers carry the chain's names in the chain's order with the layer
 * types of S and U, it rebuilds byte for byte, and quick holds both orders at 1 to 4 alternations.
 */
class ChainFamiliesTest {
    private final Catalog catalog = Catalog.standard();
    private final ProbeGenerator generator = new ProbeGenerator(catalog);

    @Test
    void layerNamesFollowTheOrder() {
        assertEquals(List.of("s1", "u1", "s2", "u2"), ChainFamilies.layerNames("SU", "2"));
        assertEquals(List.of("u1", "s1"), ChainFamilies.layerNames("US", "1"));
        assertNull(ChainFamilies.layerNames("SU", "0"));
        assertNull(ChainFamilies.layerNames("SS", "2"));
        assertNull(ChainFamilies.layerNames("SU", "x"));
        assertEquals("gpu", ChainFamilies.fallback("mil.chain_gpu"));
        assertEquals("cpu", ChainFamilies.fallback("chainCpu"));
        assertNull(ChainFamilies.fallback("convolution"));
    }

    @Test
    void quickHoldsBothOrdersAtOneToFourAlternations() {
        for (String name : ChainFamilies.NAMES) {
            List<String> ids = catalog.family(name).probes(Profile.QUICK, List.of()).stream().map(ProbeSpec::id)
                    .toList();
            assertEquals(8, ids.size(), name + ": " + ids);
            assertEquals(name + "/order=SU,alternations=2", ids.get(0));
            for (String order : List.of("SU", "US")) {
                for (int n = 1; n <= 4; n++) {
                    assertTrue(ids.contains(name + "/order=" + order + ",alternations=" + n), name + " " + order + n);
                }
            }
            assertEquals(12, catalog.family(name).probes(Profile.STANDARD, List.of()).size());
            assertEquals(16, catalog.family(name).probes(Profile.FULL, List.of()).size());
        }
    }

    @Test
    void everyChainProbeIsValidNamedInOrderAndReproducible() {
        for (String name : ChainFamilies.NAMES) {
            ProbeFamily f = catalog.family(name);
            String u = switch (name) {
                case ChainFamilies.NN_GPU -> "convolution";
                case ChainFamilies.NN_CPU -> "uniDirectionalLSTM";
                case ChainFamilies.MIL_GPU -> "select";
                default -> "gather_along_axis";
            };
            String sType = name.startsWith("mil.") ? "matmul" : "convolution";
            int lowest = Integer.MAX_VALUE;
            for (ProbeSpec s : f.probes(Profile.QUICK, List.of())) {
                BuiltProbe built = generator.build(f, s); // throws when the validator refuses it
                lowest = Math.min(lowest, built.specificationVersion());
                assertEquals(sType, built.layerType(), s.id());
                List<String> names = new ArrayList<>();
                List<String> types = new ArrayList<>();
                Model m = built.model();
                if (m.hasNeuralNetwork()) {
                    for (NeuralNetworkLayer l : m.getNeuralNetwork().getLayersList()) {
                        names.add(l.getName());
                        types.add(l.getLayerCase() == NeuralNetworkLayer.LayerCase.CONVOLUTION ? "convolution"
                                : "uniDirectionalLSTM");
                        if (l.hasConvolution()) {
                            long dilation = l.getConvolution().getDilationFactor(0);
                            assertEquals(l.getName().startsWith("u") ? 2 : 1, dilation, s.id() + " " + l.getName());
                        }
                    }
                } else {
                    for (Operation op : m.getMlProgram().getFunctionsOrThrow("main").getBlockSpecializationsMap()
                            .values().iterator().next().getOperationsList()) {
                        if (!op.getType().equals("const")) {
                            names.add(op.getOutputs(0).getName());
                            types.add(op.getType());
                        }
                    }
                }
                assertEquals(ChainFamilies.layerNames(s.params()), names, s.id());
                for (int i = 0; i < names.size(); i++) {
                    assertEquals(names.get(i).startsWith("s") ? sType : u, types.get(i), s.id() + " " + names.get(i));
                }
                assertEquals(names.get(names.size() - 1), m.getDescription().getOutput(0).getName(), s.id());
                BuiltProbe again = generator.build(f, s);
                assertArrayEquals(built.bytes(), again.bytes(), s.id() + " rebuilds byte for byte");
            }
            assertEquals(f.minSpecificationVersion(), lowest, name);
        }
    }
}
