package dev.aneprobe.harness.simulate;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Stage;
import dev.cel.runtime.CelEvaluationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A simulated Mac: its host, its latency and stage-time models, and its rules (first match wins) deciding what Core
 * ML does with each layer or op. Loaded from a YAML or JSON file, or by the name of one shipped with aneprobe
 * ({@link #SHIPPED}); every problem is a {@link DeviceModelException} naming the file, the rule and what is wrong.
 * The format is documented in docs/simulate.md.
 */
public final class DeviceModel {
    /** The device models aneprobe ships, by name. */
    public static final List<String> SHIPPED = List.of("seed-v1", "seed-v2", "field-notes", "contrarian");
    static final String RESOURCE_DIR = "/dev/aneprobe/harness/simulate/devices/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern MACOS = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,3}))?");
    /** The signals a crash may raise, with their numbers on Linux and macOS (the same for these two). */
    static final Map<String, Integer> SIGNALS = Map.of("SIGSEGV", 11, "SIGABRT", 6);

    /** The simulated Mac. */
    public record Host(String chip, String machine, String macos, int major, int minor, int patch, String build,
            int neuralEngineCores) {
        public boolean hasNeuralEngine() {
            return neuralEngineCores > 0;
        }
    }

    /** Cost of an op on one device, in nanoseconds: fixed + per element + per FLOP. */
    public record Cost(double fixedNs, double perElementNs, double perFlopNs) {
        double of(OpFacts op) {
            return fixedNs + perElementNs * op.elements() + perFlopNs * op.flops();
        }
    }

    public record Latency(long seed, double noise, double coldFactor, double transitionNs, Cost cpu, Cost gpu,
            Cost ane) {
        Cost on(Device d) {
            return switch (d) {
                case GPU -> gpu;
                case ANE -> ane;
                default -> cpu;
            };
        }
    }

    public record StageCost(double fixedMs, double perMegabyteMs, double perOpMs, double aneMs) {
    }

    public record Stages(StageCost compile, StageCost load, StageCost plan) {
    }

    /** Core ML refusing the model. */
    public record Reject(Stage stage, Set<ComputeUnits> units, String domain, long code, String message) {
    }

    /** The worker dying (crash: with {@code signal}) or never answering (hang). */
    public record Fault(Stage stage, Set<ComputeUnits> units, int signal, String signalName) {
    }

    /**
     * One rule, or the default outcome ({@code id} "default", no types, no predicate).
     *
     * @param types the layer and op types it is about; empty for any
     * @param placement where Core ML prefers to run the op when the Neural Engine is allowed
     * @param supported the devices that could run it
     * @param dispatch where it really runs when the plan puts it on the ANE (null: where the plan says)
     * @param split with placement ane: Core ML splits the layer itself in two, the second half on this device (cpu
     *     or gpu); the plan then has two entries of the layer's name (null: not split)
     * @param wholeModel when it is off the ANE, the whole model is
     * @param reason the log line Core ML prints when it keeps the op off the ANE, or null
     */
    public record Rule(String id, Set<String> types, Predicates.Predicate when, Device placement,
            Set<Device> supported, Device dispatch, Device split, boolean wholeModel, String reason, Reject reject,
            Fault crash, Fault hang) {
        boolean matches(OpFacts op, ModelFacts model, Map<String, Object> vars) throws CelEvaluationException {
            if (!types.isEmpty() && !types.contains(op.type())) {
                return false;
            }
            return when == null || when.test(vars);
        }
    }

    /**
     * How the simulated Core ML partitions a model when the Neural Engine is allowed: for the GPU and for the CPU,
     * whether it leaves the ANE for that device once and stays ({@code once}) or switches back and forth as each op
     * wants ({@code repeat}, the default: every op placed on its own).
     */
    public record Switching(boolean gpuOnce, boolean cpuOnce) {
        public static final Switching REPEAT = new Switching(false, false);

        /** True when leaving the ANE for {@code d} is for good. */
        public boolean once(Device d) {
            return d == Device.GPU ? gpuOnce : d == Device.CPU && cpuOnce;
        }
    }

    private final String name;
    private final String description;
    private final String source;
    private final boolean shipped;
    private final String sha256;
    private final Host host;
    private final Latency latency;
    private final Stages stages;
    private final Rule fallback;
    private final List<Rule> rules;
    private final Switching switching;

    private DeviceModel(String name, String description, String source, boolean shipped, String sha256, Host host,
            Latency latency, Stages stages, Rule fallback, List<Rule> rules, Switching switching) {
        this.switching = switching;
        this.name = name;
        this.description = description;
        this.source = source;
        this.shipped = shipped;
        this.sha256 = sha256;
        this.host = host;
        this.latency = latency;
        this.stages = stages;
        this.fallback = fallback;
        this.rules = List.copyOf(rules);
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** What was loaded: the file path as given, or {@code shipped:<name>}. */
    public String source() {
        return source;
    }

    public boolean shipped() {
        return shipped;
    }

    /** sha256 of the file's bytes. */
    public String sha256() {
        return sha256;
    }

    public Host host() {
        return host;
    }

    public Latency latency() {
        return latency;
    }

    public Stages stages() {
        return stages;
    }

    public List<Rule> rules() {
        return rules;
    }

    public Rule fallback() {
        return fallback;
    }

    /** How it partitions a model across devices (docs/simulate.md, "switching"). */
    public Switching switching() {
        return switching;
    }

    /** The first rule matching the op, or the default. */
    public Rule decide(OpFacts op, ModelFacts model) {
        Map<String, Object> vars = null;
        for (Rule r : rules) {
            if (!r.types().isEmpty() && !r.types().contains(op.type())) {
                continue;
            }
            if (vars == null) {
                vars = op.celVariables(model);
            }
            try {
                if (r.matches(op, model, vars)) {
                    return r;
                }
            } catch (CelEvaluationException e) {
                throw new RuleEvaluationException("device model " + name + ", rule '" + r.id() + "': 'when' failed on "
                        + op.type() + (op.name().isEmpty() ? "" : " '" + op.name() + "'") + ": " + e.getMessage());
            }
        }
        return fallback;
    }

    /** A predicate that failed while being evaluated (e.g. it read an optional parameter without has()). */
    public static final class RuleEvaluationException extends RuntimeException {
        RuleEvaluationException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ loading

    /**
     * Loads a device model: {@code nameOrPath} is a file (YAML, or JSON when it ends in .json) or the name of a
     * shipped model.
     */
    public static DeviceModel load(String nameOrPath) {
        Path p = Path.of(nameOrPath);
        if (Files.isRegularFile(p)) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(p);
            } catch (IOException e) {
                throw new DeviceModelException(nameOrPath, null, "cannot be read: " + e.getMessage());
            }
            return parse(bytes, nameOrPath, nameOrPath.toLowerCase(Locale.ROOT).endsWith(".json"), false);
        }
        if (SHIPPED.contains(nameOrPath)) {
            return shipped(nameOrPath);
        }
        if (Files.exists(p)) {
            throw new DeviceModelException(nameOrPath, null, "is not a file");
        }
        throw new DeviceModelException(nameOrPath, null, "no such file, and no shipped device model of that name "
                + "(shipped: " + String.join(", ", SHIPPED) + ")");
    }

    /** A shipped device model by name. */
    public static DeviceModel shipped(String name) {
        try (InputStream in = DeviceModel.class.getResourceAsStream(RESOURCE_DIR + name + ".yaml")) {
            if (in == null) {
                throw new DeviceModelException(name, null, "no shipped device model of that name (shipped: "
                        + String.join(", ", SHIPPED) + ")");
            }
            return parse(in.readAllBytes(), "shipped:" + name, false, true);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped device model " + name, e);
        }
    }

    private static ObjectMapper strict(ObjectMapper m) {
        m.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        m.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        m.configure(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY, false);
        m.configure(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, true);
        m.configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true);
        m.coercionConfigDefaults().setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    private static final ObjectMapper YAML = strict(YAMLMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build());
    private static final ObjectMapper JSON = strict(JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS).build());

    /** Parses and checks a device model's bytes; {@code source} names it in messages. */
    public static DeviceModel parse(byte[] bytes, String source, boolean json, boolean shipped) {
        ObjectMapper m = json ? JSON : YAML;
        JsonNode root;
        try {
            root = m.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new DeviceModelException(source, loc == null ? null : "line " + loc.getLineNr(),
                    "syntax error: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new DeviceModelException(source, null, "cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DeviceModelException(source, null, "is not a mapping of fields (format, name, host, rules, ...)");
        }
        DeviceModelSpec spec;
        ObjectNode top = ((ObjectNode) root).deepCopy();
        JsonNode ruleNodes = top.remove("rules");
        top.putNull("rules");
        try {
            spec = m.treeToValue(top, DeviceModelSpec.class);
        } catch (JsonProcessingException e) {
            throw new DeviceModelException(source, null, bindingProblem(e));
        }
        List<DeviceModelSpec.Outcome> ruleSpecs = new ArrayList<>();
        List<String> ruleWhere = new ArrayList<>();
        if (ruleNodes != null && !ruleNodes.isNull()) {
            if (!ruleNodes.isArray()) {
                throw new DeviceModelException(source, null, "'rules' must be a list of rules");
            }
            for (int i = 0; i < ruleNodes.size(); i++) {
                JsonNode rn = ruleNodes.get(i);
                String where = ruleLabel(i, rn);
                try {
                    ruleSpecs.add(m.treeToValue(rn, DeviceModelSpec.Outcome.class));
                } catch (JsonProcessingException e) {
                    throw new DeviceModelException(source, where, bindingProblem(e));
                }
                ruleWhere.add(where);
            }
        }
        return build(spec, ruleSpecs, ruleWhere, source, shipped, sha256(bytes));
    }

    private static String ruleLabel(int i, JsonNode rn) {
        JsonNode id = rn == null ? null : rn.get("id");
        return id != null && id.isTextual() ? "rule '" + id.asText() + "' (rules[" + i + "])" : "rules[" + i + "]";
    }

    private static String bindingProblem(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = new ArrayList<>();
            if (u.getKnownPropertyIds() != null) {
                u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
            }
            known.sort(null);
            return "unknown field '" + path(u) + "' (known here: " + String.join(", ", known) + ")";
        }
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            String what = jm.getOriginalMessage().lines().findFirst().orElse("");
            String expected = what.replaceAll("(?s).*Cannot (?:deserialize|coerce|construct)[^`]*`([^`]*)`.*", "$1");
            if (!expected.equals(what)) {
                expected = expected.replaceAll(".*\\.", "").replace("java.lang.", "");
                expected = switch (expected) {
                    case "Double", "Long", "Integer" -> "a number";
                    case "Boolean" -> "true or false";
                    case "String" -> "a string (quote it)";
                    case "List", "ArrayList" -> "a list";
                    default -> "a mapping (" + expected + ")";
                };
                return "field '" + path(jm) + "' has the wrong type: expected " + expected;
            }
            return "field '" + path(jm) + "': " + what;
        }
        return e.getOriginalMessage().lines().findFirst().orElse("unreadable");
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DeviceModel build(DeviceModelSpec s, List<DeviceModelSpec.Outcome> ruleSpecs,
            List<String> ruleWhere, String source, boolean shipped, String sha) {
        if (!DeviceModelSpec.FORMAT.equals(s.format())) {
            throw new DeviceModelException(source, null, "'format' must be " + DeviceModelSpec.FORMAT
                    + (s.format() == null ? " (missing)" : " (got '" + s.format() + "')"));
        }
        if (s.name() == null || !NAME.matcher(s.name()).matches()) {
            throw new DeviceModelException(source, null, "'name' must be lower-case letters, digits, '.', '_' or '-'"
                    + (s.name() == null ? " (missing)" : " (got '" + s.name() + "')"));
        }
        Host host = host(s.host(), source);
        Latency latency = latency(s.latency());
        Stages stages = stages(s.stages());
        if (s.fallback() == null) {
            throw new DeviceModelException(source, null, "'default' is missing: the outcome of layers and ops no "
                    + "rule matches (e.g. placement: ane)");
        }
        DeviceModelSpec.Outcome d = s.fallback();
        if (d.id() != null || d.types() != null || d.when() != null) {
            throw new DeviceModelException(source, "default", "'id', 'types' and 'when' belong to rules, not to the "
                    + "default");
        }
        if (d.placement() == null) {
            throw new DeviceModelException(source, "default", "needs a 'placement' (ane, gpu or cpu)");
        }
        Rule fallback = rule(d, "default", source, "default", null);
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < ruleSpecs.size(); i++) {
            DeviceModelSpec.Outcome r = ruleSpecs.get(i);
            String where = ruleWhere.get(i);
            if (r == null) {
                throw new DeviceModelException(source, where, "is empty");
            }
            if (r.id() == null || r.id().isBlank()) {
                throw new DeviceModelException(source, where, "needs an 'id'");
            }
            if (!ids.add(r.id())) {
                throw new DeviceModelException(source, where, "id '" + r.id() + "' is used by an earlier rule");
            }
            rules.add(rule(r, r.id(), source, where, fallback));
        }
        return new DeviceModel(s.name(), s.description() == null ? "" : s.description(), source, shipped, sha, host,
                latency, stages, fallback, rules, switching(s.switching(), source));
    }

    private static Switching switching(DeviceModelSpec.Switching s, String source) {
        if (s == null) {
            return Switching.REPEAT;
        }
        return new Switching(once(s.gpu(), "gpu", source), once(s.cpu(), "cpu", source));
    }

    private static boolean once(String value, String device, String source) {
        if (value == null || value.equals("repeat")) {
            return false;
        }
        if (value.equals("once")) {
            return true;
        }
        throw new DeviceModelException(source, "switching", "'" + device + "' must be once or repeat, not '" + value
                + "'");
    }

    private static Host host(DeviceModelSpec.Host h, String source) {
        if (h == null) {
            throw new DeviceModelException(source, "host", "is missing (chip, macos, build, neuralEngineCores)");
        }
        if (h.chip() == null || h.chip().isBlank()) {
            throw new DeviceModelException(source, "host", "needs 'chip' (e.g. Apple M2)");
        }
        if (h.macos() == null) {
            throw new DeviceModelException(source, "host", "needs 'macos' (e.g. \"14.5\", quoted)");
        }
        Matcher mm = MACOS.matcher(h.macos());
        if (!mm.matches()) {
            throw new DeviceModelException(source, "host", "'macos' must be major.minor[.patch] (got '" + h.macos()
                    + "')");
        }
        if (h.build() == null || h.build().isBlank()) {
            throw new DeviceModelException(source, "host", "needs 'build' (the macOS build, e.g. 23F79)");
        }
        if (h.neuralEngineCores() == null || h.neuralEngineCores() < 0) {
            throw new DeviceModelException(source, "host", "needs 'neuralEngineCores' (0 for a Mac without one)");
        }
        int major = Integer.parseInt(mm.group(1));
        int minor = Integer.parseInt(mm.group(2));
        int patch = mm.group(3) == null ? 0 : Integer.parseInt(mm.group(3));
        return new Host(h.chip(), h.machine() == null ? "" : h.machine(), h.macos(), major, minor, patch, h.build(),
                h.neuralEngineCores());
    }

    private static double or(Double v, double fallback) {
        return v == null ? fallback : v;
    }

    private static Cost cost(DeviceModelSpec.DeviceCost c, Cost fallback) {
        if (c == null) {
            return fallback;
        }
        return new Cost(or(c.fixedUs(), fallback.fixedNs() / 1000) * 1000, or(c.perElementNs(), fallback.perElementNs()),
                or(c.perFlopNs(), fallback.perFlopNs()));
    }

    /** Defaults: the CPU slowest, the GPU about twice as fast, the ANE about four times (see docs/simulate.md). */
    static final Latency DEFAULT_LATENCY = new Latency(1, 0.03, 3.0, 20_000, new Cost(40_000, 1.0, 0.02),
            new Cost(20_000, 0.5, 0.01), new Cost(10_000, 0.25, 0.005));

    private static Latency latency(DeviceModelSpec.Latency l) {
        Latency d = DEFAULT_LATENCY;
        if (l == null) {
            return d;
        }
        return new Latency(l.seed() == null ? d.seed() : l.seed(), or(l.noise(), d.noise()),
                or(l.coldFactor(), d.coldFactor()), or(l.transitionUs(), d.transitionNs() / 1000) * 1000,
                cost(l.cpu(), d.cpu()), cost(l.gpu(), d.gpu()), cost(l.ane(), d.ane()));
    }

    static final Stages DEFAULT_STAGES = new Stages(new StageCost(150, 20, 0, 0), new StageCost(30, 5, 0, 60),
            new StageCost(20, 0, 0.5, 0));

    private static StageCost stage(DeviceModelSpec.StageCost c, StageCost d) {
        if (c == null) {
            return d;
        }
        return new StageCost(or(c.fixedMs(), d.fixedMs()), or(c.perMegabyteMs(), d.perMegabyteMs()),
                or(c.perOpMs(), d.perOpMs()), or(c.aneMs(), d.aneMs()));
    }

    private static Stages stages(DeviceModelSpec.Stages s) {
        if (s == null) {
            return DEFAULT_STAGES;
        }
        return new Stages(stage(s.compile(), DEFAULT_STAGES.compile()), stage(s.load(), DEFAULT_STAGES.load()),
                stage(s.plan(), DEFAULT_STAGES.plan()));
    }

    private static Device device(String label, String source, String where, String field) {
        try {
            Device d = Device.fromLabel(label);
            if (d == Device.OTHER) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new DeviceModelException(source, where, "'" + field + "' must be ane, gpu or cpu (got '" + label
                    + "')");
        }
    }

    private static Set<ComputeUnits> units(List<String> labels, String source, String where, String field) {
        if (labels == null) {
            return EnumSet.allOf(ComputeUnits.class);
        }
        if (labels.isEmpty()) {
            throw new DeviceModelException(source, where, "'" + field + ".units' is empty");
        }
        Set<ComputeUnits> out = EnumSet.noneOf(ComputeUnits.class);
        for (String l : labels) {
            try {
                out.add(ComputeUnits.fromLabel(l));
            } catch (IllegalArgumentException e) {
                throw new DeviceModelException(source, where, "'" + field + ".units' has '" + l
                        + "': expected cpu, gpu, ane or all");
            }
        }
        return out;
    }

    private static Stage stageOf(String label, String source, String where, String field, boolean rejectStage) {
        if (label == null) {
            throw new DeviceModelException(source, where, "'" + field + "' needs a 'stage'");
        }
        Stage st;
        try {
            st = Stage.fromLabel(label);
        } catch (IllegalArgumentException e) {
            st = null;
        }
        if (st == null || (rejectStage && st != Stage.COMPILE && st != Stage.LOAD)) {
            throw new DeviceModelException(source, where, "'" + field + ".stage' must be " + (rejectStage
                    ? "compile or load" : "compile, load, plan or predict") + " (got '" + label + "')");
        }
        return st;
    }

    private static Rule rule(DeviceModelSpec.Outcome r, String id, String source, String where, Rule fallback) {
        Set<String> types = new LinkedHashSet<>();
        if (r.types() != null) {
            if (r.types().isEmpty()) {
                throw new DeviceModelException(source, where, "'types' is empty (leave it out to match every type)");
            }
            for (String t : r.types()) {
                if (!OpTypes.known(t)) {
                    throw new DeviceModelException(source, where, "unknown layer or op type '" + t + "'"
                            + OpTypes.suggest(t) + " (types are NeuralNetworkLayer fields such as pooling, or ML "
                            + "Program ops such as max_pool)");
                }
                types.add(t);
            }
        }
        int faults = (r.reject() != null ? 1 : 0) + (r.crash() != null ? 1 : 0) + (r.hang() != null ? 1 : 0);
        if (faults > 1) {
            throw new DeviceModelException(source, where, "has more than one of 'reject', 'crash' and 'hang'");
        }
        if (faults == 0 && r.placement() == null) {
            throw new DeviceModelException(source, where, "has no outcome: give 'placement' (ane, gpu or cpu), "
                    + "'reject', 'crash' or 'hang'");
        }
        Device placement = r.placement() == null ? fallback.placement()
                : device(r.placement(), source, where, "placement");
        Set<Device> supported = EnumSet.noneOf(Device.class);
        if (r.supported() != null) {
            for (String s : r.supported()) {
                supported.add(device(s, source, where, "supported"));
            }
            if (!supported.contains(placement)) {
                throw new DeviceModelException(source, where, "'supported' must include the placement ("
                        + placement.label() + ")");
            }
        } else if (r.placement() == null && fallback != null) {
            supported.addAll(fallback.supported());
        } else {
            supported.add(Device.CPU);
            if (placement != Device.CPU) {
                supported.add(Device.GPU);
            }
            if (placement == Device.ANE) {
                supported.add(Device.ANE);
            }
        }
        supported.add(Device.CPU);
        Device dispatch = null;
        if (r.dispatch() != null) {
            dispatch = device(r.dispatch(), source, where, "dispatch");
            if (placement != Device.ANE || dispatch == Device.ANE) {
                throw new DeviceModelException(source, where, "'dispatch' (where an op planned on the ANE really "
                        + "runs) needs placement: ane and must be cpu or gpu");
            }
        }
        Device split = null;
        if (r.split() != null) {
            split = device(r.split(), source, where, "split");
            if (placement != Device.ANE || split == Device.ANE || dispatch != null) {
                throw new DeviceModelException(source, where, "'split' (the second half of a layer Core ML splits) "
                        + "needs placement: ane, no 'dispatch', and must be cpu or gpu");
            }
        }
        Reject reject = null;
        if (r.reject() != null) {
            var x = r.reject();
            Stage st = stageOf(x.stage(), source, where, "reject", true);
            if (st == Stage.COMPILE && x.units() != null) {
                throw new DeviceModelException(source, where, "'reject.units': compile does not depend on the "
                        + "compute units");
            }
            if (x.message() == null || x.message().isBlank()) {
                throw new DeviceModelException(source, where, "'reject' needs a 'message' (Core ML's error text)");
            }
            reject = new Reject(st, units(x.units(), source, where, "reject"), x.domain() == null
                    ? "com.apple.CoreML" : x.domain(), x.code() == null ? 0 : x.code(), x.message());
        }
        Fault crash = fault(r.crash(), source, where, "crash", true);
        Fault hang = fault(r.hang(), source, where, "hang", false);
        Predicates.Predicate when = null;
        if (r.when() != null) {
            Set<String> params = null;
            if (!types.isEmpty()) {
                params = new LinkedHashSet<>();
                for (String t : types) {
                    params.addAll(OpTypes.params(t));
                }
            }
            try {
                when = Predicates.compile(r.when(), params, types.size() == 1 ? types.iterator().next()
                        : "its types");
            } catch (Predicates.ProblemException e) {
                throw new DeviceModelException(source, where, e.getMessage());
            }
        }
        return new Rule(id, Set.copyOf(types), when, placement, Set.copyOf(supported), dispatch, split,
                Boolean.TRUE.equals(r.wholeModel()), r.reason(), reject, crash, hang);
    }

    private static Fault fault(DeviceModelSpec.Fault f, String source, String where, String field, boolean crash) {
        if (f == null) {
            return null;
        }
        Stage st = stageOf(f.stage(), source, where, field, false);
        if (st == Stage.COMPILE && f.units() != null) {
            throw new DeviceModelException(source, where, "'" + field + ".units': compile does not depend on the "
                    + "compute units");
        }
        int signal = 0;
        String name = null;
        if (crash) {
            name = f.signal() == null ? "SIGSEGV" : f.signal();
            Integer n = SIGNALS.get(name);
            if (n == null) {
                throw new DeviceModelException(source, where, "'crash.signal' must be SIGSEGV or SIGABRT (got '"
                        + name + "')");
            }
            signal = n;
        } else if (f.signal() != null) {
            throw new DeviceModelException(source, where, "'hang' has no signal");
        }
        return new Fault(st, units(f.units(), source, where, field), signal, name);
    }
}
