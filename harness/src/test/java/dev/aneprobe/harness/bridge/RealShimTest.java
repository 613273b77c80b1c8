package dev.aneprobe.harness.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JNA bridge against the real Objective-C shim and Core ML, with generated probes: macOS only, where the
 * macos-native profile bundles the shim into the classes ({@code darwin-aarch64/libaneprobe.dylib}). Without the
 * shim the test is skipped, unless {@code -Daneprobe.require.shim=true} (the macOS workflow) makes that a failure.
 */
@EnabledOnOs(OS.MAC)
class RealShimTest {
    static final String BUNDLED = "darwin-aarch64/libaneprobe.dylib";
    static Shim shim;
    static final Catalog CATALOG = Catalog.standard();

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        boolean bundled = RealShimTest.class.getClassLoader().getResource(BUNDLED) != null;
        if (Boolean.getBoolean("aneprobe.require.shim")) {
            assertTrue(bundled, BUNDLED + " is not on the class path: build with the macos-native profile");
        }
        assumeTrue(bundled, "the shim is not built (macos-native profile)");
        // The bundled shim by name, whatever the surefire configuration points the override at (the test double).
        shim = Shim.load(NativeLibraryLocator.BUNDLED_NAME);
    }

    /** Writes the family's baseline probe as the generator would and returns its path. */
    private Path baseline(String family) throws Exception {
        ProbeFamily f = CATALOG.family(family);
        BuiltProbe built = new ProbeGenerator(CATALOG).build(f, f.baseline());
        Path model = dir.resolve(family + "." + built.format());
        if (built.format().equals("mlpackage")) {
            MlPackageWriter.write(model, built.bytes(), built.weights(), built.spec().id());
        } else {
            Files.write(model, built.bytes());
        }
        return model;
    }

    @Test
    void theShimImplementsThisAbi() {
        assertEquals(AneprobeLibrary.ABI_VERSION, shim.abiVersion());
    }

    @Test
    void theHostIsThisMac() {
        Shim.NativeHost h = shim.host();
        assertFalse(h.info().chip().isBlank());
        assertFalse(h.info().machineModel().isBlank());
        assertEquals("macOS", h.info().osName());
        assertEquals(System.getProperty("os.version"), h.info().osVersion());
        assertTrue(h.info().osBuild().matches("[0-9]+[A-Z][0-9]+[a-z]?"), h.info().osBuild());
        assertTrue(h.info().computeDevices().contains("cpu"), h.info().computeDevices().toString());
        if (h.info().hasNeuralEngine()) {
            assertTrue(h.info().computeDevices().contains("ane") || h.devicesInferred());
        } else {
            assertFalse(h.info().computeDevices().contains("ane"), "no Neural Engine, yet Core ML lists one");
        }
    }

    @Test
    void aNeuralNetworkProbeCompilesLoadsPlansAndPredicts() throws Exception {
        Path compiled = dir.resolve("pooling.mlmodelc");
        double ms = shim.compile(baseline("pooling"), compiled);
        assertTrue(ms >= 0 && Files.isDirectory(compiled), "compile made " + compiled);
        try (Shim.LoadedModel m = shim.load(compiled, ComputeUnits.CPU)) {
            Shim.Predictions p = m.predict(1, 5);
            assertEquals(5, p.samplesNs().length);
            for (long s : p.samplesNs()) {
                assertTrue(s > 0, "a prediction takes time");
            }
            assertTrue(p.coldNs() > 0);
        }
        if (shim.host().osAtLeast(14, 4)) {
            try (Shim.ComputePlan plan = shim.plan(compiled, ComputeUnits.ALL)) {
                List<PlanEntry> entries = plan.entries();
                assertTrue(entries.stream().anyMatch(e -> "probe".equals(e.name())),
                        "the layer under test is in the plan: " + entries);
            }
        }
    }

    @Test
    void anMlProgramProbeCompilesLoadsAndPredicts() throws Exception {
        Path compiled = dir.resolve("mil.pool.mlmodelc");
        shim.compile(baseline("mil.pool"), compiled);
        try (Shim.LoadedModel m = shim.load(compiled, ComputeUnits.CPU)) {
            assertEquals(3, m.predict(0, 3).samplesNs().length);
        }
    }

    @Test
    void coreMlRefusesAModelThatIsNotOneWithItsOwnError() throws Exception {
        Path junk = Files.write(dir.resolve("junk.mlmodel"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        ShimException.CompileException e = assertThrows(ShimException.CompileException.class,
                () -> shim.compile(junk, dir.resolve("junk.mlmodelc")));
        assertNotNull(e.error());
        assertFalse(e.error().domain() == null || e.error().domain().isBlank(), e.getMessage());
        assertFalse(Files.exists(dir.resolve("junk.mlmodelc")), "nothing half-written");
    }
}
