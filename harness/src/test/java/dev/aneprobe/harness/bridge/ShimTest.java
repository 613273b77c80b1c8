package dev.aneprobe.harness.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.testutil.TestNative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marshalling of every function, out-parameter and error field, through the compiled C test double. */
class ShimTest {
    static Shim shim;
    static AneprobeLibrary raw;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        shim = Shim.load(TestNative.doubleLibrary());
        raw = Native.load(TestNative.doubleLibrary(), AneprobeLibrary.class);
    }

    private Path compiled(String... directives) throws Exception {
        Path model = TestNative.model(dir, "m.mlmodel", directives);
        Path dest = dir.resolve("m.mlmodelc");
        shim.compile(model, dest);
        return dest;
    }

    @Test
    void abiVersionMatchesTheHeader() {
        assertEquals(AneprobeLibrary.ABI_VERSION, shim.abiVersion());
        assertEquals(1, raw.aneprobe_abi_version());
    }

    @Test
    void hostInfoFillsEveryField() {
        Shim.NativeHost h = shim.host();
        assertEquals("Test Double D1", h.info().chip());
        assertEquals("Double1,1", h.info().machineModel());
        assertEquals("macOS", h.info().osName());
        assertEquals("14.5", h.info().osVersion());
        assertEquals("23F79", h.info().osBuild());
        assertEquals(14, h.osMajor());
        assertEquals(5, h.osMinor());
        assertEquals(0, h.osPatch());
        assertTrue(h.info().hasNeuralEngine());
        assertEquals(16, h.info().neuralEngineCores());
        assertEquals(List.of("cpu", "gpu", "ane"), h.info().computeDevices());
        assertFalse(h.devicesInferred());
        assertTrue(h.osAtLeast(14, 4));
        assertFalse(h.osAtLeast(15, 0));
    }

    @Test
    void hostWithoutNeuralEngineAndOlderOs() throws Exception {
        try (AutoCloseable a = TestNative.env("ANEPROBE_DOUBLE_NO_ANE", "1");
                AutoCloseable b = TestNative.env("ANEPROBE_DOUBLE_OS", "13.6.1")) {
            Shim.NativeHost h = shim.host();
            assertFalse(h.info().hasNeuralEngine());
            assertNull(h.info().neuralEngineCores());
            assertEquals(List.of("cpu", "gpu"), h.info().computeDevices());
            assertEquals("13.6.1", h.info().osVersion());
            assertEquals(1, h.osPatch());
            assertTrue(h.devicesInferred());
        }
    }

    @Test
    void hostInfoErrorCarriesDomainCodeAndDescription() throws Exception {
        try (AutoCloseable a = TestNative.env("ANEPROBE_DOUBLE_FAULT", "error@host")) {
            ShimException e = assertThrows(ShimException.HostInfoException.class, () -> shim.host());
            assertEquals(ShimStatus.COREML_ERROR, e.status());
            assertEquals("com.apple.CoreML", e.error().domain());
            assertEquals(0, e.error().code());
            assertTrue(e.error().description().contains("test double"), e.error().description());
            assertNull(e.stage());
        }
    }

    @Test
    void compileReportsMillisAndCreatesTheBundle() throws Exception {
        Path model = TestNative.model(dir, "a.mlmodel", "compile_ms=42.25");
        Path dest = dir.resolve("a.mlmodelc");
        assertEquals(42.25, shim.compile(model, dest));
        assertTrue(Files.isDirectory(dest));
    }

    @Test
    void compileOfAPackageDirectoryReadsItsModelFile() throws Exception {
        Path pkg = dir.resolve("p.mlpackage");
        TestNative.model(pkg, "Data/com.apple.CoreML/model.mlmodel", "compile_ms=7");
        assertEquals(7.0, shim.compile(pkg, dir.resolve("p.mlmodelc")));
    }

    @Test
    void compileErrorsAreTyped() throws Exception {
        ShimException missing = assertThrows(ShimException.CompileException.class,
                () -> shim.compile(dir.resolve("nope.mlmodel"), dir.resolve("x.mlmodelc")));
        assertEquals(Stage.COMPILE, missing.stage());
        assertEquals(ShimStatus.COREML_ERROR, missing.status());
        assertEquals("com.apple.CoreML", missing.error().domain());
        assertEquals(3, missing.error().code());
        assertTrue(missing.error().description().contains("nope.mlmodel"));

        Path model = TestNative.model(dir, "b.mlmodel", "");
        Path dest = dir.resolve("b.mlmodelc");
        shim.compile(model, dest);
        ShimException exists = assertThrows(ShimException.CompileException.class, () -> shim.compile(model, dest));
        assertEquals(ShimStatus.IO_ERROR, exists.status());
        assertEquals("NSCocoaErrorDomain", exists.error().domain());
        assertEquals(516, exists.error().code());

        Path refused = TestNative.model(dir, "c.mlmodel", "fault=error@compile",
                "error=com.apple.CoreML|-7|validator error: Pooling layer 'probe' has invalid padding");
        ShimException e = assertThrows(ShimException.CompileException.class,
                () -> shim.compile(refused, dir.resolve("c.mlmodelc")));
        assertEquals(-7, e.error().code());
        assertEquals("validator error: Pooling layer 'probe' has invalid padding", e.error().description());
    }

    @Test
    void compileAndPredictAreUnsupportedBeforeMacOs13() throws Exception {
        Path model = TestNative.model(dir, "old.mlmodel", "");
        try (AutoCloseable a = TestNative.env("ANEPROBE_DOUBLE_OS", "12.7")) {
            ShimException e = assertThrows(ShimException.CompileException.class,
                    () -> shim.compile(model, dir.resolve("old.mlmodelc")));
            assertTrue(e.unsupported());
        }
    }

    @Test
    void loadReportsMillisAndEveryComputeUnitsValue() throws Exception {
        Path c = compiled("load_ms=8.5");
        for (ComputeUnits u : ComputeUnits.values()) {
            try (Shim.LoadedModel m = shim.load(c, u)) {
                assertEquals(8.5, m.loadMs());
            }
        }
    }

    @Test
    void loadErrorsAreTyped() throws Exception {
        ShimException missing = assertThrows(ShimException.LoadException.class,
                () -> shim.load(dir.resolve("none.mlmodelc"), ComputeUnits.ANE));
        assertEquals(Stage.LOAD, missing.stage());
        assertTrue(missing.error().description().contains("none.mlmodelc"));

        Path c = compiled("fault=error@load", "error=com.apple.CoreML|0|Failed to load model: ANECCompile() FAILED");
        ShimException e = assertThrows(ShimException.LoadException.class, () -> shim.load(c, ComputeUnits.ANE));
        assertEquals(new dev.aneprobe.harness.results.CoreMlError("com.apple.CoreML", 0,
                "Failed to load model: ANECCompile() FAILED"), e.error());
    }

    @Test
    void rawLoadRejectsBadComputeUnitsWithTheValueAsCode() throws Exception {
        Path c = compiled("");
        AneprobeLibrary.AneprobeError err = new AneprobeLibrary.AneprobeError();
        int rc = raw.aneprobe_load(c.toString(), 7, new PointerByReference(), new DoubleByReference(), err);
        assertEquals(AneprobeLibrary.ANEPROBE_INVALID_ARGUMENT, rc);
        assertEquals(7, err.code);
        assertEquals("aneprobe", Statuses.cString(err.domain));
    }

    @Test
    void planEntriesMarshalEveryField() throws Exception {
        Path c = compiled("plan=aux_const|load_constant|none|cpu|nan",
                "plan=probe|pooling|ane|cpu,gpu,ane|0.75", "plan_ms=2.5");
        try (Shim.ComputePlan p = shim.plan(c, ComputeUnits.ANE)) {
            assertEquals(2.5, p.planMs());
            assertEquals(2, p.count());
            List<PlanEntry> e = p.entries();
            assertEquals(new PlanEntry("aux_const", "load_constant", null, List.of(Device.CPU), null), e.get(0));
            assertEquals(new PlanEntry("probe", "pooling", Device.ANE, List.of(Device.CPU, Device.GPU, Device.ANE),
                    0.75), e.get(1));
        }
    }

    @Test
    void planPreferredDeviceFollowsTheComputeUnits() throws Exception {
        Path c = compiled("plan=probe|pooling|ane|cpu,gpu,ane|nan");
        assertEquals(Device.CPU, preferred(c, ComputeUnits.CPU));
        assertEquals(Device.GPU, preferred(c, ComputeUnits.GPU));
        assertEquals(Device.ANE, preferred(c, ComputeUnits.ANE));
        assertEquals(Device.ANE, preferred(c, ComputeUnits.ALL));
    }

    private static Device preferred(Path c, ComputeUnits u) {
        try (Shim.ComputePlan p = shim.plan(c, u)) {
            return p.entry(0).preferred();
        }
    }

    @Test
    void planIndexOutOfRangeIsAnInvalidArgument() throws Exception {
        Path c = compiled("");
        try (Shim.ComputePlan p = shim.plan(c, ComputeUnits.ANE)) {
            ShimException e = assertThrows(ShimException.PlanException.class, () -> p.entry(5));
            assertEquals(ShimStatus.INVALID_ARGUMENT, e.status());
            assertEquals(5, e.error().code());
            assertTrue(e.error().description().contains("out of range"));
        }
    }

    @Test
    void planIsUnsupportedBeforeMacOs14_4() throws Exception {
        Path c = compiled("");
        try (AutoCloseable a = TestNative.env("ANEPROBE_DOUBLE_OS", "14.3")) {
            ShimException e = assertThrows(ShimException.PlanException.class, () -> shim.plan(c, ComputeUnits.ANE));
            assertTrue(e.unsupported());
            assertEquals(Stage.PLAN, e.stage());
            assertTrue(e.error().description().contains("14.4"));
        }
    }

    @Test
    void predictReturnsColdAndEverySampleDeterministically() throws Exception {
        Path c = compiled("latency.ane=50000", "latency.cpu=400000");
        try (Shim.LoadedModel m = shim.load(c, ComputeUnits.ANE)) {
            Shim.Predictions a = m.predict(3, 25);
            Shim.Predictions b = m.predict(3, 25);
            assertEquals(25, a.samplesNs().length);
            assertEquals(50000L * 20 + 12345, a.coldNs());
            assertArrayEquals(a.samplesNs(), b.samplesNs());
            for (long s : a.samplesNs()) {
                assertTrue(s >= 49000 && s <= 51000, "sample " + s);
            }
        }
        try (Shim.LoadedModel m = shim.load(c, ComputeUnits.CPU)) {
            long s = m.predict(0, 1).samplesNs()[0];
            assertTrue(s >= 392000 && s <= 408000);
        }
    }

    @Test
    void predictErrorsAreTyped() throws Exception {
        Path c = compiled("fault=error@predict", "error=com.apple.CoreML|-4|Unable to compute the prediction");
        try (Shim.LoadedModel m = shim.load(c, ComputeUnits.ALL)) {
            ShimException e = assertThrows(ShimException.PredictException.class, () -> m.predict(1, 2));
            assertEquals(Stage.PREDICT, e.stage());
            assertEquals(-4, e.error().code());
            assertEquals("Unable to compute the prediction", e.error().description());
        }
    }

    @Test
    void rawPredictRejectsZeroIterations() throws Exception {
        Path c = compiled("");
        PointerByReference out = new PointerByReference();
        AneprobeLibrary.AneprobeError err = new AneprobeLibrary.AneprobeError();
        assertEquals(0, raw.aneprobe_load(c.toString(), 3, out, new DoubleByReference(), err));
        Pointer model = out.getValue();
        try {
            int rc = raw.aneprobe_predict(model, 0, 0, new long[1], new long[1], err);
            assertEquals(AneprobeLibrary.ANEPROBE_INVALID_ARGUMENT, rc);
            assertTrue(Statuses.cString(err.description).contains("iterations"));
        } finally {
            raw.aneprobe_model_free(model);
        }
    }

    @Test
    void freeFunctionsAcceptNullAndHandlesCloseOnce() throws Exception {
        raw.aneprobe_model_free(null);
        raw.aneprobe_plan_free(null);
        assertEquals(0, raw.aneprobe_plan_count(null));
        Path c = compiled("");
        Shim.LoadedModel m = shim.load(c, ComputeUnits.CPU);
        m.close();
        m.close();
        assertThrows(IllegalStateException.class, () -> m.predict(0, 1));
        Shim.ComputePlan p = shim.plan(c, ComputeUnits.CPU);
        p.close();
        p.close();
        assertThrows(IllegalStateException.class, p::count);
    }

    @Test
    void unsupportedStatusWithoutTextIsReportedAsAContractBreach() {
        AneprobeLibrary.AneprobeError empty = new AneprobeLibrary.AneprobeError();
        ShimException e = assertThrows(ShimException.LoadException.class,
                () -> Statuses.check(AneprobeLibrary.ANEPROBE_INTERNAL_ERROR, Statuses.Call.LOAD, empty));
        assertEquals(ShimStatus.INTERNAL_ERROR, e.status());
        assertEquals("aneprobe", e.error().domain());
        assertTrue(e.error().description().contains("without an error description"));
        assertEquals(ShimStatus.UNKNOWN, ShimStatus.of(99));
    }
}
