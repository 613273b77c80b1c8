package dev.aneprobe.harness.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.probes.generate.CatalogHash;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a run's {@code env.json} for publication: complete (everything a reader of the tables needs to place and
 * reproduce the run), well typed, free of machine paths, and neither test data nor simulated.
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
     * @param simulated how the run says it was simulated, or null for a run on a real Core ML
     * @param testData which test-data marker the run carries, or null
     * @param units the settings the run says it measures (empty when not recorded)
     * @param hasNeuralEngine what the host said, or null when env.json does not say it properly
     * @param sweepKey what the shards of one sweep share: profile, catalog, and the arguments but --shard, --run-id
     */
    record Facts(String runId, String chipOs, String machine, String osBuild, String harnessVersion,
            String gitCommit, String catalogHash, Shard shard, Set<ComputeUnits> units, Boolean hasNeuralEngine,
            String simulated, String testData, String sweepKey, boolean adaptive) {
        boolean dirty() {
            return gitCommit != null && gitCommit.endsWith("-dirty");
        }

        boolean sameCatalog() {
            return CatalogHash.current().equals(catalogHash);
        }
    }

    private EnvCheck() {
    }

    static Facts check(JsonNode env, String dirName, List<String> testDataMarkers, JsonShape s) {
        Long schema = s.integer(env, "schema", "schema", true, 1);
        if (schema != null && schema != EnvRecord.SCHEMA) {
            s.problem("schema is " + schema + ", this aneprobe reads " + EnvRecord.SCHEMA);
        }
        String runId = s.text(env, "runId", "runId", true);
        if (runId != null && !runId.equals(dirName)) {
            s.problem("runId is " + runId + " but the directory is " + dirName
                    + " (a run directory keeps the name the sweep gave it)");
        }
        String startedAt = s.text(env, "startedAt", "startedAt", true);
        if (startedAt != null) {
            try {
                Instant.parse(startedAt);
            } catch (DateTimeParseException e) {
                s.problem("startedAt \"" + startedAt + "\" is not an ISO-8601 instant");
            }
        }
        JsonNode host = s.object(env, "host", "host", true);
        String chip = null;
        String machine = null;
        String osVersion = null;
        String osBuild = null;
        Boolean ane = null;
        if (host != null) {
            chip = s.text(host, "chip", "host.chip", true);
            machine = s.text(host, "machineModel", "host.machineModel", true);
            String osName = s.text(host, "osName", "host.osName", true);
            if (osName != null && !osName.equals("macOS")) {
                s.problem("host.osName is \"" + osName + "\", not macOS");
            }
            osVersion = s.text(host, "osVersion", "host.osVersion", true);
            if (osVersion != null && !OS_VERSION.matcher(osVersion).matches()) {
                s.problem("host.osVersion \"" + osVersion + "\" is not a version like 14.5");
            }
            osBuild = s.text(host, "osBuild", "host.osBuild", true);
            ane = s.bool(host, "hasNeuralEngine", "host.hasNeuralEngine", true);
            s.integer(host, "neuralEngineCores", "host.neuralEngineCores", false, 1);
            JsonNode devices = s.array(host, "computeDevices", "host.computeDevices", true);
            if (devices != null && s.strings(devices, "host.computeDevices")) {
                for (JsonNode d : devices) {
                    if (!d.textValue().equals("none")) {
                        s.choiceValue(d, "host.computeDevices[]", true, Device::fromLabel, "cpu, gpu, ane, other");
                    }
                }
            }
        }
        String version = s.text(env, "harnessVersion", "harnessVersion", true);
        String commit = s.text(env, "gitCommit", "gitCommit", true);
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            s.problem("gitCommit \"" + commit + "\" is not a 40-digit commit");
        }
        s.text(env, "jvm", "jvm", true);
        String profile = s.text(env, "profile", "profile", false);
        JsonNode args = s.array(env, "arguments", "arguments", true);
        List<String> arguments = new ArrayList<>();
        if (args != null && s.strings(args, "arguments")) {
            if (args.isEmpty()) {
                s.problem("arguments is empty");
            }
            for (JsonNode a : args) {
                arguments.add(a.textValue());
                if (PATHLIKE.matcher(a.textValue()).find()) {
                    s.problem("arguments record a path (\"" + a.textValue() + "\"); a published run names no "
                            + "files of the machine that made it");
                }
            }
        }
        Shard shard = null;
        String shardText = s.text(env, "shard", "shard", false);
        if (shardText != null) {
            try {
                shard = Shard.parse(shardText);
            } catch (RuntimeException e) {
                s.problem("shard: " + e.getMessage());
            }
        }
        String catalog = s.text(env, "catalogHash", "catalogHash", true);
        if (catalog != null && !CatalogHash.isHash(catalog)) {
            s.problem("catalogHash \"" + catalog + "\" is not a sha256");
            catalog = null;
        }
        Set<ComputeUnits> units = EnumSet.noneOf(ComputeUnits.class);
        JsonNode u = s.array(env, "units", "units", true);
        if (u != null) {
            if (u.isEmpty()) {
                s.problem("units is empty");
            }
            for (int i = 0; i < u.size(); i++) {
                ComputeUnits cu = s.choiceValue(u.get(i), "units[" + i + "]", true, ComputeUnits::fromLabel,
                        "cpu, gpu, ane, all");
                if (cu != null && !units.add(cu)) {
                    s.problem("units lists " + cu.label() + " twice");
                }
            }
        }
        String chipOs = chip + " / macOS " + osVersion;
        List<String> sweepArgs = new ArrayList<>();
        for (Iterator<String> it = arguments.iterator(); it.hasNext(); ) {
            String a = it.next();
            if (a.equals("--shard") || a.equals("--run-id")) {
                if (it.hasNext()) {
                    it.next();
                }
            } else if (!a.startsWith("--shard=") && !a.startsWith("--run-id=")) {
                sweepArgs.add(a);
            }
        }
        String sweepKey = "profile " + profile + ", catalog " + catalog + ", arguments " + sweepArgs;
        return new Facts(runId, chipOs, machine, osBuild, version, commit, catalog, shard, units, ane,
                simulatedMark(env), testDataMarker(env, testDataMarkers), sweepKey, arguments.contains("--adaptive"));
    }

    /**
     * How env.json says the run was simulated, or null for a run on a real Core ML.
     *
     * <p>The one place that knows the simulated mark. {@code sweep --simulate} (branch simulate, EnvRecord.Simulation)
     * writes a top-level {@code "simulation": {"simulated": true, "deviceModel": NAME, "sha256": HEX, "shipped": B}};
     * any other non-null, non-false {@code simulation} or {@code simulated} field, or a host chip starting with
     * "SIMULATED", counts too, so that a renamed or reshaped mark is still refused rather than published.
     */
    static String simulatedMark(JsonNode env) {
        for (String field : List.of("simulation", "simulated")) {
            JsonNode v = env.get(field);
            if (v == null || v.isNull() || v.isMissingNode() || (v.isBoolean() && !v.booleanValue())) {
                continue;
            }
            if (v.isObject()) {
                String model = v.path("deviceModel").isTextual() ? v.path("deviceModel").textValue() : null;
                String sha = v.path("sha256").isTextual() ? v.path("sha256").textValue() : null;
                if (model != null) {
                    return "device model " + model + (sha == null ? "" : ", sha256 " + sha)
                            + (v.path("shipped").asBoolean(false) ? ", shipped with aneprobe" : "");
                }
                List<String> parts = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isValueNode()) {
                        parts.add(e.getKey() + " " + e.getValue().asText());
                    }
                }
                return parts.isEmpty() ? field : String.join(", ", parts);
            }
            return v.isBoolean() ? field : field + " " + v.asText();
        }
        JsonNode chip = env.path("host").path("chip");
        if (chip.isTextual() && chip.textValue().startsWith("SIMULATED")) {
            return "host.chip " + chip.textValue();
        }
        return null;
    }

    /**
     * The test-data marker a run carries, or null: host.chip or host.machineModel starting with one of the markers
     * (hand-made fixtures say FIXTURE, benchmark data SYNTHETIC, the C test double's host is "Test Double"), or a
     * harness version naming itself a fixture.
     */
    static String testDataMarker(JsonNode env, List<String> markers) {
        for (String field : List.of("chip", "machineModel", "jvm")) {
            JsonNode v = field.equals("jvm") ? env.path("jvm") : env.path("host").path(field);
            if (v.isTextual()) {
                for (String m : markers) {
                    if (v.textValue().startsWith(m)) {
                        return (field.equals("jvm") ? "jvm" : "host." + field) + " \"" + v.textValue() + "\"";
                    }
                }
            }
        }
        JsonNode version = env.path("harnessVersion");
        if (version.isTextual() && version.textValue().toLowerCase(java.util.Locale.ROOT).contains("fixture")) {
            return "harnessVersion \"" + version.textValue() + "\"";
        }
        return null;
    }
}
