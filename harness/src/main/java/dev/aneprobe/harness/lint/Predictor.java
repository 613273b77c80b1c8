package dev.aneprobe.harness.lint;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ParamValue;
import dev.aneprobe.harness.analysis.claims.Prediction;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.lint.Placement.Basis;
import dev.aneprobe.harness.lint.Placement.Where;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.VerdictKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Predicts where a layer runs on one chip/OS, from the strongest ground there is: a probe with the same axis values
 * measured there; else a boundary measured there that the layer's value lies beyond (a sweep line of probes equal to
 * the layer in every other axis, on the ANE up to one value and off it from the next, or the reverse); else what the
 * claims say about the layer's family and values (said as claimed, untested); else unknown. Measured lines are
 * indexed once per family, so predicting a layer costs a few map lookups.
 */
final class Predictor {
    private final ClaimSet claims;
    /** family -> canonical params text -> probe, for this column (null column: nothing measured). */
    private final Map<String, Map<String, ProbeResult>> exact = new HashMap<>();
    private final Map<String, List<ProbeResult>> byFamily = new HashMap<>();
    /** family + axis -> (the other axes' values -> the line's probes, ascending along the axis). */
    private final Map<String, Map<String, List<ProbeResult>>> lines = new HashMap<>();

    Predictor(ResultMatrix.Column column, ClaimSet claims) {
        this.claims = claims;
        if (column != null) {
            for (ProbeResult p : column.probes()) {
                Outcome o = p.outcome();
                if (o == Outcome.NO_EVIDENCE) {
                    continue;
                }
                exact.computeIfAbsent(p.family(), k -> new HashMap<>()).putIfAbsent(text(p.params()), p);
                byFamily.computeIfAbsent(p.family(), k -> new ArrayList<>()).add(p);
            }
        }
    }

    Placement predict(LintedLayer layer) {
        if (layer.family() == null) {
            return new Placement(Where.UNKNOWN, Basis.UNKNOWN, "no probe family exercises layer type "
                    + layer.layerType(), List.of(), List.of());
        }
        Placement p = measured(layer);
        if (p == null) {
            p = beyondThreshold(layer);
        }
        if (p == null) {
            p = claimed(layer);
        }
        return p;
    }

    // ---------------------------------------------------------------- measured

    private Placement measured(LintedLayer layer) {
        Map<String, ProbeResult> family = exact.get(layer.family());
        if (family == null) {
            return null;
        }
        ProbeResult p = family.get(text(layer.params()));
        if (p == null) {
            return null;
        }
        Outcome o = p.outcome();
        if (o == Outcome.DISPUTED) {
            return new Placement(Where.UNKNOWN, Basis.MEASURED, "measured, but the runs disagree: probe "
                    + p.label() + " (" + p.disagreement() + ")", List.of(p.probeId()), List.of());
        }
        return new Placement(where(o), Basis.MEASURED, "probe " + p.label() + " measured " + verdict(o)
                + " (run " + run(p, o) + ")", List.of(p.probeId()), List.of());
    }

    // ---------------------------------------------------------------- beyond a measured threshold

