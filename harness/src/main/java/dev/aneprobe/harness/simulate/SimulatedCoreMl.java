package dev.aneprobe.harness.simulate;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.PointerByReference;
import dev.aneprobe.harness.bridge.AneprobeLibrary;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simulated Core ML behind the same contract as {@code native/include/aneprobe.h}: a Java implementation of
 * {@link AneprobeLibrary}, the JNA mirror of that header, with the same calls, statuses, error structure, opaque
 * handles and plan entries. The worker hands it to {@code Shim} in place of the native library, so everything above
 * it (Shim, the typed exceptions, the compiled-model cache, the worker protocol, the sweep, the journal, the
 * verdicts) runs as in production.
 *
 * <p>It sees only what Core ML sees: "compile" reads the model's bytes ({@link ModelExtractor}) and writes what it
 * learned into the {@code .mlmodelc} directory; load, plan and predict read that back with the compute units. Its
 * behaviour is the {@link DeviceModel}'s: plans, refusals (an error status and Core ML-like error text), crashes (a
 * real signal raised in this process), hangs (it never returns), reason lines (appended to a log file read back as
 * the unified log would be) and simulated stage times and latencies (reported, not slept).
 */
public final class SimulatedCoreMl implements AneprobeLibrary {
    /** The file in a simulated {@code .mlmodelc} holding the model's facts. */
    public static final String FACTS = "simulated-model.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final DeviceModel device;
    private final Path logFile;
    private final AtomicLong handles = new AtomicLong(0x1000);
    private final Map<Long, Simulation> models = new HashMap<>();
    private final Map<Long, List<Simulation.OpPlan>> plans = new HashMap<>();
    private final Map<String, ModelFacts> factsCache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ModelFacts> e) {
            return size() > 8;
        }
    };

    /**
     * @param device the simulated Mac
     * @param logFile where reason lines go (in the unified log's compact style), or null for none
     */
    public SimulatedCoreMl(DeviceModel device, Path logFile) {
        this.device = device;
        this.logFile = logFile;
    }

    public DeviceModel device() {
        return device;
    }

    /** The chip the simulated host reports: marked as simulated and by its device model, on every output. */
    public static String chip(DeviceModel d) {
        return "SIMULATED " + d.host().chip() + " [" + d.name() + "]";
    }

    // ------------------------------------------------------------------ helpers

    private static int fail(AneprobeError err, int status, String domain, long code, String description) {
        if (err != null) {
            put(err.domain, domain);
            err.code = code;
            put(err.description, description);
            err.write();
        }
        return status;
    }

    private static void put(byte[] dst, String s) {
        java.util.Arrays.fill(dst, (byte) 0);
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, dst, 0, Math.min(b.length, dst.length - 1));
    }

    private boolean osAtLeast(int major, int minor) {
        DeviceModel.Host h = device.host();
        return h.major() > major || (h.major() == major && h.minor() >= minor);
    }

    private static ComputeUnits units(long raw) {
        for (ComputeUnits u : ComputeUnits.values()) {
            if (u.mlComputeUnits() == raw) {
                return u;
            }
        }
        return null;
    }

    private ModelFacts facts(String compiledPath) throws IOException {
        ModelFacts f = factsCache.get(compiledPath);
        if (f == null) {
            f = JSON.readValue(Path.of(compiledPath, FACTS).toFile(), ModelFacts.class);
            factsCache.put(compiledPath, f);
        }
        return f;
    }

    private void log(String subsystem, String text) {
        if (logFile == null) {
            return;
        }
        String line = STAMP.format(LocalDateTime.now(ZoneId.systemDefault())) + " E  java["
                + ProcessHandle.current().pid() + ":" + Long.toHexString(Thread.currentThread().getId()) + "] ["
                + subsystem + "] " + text.replace('\n', ' ') + "\n";
        try {
            Files.writeString(logFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("aneprobe simulator: cannot append to the simulated log " + logFile + ": " + e);
        }
    }

    /** The libc call that raises a real signal in this process. */
    interface CLib extends Library {
        int raise(int signal);
    }

    /**
     * Applies a crash or hang planted at this stage: never returns. A crash raises the signal (SIGSEGV goes through
     * the JVM's fatal-error handler, which writes its report and aborts, as a segfault inside Core ML would);
     * a hang sleeps until the harness kills the worker.
     */
    private void die(Simulation.Failure f) {
        DeviceModel.Rule r = f.rule();
        if (f.crash()) {
            System.err.println("aneprobe simulator: " + r.crash().signalName() + " in " + f.stage().label()
                    + " as device model " + device.name() + " plants (rule " + r.id() + ", " + f.op().type() + ")");
            System.err.flush();
            Native.load("c", CLib.class).raise(r.crash().signal());
            Runtime.getRuntime().halt(128 + r.crash().signal());
        }
        System.err.println("aneprobe simulator: hanging in " + f.stage().label() + " as device model "
                + device.name() + " plants (rule " + r.id() + ", " + f.op().type() + ")");
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // a hang does not end by being asked
            }
        }
    }

    /** A refusal at this stage becomes Core ML's error; a crash or hang never returns. Returns OK otherwise. */
    private int failAt(Simulation sim, Stage stage, AneprobeError err) {
        Simulation.Failure f = sim.failure(stage);
        if (f == null) {
            return ANEPROBE_OK;
        }
        if (f.crash() || f.hang()) {
            die(f);
        }
        DeviceModel.Reject r = f.rule().reject();
        log("com.apple.coreml:coreml", r.message());
        return fail(err, ANEPROBE_COREML_ERROR, r.domain(), r.code(), r.message());
    }

    // ------------------------------------------------------------------ aneprobe.h

    @Override
    public int aneprobe_abi_version() {
        return AneprobeLibrary.ABI_VERSION;
    }

    @Override
    public int aneprobe_host_info(AneprobeHost out, AneprobeError err) {
        if (out == null) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "host is NULL");
        }
        DeviceModel.Host h = device.host();
        put(out.chip, chip(device));
        put(out.machine_model, h.machine().isEmpty() ? "simulated" : h.machine());
        put(out.os_version, h.macos());
        put(out.os_build, h.build());
        out.os_major = h.major();
        out.os_minor = h.minor();
        out.os_patch = h.patch();
        out.has_neural_engine = h.hasNeuralEngine() ? 1 : 0;
        out.neural_engine_cores = h.neuralEngineCores();
        out.devices_inferred = osAtLeast(14, 0) ? 0 : 1;
        int n = 0;
        out.devices[n++] = ANEPROBE_DEVICE_CPU;
        out.devices[n++] = ANEPROBE_DEVICE_GPU;
        if (h.hasNeuralEngine()) {
            out.devices[n++] = ANEPROBE_DEVICE_ANE;
        }
        out.device_count = n;
        return ANEPROBE_OK;
    }

    @Override
    public int aneprobe_compile(String modelPath, String destPath, DoubleByReference compileMs, AneprobeError err) {
        if (modelPath == null || destPath == null || compileMs == null) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "NULL argument to compile");
        }
        if (!osAtLeast(13, 0)) {
            return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "compiling needs macOS 13 (simulated host runs "
                    + device.host().macos() + ")");
        }
        Path dest = Path.of(destPath);
        if (Files.exists(dest)) {
            return fail(err, ANEPROBE_IO_ERROR, "aneprobe", 17, "destination exists: " + destPath);
        }
        ModelFacts facts;
        try {
            facts = ModelExtractor.extract(Path.of(modelPath));
        } catch (ModelExtractor.UnreadableModelException e) {
            return fail(err, ANEPROBE_COREML_ERROR, "com.apple.CoreML", 0, "Compile failed: " + e.getMessage());
        }
        Simulation sim = new Simulation(device, facts, ComputeUnits.CPU);
        int st = failAt(sim, Stage.COMPILE, err);
        if (st != ANEPROBE_OK) {
            return st;
        }
        try {
            Files.createDirectory(dest);
            JSON.writeValue(dest.resolve(FACTS).toFile(), facts);
        } catch (IOException e) {
            return fail(err, ANEPROBE_IO_ERROR, "aneprobe", 0, "cannot write the compiled model: " + e.getMessage());
        }
        compileMs.setValue(sim.compileMs());
        return ANEPROBE_OK;
    }

    @Override
    public int aneprobe_load(String compiledPath, long computeUnits, PointerByReference out, DoubleByReference loadMs,
            AneprobeError err) {
        ComputeUnits u = units(computeUnits);
        if (compiledPath == null || out == null || loadMs == null || u == null) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "bad argument to load (compute units "
                    + computeUnits + ")");
        }
        ModelFacts facts;
        try {
            facts = facts(compiledPath);
        } catch (IOException e) {
            return fail(err, ANEPROBE_COREML_ERROR, "com.apple.CoreML", 0,
                    "Failed to load the compiled model at " + compiledPath + ": " + e.getMessage());
        }
        Simulation sim = new Simulation(device, facts, u);
        // The Neural Engine's compiler runs at load: its reasons for leaving ops off the ANE are logged now.
        for (String r : sim.reasons()) {
            log("com.apple.espresso:ane", r);
        }
        int st = failAt(sim, Stage.LOAD, err);
        if (st != ANEPROBE_OK) {
            return st;
        }
        long id = handles.incrementAndGet();
        models.put(id, sim);
        out.setValue(new Pointer(id));
        loadMs.setValue(sim.loadMs());
        return ANEPROBE_OK;
    }

    @Override
    public void aneprobe_model_free(Pointer model) {
        if (model != null) {
            models.remove(Pointer.nativeValue(model));
        }
    }

    @Override
    public int aneprobe_plan_load(String compiledPath, long computeUnits, PointerByReference out,
            DoubleByReference planMs, AneprobeError err) {
        ComputeUnits u = units(computeUnits);
        if (compiledPath == null || out == null || planMs == null || u == null) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "bad argument to plan_load");
        }
        if (!osAtLeast(14, 4)) {
            return fail(err, ANEPROBE_UNSUPPORTED, "aneprobe", 0, "MLComputePlan needs macOS 14.4 (simulated host "
                    + "runs " + device.host().macos() + ")");
        }
        ModelFacts facts;
        try {
            facts = facts(compiledPath);
        } catch (IOException e) {
            return fail(err, ANEPROBE_COREML_ERROR, "com.apple.CoreML", 0,
                    "Failed to load the compute plan of " + compiledPath + ": " + e.getMessage());
        }
        Simulation sim = new Simulation(device, facts, u);
        int st = failAt(sim, Stage.PLAN, err);
        if (st != ANEPROBE_OK) {
            return st;
        }
        long id = handles.incrementAndGet();
        plans.put(id, sim.plan());
        out.setValue(new Pointer(id));
        planMs.setValue(sim.planMs());
        return ANEPROBE_OK;
    }

    @Override
    public long aneprobe_plan_count(Pointer plan) {
        List<Simulation.OpPlan> p = plan == null ? null : plans.get(Pointer.nativeValue(plan));
        return p == null ? 0 : p.size();
    }

    @Override
    public int aneprobe_plan_entry_get(Pointer plan, long index, AneprobePlanEntry out, AneprobeError err) {
        List<Simulation.OpPlan> p = plan == null ? null : plans.get(Pointer.nativeValue(plan));
        if (p == null || out == null || index < 0 || index >= p.size()) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "bad plan handle or index " + index);
        }
        Simulation.OpPlan e = p.get((int) index);
        out.name = e.op().name();
        out.kind = e.op().type();
        out.preferred = code(e.preferred());
        int mask = 0;
        for (Device d : e.supported()) {
            mask |= 1 << code(d);
        }
        out.supported_mask = mask;
        out.cost = e.cost() == null ? Double.NaN : e.cost();
        return ANEPROBE_OK;
    }

    private static int code(Device d) {
        if (d == null) {
            return ANEPROBE_DEVICE_NONE;
        }
        return switch (d) {
            case CPU -> ANEPROBE_DEVICE_CPU;
            case GPU -> ANEPROBE_DEVICE_GPU;
            case ANE -> ANEPROBE_DEVICE_ANE;
            case OTHER -> ANEPROBE_DEVICE_OTHER;
        };
    }

    @Override
    public void aneprobe_plan_free(Pointer plan) {
        if (plan != null) {
            plans.remove(Pointer.nativeValue(plan));
        }
    }

    @Override
    public int aneprobe_predict(Pointer model, int warmup, int iterations, long[] coldNs, long[] samplesNs,
            AneprobeError err) {
        Simulation sim = model == null ? null : models.get(Pointer.nativeValue(model));
        if (sim == null || warmup < 0 || iterations < 1 || coldNs == null || samplesNs == null
                || samplesNs.length < iterations) {
            return fail(err, ANEPROBE_INVALID_ARGUMENT, "aneprobe", 0, "bad argument to predict");
        }
        int st = failAt(sim, Stage.PREDICT, err);
        if (st != ANEPROBE_OK) {
            return st;
        }
        long[] s = sim.samples(warmup, iterations, coldNs);
        System.arraycopy(s, 0, samplesNs, 0, iterations);
        return ANEPROBE_OK;
    }
}
