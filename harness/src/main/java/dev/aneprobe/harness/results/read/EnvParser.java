package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and checks a run's {@code env.json} field by field (schema {@value EnvRecord#SCHEMA}, as the sweep writes
 * it: see {@link EnvRecord} and {@link HostInfo}). What is wrong is said in a few plain words naming the field;
 * unknown fields are ignored (a newer writer may add some). The one reader of env.json: the report, claims and
 * {@code verify-run} (which checks more for publication) all read it here.
 */
public final class EnvParser {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private EnvParser() {
    }

    /** Why an env.json is unusable, in a few words. */
    public static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    public static EnvRecord parse(byte[] json) throws Problem {
        JsonNode root;
        try {
            root = READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new Problem(JsonProblems.notJson(e, true));
        } catch (java.io.IOException e) {
            throw new Problem("cannot be read");
        }
        if (root == null || root.isMissingNode()) {
            throw new Problem("empty");
        }
        if (!root.isObject()) {
            throw new Problem("the file is " + describe(root) + ", not a record (an object)");
        }
        List<String> missing = new ArrayList<>();
        JsonNode schema = field(root, "schema", missing);
        JsonNode runId = field(root, "runId", missing);
        JsonNode startedAt = field(root, "startedAt", missing);
        JsonNode host = field(root, "host", missing);
        JsonNode chip = null;
        JsonNode osName = null;
        JsonNode osVersion = null;
        JsonNode hasAne = null;
        if (host != null && host.isObject()) {
            chip = field(host, "host.chip", missing);
            osName = field(host, "host.osName", missing);
            osVersion = field(host, "host.osVersion", missing);
            hasAne = field(host, "host.hasNeuralEngine", missing);
        }
        if (!missing.isEmpty()) {
            throw new Problem("missing " + String.join(", ", missing));
        }
        if (!schema.isIntegralNumber()) {
            throw wrongType("schema", schema, "a whole number");
        }
        if (!schema.canConvertToInt() || schema.intValue() != EnvRecord.SCHEMA) {
            throw new Problem("schema: " + ObservationParser.quote(schema.asText()) + ", but this aneprobe reads "
                    + "version " + EnvRecord.SCHEMA + " only");
        }
        String id = line("runId", runId);
        if (id.contains("/") || id.contains("\\") || id.startsWith(".")) {
            throw new Problem("runId: " + ObservationParser.quote(id) + " is not a plain directory name");
        }
        String started = text("startedAt", startedAt);
        if (!ObservationParser.isInstant(started)) {
            throw new Problem("startedAt: " + ObservationParser.quote(started)
                    + " is not a UTC time such as 2025-01-10T10:00:00Z");
        }
        if (!host.isObject()) {
            throw wrongType("host", host, "an object");
        }
        if (!hasAne.isBoolean()) {
            throw wrongType("host.hasNeuralEngine", hasAne, "true or false");
        }
        Integer cores = null;
        JsonNode c = host.get("neuralEngineCores");
        if (c != null && !c.isNull()) {
            if (!c.isIntegralNumber()) {
                throw wrongType("host.neuralEngineCores", c, "a whole number");
            }
            if (!c.canConvertToInt() || c.intValue() < 0 || c.intValue() > 4096) {
                throw new Problem("host.neuralEngineCores: " + ObservationParser.quote(c.asText())
                        + " is out of range (0 to 4096)");
            }
            cores = c.intValue();
        }
        HostInfo h = new HostInfo(line("host.chip", chip), optionalLine(host, "machineModel", "host."),
                line("host.osName", osName), line("host.osVersion", osVersion), optionalLine(host, "osBuild", "host."),
                hasAne.booleanValue(), cores, texts(host, "computeDevices", "host."));
        String shard = optionalLine(root, "shard", "");
        if (shard != null && !shard.matches("[0-9]{1,9}/[0-9]{1,9}")) {
            throw new Problem("shard: " + ObservationParser.quote(shard) + " is not i/n");
        }
        String catalogHash = optionalLine(root, "catalogHash", "");
        if (catalogHash != null && !catalogHash.matches("[0-9a-f]{64}")) {
            throw new Problem("catalogHash: " + ObservationParser.quote(catalogHash) + " is not 64 hex digits");
        }
        List<ComputeUnits> units = null;
        List<String> unitLabels = texts(root, "units", "");
        if (unitLabels != null) {
            units = new ArrayList<>();
            for (String u : unitLabels) {
                try {
                    units.add(ComputeUnits.fromLabel(u));
                } catch (IllegalArgumentException e) {
                    throw new Problem("units: " + ObservationParser.quote(u) + " is not cpu, gpu, ane or all");
                }
            }
        }
        return new EnvRecord(EnvRecord.SCHEMA, id, started, h, optionalLine(root, "harnessVersion", ""),
                optionalLine(root, "gitCommit", ""), optionalText(root, "jvm", ""), optionalLine(root, "profile", ""),
                texts(root, "arguments", ""), shard, catalogHash, units, simulation(root));
    }

