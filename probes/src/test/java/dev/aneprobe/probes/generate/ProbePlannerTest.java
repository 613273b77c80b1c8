package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning a request: every way the issue found to crash the generator or lose a requested value is a one-line
 * GenerationException (exit 2) before anything is written, and what is requested is generated.
 */
class ProbePlannerTest {
    @TempDir
    Path tmp;

    private final ProbeGenerator generator = new ProbeGenerator(Catalog.standard());

    private List<ProbeSpec> plan(Profile profile, List<String> families, String... overrides) {
        return generator.plan(new GenerationRequest(profile, families,
                Stream.of(overrides).map(ParamOverride::parse).toList(), tmp.resolve("out"), false));
    }

    private String refused(List<String> families, String... overrides) {
        Path out = tmp.resolve("refused");
        GenerationException e = assertThrows(GenerationException.class, () -> generator.generate(
                new GenerationRequest(Profile.QUICK, families, Stream.of(overrides).map(ParamOverride::parse).toList(),
                        out, false), GenerationListener.NONE));
        assertFalse(Files.exists(out), "nothing written for a bad request");
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    private static Set<String> values(List<ProbeSpec> probes, String axis) {
        return probes.stream().map(s -> s.text(axis)).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    @Test
    void valuesBeyondWhatAnAxisTakesAreRefusedBeforeGeneration() {
        assertEquals("--param pooling.kernel: '2147483648x2147483648' is out of range: kernel takes pairs HxW of whole "
                + "numbers from 1 to 16,777,216", refused(List.of("pooling"), "pooling.kernel=2147483648"));
        assertEquals("--param upsample.scale: '0x0' is out of range: scale takes pairs HxW of positive numbers up to "
                + "16,777,216", refused(List.of("upsample"), "upsample.scale=0"));
        assertEquals("--param upsample.scale: '-1.5x-1.5' is out of range: scale takes pairs HxW of positive numbers "
                + "up to 16,777,216", refused(List.of("upsample"), "upsample.scale=-1.5"));
        assertEquals("--param innerProduct.cout: '100000000' is out of range: cout takes whole numbers from 1 to "
                + "16,777,216", refused(List.of("innerProduct"), "innerProduct.cout=100000000"));
    }

    @Test
    void shapesOfTheWrongRankAreRefused() {
        assertEquals("--param pooling.in: '56x56' has rank 2, but in takes shapes of rank 3 (like 64x56x56)",
                refused(List.of("pooling"), "pooling.in=56x56"));
        assertEquals("--param convolution.in: '56' has rank 1, but in takes shapes of rank 3 (like 64x56x56)",
                refused(List.of("convolution"), "convolution.in=56"));
        assertEquals("--param mil.conv.in: '1x2x3' has rank 3, but in takes shapes of rank 4 (like 1x64x56x56)",
                refused(List.of("mil.conv"), "mil.conv.in=1x2x3"));
        assertEquals("--param upsample.in: '1x2x3x4x5' has rank 5, but in takes shapes of rank 3 (like 64x28x28)",
                refused(List.of("upsample"), "upsample.in=1x2x3x4x5"));
    }

    @Test
    void aProbeBeyondTheWeightLimitIsRefusedWithTheLimit() {
        assertEquals("--param convolution.cout=1000000 yields no probe: convolution/kernel=3x3,stride=1x1,dilation=1x1,"
                + "groups=1,cout=1000000,pad=valid,weights=fp32,in=64x56x56 is too large: it needs a weight tensor of "
                + "576,000,000 values, and a probe may take at most 32 MiB",
                refused(List.of("convolution"), "convolution.cout=1000000"));
        // Under the per-tensor limit but over the probe size: 9,000,000 fp32 weights are 36 MB.
        String message = refused(List.of("convolution"), "convolution.cout=15625");
        assertTrue(message.startsWith("--param convolution.cout=15625 yields no probe: convolution/")
                && message.contains(" is too large: its files would take 36,0")
                && message.endsWith(" bytes, and a probe may take at most 32 MiB"), message);
        assertEquals(Set.of("64", "8192"), values(plan(Profile.QUICK, List.of("convolution"), "convolution.cout=8192"),
                "cout"), "a large request within the limit is generated");
    }

    @Test
    void aValueNoProbeCanUseIsNamedWithTheRuleThatExcludesIt() {
        assertEquals("--param pooling.kernel=100x100 yields no probe: pooling/type=max,kernel=100x100,stride=1x1,"
                + "pad=valid,global=false,in=64x56x56 breaks pooling's rule: the kernel fits within the input's height "
                + "and width", refused(List.of("pooling"), "pooling.kernel=100"));
        assertEquals("--param pooling.kernel: 57x57, 58x58, 59x59 and 41 more yield no probe: pooling/type=max,"
                + "kernel=57x57,stride=1x1,pad=valid,global=false,in=64x56x56 breaks pooling's rule: the kernel fits "
                + "within the input's height and width", refused(List.of("pooling"), "pooling.kernel=1..100"));
        assertEquals("--param upsample.scale=0.01x0.01 yields no probe: upsample/scale=0.01x0.01,mode=bilinear,"
                + "align=true,in=64x28x28 breaks upsample's rule: the output is at least 1x1",
                refused(List.of("upsample"), "upsample.scale=2,0.01"), "the closest combination explains it");
        assertTrue(refused(List.of("pooling", "convolution"), "pooling.kernel=100", "convolution.kernel=100")
                .endsWith(" (and 1 more --param with values that yield no probe)"));
    }

    @Test
    void fractionalScalesAreRealProbesEvenInQuick() {
        List<ProbeSpec> probes = plan(Profile.QUICK, List.of("upsample"), "upsample.scale=2x3,1.5");
        assertEquals(List.of("upsample/scale=2x2,mode=nn,align=default,in=64x28x28",
                "upsample/scale=2x3,mode=nn,align=default,in=64x28x28",
                "upsample/scale=1.5x1.5,mode=bilinear,align=true,in=64x28x28",
                "upsample/scale=1.5x1.5,mode=bilinear,align=false,in=64x28x28"),
                probes.stream().map(ProbeSpec::id).toList());
        for (ProbeSpec s : probes) {
            generator.build(Catalog.standard().family("upsample"), s); // valid by Core ML's rules
        }
        assertEquals(List.of("upsample/scale=2x2,mode=nn,align=default,in=64x28x28",
                "upsample/scale=3x3,mode=nn,align=default,in=64x28x28",
                "upsample/scale=2x2,mode=bilinear,align=true,in=64x28x28"),
                plan(Profile.QUICK, List.of("upsample"), "upsample.align=true").stream().map(ProbeSpec::id).toList(),
                "an align-corners mode alone is probed with bilinear");
    }

    @Test
    void anOverrideReplacesTheAxisValuesAndKeepsTheBaselineProbe() {
        List<ProbeSpec> probes = plan(Profile.QUICK, List.of("pooling"), "pooling.kernel=5");
        assertEquals("pooling/type=max,kernel=3x3,stride=1x1,pad=valid,global=false,in=64x56x56", probes.get(0).id(),
                "the baseline comes first, as the reference");
        assertEquals(Set.of("3x3", "5x5"), values(probes, "kernel"), "13 and 14 (quick's kernels) are replaced");
        assertEquals(4, probes.size(), "baseline, kernel 5, and quick's strides 2 and 3 at the baseline kernel");
    }

    @Test
    void selectionsMergeDuplicateFamiliesAndRefuseRepeatedOrStrayParams() {
        assertEquals(plan(Profile.QUICK, List.of("pooling")), plan(Profile.QUICK, List.of("pooling", "pooling")));
        assertEquals("--param pooling.kernel is given twice (give all its values in one --param, separated by "
                + "commas)", refused(List.of("pooling"), "pooling.kernel=3", "pooling.kernel=5"));
        assertEquals("--param pooling.kernel: family pooling is not selected (add it to --family, or drop the "
                + "--param)", refused(List.of("convolution"), "pooling.kernel=5"));
        assertEquals(4, plan(Profile.QUICK, List.of(), "pooling.kernel=5").stream()
                .filter(s -> s.family().equals("pooling")).count(), "no --family selects every family");
    }

    @Test
    void aUserValueCoreMlWouldRejectIsReportedButABuilderCrashIsABug() {
        // A test family whose builder leaves the padding type unset at kernel 7: a model Core ML rejects.
        ProbeFamily family = ProbeFamily.named("test.pool").layers("pooling")
                .axis(Axis.pair("kernel", "3x3").standard("5"))
                .axis(Axis.integer("crash", 1).range(1, 3))
                .builds(ProbePlannerTest::pooling).build();
        ProbeGenerator small = new ProbeGenerator(Catalog.of(List.of(family)));
        GenerationException e = assertThrows(GenerationException.class, () -> small.plan(new GenerationRequest(
                Profile.QUICK, List.of(), List.of(ParamOverride.parse("test.pool.kernel=5,7")), tmp, false)));
        assertTrue(e.getMessage().startsWith("--param test.pool.kernel=7x7 yields no probe: test.pool/kernel=7x7,"
                + "crash=1 is not a model Core ML accepts: "), e.getMessage());
        assertThrows(GeneratorBugException.class, () -> small.plan(new GenerationRequest(Profile.QUICK, List.of(),
                List.of(ParamOverride.parse("test.pool.crash=2")), tmp, false)),
                "a builder that cannot build a value its axis accepts is a bug in the declaration");
    }

    private static Net pooling(ProbeSpec s) {
        if (s.integer("crash") == 2) {
            throw new IllegalStateException("cannot build crash=2");
        }
        int[] k = s.pair("kernel");
        PoolingLayerParams.Builder p = PoolingLayerParams.newBuilder()
                .addKernelSize(k[0]).addKernelSize(k[1]).addStride(1).addStride(1);
        if (k[0] != 7) {
            p.setValid(ValidPadding.getDefaultInstance());
        }
        return Net.legacy().input("x", 4, 16, 16)
                .layer(Layer.probe().in("x").out("y", 4, 17 - k[0], 17 - k[1]).with(b -> b.setPooling(p)))
                .output("y");
    }
}
