package dev.aneprobe.harness.bridge;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.PlanEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Java API over the native shim: synchronous calls, {@link AutoCloseable} handles, and a typed
 * {@link ShimException} (carrying Core ML's error) for every failure. One instance per loaded library; not
 * thread-safe (the sweep drives it from one thread of one worker process; the error structure is shared by calls).
 */
public final class Shim {
    private final AneprobeLibrary lib;
    private final String library;
    /**
     * One error structure for every call: output-only, so never written before a call and read only when a call
     * fails (the shim fills every field on failure). Keeps a round trip at a fraction of a microsecond.
     */
    private final AneprobeLibrary.AneprobeError err = new AneprobeLibrary.AneprobeError();

    private Shim(AneprobeLibrary lib, String library) {
        this.lib = lib;
        this.library = library;
        err.setAutoSynch(false);
    }

    /**
     * Loads the library {@link NativeLibraryLocator#locate()} names.
     *
     * @throws UnsatisfiedLinkError when there is none or it cannot be loaded
     */
    public static Shim load() {
        String name = NativeLibraryLocator.locate().orElseThrow(() -> new UnsatisfiedLinkError(
                "no aneprobe native library for " + NativeLibraryLocator.hostDescription()));
        return load(name);
    }

    /** Loads a specific library (a path, or a name JNA resolves). Checks its ABI version. */
    public static Shim load(String libraryPathOrName) {
        AneprobeLibrary lib = Native.load(libraryPathOrName, AneprobeLibrary.class,
                Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
        int abi = lib.aneprobe_abi_version();
        if (abi != AneprobeLibrary.ABI_VERSION) {
            throw new UnsatisfiedLinkError(libraryPathOrName + " implements aneprobe ABI " + abi + ", this harness needs "
                    + AneprobeLibrary.ABI_VERSION + "; rebuild the native library");
        }
        return new Shim(lib, libraryPathOrName);
    }

    /**
     * A shim over another implementation of the same contract: the simulated Core ML
     * ({@code dev.aneprobe.harness.simulate.SimulatedCoreMl}), which implements {@link AneprobeLibrary} in Java.
     * Everything this class does on top (statuses to typed exceptions, handles, plan entries) stays the same.
     */
    public static Shim over(AneprobeLibrary lib, String description) {
        if (lib.aneprobe_abi_version() != AneprobeLibrary.ABI_VERSION) {
            throw new UnsatisfiedLinkError(description + " implements aneprobe ABI " + lib.aneprobe_abi_version()
                    + ", this harness needs " + AneprobeLibrary.ABI_VERSION);
        }
        return new Shim(lib, description);
    }

    /** What was loaded (a path or a library name). */
    public String library() {
        return library;
    }

    public int abiVersion() {
        return lib.aneprobe_abi_version();
    }

    /** The host inventory. */
    public NativeHost host() {
        AneprobeLibrary.AneprobeHost h = new AneprobeLibrary.AneprobeHost();
        h.setAutoWrite(false); // output only
        Statuses.check(lib.aneprobe_host_info(h, err), Statuses.Call.HOST_INFO, err);
        List<String> devices = new ArrayList<>();
        int n = Math.max(0, Math.min(h.device_count, AneprobeLibrary.MAX_DEVICES));
        for (int i = 0; i < n; i++) {
            Device d = device(h.devices[i]);
            devices.add(d == null ? "none" : d.label());
        }
        HostInfo info = new HostInfo(Statuses.cString(h.chip), Statuses.cString(h.machine_model), "macOS",
                Statuses.cString(h.os_version), Statuses.cString(h.os_build), h.has_neural_engine != 0,
                h.neural_engine_cores > 0 ? h.neural_engine_cores : null, devices);
        return new NativeHost(info, h.os_major, h.os_minor, h.os_patch, h.devices_inferred != 0);
    }

    /** Compiles {@code model} into {@code dest} (a {@code .mlmodelc} path that must not exist); returns ms. */
    public double compile(Path model, Path dest) {
        DoubleByReference ms = new DoubleByReference();
        Statuses.check(lib.aneprobe_compile(model.toString(), dest.toString(), ms, err), Statuses.Call.COMPILE, err);
        return ms.getValue();
    }

    /** Loads a compiled model with the given compute units. Close the result. */
    public LoadedModel load(Path compiled, ComputeUnits units) {
        PointerByReference out = new PointerByReference();
        DoubleByReference ms = new DoubleByReference();
        Statuses.check(lib.aneprobe_load(compiled.toString(), units.mlComputeUnits(), out, ms, err),
                Statuses.Call.LOAD, err);
        return new LoadedModel(out.getValue(), ms.getValue());
    }

    /** Loads the compute plan of a compiled model for the given compute units. Close the result. */
    public ComputePlan plan(Path compiled, ComputeUnits units) {
        PointerByReference out = new PointerByReference();
        DoubleByReference ms = new DoubleByReference();
        Statuses.check(lib.aneprobe_plan_load(compiled.toString(), units.mlComputeUnits(), out, ms, err),
                Statuses.Call.PLAN, err);
        return new ComputePlan(out.getValue(), ms.getValue());
    }

    static Device device(int value) {
        return switch (value) {
            case AneprobeLibrary.ANEPROBE_DEVICE_CPU -> Device.CPU;
            case AneprobeLibrary.ANEPROBE_DEVICE_GPU -> Device.GPU;
            case AneprobeLibrary.ANEPROBE_DEVICE_ANE -> Device.ANE;
            case AneprobeLibrary.ANEPROBE_DEVICE_NONE -> null;
            default -> Device.OTHER;
        };
    }

    static List<Device> devices(int mask) {
        List<Device> out = new ArrayList<>();
        for (int bit = 1; bit < 32; bit++) {
            if ((mask & (1 << bit)) != 0) {
                Device d = device(bit);
                if (d != null && !out.contains(d)) {
                    out.add(d);
                }
            }
        }
        return out;
    }

    /** The host as the shim reports it, plus what {@link HostInfo} has no field for. */
    public record NativeHost(HostInfo info, int osMajor, int osMinor, int osPatch, boolean devicesInferred) {
        public boolean osAtLeast(int major, int minor) {
            return osMajor > major || (osMajor == major && osMinor >= minor);
        }
    }

    /** Every sample of one predict call. */
    public record Predictions(long coldNs, long[] samplesNs) {
    }

    /** A loaded model with its preallocated inputs. */
    public final class LoadedModel implements AutoCloseable {
        private Pointer handle;
        private final double loadMs;

        private LoadedModel(Pointer handle, double loadMs) {
            this.handle = Objects.requireNonNull(handle, "the shim returned OK without a model handle");
            this.loadMs = loadMs;
        }

        public double loadMs() {
            return loadMs;
        }

        /** One cold prediction, {@code warmup} untimed ones, then {@code iterations} timed ones. */
        public Predictions predict(int warmup, int iterations) {
            if (handle == null) {
                throw new IllegalStateException("model already closed");
            }
            long[] cold = new long[1];
            long[] samples = new long[iterations];
            Statuses.check(lib.aneprobe_predict(handle, warmup, iterations, cold, samples, err),
                    Statuses.Call.PREDICT, err);
            return new Predictions(cold[0], samples);
        }

        @Override
        public void close() {
            if (handle != null) {
                lib.aneprobe_model_free(handle);
                handle = null;
            }
        }
    }

    /** A compute plan; entries are copied out on demand, their native strings freed with the plan. */
    public final class ComputePlan implements AutoCloseable {
        private Pointer handle;
        private final double planMs;
        /** Reused for every entry: output only, read back after each call. */
        private final AneprobeLibrary.AneprobePlanEntry scratch = new AneprobeLibrary.AneprobePlanEntry();

        private ComputePlan(Pointer handle, double planMs) {
            this.handle = Objects.requireNonNull(handle, "the shim returned OK without a plan handle");
            this.planMs = planMs;
            scratch.setAutoWrite(false);
        }

        public double planMs() {
            return planMs;
        }

        public long count() {
            return lib.aneprobe_plan_count(open());
        }

        public PlanEntry entry(long index) {
            AneprobeLibrary.AneprobePlanEntry e = scratch;
            Statuses.check(lib.aneprobe_plan_entry_get(open(), index, e, err), Statuses.Call.PLAN_ENTRY, err);
            Double cost = Double.isNaN(e.cost) ? null : e.cost;
            return new PlanEntry(e.name, e.kind, device(e.preferred), devices(e.supported_mask), cost);
        }

        public List<PlanEntry> entries() {
            long n = count();
            List<PlanEntry> out = new ArrayList<>((int) Math.min(n, 4096));
            for (long i = 0; i < n; i++) {
                out.add(entry(i));
            }
            return out;
        }

        private Pointer open() {
            if (handle == null) {
                throw new IllegalStateException("plan already closed");
            }
            return handle;
        }

        @Override
        public void close() {
            if (handle != null) {
                lib.aneprobe_plan_free(handle);
                handle = null;
            }
        }
    }
}
