package dev.aneprobe.harness.lint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.lint.Placement.Basis;
import dev.aneprobe.harness.lint.Placement.Where;
import dev.aneprobe.harness.results.read.RunLoader;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.samples.RealWorldModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * lint against the FIXTURE runs (hand-made, not measurements; see src/test/resources/fixtures/README.md): a probe
 * measured with the same values decides; past a measured boundary, the nearest probe on that side decides; between
 * measured points or where nothing is measured, the claims; with neither, unknown.
 */
class LintTest {
    private static final Catalog CATALOG = Catalog.standard();
    private static final ResultMatrix MATRIX = ResultMatrix.read(
            RunLoader.discover(List.of(Fixtures.runs()), false, w -> { }), w -> { }, RunListener.NONE);

    /** Max pooling layers over the same 64x56x56 input, with the given kernels (stride 1, valid). */
    static Model poolings(int... kernels) {
        Net net = Net.legacy().input("x", 64, 56, 56);
        for (int k : kernels) {
            long out = 56 - k + 1;
            net.layer(Layer.aux("pool" + k).in("x").out("y" + k, 64, out, out).with(b -> b.setPooling(
                    PoolingLayerParams.newBuilder().setType(PoolingLayerParams.PoolingType.MAX).addKernelSize(k)
                            .addKernelSize(k).addStride(1).addStride(1).setValid(ValidPadding.getDefaultInstance()))));
            net.output("y" + k);
        }
        return net.toModel("lint").toBuilder().setSpecificationVersion(1).build();
    }

    private static Lint lint(String chip) {
        return new Lint(CATALOG, Fixtures.claims(), Lint.targets(MATRIX, chip, null));
    }

    private static Map<String, Placement> placements(Lint.ColumnResult c) {
        Map<String, Placement> m = new java.util.LinkedHashMap<>();
        c.rows().forEach(r -> m.put(r.layer().name(), r.placement()));
        return m;
    }

    @Test
    void poolingLayersReadAsTheirProbes() {
        Lint.ModelResult r = lint("M1").lint("m", poolings(15));
        LintedLayer layer = r.columns().get(0).rows().get(0).layer();
        assertEquals("pooling", layer.family());
        assertEquals("type=max,kernel=15x15,stride=1x1,pad=valid,global=false,in=64x56x56", layer.paramText());
        assertEquals(List.of(), layer.unread());
        assertEquals("layer 'aux_pool15'", layer.where());
    }

    @Test
    void measuredBeyondThresholdClaimedAndUnknown() {
        Lint.ModelResult r = lint("M1").lint("m", poolings(3, 15, 20, 14));
        assertEquals(1, r.columns().size());
        assertEquals("FIXTURE Apple M1 / macOS 14.5", r.columns().get(0).target().chipOs());
        Map<String, Placement> p = placements(r.columns().get(0));
        assertEquals(Where.ANE, p.get("aux_pool3").where());
        assertEquals(Basis.MEASURED, p.get("aux_pool3").basis());
        assertEquals(Where.NOT_ANE, p.get("aux_pool15").where());
        assertEquals(Basis.MEASURED, p.get("aux_pool15").basis());
        assertTrue(p.get("aux_pool15").reason().startsWith("probe pooling/type=max,kernel=15x15,stride=1x1,pad=valid,"
                + "global=false,in=64x56x56 measured NOT_ANE (run fixture-m1-"), p.get("aux_pool15").reason());
        // Kernel 20 was never measured, but the line kernel 3, 13 (ANE), 15 (NOT_ANE) puts it past the boundary.
        assertEquals(Where.NOT_ANE, p.get("aux_pool20").where());
        assertEquals(Basis.BEYOND_THRESHOLD, p.get("aux_pool20").basis());
        assertTrue(p.get("aux_pool20").reason().startsWith("kernel=20x20 is at least 15x15, where probe pooling/"
                + "type=max,kernel=15x15"), p.get("aux_pool20").reason());
        assertTrue(p.get("aux_pool20").reason().endsWith("13x13 measured ANE"), p.get("aux_pool20").reason());
        // Kernel 14 lies between the measured 13 and 15: the claims decide, said as such.
        assertEquals(Where.NOT_ANE, p.get("aux_pool14").where());
        assertEquals(Basis.CLAIMED, p.get("aux_pool14").basis());
        assertEquals(List.of("pooling-kernel-gt13-not-ane"), p.get("aux_pool14").claims());
    }

