package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.Timing;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one observation line with the streaming parser, building the {@link Observation} record directly. It reads
 * the same JSON as {@code Json.mapper()} does (ObservationParserTest checks this on every fixture line) but leaves
 * out what analysis never uses: the raw timing samples, the stage list and the log lines. It is about three times
 * cheaper per line than data binding, which matters for a report over a million lines. Unknown fields are skipped,
 * as the shared mapper does.
 */
final class ObservationParser {
    private static final JsonFactory FACTORY = Json.mapper().getFactory();

    private ObservationParser() {
    }

    /** A line that is JSON but not a usable observation: a wrong type or an unknown value. */
    static final class Problem extends Exception {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    static Observation parse(byte[] data, int off, int len) throws IOException, Problem {
        try (JsonParser p = FACTORY.createParser(data, off, len)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            expect(p, t, JsonToken.START_OBJECT, "the observation");
            int schema = 0;
            String runId = null;
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
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "schema" -> schema = intValue(p, v, f);
                    case "runId" -> runId = string(p, v, f);
                    case "probeId" -> probeId = string(p, v, f);
                    case "family" -> family = string(p, v, f);
                    case "layerType" -> layerType = string(p, v, f);
                    case "params" -> params = params(p, v);
                    case "modelSha256" -> sha = string(p, v, f);
                    case "units" -> units = units(p, v, f);
                    case "startedAt" -> startedAt = string(p, v, f);
                    case "plan" -> plan = plan(p, v);
                    case "timing" -> timing = timing(p, v);
                    case "failure" -> failure = failure(p, v);
                    case "verdict" -> verdict = verdict(p, v);
                    default -> p.skipChildren(); // stages, log and fields newer than this reader
                }
            }
            return new Observation(schema, runId, probeId, family, layerType, params, sha, units, startedAt, null,
                    plan, timing, null, failure, verdict);
        }
    }

    private static void expect(JsonParser p, JsonToken t, JsonToken want, String what) throws Problem {
        if (t != want) {
            throw new Problem("wrong type for " + what);
        }
    }

    private static String string(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t.isScalarValue()) {
            return p.getText();
        }
        throw new Problem("wrong type for " + field);
    }

    private static Double doubleValue(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            try {
                return Double.parseDouble(p.getText().trim());
            } catch (NumberFormatException e) {
                throw new Problem("bad value \"" + p.getText() + "\" for " + field);
            }
        }
        throw new Problem("wrong type for " + field);
    }

    private static Long longValue(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        Double d = doubleValue(p, t, field);
        return d == null ? null : (long) d.doubleValue();
    }

    private static int intValue(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        Long l = longValue(p, t, field);
        return l == null ? 0 : (int) l.longValue();
    }

    private static Integer integer(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        Long l = longValue(p, t, field);
        return l == null ? null : (int) l.longValue();
    }

    private static ComputeUnits units(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = string(p, t, field);
        if (s == null) {
            return null;
        }
        try {
            return ComputeUnits.fromLabel(s);
        } catch (IllegalArgumentException e) {
            throw new Problem("bad value \"" + s + "\" for " + field);
        }
    }

    private static Device device(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = string(p, t, field);
        if (s == null) {
            return null;
        }
        try {
            return Device.fromLabel(s);
        } catch (IllegalArgumentException e) {
            throw new Problem("bad value \"" + s + "\" for " + field);
        }
    }

    private static VerdictKind kind(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        String s = string(p, t, field);
        if (s == null) {
            return null;
        }
        try {
            return VerdictKind.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new Problem("bad value \"" + s + "\" for " + field);
        }
    }

    private static Map<String, String> params(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "params");
        Map<String, String> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            m.put(k, string(p, p.nextToken(), "params." + k));
        }
        return m;
    }

    private static List<Device> devices(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY, field);
        List<Device> out = new ArrayList<>(4);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(device(p, e, field));
        }
        return out;
    }

    private static List<String> strings(JsonParser p, JsonToken t, String field) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY, field);
        List<String> out = new ArrayList<>(4);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            out.add(string(p, e, field));
        }
        return out;
    }

    private static List<PlanEntry> plan(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY, "plan");
        List<PlanEntry> out = new ArrayList<>(2);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
            expect(p, e, JsonToken.START_OBJECT, "plan[]");
            String name = null;
            String kind = null;
            Device preferred = null;
            List<Device> supported = null;
            Double cost = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "name" -> name = string(p, v, "plan.name");
                    case "kind" -> kind = string(p, v, "plan.kind");
                    case "preferred" -> preferred = device(p, v, "plan.preferred");
                    case "supported" -> supported = devices(p, v, "plan.supported");
                    case "cost" -> cost = doubleValue(p, v, "plan.cost");
                    default -> p.skipChildren();
                }
            }
            out.add(new PlanEntry(name, kind, preferred, supported, cost));
        }
        return out;
    }

    private static Timing timing(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "timing");
        Double compile = null;
        Double load = null;
        Long cold = null;
        TimingSummary summary = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "compileMs" -> compile = doubleValue(p, v, "timing.compileMs");
                case "loadMs" -> load = doubleValue(p, v, "timing.loadMs");
                case "coldNs" -> cold = longValue(p, v, "timing.coldNs");
                case "summary" -> summary = summary(p, v);
                default -> p.skipChildren(); // samplesNs: the summary is what analysis uses
            }
        }
        return new Timing(compile, load, cold, null, summary);
    }

    private static TimingSummary summary(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "timing.summary");
        int n = 0;
        long min = 0;
        double median = 0;
        double p90 = 0;
        double mad = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "n" -> n = intValue(p, v, "timing.summary.n");
                case "minNs" -> min = orZero(longValue(p, v, "timing.summary.minNs"));
                case "medianNs" -> median = orZero(doubleValue(p, v, "timing.summary.medianNs"));
                case "p90Ns" -> p90 = orZero(doubleValue(p, v, "timing.summary.p90Ns"));
                case "madNs" -> mad = orZero(doubleValue(p, v, "timing.summary.madNs"));
                default -> p.skipChildren();
            }
        }
        return new TimingSummary(n, min, median, p90, mad);
    }

    private static long orZero(Long l) {
        return l == null ? 0 : l;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static WorkerFailure failure(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "failure");
        VerdictKind kind = null;
        Integer signal = null;
        Integer exit = null;
        Double timeout = null;
        List<String> tail = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "kind" -> kind = kind(p, v, "failure.kind");
                case "signal" -> signal = integer(p, v, "failure.signal");
                case "exitCode" -> exit = integer(p, v, "failure.exitCode");
                case "timeoutSeconds" -> timeout = doubleValue(p, v, "failure.timeoutSeconds");
                case "stderrTail" -> tail = strings(p, v, "failure.stderrTail");
                default -> p.skipChildren();
            }
        }
        return new WorkerFailure(kind, signal, exit, timeout, tail);
    }

    private static Verdict verdict(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_OBJECT, "verdict");
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
                case "ranOn" -> ranOn = devices(p, v, "verdict.ranOn");
                case "signals" -> signals = signals(p, v);
                case "agreed" -> agreed = strings(p, v, "verdict.agreed");
                case "note" -> note = string(p, v, "verdict.note");
                default -> p.skipChildren();
            }
        }
        return new Verdict(kind, ranOn, signals, agreed, note);
    }

    private static List<SignalReading> signals(JsonParser p, JsonToken t) throws IOException, Problem {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, t, JsonToken.START_ARRAY, "verdict.signals");
        List<SignalReading> out = new ArrayList<>(3);
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
            if (e == JsonToken.VALUE_NULL) {
                out.add(null);
                continue;
            }
            expect(p, e, JsonToken.START_OBJECT, "verdict.signals[]");
            String signal = null;
            VerdictKind says = null;
            String detail = null;
            Double confidence = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "signal" -> signal = string(p, v, "verdict.signals.signal");
                    case "says" -> says = kind(p, v, "verdict.signals.says");
                    case "detail" -> detail = string(p, v, "verdict.signals.detail");
                    case "confidence" -> confidence = doubleValue(p, v, "verdict.signals.confidence");
                    default -> p.skipChildren();
                }
            }
            out.add(new SignalReading(signal, says, detail, confidence));
        }
        return out;
    }
}
