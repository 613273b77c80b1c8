package dev.aneprobe.harness.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.run.ManifestReader;
import dev.aneprobe.harness.run.ProbeModel;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What the simulated compiler reads from real generated probes: parameters as stored, consts resolved, nesting. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelExtractorTest {
    private final Map<String, ModelFacts> byId = new HashMap<>();

    @BeforeAll
    void generate(@TempDir Path dir) throws Exception {
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.QUICK, List.of("pooling",
                "upsample", "convolution", "mil.pool", "mil.conv", "mil.cond", "branch", "mil.upsample_nearest_neighbor"),
                List.of(), dir, true), GenerationListener.NONE);
        for (ProbeModel p : ManifestReader.read(dir)) {
            byId.put(p.id(), ModelExtractor.extract(p.modelPath()));
        }
    }

    private OpFacts op(String id, String name) {
        ModelFacts f = byId.get(id);
        return f.ops().stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                name + " not in " + f.ops()));
    }

    @Test
    void poolingParametersAsStored() {
        OpFacts p = op("pooling/type=max,kernel=14x14,stride=1x1,pad=valid,global=false,in=64x56x56", "probe");
        assertEquals("pooling", p.type());
        assertEquals(List.of(14L, 14L), p.params().get("kernelSize"));
        assertEquals(List.of(1L, 1L), p.params().get("stride"));
        assertEquals("MAX", p.params().get("type"));
        assertEquals(false, p.params().get("globalPooling"));
        assertTrue(p.params().containsKey("valid") && !p.params().containsKey("same"), p.params().toString());
        assertEquals(List.of(64L, 56L, 56L), p.inputs().get(0).shape());
        assertEquals(List.of(64L, 43L, 43L), p.outputs().get(0).shape());
        assertEquals("fp32", p.inputs().get(0).dtype());
    }

    @Test
    void upsampleScaleAndMode() {
        OpFacts u = op("upsample/scale=3x3,mode=nn,align=default,in=64x28x28", "probe");
        assertEquals(List.of(3L, 3L), u.params().get("scalingFactor"));
        assertEquals("NN", u.params().get("mode"));
    }

    @Test
    void convolutionDilationGroupsAndWeights() {
        OpFacts c = op("convolution/kernel=3x3,stride=1x1,dilation=2x2,groups=1,cout=64,pad=valid,weights=fp32,"
                + "in=64x56x56", "probe");
        assertEquals(List.of(2L, 2L), c.params().get("dilationFactor"));
        assertEquals(1L, c.params().get("nGroups"));
        assertEquals(List.of(new WeightFacts("weights", "fp32", 64L * 64 * 3 * 3)), c.weights().subList(0, 1));
        assertTrue(c.flops() > 2L * 64 * 52 * 52 * 64 * 9 - 1, "flops " + c.flops());
    }

    @Test
    void milConstInputsResolvedToValues() {
        OpFacts p = op("mil.pool/layer=max_pool,dtype=fp16,kernel=14x14,stride=1x1,pad=valid,ceil=false,"
                + "in=1x64x56x56", "y");
        assertEquals("max_pool", p.type());
        assertEquals(List.of(14L, 14L), p.params().get("kernel_sizes"));
        assertEquals("valid", p.params().get("pad_type"));
        assertEquals("fp16", p.firstVariableInput().dtype());
        // A bias in weight.bin (64 fp16 values) is read and listed; the 3x3x64x64 weight is described.
        OpFacts c = op("mil.conv/dtype=fp16,kernel=3x3,stride=1x1,dilation=2x2,groups=1,pad=valid,in=1x64x56x56",
                "y");
        assertEquals(List.of(2L, 2L), c.params().get("dilations"));
        assertEquals(64, ((List<?>) c.params().get("bias")).size());
        assertEquals(Map.of("dtype", "fp16", "shape", List.of(64L, 64L, 3L, 3L), "elements", 36864L),
                c.params().get("weight"));
        assertTrue(c.weights().contains(new WeightFacts("weight", "fp16", 36864)), c.weights().toString());
    }

    @Test
    void nestedBlocksAndNetworksAreWalked() {
        ModelFacts cond = byId.entrySet().stream().filter(e -> e.getKey().startsWith("mil.cond/")).findFirst()
                .orElseThrow().getValue();
        assertTrue(cond.ops().stream().anyMatch(o -> o.depth() == 1), "ops inside cond's blocks");
        ModelFacts branch = byId.entrySet().stream().filter(e -> e.getKey().startsWith("branch/")).findFirst()
                .orElseThrow().getValue();
        assertTrue(branch.ops().stream().anyMatch(o -> o.depth() == 1), "layers inside the branch's networks");
        assertEquals(ModelFacts.NEURAL_NETWORK, branch.format());
        assertEquals(ModelFacts.ML_PROGRAM, cond.format());
    }

    @Test
    void milUpsampleScalesAreResolved() {
        OpFacts u = op("mil.upsample_nearest_neighbor/dtype=fp16,scale=3x3,in=1x64x28x28", "y");
        assertEquals(3.0, ((Number) u.params().get("scale_factor_height")).doubleValue());
    }
}