    @Test
    void eachChipOsHasItsOwnAnswer() {
        Lint.ModelResult r = lint("M2").lint("m", poolings(15));
        assertEquals("FIXTURE Apple M2 / macOS 15.0", r.columns().get(0).target().chipOs());
        assertEquals(Where.ANE, r.columns().get(0).rows().get(0).placement().where());
        assertEquals(2, lint(null).lint("m", poolings(15)).columns().size());
    }

    @Test
    void withoutRunsTheClaimsDecide() {
        Lint l = new Lint(CATALOG, Fixtures.claims(), Lint.targets(null, "M3", "15.0"));
        Lint.ColumnResult c = l.lint("m", poolings(3, 15)).columns().get(0);
        assertEquals("M3 / 15.0 (not measured)", c.target().chipOs());
        Map<String, Placement> p = placements(c);
        assertEquals(Where.ANE, p.get("aux_pool3").where());
        assertEquals(Basis.CLAIMED, p.get("aux_pool3").basis());
        assertEquals(List.of("pooling-within-limits-ane"), p.get("aux_pool3").claims());
        assertEquals(Where.NOT_ANE, p.get("aux_pool15").where());
        assertEquals(1, c.summary().switches().size());
        assertEquals(Where.ANE, c.summary().switches().get(0).from());
    }

    @Test
    void classifierPipelineAndProgramLayersAreAllWalked() {
        Lint l = new Lint(CATALOG, Fixtures.claims(), Lint.targets(null, null, null));
        Lint.ModelResult nested = l.lint("m", RealWorldModels.nestedPipeline(RealWorldModels.nnImageClassifier()));
        List<Lint.Row> rows = nested.columns().get(0).rows();
        assertEquals(6, rows.size());
        assertEquals("pipeline model 1 'stage' (pipeline) > pipeline model 1 'classifier' (neuralNetworkClassifier) "
                + "> layer 'aux_conv'", rows.get(0).layer().where());
        assertEquals("convolution", rows.get(0).layer().family());
        // The image input reaches the first layer as 3x32x32 (rank-5 shape propagation).
        assertEquals("3x32x32", rows.get(0).layer().param("in"));
        assertEquals("pooling", rows.get(2).layer().family());
        assertEquals("8x30x30", rows.get(2).layer().param("in"));

        Lint.ModelResult glm = l.lint("p", RealWorldModels.pipelineVectorizerNnGlm());
        assertEquals(List.of("featureVectorizer", "glmClassifier"), glm.notLinted());
        assertEquals(1, glm.columns().get(0).rows().size());

        Lint.ModelResult program = l.lint("mil", RealWorldModels.milRelu("CoreML5", "x"));
        LintedLayer relu = program.columns().get(0).rows().get(0).layer();
        assertEquals("function 'main' > op 'y' (relu)", relu.where());
        assertEquals("mil.activation", relu.family());
        assertEquals("relu", relu.param("layer"));
        assertEquals("fp32", relu.param("dtype"));
        assertEquals("1x3x64x64", relu.param("in"));
        Placement p = program.columns().get(0).rows().get(0).placement();
        assertEquals(Where.NOT_ANE, p.where());
        assertEquals(List.of("mil-fp32-not-ane"), p.claims());

        Lint.ModelResult flexible = l.lint("f", RealWorldModels.milFlexibleArray(false));
        assertNull(flexible.columns().get(0).rows().get(0).layer().param("in"));
        assertEquals(List.of("in"), flexible.columns().get(0).rows().get(0).layer().unread());
    }
}
