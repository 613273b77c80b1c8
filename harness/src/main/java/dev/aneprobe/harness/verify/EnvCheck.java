package dev.aneprobe.harness.verify;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.probes.generate.CatalogHash;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a run's environment for publication, on top of what every reader checks. {@code env.json} is read and
 * checked by the readers' own parser ({@code results/read/EnvParser}: JSON, types, the fields a reader needs); a run
 * it refuses is refused here with its words. Publication asks for more: everything a reader of the tables needs to
 * place and reproduce the run (machine, macOS build, aneprobe version and commit, catalog, units, arguments), no
 * machine paths, a run directory named after its run, and neither test data nor a simulated run.
 */
final class EnvCheck {
    /** A commit as the build records it: 40 hex digits, "-dirty" when built from uncommitted changes. */
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}(-dirty)?");
    private static final Pattern OS_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,2}");
    /** A home directory, or any absolute path, in a recorded argument. */
    private static final Pattern PATHLIKE = Pattern.compile("(^|=)(/|~)|/Users/");

    /**
     * What the checks found out about the run.
     *
     * @param env the run's environment as the readers read it
     * @param shard the run's shard, or null (none, or not one aneprobe can use: a problem then)
     * @param units the settings the run says it measures (empty when not recorded)
     * @param simulated how the run says it was simulated, or null for a run on a real Core ML
     * @param testData which test-data marker the run carries, or null
     * @param sweepKey what the shards of one sweep share: profile, catalog, and the arguments but --shard, --run-id
     */
    record Facts(EnvRecord env, Shard shard, Set<ComputeUnits> units, String simulated, String testData,
            String sweepKey) {
        String runId() {
            return env.runId();
        }

        String chipOs() {
            return env.host().chipOsKey();
        }

        String machine() {
            return env.host().machineModel();
        }

        String osBuild() {
            return env.host().osBuild();
        }

        boolean hasNeuralEngine() {
            return env.host().hasNeuralEngine();
        }

        String harnessVersion() {
            return env.harnessVersion();
        }

        String gitCommit() {
            return env.gitCommit();
        }

        String catalogHash() {
            return env.catalogHash();
        }

        /** True for a run of {@code sweep --adaptive}; false also when the arguments are not recorded. */
        boolean adaptive() {
            return env.adaptive();
        }

        /** The arguments are recorded, so whether the run is adaptive is known. */
        boolean argumentsKnown() {
            return !env.arguments().isEmpty();
        }

        boolean dirty() {
            return gitCommit() != null && gitCommit().endsWith("-dirty");
        }

        boolean sameCatalog() {
            return CatalogHash.current().equals(catalogHash());
        }
    }

    private EnvCheck() {
    }

    /**
     * @param env the environment as {@code EnvParser} read it (well typed: only what publication adds is checked)
     * @param dirName the run directory's name
     * @param problems where each problem goes, a few plain words naming the field
     */
    static Facts check(EnvRecord env, String dirName, List<String> testDataMarkers, List<String> problems) {
        if (!env.runId().equals(dirName)) {
            problems.add("runId is " + env.runId() + " but the directory is " + dirName
                    + " (a run directory keeps the name the sweep gave it)");
        }
        HostInfo host = env.host();
        required(host.machineModel(), "host.machineModel", problems);
        if (!host.osName().equals("macOS")) {
            problems.add("host.osName is \"" + host.osName() + "\", not macOS");
        }
        if (!OS_VERSION.matcher(host.osVersion()).matches()) {
            problems.add("host.osVersion \"" + host.osVersion() + "\" is not a version like 14.5");
        }
        required(host.osBuild(), "host.osBuild", problems);
        if (host.neuralEngineCores() != null && host.neuralEngineCores() < 1) {
            problems.add("host.neuralEngineCores is below 1 (" + host.neuralEngineCores() + ")");
        }
        if (host.computeDevices().isEmpty()) {
            problems.add("missing host.computeDevices");
        }
        for (String d : host.computeDevices()) {
            if (!d.equals("none") && !isDevice(d)) {
                problems.add("host.computeDevices[] is \"" + d + "\", not one of cpu, gpu, ane, other");
            }
        }
        required(env.harnessVersion(), "harnessVersion", problems);
        if (required(env.gitCommit(), "gitCommit", problems) && !COMMIT.matcher(env.gitCommit()).matches()) {
            problems.add("gitCommit \"" + env.gitCommit() + "\" is not a 40-digit commit");
        }
        required(env.jvm(), "jvm", problems);
        if (env.arguments().isEmpty()) {
            problems.add("missing arguments");
        }
        for (String a : env.arguments()) {
            if (PATHLIKE.matcher(a).find()) {
                problems.add("arguments record a path (\"" + a + "\"); a published run names no files of the "
                        + "machine that made it");
            }
        }
        Shard shard = null;
        if (env.shard() != null) {
            try {
                shard = Shard.parse(env.shard());
            } catch (RuntimeException e) {
                problems.add("shard: " + e.getMessage());
            }
        }
        required(env.catalogHash(), "catalogHash", problems);
        Set<ComputeUnits> units = EnumSet.noneOf(ComputeUnits.class);
        if (env.units().isEmpty()) {
            problems.add("missing units");
        }
        for (ComputeUnits u : env.units()) {
            if (!units.add(u)) {
                problems.add("units lists " + u.label() + " twice");
            }
        }
        return new Facts(env, shard, units, simulatedMark(env), testDataMarker(env, testDataMarkers),
                "profile " + env.profile() + ", catalog " + env.catalogHash() + ", arguments " + sweepArguments(env));
    }

    /** Null and blank are missing (the parser refuses a blank one-line field; a blank jvm is refused here). */
    private static boolean required(String value, String field, List<String> problems) {
        if (value == null) {
            problems.add("missing " + field);
            return false;
        }
        if (value.isBlank()) {
            problems.add(field + " is empty");
            return false;
        }
        return true;
    }

    private static boolean isDevice(String label) {
        try {
            Device.fromLabel(label);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The arguments but --shard and --run-id (with their values), which differ between the shards of one sweep. */
    private static List<String> sweepArguments(EnvRecord env) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = env.arguments().iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("--shard") || a.equals("--run-id")) {
                if (it.hasNext()) {
                    it.next();
                }
            } else if (!a.startsWith("--shard=") && !a.startsWith("--run-id=")) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * How the run says it was simulated, or null for a run on a real Core ML: the parser's simulated mark (see
     * {@link EnvRecord#simulation}), or a host chip starting with "SIMULATED".
     */
    static String simulatedMark(EnvRecord env) {
        EnvRecord.Simulation s = env.simulation();
        if (s != null) {
            if (s.deviceModel() == null) {
                return s.sha256() == null ? "simulated" : "sha256 " + s.sha256();
            }
            return "device model " + s.deviceModel() + (s.sha256() == null ? "" : ", sha256 " + s.sha256())
                    + (s.shipped() ? ", shipped with aneprobe" : "");
        }
        if (env.host().chip().startsWith("SIMULATED")) {
            return "host.chip " + env.host().chip();
        }
        return null;
    }

    /**
     * The test-data marker a run carries, or null: host.chip, host.machineModel or jvm starting with one of the
     * markers (hand-made fixtures say FIXTURE, benchmark data SYNTHETIC, the C test double's host is "Test Double"),
     * or a harness version naming itself a fixture.
     */
    static String testDataMarker(EnvRecord env, List<String> markers) {
        String[][] fields = {{"host.chip", env.host().chip()}, {"host.machineModel", env.host().machineModel()},
            {"jvm", env.jvm()}};
        for (String[] f : fields) {
            for (String m : markers) {
                if (f[1] != null && f[1].startsWith(m)) {
                    return f[0] + " \"" + f[1] + "\"";
                }
            }
        }
        String version = env.harnessVersion();
        if (version != null && version.toLowerCase(Locale.ROOT).contains("fixture")) {
            return "harnessVersion \"" + version + "\"";
        }
        return null;
    }
}
