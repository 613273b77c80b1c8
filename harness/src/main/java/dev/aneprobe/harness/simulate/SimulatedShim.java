package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.bridge.Shim;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a worker JVM is told to use the simulated Core ML: system properties set by the sweep (or {@code devices})
 * when {@code --simulate} is given. The worker loads the device model itself and checks it is the one the parent
 * checked (same sha256), so a file edited during a sweep is refused rather than mixed into the run.
 */
public final class SimulatedShim {
    /** The device model: a file path or a shipped name. */
    public static final String PROPERTY = "aneprobe.simulate";
    /** Its sha256, as the parent read it. */
    public static final String SHA_PROPERTY = "aneprobe.simulate.sha256";
    /** The file the simulated Core ML appends its log lines to. */
    public static final String LOG_PROPERTY = "aneprobe.simulate.log";

    private SimulatedShim() {
    }

    public static boolean requested() {
        String p = System.getProperty(PROPERTY);
        return p != null && !p.isBlank();
    }

    /**
     * Loads the schema's classes and runs every rule's predicate once on a made-up op, so a fresh worker's first
     * probe costs what any other does (the harness times every probe line).
     */
    static void warmUp(DeviceModel d) {
        dev.aneprobe.probes.coreml.Model.getDescriptor();
        dev.aneprobe.probes.coreml.mil.Program.getDescriptor();
        ModelFacts m = new ModelFacts(ModelFacts.NEURAL_NETWORK, 1, "", List.of(), List.of(), false, 0, "", List.of());
        for (DeviceModel.Rule r : d.rules()) {
            String type = r.types().isEmpty() ? "activation" : r.types().iterator().next();
            OpFacts op = new OpFacts("", type, 0, java.util.Map.of(), List.of(), List.of(), List.of(), 0, false);
            try {
                d.decide(op, m);
            } catch (DeviceModel.RuleEvaluationException e) {
                // a made-up op lacks the parameters a predicate reads: only the warm-up matters
            }
        }
    }

    /** The worker JVM arguments that select this device model (and a log file, or null for none). */
    public static List<String> jvmArgs(DeviceModel d, Path logFile) {
        List<String> a = new ArrayList<>();
        a.add("-D" + PROPERTY + "=" + (d.shipped() ? d.name() : Path.of(d.source()).toAbsolutePath().toString()));
        a.add("-D" + SHA_PROPERTY + "=" + d.sha256());
        if (logFile != null) {
            a.add("-D" + LOG_PROPERTY + "=" + logFile.toAbsolutePath());
        }
        return a;
    }

    /** The simulated Core ML this worker was asked for, behind a {@link Shim}. */
    public static Shim load() {
        DeviceModel d = DeviceModel.load(System.getProperty(PROPERTY));
        String want = System.getProperty(SHA_PROPERTY);
        if (want != null && !want.isBlank() && !want.equals(d.sha256())) {
            throw new IllegalStateException("device model " + d.source() + " changed since the sweep started "
                    + "(sha256 " + d.sha256() + ", expected " + want + ")");
        }
        warmUp(d);
        String log = System.getProperty(LOG_PROPERTY);
        return Shim.over(new SimulatedCoreMl(d, log == null || log.isBlank() ? null : Path.of(log)),
                "simulated Core ML, device model " + d.name() + " (sha256 " + d.sha256().substring(0, 12) + ")");
    }
}