    /**
     * The simulated mark ({@code sweep --simulate}). Any value but null or absent makes the run simulated, so that a
     * damaged mark can never turn a simulated run into one that looks real; so does a top-level {@code "simulated"}
     * that is neither null nor false (a renamed mark is still a mark).
     */
    private static EnvRecord.Simulation simulation(JsonNode root) throws Problem {
        JsonNode n = root.get("simulation");
        if (n == null || n.isNull()) {
            JsonNode renamed = root.get("simulated");
            boolean marked = renamed != null && !renamed.isNull() && !(renamed.isBoolean() && !renamed.booleanValue());
            return marked ? new EnvRecord.Simulation(true, null, null, false) : null;
        }
        if (!n.isObject()) {
            throw wrongType("simulation", n, "an object");
        }
        JsonNode shipped = n.get("shipped");
        return new EnvRecord.Simulation(true, optionalLine(n, "deviceModel", "simulation."),
                optionalLine(n, "sha256", "simulation."), shipped != null && shipped.asBoolean(false));
    }

    /** A field that must be there (null is "there": its type is checked later). */
    private static JsonNode field(JsonNode parent, String path, List<String> missing) {
        JsonNode n = parent.get(path.substring(path.lastIndexOf('.') + 1));
        if (n == null) {
            missing.add(path);
        }
        return n;
    }

    private static Problem wrongType(String field, JsonNode n, String expected) {
        return new Problem(field + ": " + describe(n) + ", expected " + expected);
    }

    private static String describe(JsonNode n) {
        return switch (n.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case STRING -> "text";
            case NUMBER -> "a number";
            case BOOLEAN -> "true/false";
            case NULL -> "null";
            default -> "not a value";
        };
    }

    private static String text(String field, JsonNode n) throws Problem {
        if (!n.isTextual()) {
            throw wrongType(field, n, "text");
        }
        return n.textValue();
    }

    /** Non-blank text on one line: it names a column or a run in tables and on the terminal. */
    private static String line(String field, JsonNode n) throws Problem {
        String s = text(field, n);
        if (s.isBlank()) {
            throw new Problem(field + ": empty");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) {
                throw new Problem(field + ": " + ObservationParser.quote(s) + " has a control character");
            }
        }
        return s;
    }

    private static String optionalText(JsonNode parent, String name, String prefix) throws Problem {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? null : text(prefix + name, n);
    }

    private static String optionalLine(JsonNode parent, String name, String prefix) throws Problem {
        JsonNode n = parent.get(name);
        return n == null || n.isNull() ? null : line(prefix + name, n);
    }

    private static List<String> texts(JsonNode parent, String name, String prefix) throws Problem {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw wrongType(prefix + name, n, "an array of text");
        }
        List<String> out = new ArrayList<>(n.size());
        for (JsonNode e : n) {
            out.add(text(prefix + name + "[]", e));
        }
        return out;
    }
}