    private Placement beyondThreshold(LintedLayer layer) {
        List<ProbeResult> family = byFamily.get(layer.family());
        if (family == null) {
            return null;
        }
        for (Map.Entry<String, String> axis : layer.params().entrySet()) {
            double value = ParamValue.select(axis.getValue(), ParamValue.Selector.MAX);
            if (Double.isNaN(value)) {
                continue;
            }
            List<ProbeResult> line = line(layer.family(), axis.getKey(), family).get(others(layer.params(),
                    axis.getKey()));
            if (line == null || line.size() < 2) {
                continue;
            }
            Placement p = onOneSide(layer, axis.getKey(), axis.getValue(), value, line);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /**
     * The sweep lines of one axis of a family: probes grouped by their other axes' values, each group in ascending
     * order of the axis (read as its largest component, as the claims read "kernel > 13").
     */
    private Map<String, List<ProbeResult>> line(String family, String axis, List<ProbeResult> probes) {
        return lines.computeIfAbsent(family + "\u0000" + axis, k -> {
            Map<String, List<ProbeResult>> m = new HashMap<>();
            for (ProbeResult p : probes) {
                String v = p.param(axis);
                if (v == null || Double.isNaN(ParamValue.select(v, ParamValue.Selector.MAX))) {
                    continue;
                }
                m.computeIfAbsent(others(p.params(), axis), x -> new ArrayList<>()).add(p);
            }
            m.values().forEach(l -> l.sort(Comparator.comparingDouble(
                    p -> ParamValue.select(p.param(axis), ParamValue.Selector.MAX))));
            return m;
        });
    }

    /**
     * A line that changes outcome exactly once (ANE to not, or the reverse), with the layer's value at or past the
     * last measured point on one side: that side's outcome, decided by the probe nearest the boundary on that side.
     */
    private static Placement onOneSide(LintedLayer layer, String axis, String text, double value,
            List<ProbeResult> line) {
        int changes = 0;
        int boundary = -1;
        for (int i = 1; i < line.size(); i++) {
            Outcome a = line.get(i - 1).outcome();
            Outcome b = line.get(i).outcome();
            if (a == Outcome.DISPUTED || b == Outcome.DISPUTED) {
                return null;
            }
            if (a.offAne() != b.offAne()) {
                changes++;
                boundary = i;
            }
        }
        if (changes != 1) {
            return null;
        }
        ProbeResult before = line.get(boundary - 1);
        ProbeResult after = line.get(boundary);
        double lo = ParamValue.select(before.param(axis), ParamValue.Selector.MAX);
        double hi = ParamValue.select(after.param(axis), ParamValue.Selector.MAX);
        ProbeResult decider;
        ProbeResult other;
        if (value <= lo) {
            decider = before;
            other = after;
        } else if (value >= hi) {
            decider = after;
            other = before;
        } else {
            return null; // between the two measured points: the boundary itself is not known there
        }
        Outcome o = decider.outcome();
        String reason = axis + "=" + text + " is " + (decider == before ? "at most " : "at least ")
                + decider.param(axis) + ", where probe " + decider.label() + " measured " + verdict(o) + " (run "
                + run(decider, o) + "); " + other.param(axis) + " measured " + verdict(other.outcome());
        return new Placement(where(o), Basis.BEYOND_THRESHOLD, reason, List.of(decider.probeId(),
                other.probeId()), List.of());
    }

    // ---------------------------------------------------------------- claimed

    private Placement claimed(LintedLayer layer) {
        List<Claim> matching = new ArrayList<>();
        for (Claim c : claims.claims()) {
            // Switching claims are about whole chains of layers, never about where one layer runs.
            if (!c.predicted().aboutSwitching() && c.inScope(layer.family(), layer.layerType())
                    && c.region().test(layer)) {
                matching.add(c);
            }
        }
        if (matching.isEmpty()) {
            String missing = layer.unread().isEmpty() ? "" : " (unread: " + String.join(", ", layer.unread()) + ")";
            return new Placement(Where.UNKNOWN, Basis.UNKNOWN, "no measurement or claim covers " + layer.family()
                    + (layer.params().isEmpty() ? "" : " " + layer.paramText()) + missing, List.of(), List.of());
        }
        Set<Prediction> predicted = new TreeSet<>();
        matching.forEach(c -> predicted.add(c.predicted()));
        List<String> ids = matching.stream().map(Claim::id).toList();
        Map<String, String> sources = new LinkedHashMap<>();
        matching.forEach(c -> sources.put(c.id(), c.sourceLabel()));
        StringBuilder which = new StringBuilder();
        sources.forEach((id, src) -> which.append(which.length() == 0 ? "" : ", ").append(id).append(" (")
                .append(src).append(')'));
        if (predicted.size() > 1) {
            return new Placement(Where.UNKNOWN, Basis.UNKNOWN, "the claims disagree: " + which, List.of(), ids);
        }
        Prediction p = predicted.iterator().next();
        return new Placement(p == Prediction.ANE ? Where.ANE : Where.NOT_ANE, Basis.CLAIMED, "claim "
                + which, List.of(), ids);
    }

    // ---------------------------------------------------------------- helpers

    private static Where where(Outcome o) {
        return switch (o) {
            case ON_ANE -> Where.ANE;
            case OFF_ANE -> Where.NOT_ANE;
            case SPLIT -> Where.SPLIT;
            default -> Where.UNKNOWN;
        };
    }

    private static String verdict(Outcome o) {
        return switch (o) {
            case ON_ANE -> "ANE";
            case OFF_ANE -> "NOT_ANE";
            case SPLIT -> "SPLIT";
            default -> o.label();
        };
    }

    private static String run(ProbeResult p, Outcome o) {
        VerdictKind k = switch (o) {
            case ON_ANE -> VerdictKind.ANE;
            case OFF_ANE -> VerdictKind.NOT_ANE;
            default -> VerdictKind.SPLIT;
        };
        ComputeUnits u = p.primaryUnits();
        String r = u == null ? null : p.firstRun(u, k);
        return r == null ? "?" : r;
    }

    private static String text(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(params).forEach((k, v) -> sb.append(k).append('=').append(v).append(','));
        return sb.toString();
    }

    private static String others(Map<String, String> params, String axis) {
        StringBuilder sb = new StringBuilder();
        new java.util.TreeMap<>(params).forEach((k, v) -> {
            if (!k.equals(axis)) {
                sb.append(k).append('=').append(v).append(',');
            }
        });
        return sb.toString();
    }
}
