package dev.aneprobe.harness.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.analysis.TimingStats;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.VerdictKind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one observation line for publication: every field the sweep writes is present where it must be and of its
 * type, enumerations hold known values, a verdict is on ane and all lines only, and the timings are sane (no negative
 * time, no summary of zero samples, a summary that is the summary of its samples).
 */
final class LineCheck {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern MAC_HOME = Pattern.compile("/Users/(?!<user>)[^/\\s\"'<>:]+");
    private static final String VERDICTS = "ANE, NOT_ANE, SPLIT, REJECTED, CRASHED, TIMEOUT, NO_ANE, INCONCLUSIVE";

    /** What the run-level checks need from a usable line. */
    record Facts(String probeId, String family, String layerType, Map<String, String> params, String sha256,
            ComputeUnits units, VerdictKind verdict) {
    }

    private LineCheck() {
    }

    /**
     * @param raw the line as written (checked for home directories)
     * @param units the settings env.json says the run measures (empty: not recorded)
     * @return the line's facts, or null when it is not usable at all (the problems say why)
     */
    static Facts check(JsonNode o, String raw, String runId, Set<ComputeUnits> units, JsonShape s) {
        if (!o.isObject()) {
            s.problem("not an observation object (is " + JsonShape.kind(o) + ")");
            return null;
        }
        Long schema = s.integer(o, "schema", "schema", true, 1);
        if (schema != null && schema != Observation.SCHEMA) {
            s.problem("schema is " + schema + ", this aneprobe reads " + Observation.SCHEMA);
        }
        String lineRun = s.text(o, "runId", "runId", true);
        if (lineRun != null && runId != null && !lineRun.equals(runId)) {
            s.problem("runId is " + lineRun + ", not the run's " + runId);
        }
        String probeId = s.text(o, "probeId", "probeId", true);
        String family = s.text(o, "family", "family", true);
        if (probeId != null && family != null && !probeId.startsWith(family + "/")) {
            s.problem("probeId " + probeId + " is not of family " + family);
        }
        String layerType = s.text(o, "layerType", "layerType", true);
        Map<String, String> params = null;
        JsonNode p = s.object(o, "params", "params", true);
        if (p != null) {
            params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String v = s.text(p, e.getKey(), "params." + e.getKey(), true);
                if (v == null) {
                    params = null;
                    break;
                }
                params.put(e.getKey(), v);
            }
        }
        String sha = s.text(o, "modelSha256", "modelSha256", true);
        if (sha != null && !SHA256.matcher(sha).matches()) {
            s.problem("modelSha256 \"" + sha + "\" is not a sha256 (64 lower-case hex digits)");
            sha = null;
        }
        ComputeUnits u = s.choice(o, "units", "units", true, ComputeUnits::fromLabel, "cpu, gpu, ane, all");
        if (u != null && !units.isEmpty() && !units.contains(u)) {
            s.problem("units " + u.label() + " is not among the run's units " + labels(units));
        }
        String startedAt = s.text(o, "startedAt", "startedAt", true);
        if (startedAt != null) {
            try {
                Instant.parse(startedAt);
            } catch (DateTimeParseException e) {
                s.problem("startedAt \"" + startedAt + "\" is not an ISO-8601 instant");
            }
        }
        stages(o, s);
        plan(o, s);
        timing(o, s);
        JsonNode log = s.array(o, "log", "log", false);
        s.strings(log, "log");
        failure(o, s);
        VerdictKind kind = verdict(o, u, s);
        var home = MAC_HOME.matcher(raw);
        if (home.find()) {
            s.problem("names a user's home directory (" + home.group() + "); the sweep records ~ instead");
        }
        if (probeId == null || family == null || layerType == null || params == null || sha == null || u == null) {
            return null;
        }
        return new Facts(probeId, family, layerType, params, sha, u, kind);
    }

    private static String labels(Set<ComputeUnits> units) {
        List<String> out = new ArrayList<>();
        units.forEach(u -> out.add(u.label()));
        return String.join(",", out);
    }

    private static void stages(JsonNode o, JsonShape s) {
        JsonNode stages = s.array(o, "stages", "stages", true);
        if (stages == null) {
            return;
        }
        for (int i = 0; i < stages.size(); i++) {
            String path = "stages[" + i + "]";
            JsonNode st = stages.get(i);
            if (!st.isObject()) {
                s.problem(path + " must be an object (is " + JsonShape.kind(st) + ")");
                continue;
            }
            s.choice(st, "stage", path + ".stage", true, Stage::fromLabel, "compile, load, plan, predict");
            StageOutcome.Status status = s.choice(st, "status", path + ".status", true, StageOutcome.Status::valueOf,
                    "OK, FAILED, SKIPPED, UNSUPPORTED");
            s.number(st, "millis", path + ".millis", false, 0);
            JsonNode err = s.object(st, "error", path + ".error", false);
            if (err != null) {
                s.text(err, "domain", path + ".error.domain", false);
                s.integer(err, "code", path + ".error.code", false, Long.MIN_VALUE);
                s.text(err, "description", path + ".error.description", false);
            }
            if (status == StageOutcome.Status.OK && err != null) {
                s.problem(path + " is OK but carries an error");
            }
        }
    }

    private static void plan(JsonNode o, JsonShape s) {
        JsonNode plan = s.array(o, "plan", "plan", false);
        if (plan == null) {
            return;
        }
        for (int i = 0; i < plan.size(); i++) {
            String path = "plan[" + i + "]";
            JsonNode e = plan.get(i);
            if (!e.isObject()) {
                s.problem(path + " must be an object (is " + JsonShape.kind(e) + ")");
                continue;
            }
            s.text(e, "name", path + ".name", false);
            s.text(e, "kind", path + ".kind", false);
            s.choice(e, "preferred", path + ".preferred", false, Device::fromLabel, "cpu, gpu, ane, other");
            JsonNode sup = s.array(e, "supported", path + ".supported", false);
            if (sup != null) {
                for (int j = 0; j < sup.size(); j++) {
                    s.choiceValue(sup.get(j), path + ".supported[" + j + "]", true, Device::fromLabel,
                            "cpu, gpu, ane, other");
                }
            }
            s.number(e, "cost", path + ".cost", false, 0);
        }
    }

    private static void timing(JsonNode o, JsonShape s) {
        JsonNode t = s.object(o, "timing", "timing", false);
        if (t == null) {
            return;
        }
        s.number(t, "compileMs", "timing.compileMs", false, 0);
        s.number(t, "loadMs", "timing.loadMs", false, 0);
        s.integer(t, "coldNs", "timing.coldNs", false, 0);
        List<Long> samples = new ArrayList<>();
        JsonNode arr = s.array(t, "samplesNs", "timing.samplesNs", false);
        boolean samplesOk = true;
        if (arr != null) {
            for (int i = 0; i < arr.size(); i++) {
                Long v = s.integerValue(arr.get(i), "timing.samplesNs[" + i + "]", true, 0);
                if (v == null) {
                    samplesOk = false;
                } else {
                    samples.add(v);
                }
            }
        }
        JsonNode sum = s.object(t, "summary", "timing.summary", false);
        if (sum == null) {
            if (!samples.isEmpty()) {
                s.problem("timing has " + samples.size() + " samples but no summary");
            }
            return;
        }
        Long n = s.integer(sum, "n", "timing.summary.n", true, 0);
        Long min = s.integer(sum, "minNs", "timing.summary.minNs", true, 0);
        Double median = s.number(sum, "medianNs", "timing.summary.medianNs", true, 0);
        Double p90 = s.number(sum, "p90Ns", "timing.summary.p90Ns", true, 0);
        Double mad = s.number(sum, "madNs", "timing.summary.madNs", true, 0);
        if (n != null && n == 0) {
            s.problem("timing.summary has a median of zero samples");
            return;
        }
        if (median != null && median == 0) {
            s.problem("timing.summary.medianNs is 0 (no prediction takes no time)");
        }
        if (n == null || min == null || median == null || p90 == null || mad == null || !samplesOk) {
            return;
        }
        if (n != samples.size()) {
            s.problem("timing.summary counts " + n + " samples, the line has " + samples.size());
            return;
        }
        TimingSummary want = TimingStats.summarize(samples);
        String off = want.minNs() != min ? "minNs " + min + ", the samples give " + want.minNs()
                : !close(want.medianNs(), median) ? "medianNs " + median + ", the samples give " + want.medianNs()
                : !close(want.p90Ns(), p90) ? "p90Ns " + p90 + ", the samples give " + want.p90Ns()
                : !close(want.madNs(), mad) ? "madNs " + mad + ", the samples give " + want.madNs() : null;
        if (off != null) {
            s.problem("timing.summary is not the summary of its samples (" + off + ")");
        }
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    private static void failure(JsonNode o, JsonShape s) {
        JsonNode f = s.object(o, "failure", "failure", false);
        if (f == null) {
            return;
        }
        VerdictKind k = s.choice(f, "kind", "failure.kind", true, VerdictKind::valueOf, "CRASHED, TIMEOUT");
        if (k != null && k != VerdictKind.CRASHED && k != VerdictKind.TIMEOUT) {
            s.problem("failure.kind is " + k + ", not CRASHED or TIMEOUT");
        }
        s.integer(f, "signal", "failure.signal", false, 1);
        s.integer(f, "exitCode", "failure.exitCode", false, Long.MIN_VALUE);
        s.number(f, "timeoutSeconds", "failure.timeoutSeconds", false, 0);
        s.strings(s.array(f, "stderrTail", "failure.stderrTail", false), "failure.stderrTail");
    }

    private static VerdictKind verdict(JsonNode o, ComputeUnits u, JsonShape s) {
        JsonNode v = o.get("verdict");
        boolean has = v != null && !v.isNull();
        if (u != null && !u.allowsNeuralEngine()) {
            if (has) {
                s.problem("a " + u.label() + " line carries a verdict (only ane and all lines do)");
            }
            return null;
        }
        JsonNode verdict = s.object(o, "verdict", "verdict", u != null);
        if (verdict == null) {
            return null;
        }
        VerdictKind kind = s.choice(verdict, "kind", "verdict.kind", true, VerdictKind::valueOf, VERDICTS);
        JsonNode ranOn = s.array(verdict, "ranOn", "verdict.ranOn", false);
        if (ranOn != null) {
            for (int i = 0; i < ranOn.size(); i++) {
                s.choiceValue(ranOn.get(i), "verdict.ranOn[" + i + "]", true, Device::fromLabel,
                        "cpu, gpu, ane, other");
            }
        }
        JsonNode signals = s.array(verdict, "signals", "verdict.signals", false);
        if (signals != null) {
            for (int i = 0; i < signals.size(); i++) {
                String path = "verdict.signals[" + i + "]";
                JsonNode sig = signals.get(i);
                if (!sig.isObject()) {
                    s.problem(path + " must be an object (is " + JsonShape.kind(sig) + ")");
                    continue;
                }
                s.text(sig, "signal", path + ".signal", true);
                s.choice(sig, "says", path + ".says", false, VerdictKind::valueOf, VERDICTS);
                s.text(sig, "detail", path + ".detail", false);
                Double c = s.number(sig, "confidence", path + ".confidence", false, 0);
                if (c != null && c > 1) {
                    s.problem(path + ".confidence is above 1 (" + c + ")");
                }
            }
        }
        s.strings(s.array(verdict, "agreed", "verdict.agreed", false), "verdict.agreed");
        s.text(verdict, "note", "verdict.note", false);
        return kind;
    }
}
