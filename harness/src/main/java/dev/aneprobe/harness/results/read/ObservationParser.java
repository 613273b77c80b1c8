package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.Timing;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads and checks one observation line with the streaming parser, building the {@link Observation} record directly.
 *
 * <p>Every field the sweep writes (schema {@value Observation#SCHEMA}: see {@link Observation} and
 * {@code Sweep.observation}) is checked by type and range: the schema version, the ids (the probe id must be its
 * family and params, the run id the run's own, the model hash 64 hex digits), params (an object of strings), the
 * compute units, the stages, the plan, the timing (whole non-negative samples, a summary that counts them, medians
 * that are finite, ordered and at most a day), the failure and the verdict (an {@code ane} or {@code all} line has
 * one, a {@code cpu} or {@code gpu} line none). A line that is anything else is refused with a {@link Problem}: the
 * field and what is wrong with it, in a few plain words. Unknown fields are skipped: a newer writer may add some.
 *
 * <p>It reads the same JSON as {@code Json.mapper()} does for a well-formed line (ObservationParserTest checks this on
 * every fixture line), but keeps out what analysis never uses (the raw timing samples, the stage list and the log
 * lines, checked and dropped) and is about three times cheaper per line than data binding, which matters for a
 * report over a million lines.
 */
final class ObservationParser {
    /**
     * The shared mapper's parser settings (Jackson's defaults), reading decimals with the fast parser, which gives
     * the same doubles as Double.parseDouble (the nearest one) in a fraction of the time: a line has a few of them.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    /** Per thread, the texts recent lines had (see {@link Texts}). */
    private static final ThreadLocal<Texts> TEXTS = ThreadLocal.withInitial(Texts::new);

    /** The longest a prediction may take, in ns (a day): anything longer is a damaged number, not a measurement. */
    static final double MAX_NS = 86_400e9;
    /** A day in milliseconds, the same bound for compile, load and stage times. */
    static final double MAX_MS = 86_400e3;
    private static final String DAY = "at most a day";
    /** Values quoted in a problem are cut to this many characters, so a warning stays one short line. */
    private static final int SHOWN = 24;

    // Top-level fields, as bits: which were seen (twice is an error) and which are required.
    private static final String[] FIELDS = {"schema", "runId", "probeId", "family", "layerType", "params",
        "modelSha256", "units", "startedAt", "stages", "plan", "log", "timing", "failure", "verdict", "search"};
    private static final int SCHEMA = 0;
    private static final int RUN_ID = 1;
    private static final int PROBE_ID = 2;
    private static final int FAMILY = 3;
    private static final int LAYER_TYPE = 4;
    private static final int PARAMS = 5;
    private static final int SHA = 6;
    private static final int UNITS = 7;
    private static final int STARTED = 8;
    private static final int STAGES = 9;
    private static final int PLAN = 10;
    private static final int LOG = 11;
    private static final int TIMING = 12;
    private static final int FAILURE = 13;
    private static final int VERDICT = 14;
    private static final int SEARCH = 15;
    /** What the writer always writes: schema .. log (timing, failure, verdict and search are left out when absent). */
    private static final int REQUIRED = (1 << TIMING) - 1;

    private ObservationParser() {
    }

    /** A line that is not a usable observation; the message says which field and what is wrong, in a few words. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses and checks one line.
     *
     * @param runId the run id of the file's env.json, which every line must carry; null to take any
     */
    static Observation parse(byte[] data, int off, int len, String runId) throws IOException, Problem {
        return parse(data, off, len, runId, false);
    }

    /**
     * Parses and checks one line.
     *
     * @param runId the run id of the file's env.json, which every line must carry; null to take any
     * @param samples keep the raw timing samples in the observation (verify-run checks the summary against them)
     */
    static Observation parse(byte[] data, int off, int len, String runId, boolean samples)
            throws IOException, Problem {
        try (JsonParser p = FACTORY.createParser(data, off, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new Problem("the line is " + describe(t) + ", not a record (an object)");
            }
            int seen = 0;
            int schema = 0;
            String lineRunId = null;
            String probeId = null;
            String family = null;
            String layerType = null;
            Map<String, String> params = null;
            String sha = null;
            ComputeUnits units = null;
            String startedAt = null;
            List<PlanEntry> plan = null;
            Timing timing = null;
            WorkerFailure failure = null;
            Verdict verdict = null;
            SearchStep search = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                int bit = switch (f) {
                    case "schema" -> SCHEMA;
                    case "runId" -> RUN_ID;
                    case "probeId" -> PROBE_ID;
                    case "family" -> FAMILY;
                    case "layerType" -> LAYER_TYPE;
                    case "params" -> PARAMS;
                    case "modelSha256" -> SHA;
                    case "units" -> UNITS;
                    case "startedAt" -> STARTED;
                    case "stages" -> STAGES;
                    case "plan" -> PLAN;
                    case "log" -> LOG;
                    case "timing" -> TIMING;
                    case "failure" -> FAILURE;
                    case "verdict" -> VERDICT;
                    case "search" -> SEARCH;
                    default -> -1;
                };
                if (bit < 0) {
                    p.skipChildren(); // a field newer than this reader
                    continue;
                }
                if ((seen & (1 << bit)) != 0) {
                    throw new Problem(f + ": appears twice");
                }
                seen |= 1 << bit;
                switch (bit) {
                    case SCHEMA -> schema = schema(p, v);
                    case RUN_ID -> lineRunId = name(p, v, f);
                    case PROBE_ID -> probeId = name(p, v, f);
                    case FAMILY -> family = identifier(p, v, f);
                    case LAYER_TYPE -> layerType = identifier(p, v, f);
                    case PARAMS -> params = params(p, v);
                    case SHA -> sha = sha256(p, v, f);
                    case UNITS -> units = units(p, v, f);
                    case STARTED -> startedAt = instant(p, v, f);
                    case STAGES -> stages(p, v);
                    case PLAN -> plan = plan(p, v);
                    case LOG -> strings(p, v, f, false);
                    case TIMING -> timing = timing(p, v, samples);
                    case FAILURE -> failure = failure(p, v);
                    case VERDICT -> verdict = verdict(p, v);
                    default -> search = search(p, v);
                }
            }
            try {
                if (p.nextToken() != null) {
                    throw new Problem("text after the record");
                }
            } catch (JsonProcessingException e) {
                throw new Problem("text after the record");
            }
            if ((seen & REQUIRED) != REQUIRED) {
                StringBuilder missing = new StringBuilder("missing ");
                for (int i = 0; i < TIMING; i++) {
                    if ((seen & (1 << i)) == 0) {
                        missing.append(missing.length() > 8 ? ", " : "").append(FIELDS[i]);
                    }
                }
                throw new Problem(missing.toString());
            }
            if (runId != null && !runId.equals(lineRunId)) {
                throw new Problem("runId: " + quote(lineRunId) + " is not this run's (" + quote(runId)
                        + " in env.json)");
            }
            if (!idMatches(probeId, family, params)) {
                String expected = idOf(family, params);
                int at = 0;
                while (at < probeId.length() && at < expected.length() && probeId.charAt(at) == expected.charAt(at)) {
                    at++;
                }
                throw new Problem("probeId: " + excerpt(probeId, at) + " is not family/params ("
                        + excerpt(expected, at) + ")");
            }
            if (units.allowsNeuralEngine() && verdict == null) {
                throw new Problem("missing verdict (required on " + units.label() + " lines)");
            }
            if (!units.allowsNeuralEngine() && verdict != null) {
                throw new Problem("verdict: not expected on a " + units.label() + " line (only ane and all lines"
                        + " have one)");
            }
            return new Observation(schema, lineRunId, probeId, family, layerType, params, sha, units, startedAt,
                    null, plan, timing, null, failure, verdict, search);
        }
    }

    /** True when {@code id} is exactly {@code family/k1=v1,k2=v2,...}, as the generator makes ids. */
    static boolean idMatches(String id, String family, Map<String, String> params) {
        int n = family.length();
        if (!id.startsWith(family) || id.length() <= n || id.charAt(n) != '/') {
            return false;
        }
        int at = n + 1;
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                if (at >= id.length() || id.charAt(at) != ',') {
                    return false;
                }
                at++;
            }
            first = false;
            String k = e.getKey();
            String v = e.getValue();
            if (!id.startsWith(k, at) || at + k.length() >= id.length() || id.charAt(at + k.length()) != '='
                    || !id.startsWith(v, at + k.length() + 1)) {
                return false;
            }
            at += k.length() + 1 + v.length();
        }
        return at == id.length();
    }

    private static String idOf(String family, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(family).append('/');
        params.forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '/' ? "" : ",").append(k).append('=')
                .append(v));
        return sb.toString();
    }

    // ---- problems, in words

    /** What a JSON token is, in words. */
    static String describe(JsonToken t) {
        if (t == null) {
            return "empty";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "null";
            default -> "not a value";
        };
    }

    private static Problem wrongType(String field, JsonToken t, String expected) {
        return new Problem(field + ": " + describe(t) + ", expected " + expected);
    }

    /** A value as quoted in a problem: in quotes, cut short, with control characters shown as '?'. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), SHOWN) + 5).append('"');
        for (int i = 0; i < s.length() && i < SHOWN; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.append(s.length() > SHOWN ? "...\"" : "\"").toString();
    }

    /** Part of a value around position {@code at} (where it differs from another), quoted like {@link #quote}. */
    static String excerpt(String s, int at) {
        int width = 20;
        int from = Math.max(0, Math.min(at - 8, s.length() - width));
        int to = Math.min(s.length(), from + width);
        String inner = quote(s.substring(from, to));
        return "\"" + (from > 0 ? "..." : "") + inner.substring(1, inner.length() - 1) + (to < s.length() ? "..." : "")
                + "\"";
    }

    private static String shownNumber(JsonParser p) throws IOException {
        String s = p.getText();
        return s.length() > SHOWN ? s.substring(0, SHOWN) + "..." : s;
    }

    // ---- scalars

    private static int schema(JsonParser p, JsonToken t) throws IOException, Problem {
        long v = whole(p, t, "schema");
        if (v != Observation.SCHEMA) {
            throw new Problem("schema: " + v + ", but this aneprobe reads version " + Observation.SCHEMA + " only");
        }
        return (int) v;
    }

    private static String text(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t != JsonToken.VALUE_STRING) {
            throw wrongType(field, t, "text");
        }
        return TEXTS.get().of(p);
    }

    /**
     * The texts of recent lines, so that a text that recurs from line to line (the run id, the family, axis names and
     * values, the probe id and model hash on the four lines of a probe, stage and device names) is one String, not
     * a new one per line: less garbage, and its hash is computed once for the maps that key on it. A direct-mapped
     * table per parser thread: a slot holds the last text that hashed to it; long texts are not kept.
     */
    private static final class Texts {
        private static final int SLOTS = 1 << 12;
        private static final int LONGEST = 256;
        private final String[] strings = new String[SLOTS];
        private final char[][] chars = new char[SLOTS][];

        /** The current token's text (a string token). */
        String of(JsonParser p) throws IOException {
            int len = p.getTextLength();
            if (len > LONGEST) {
                return p.getText();
            }
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            // The slot from the length and eight characters spread over the text (hashing every character costs
            // as much as the comparison that follows); a text that lands on a taken slot replaces its occupant.
            int h = len;
            if (len > 0) {
                int step = Math.max(1, len >> 3);
                for (int i = off + len - 1; i >= off; i -= step) {
                    h = 31 * h + buf[i];
                }
            }
            int slot = (h ^ (h >>> 12)) & (SLOTS - 1);
            char[] c = chars[slot];
            if (c != null && c.length == len && Arrays.equals(c, 0, len, buf, off, off + len)) {
                return strings[slot];
            }
            String s = new String(buf, off, len);
            strings[slot] = s;
            chars[slot] = Arrays.copyOfRange(buf, off, off + len);
            return s;
        }
    }

    private static String textOrNull(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        return t == JsonToken.VALUE_NULL ? null : text(p, t, field);
    }

    /** An id: non-blank text on one line (ids are printed in tables and on the terminal). */
    private static String name(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = text(p, t, field);
        if (s.isBlank()) {
            throw new Problem(field + ": empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new Problem(field + ": " + quote(s) + " has a control character");
            }
        }
        return s;
    }

    /** A family or layer type: a letter, then letters, digits, '_' and '.' (the generator's names). */
    private static String identifier(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = text(p, t, field);
        boolean ok = !s.isEmpty() && s.length() <= 200 && s.charAt(0) < 0x80 && Character.isLetter(s.charAt(0));
        for (int i = 1; ok && i < s.length(); i++) {
            char c = s.charAt(i);
            ok = c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '.');
        }
        if (!ok) {
            throw new Problem(field + ": " + quote(s) + " is not a " + (field.equals("family") ? "family" : "layer type")
                    + " name");
        }
        return s;
    }

    private static String sha256(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = text(p, t, field);
        boolean ok = s.length() == 64;
        for (int i = 0; ok && i < 64; i++) {
            char c = s.charAt(i);
            ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
        }
        if (!ok) {
            throw new Problem(field + ": " + quote(s) + " is not 64 lower-case hex digits");
        }
        return s;
    }

    /** An instant as the sweep writes it (Instant.toString): 2025-01-10T10:00:00Z, or with a fraction of seconds. */
    private static String instant(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = text(p, t, field);
        if (!isInstant(s)) {
            throw new Problem(field + ": " + quote(s) + " is not a UTC time such as 2025-01-10T10:00:00Z");
        }
        return s;
    }

    static boolean isInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z') {
            return false;
        }
        String shape = "dddd-dd-ddTdd:dd:dd";
        for (int i = 0; i < shape.length(); i++) {
            char want = shape.charAt(i);
            char c = s.charAt(i);
            if (want == 'd' ? c < '0' || c > '9' : c != want) {
                return false;
            }
        }
        if (n == 20) {
            return true;
        }
        if (s.charAt(19) != '.' || n == 21) {
            return false;
        }
        for (int i = 20; i < n - 1; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long whole(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            throw new Problem(field + ": " + shownNumber(p) + " is not a whole number");
        }
        if (t != JsonToken.VALUE_NUMBER_INT) {
            throw wrongType(field, t, "a whole number");
        }
        JsonParser.NumberType nt = p.getNumberType();
        if (nt != JsonParser.NumberType.INT && nt != JsonParser.NumberType.LONG) {
            throw new Problem(field + ": " + shownNumber(p) + " is out of range");
        }
        return p.getLongValue();
    }

    private static long whole(JsonParser p, JsonToken t, String field, long min, long max, String range)
            throws IOException, Problem {
        long v = whole(p, t, field);
        if (v < min || v > max) {
            throw new Problem(field + ": " + v + (v < 0 && min == 0 ? " is negative" : " is out of range (" + range
                    + ")"));
        }
        return v;
    }

    private static Long wholeOrNull(JsonParser p, JsonToken t, String field, long min, long max, String range)
            throws IOException, Problem {
        return t == JsonToken.VALUE_NULL ? null : whole(p, t, field, min, max, range);
    }

    /** A finite number in [min, max]. */
    private static double number(JsonParser p, JsonToken t, String field, double min, double max, String range)
            throws IOException, Problem {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw wrongType(field, t, "a number");
        }
        double d = p.getDoubleValue();
        if (d < min && min == 0) {
            throw new Problem(field + ": " + shownNumber(p) + " is negative");
        }
        if (!(d >= min && d <= max)) {
            throw new Problem(field + ": " + shownNumber(p) + " is out of range (" + range + ")");
        }
        return d;
    }

    private static Double numberOrNull(JsonParser p, JsonToken t, String field, double min, double max, String range)
            throws IOException, Problem {
        return t == JsonToken.VALUE_NULL ? null : number(p, t, field, min, max, range);
    }

    private static ComputeUnits units(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        return oneOf(p, t, field, ComputeUnits.values(), ComputeUnits::label, "one of cpu, gpu, ane, all");
    }

    private static Device device(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        return oneOf(p, t, field, Device.values(), Device::label, "one of cpu, gpu, ane, other");
    }

    private static VerdictKind kind(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        return oneOf(p, t, field, VerdictKind.values(), VerdictKind::name,
                "a verdict (ANE, NOT_ANE, SPLIT, REJECTED, ...)");
    }

    /** A string naming one of {@code values}; else the problem says what it is not ("not one of cpu, gpu, ..."). */
    private static <E> E oneOf(JsonParser p, JsonToken t, String field, E[] values, Function<E, String> name,
            String expected) throws IOException, Problem {
        String s = text(p, t, field);
        for (E e : values) {
            if (name.apply(e).equals(s)) {
                return e;
            }
        }
        throw new Problem(field + ": " + quote(s) + " is not " + expected);
    }

    private static String signalName(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = text(p, t, field);
        if (!s.equals(VerdictJudge.PLAN) && !s.equals(VerdictJudge.DISPATCH) && !s.equals(VerdictJudge.REASON)) {
            throw new Problem(field + ": " + quote(s) + " is not one of plan, dispatch, reason");
        }
        return s;
    }

    // ---- structures

    private static void expect(JsonToken t, JsonToken want, String field, String what) throws Problem {
        if (t != want) {
            throw wrongType(field, t, what);
        }
    }

    private static Map<String, String> params(JsonParser p, JsonToken t) throws IOException, Problem {
        expect(t, JsonToken.START_OBJECT, "params", "an object of axis values");
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING) {
                throw wrongType(paramField(k), v, "text");
            }
            String value = TEXTS.get().of(p);
            if (k.isEmpty() || value.isEmpty()) {
                throw new Problem("params: an empty axis " + (k.isEmpty() ? "name" : "value (" + paramField(k) + ")"));
            }
            if (m.put(k, value) != null) {
                throw new Problem(paramField(k) + ": appears twice");
            }
        }
        return m;
    }

    private static String paramField(String axis) {
        return "params." + (axis.length() > SHOWN ? axis.substring(0, SHOWN) + "..." : axis);
    }

    /** An array of text; the values are kept only when {@code keep}. */
    private static List<String> strings(JsonParser p, JsonToken t, String field, boolean keep)
            throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, field, "an array of text");
        List<String> out = keep ? new ArrayList<>(4) : null;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_STRING) {
                throw wrongType(field + "[]", e, "text");
            }
            if (keep) {
                out.add(p.getText());
            }
        }
        return out;
    }

    /** One element of an array, read and checked. */
    private interface Element<E> {
        E read(JsonParser p, JsonToken t, String field) throws IOException, Problem;
    }

    /**
     * An array of {@code what} ("devices"), each element read by {@code element}; {@code elementField} names them in
     * a problem ("plan.supported[]").
     */
    private static <E> List<E> array(JsonParser p, JsonToken t, String field, String elementField, String what,
            Element<E> element) throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, field, "an array of " + what);
        List<E> out = new ArrayList<>(4);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(element.read(p, e, elementField));
        }
        return out;
    }

    private static List<Device> devices(JsonParser p, JsonToken t, String field, String element)
            throws IOException, Problem {
        return array(p, t, field, element, "devices", ObservationParser::device);
    }

    private static List<String> signalNames(JsonParser p, JsonToken t, String field, String element)
            throws IOException, Problem {
        return array(p, t, field, element, "signal names", ObservationParser::signalName);
    }

    /** The stages are checked, not kept: analysis does not use them. */
    private static void stages(JsonParser p, JsonToken t) throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, "stages", "an array");
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(e, JsonToken.START_OBJECT, "stages[]", "an object");
            boolean stage = false;
            boolean status = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "stage" -> {
                        String s = text(p, v, "stages.stage");
                        if (!s.equals("compile") && !s.equals("load") && !s.equals("plan") && !s.equals("predict")) {
                            throw new Problem("stages.stage: " + quote(s) + " is not compile, load, plan or predict");
                        }
                        stage = true;
                    }
                    case "status" -> {
                        String s = text(p, v, "stages.status");
                        if (!s.equals("OK") && !s.equals("FAILED") && !s.equals("SKIPPED")
                                && !s.equals("UNSUPPORTED")) {
                            throw new Problem("stages.status: " + quote(s)
                                    + " is not OK, FAILED, SKIPPED or UNSUPPORTED");
                        }
                        status = true;
                    }
                    case "millis" -> numberOrNull(p, v, "stages.millis", 0, MAX_MS, DAY);
                    case "error" -> error(p, v);
                    default -> p.skipChildren();
                }
            }
            if (!stage || !status) {
                throw new Problem("stages[]: missing " + (stage ? "status" : "stage"));
            }
        }
    }

    private static void error(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        expect(t, JsonToken.START_OBJECT, "stages.error", "an object");
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "domain" -> textOrNull(p, v, "stages.error.domain");
                case "code" -> whole(p, v, "stages.error.code");
                case "description" -> textOrNull(p, v, "stages.error.description");
                default -> p.skipChildren();
            }
        }
    }

    private static List<PlanEntry> plan(JsonParser p, JsonToken t) throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, "plan", "an array");
        List<PlanEntry> out = new ArrayList<>(2);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(e, JsonToken.START_OBJECT, "plan[]", "an object");
            String name = null;
            String kind = null;
            Device preferred = null;
            List<Device> supported = null;
            Double cost = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "name" -> name = textOrNull(p, v, "plan.name");
                    case "kind" -> kind = textOrNull(p, v, "plan.kind");
                    case "preferred" -> preferred = v == JsonToken.VALUE_NULL ? null : device(p, v, "plan.preferred");
                    case "supported" -> supported = devices(p, v, "plan.supported", "plan.supported[]");
                    case "cost" -> cost = numberOrNull(p, v, "plan.cost", 0, Double.MAX_VALUE, "not negative");
                    default -> p.skipChildren();
                }
            }
            out.add(new PlanEntry(name, kind, preferred, supported, cost));
        }
        return out;
    }

    private static Timing timing(JsonParser p, JsonToken t, boolean keep) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.START_OBJECT, "timing", "an object");
        Double compile = null;
        Double load = null;
        Long cold = null;
        int samples = -1;
        List<Long> kept = keep ? new ArrayList<>() : null;
        TimingSummary summary = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "compileMs" -> compile = numberOrNull(p, v, "timing.compileMs", 0, MAX_MS, DAY);
                case "loadMs" -> load = numberOrNull(p, v, "timing.loadMs", 0, MAX_MS, DAY);
                case "coldNs" -> cold = wholeOrNull(p, v, "timing.coldNs", 0, (long) MAX_NS, DAY);
                case "samplesNs" -> samples = samples(p, v, kept);
                case "summary" -> summary = summary(p, v);
                default -> p.skipChildren();
            }
        }
        if (samples < 0) {
            throw new Problem("timing: missing samplesNs");
        }
        if (summary != null && summary.n() != samples) {
            throw new Problem("timing.summary.n: " + summary.n() + ", but samplesNs has " + samples);
        }
        if (summary == null && samples > 0) {
            throw new Problem("timing: missing summary of its " + samples + " samples");
        }
        return new Timing(compile, load, cold, kept == null ? null : List.copyOf(kept), summary);
    }

    /**
     * Checks the samples (whole nanoseconds, at most a day each) and counts them: analysis uses the summary. They
     * are added to {@code kept} unless it is null.
     */
    private static int samples(JsonParser p, JsonToken t, List<Long> kept) throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, "timing.samplesNs", "an array of whole numbers");
        int n = 0;
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0 || p.getLongValue() > MAX_NS) {
                // The common case costs no field name; a bad sample is described by the full check.
                whole(p, e, "timing.samplesNs[" + n + "]", 0, (long) MAX_NS, DAY);
            }
            if (kept != null) {
                kept.add(p.getLongValue());
            }
            n++;
        }
        return n;
    }

    private static TimingSummary summary(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.START_OBJECT, "timing.summary", "an object");
        int seen = 0;
        long n = 0;
        long min = 0;
        double median = 0;
        double p90 = 0;
        double mad = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "n" -> {
                    n = whole(p, v, "timing.summary.n", 1, Integer.MAX_VALUE, "at least 1");
                    seen |= 1;
                }
                case "minNs" -> {
                    min = whole(p, v, "timing.summary.minNs", 0, (long) MAX_NS, DAY);
                    seen |= 2;
                }
                case "medianNs" -> {
                    median = number(p, v, "timing.summary.medianNs", 0, MAX_NS, DAY);
                    seen |= 4;
                }
                case "p90Ns" -> {
                    p90 = number(p, v, "timing.summary.p90Ns", 0, MAX_NS, DAY);
                    seen |= 8;
                }
                case "madNs" -> {
                    mad = number(p, v, "timing.summary.madNs", 0, MAX_NS, DAY);
                    seen |= 16;
                }
                default -> p.skipChildren();
            }
        }
        if (seen != 31) {
            StringBuilder missing = new StringBuilder("timing.summary: missing ");
            String[] names = {"n", "minNs", "medianNs", "p90Ns", "madNs"};
            for (int i = 0; i < names.length; i++) {
                if ((seen & (1 << i)) == 0) {
                    missing.append(missing.charAt(missing.length() - 1) == ' ' ? "" : ", ").append(names[i]);
                }
            }
            throw new Problem(missing.toString());
        }
        if (!(min <= median && median <= p90)) {
            throw new Problem("timing.summary: minNs, medianNs and p90Ns are not in order");
        }
        return new TimingSummary((int) n, min, median, p90, mad);
    }

    private static WorkerFailure failure(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.START_OBJECT, "failure", "an object");
        VerdictKind kind = null;
        Long signal = null;
        Long exit = null;
        Double timeout = null;
        List<String> tail = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "kind" -> {
                    kind = kind(p, v, "failure.kind");
                    if (kind != VerdictKind.CRASHED && kind != VerdictKind.TIMEOUT) {
                        throw new Problem("failure.kind: " + kind + " is not CRASHED or TIMEOUT");
                    }
                }
                case "signal" -> signal = wholeOrNull(p, v, "failure.signal", 1, 64, "1 to 64");
                case "exitCode" -> exit = wholeOrNull(p, v, "failure.exitCode", Integer.MIN_VALUE,
                        Integer.MAX_VALUE, "a 32-bit integer");
                case "timeoutSeconds" -> timeout = numberOrNull(p, v, "failure.timeoutSeconds", 0,
                        Double.MAX_VALUE, "not negative");
                case "stderrTail" -> tail = v == JsonToken.VALUE_NULL ? null
                        : strings(p, v, "failure.stderrTail", true);
                default -> p.skipChildren();
            }
        }
        if (kind == null) {
            throw new Problem("failure: missing kind");
        }
        return new WorkerFailure(kind, signal == null ? null : signal.intValue(),
                exit == null ? null : exit.intValue(), timeout, tail);
    }

    /** An adaptive sweep's search step: the axis, the role, the open interval's ends and a short reason. */
    private static SearchStep search(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.START_OBJECT, "search", "an object");
        String axis = null;
        SearchStep.Role role = null;
        String low = null;
        String high = null;
        String reason = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "axis" -> axis = name(p, v, "search.axis");
                case "role" -> {
                    String s = text(p, v, "search.role");
                    try {
                        role = SearchStep.Role.valueOf(s);
                    } catch (IllegalArgumentException e) {
                        throw new Problem("search.role: " + quote(s) + " is not END, EDGE, BISECT, VERIFY or GRID");
                    }
                }
                case "low" -> low = textOrNull(p, v, "search.low");
                case "high" -> high = textOrNull(p, v, "search.high");
                case "reason" -> {
                    reason = textOrNull(p, v, "search.reason");
                    if (reason != null && reason.length() > SearchStep.MAX_REASON) {
                        throw new Problem("search.reason: longer than " + SearchStep.MAX_REASON + " characters");
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (axis == null || role == null) {
            throw new Problem("search: missing " + (axis == null ? "axis" : "role"));
        }
        if ((low == null) != (high == null)) {
            throw new Problem("search: low and high go together (an interval has two ends)");
        }
        return new SearchStep(axis, role, low, high, reason);
    }

    private static Verdict verdict(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t, JsonToken.START_OBJECT, "verdict", "an object");
        VerdictKind kind = null;
        List<Device> ranOn = null;
        List<SignalReading> signals = null;
        List<String> agreed = null;
        String note = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "kind" -> kind = kind(p, v, "verdict.kind");
                case "ranOn" -> ranOn = devices(p, v, "verdict.ranOn", "verdict.ranOn[]");
                case "signals" -> signals = signals(p, v);
                case "agreed" -> agreed = signalNames(p, v, "verdict.agreed", "verdict.agreed[]");
                case "note" -> note = textOrNull(p, v, "verdict.note");
                default -> p.skipChildren();
            }
        }
        if (kind == null) {
            throw new Problem("verdict: missing kind");
        }
        return new Verdict(kind, ranOn, signals, agreed, note);
    }

    private static List<SignalReading> signals(JsonParser p, JsonToken t) throws IOException, Problem {
        expect(t, JsonToken.START_ARRAY, "verdict.signals", "an array");
        List<SignalReading> out = new ArrayList<>(3);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(e, JsonToken.START_OBJECT, "verdict.signals[]", "an object");
            String signal = null;
            VerdictKind says = null;
            String detail = null;
            Double confidence = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "signal" -> signal = signalName(p, v, "verdict.signals.signal");
                    case "says" -> says = v == JsonToken.VALUE_NULL ? null : kind(p, v, "verdict.signals.says");
                    case "detail" -> detail = textOrNull(p, v, "verdict.signals.detail");
                    case "confidence" -> confidence = numberOrNull(p, v, "verdict.signals.confidence", 0, 1,
                            "0 to 1");
                    default -> p.skipChildren();
                }
            }
            if (signal == null) {
                throw new Problem("verdict.signals[]: missing signal");
            }
            out.add(new SignalReading(signal, says, detail, confidence));
        }
        return out;
    }
}
