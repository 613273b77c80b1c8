package dev.aneprobe.harness.analysis.thresholds;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ParamValue;
import dev.aneprobe.harness.analysis.claims.ParamValue.Selector;
import dev.aneprobe.harness.analysis.claims.Prediction;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds, for every swept numeric axis of every family on every chip/OS, where probes stop (or start) running on the
 * ANE. A sweep line is a set of probes that differ only in that axis; each line is read in ascending order and
 * classified (on the ANE up to a value and not from the next, the reverse, no change, or not monotone). Lines that
 * agree are grouped, and a group is labelled with the other axes' values that set it apart ("where type=max").
 * An HxW axis whose swept values are all square is read as one number; otherwise height and width are read
 * separately, each with the other component held fixed. Shapes with three or more components are read as their
 * tensor size.
 */
public final class ThresholdFinder {
    private ThresholdFinder() {
    }

    public static List<Threshold> find(ResultMatrix matrix, ClaimSet claims) {
        List<Threshold> out = new ArrayList<>();
        Set<String> measured = new TreeSet<>();
        // The axes each measured family has, so that a family pattern's claim lists only families it can speak of.
        Map<String, Set<String>> axesOf = new TreeMap<>();
        for (ResultMatrix.Column col : matrix.columns()) {
            Map<String, List<ProbeResult>> byFamily = new TreeMap<>();
            for (ProbeResult p : col.probes()) {
                byFamily.computeIfAbsent(p.family(), k -> new ArrayList<>()).add(p);
                Set<String> axes = axesOf.computeIfAbsent(p.family(), k -> new TreeSet<>());
                p.params().keySet().forEach(axes::add);
            }
            for (Map.Entry<String, List<ProbeResult>> e : byFamily.entrySet()) {
                for (Dimension d : dimensions(e.getValue())) {
                    Threshold t = analyse(e.getKey(), d, col.chipOs(), e.getValue(), claims);
                    if (t != null) {
                        out.add(t);
                        measured.add(e.getKey() + "\u0000" + d.axis);
                    }
                }
            }
        }
        // Claimed boundaries on axes nothing has swept yet still get a row, so the table shows what to measure.
        Map<String, List<String>> claimedOnly = new TreeMap<>();
        for (Claim c : claims.claims()) {
            for (String family : c.families()) {
                c.region().comparisons(cmp -> {
                    if (cmp.isThreshold() && !measured.contains(family + "\u0000" + cmp.axis())) {
                        claimedOnly.computeIfAbsent(family + "\u0000" + cmp.axis(), k -> new ArrayList<>());
                    }
                });
            }
            if (c.familyPattern() != null) {
                // A pattern names no family: its limits go to the measured families it matches that have the axis,
                // or, before any of them is measured, to one row labelled with the pattern.
                List<String> matching = new ArrayList<>();
                axesOf.keySet().forEach(f -> {
                    if (c.familyPattern().matcher(f).matches()) {
                        matching.add(f);
                    }
                });
                c.region().comparisons(cmp -> {
                    if (!cmp.isThreshold()) {
                        return;
                    }
                    boolean any = false;
                    for (String f : matching) {
                        if (axesOf.get(f).contains(cmp.axis())) {
                            any = true;
                            if (!measured.contains(f + "\u0000" + cmp.axis())) {
                                claimedOnly.computeIfAbsent(f + "\u0000" + cmp.axis(), k -> new ArrayList<>());
                            }
                        }
                    }
                    if (!any) {
                        claimedOnly.computeIfAbsent(c.familyPatternLabel() + "\u0000" + cmp.axis(),
                                k -> new ArrayList<>());
                    }
                });
            }
        }
        for (String key : claimedOnly.keySet()) {
            String[] fa = key.split("\u0000");
            out.add(new Threshold(fa[0], fa[1], "max", null, Threshold.Kind.NOT_MEASURED, "not swept yet",
                    List.of(), claimed(claims, fa[0], fa[1])));
        }
        out.sort(Comparator.comparing(Threshold::family).thenComparing(Threshold::axis)
                .thenComparing(Threshold::dimension)
                .thenComparing(t -> t.chipOs() == null ? "" : t.chipOs()));
        return out;
    }

    /**
     * What the claims say about a family's axis, e.g. "not on the ANE above 13 [pooling-kernel-gt13-not-ane]". The
     * family may also be a family pattern's label ({@code /mil\..*\/}), for the claims with that pattern.
     */
    public static List<String> claimed(ClaimSet claims, String family, String axis) {
        List<String> out = new ArrayList<>();
        for (Claim c : claims.claims()) {
            if (!c.coversFamily(family) && !family.equals(c.familyPatternLabel())) {
                continue;
            }
            c.region().comparisons(cmp -> {
                if (!cmp.isThreshold() || !cmp.axis().equals(axis)) {
                    return;
                }
                String v = ParamValue.format(cmp.threshold());
                String where = switch (cmp.op()) {
                    case GT -> "above " + v;
                    case GE -> "from " + v;
                    case LT -> "below " + v;
                    case LE -> "up to " + v;
                    default -> cmp.op().symbol() + " " + v;
                };
                String sel = cmp.select() == Selector.VALUE ? "" : " (" + cmp.select().label() + ")";
                out.add((c.predicted() == Prediction.ANE ? "on the ANE " : "not on the ANE ") + where + sel + " ["
                        + c.id() + "]");
            });
        }
        return out;
    }

    /** One way of reading an axis as a number. */
    record Dimension(String axis, Selector selector) {
        String label() {
            return selector == Selector.VALUE ? "value" : selector.label();
        }
    }

    static List<Dimension> dimensions(List<ProbeResult> probes) {
        Map<String, TreeSet<String>> values = new LinkedHashMap<>();
        Set<String> nonNumeric = new TreeSet<>();
        for (ProbeResult p : probes) {
            p.params().forEach((k, v) -> {
                values.computeIfAbsent(k, x -> new TreeSet<>()).add(v);
                if (!ParamValue.isNumeric(v)) {
                    nonNumeric.add(k);
                }
            });
        }
        List<Dimension> out = new ArrayList<>();
        values.forEach((axis, vs) -> {
            if (nonNumeric.contains(axis) || vs.size() < 2) {
                return;
            }
            int minParts = Integer.MAX_VALUE;
            int maxParts = 0;
            boolean square = true;
            for (String v : vs) {
                double[] c = ParamValue.components(v);
                minParts = Math.min(minParts, c.length);
                maxParts = Math.max(maxParts, c.length);
                if (c.length == 2 && c[0] != c[1]) {
                    square = false;
                }
            }
            if (maxParts == 1) {
                out.add(new Dimension(axis, Selector.VALUE));
            } else if (minParts == 2 && maxParts == 2) {
                if (square) {
                    out.add(new Dimension(axis, Selector.MAX));
                } else {
                    out.add(new Dimension(axis, Selector.H));
                    out.add(new Dimension(axis, Selector.W));
                }
            } else if (minParts >= 3) {
                out.add(new Dimension(axis, Selector.PRODUCT));
            } else {
                out.add(new Dimension(axis, Selector.MAX));
            }
        });
        return out;
    }

    /** One point of a sweep line: the probes at one value. */
    private static final class Point {
        final List<String> ids = new ArrayList<>();
        boolean on;
        boolean off;
        boolean disputed;

        /** '+' on the ANE, '-' not, 'd' a probe's measurements disagree, 'm' probes at this value differ. */
        char cls() {
            if (disputed) {
                return 'd';
            }
            if (on && off) {
                return 'm';
            }
            return on ? '+' : '-';
        }
    }

    private static final class Line {
        final Map<String, String> others;
        final TreeMap<Double, Point> points = new TreeMap<>();

        Line(Map<String, String> others) {
            this.others = others;
        }
    }

    private record Shape(String shape, String lastBefore, String firstAfter, String text, List<String> below,
            List<String> above) {
        String key() {
            return shape + "|" + lastBefore + "|" + firstAfter;
        }
    }

    private static Threshold analyse(String family, Dimension d, String chipOs, List<ProbeResult> probes,
            ClaimSet claims) {
        Map<String, Line> lines = new TreeMap<>();
        for (ProbeResult p : probes) {
            String v = p.param(d.axis);
            Outcome o = p.outcome();
            if (v == null || o == Outcome.NO_EVIDENCE) {
                continue;
            }
            double x = ParamValue.select(v, d.selector);
            if (Double.isNaN(x)) {
                continue;
            }
            // Probes with the same id but another model sha256 fall on the same point: if they differ, it is mixed.
            String other = null;
            if (d.selector == Selector.H) {
                other = ParamValue.format(ParamValue.select(v, Selector.W));
            } else if (d.selector == Selector.W) {
                other = ParamValue.format(ParamValue.select(v, Selector.H));
            }
            StringBuilder key = new StringBuilder(64);
            p.forEachParam((k, val) -> {
                if (!k.equals(d.axis)) {
                    key.append(k).append('=').append(val).append('\u0000');
                }
            });
            if (other != null) {
                key.append(d.axis).append('.').append(d.selector == Selector.H ? 'w' : 'h').append('=').append(other);
            }
            String otherComponent = other;
            Line line = lines.computeIfAbsent(key.toString(), k -> {
                Map<String, String> others = new TreeMap<>(p.params());
                others.remove(d.axis);
                if (otherComponent != null) {
                    others.put(d.axis + (d.selector == Selector.H ? ".w" : ".h"), otherComponent);
                }
                return new Line(others);
            });
            Point pt = line.points.computeIfAbsent(x, k -> new Point());
            pt.ids.add(p.label());
            switch (o) {
                case ON_ANE -> pt.on = true;
                case OFF_ANE, SPLIT -> pt.off = true;
                default -> pt.disputed = true;
            }
        }
        Map<String, List<Line>> groups = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Line l : lines.values()) {
            if (l.points.size() < 2) {
                continue;
            }
            Shape s = shape(l);
            groups.computeIfAbsent(s.key(), k -> new ArrayList<>()).add(l);
            shapes.putIfAbsent(s.key(), s);
        }
        if (groups.isEmpty()) {
            return null;
        }
        List<Line> allLines = new ArrayList<>();
        groups.values().forEach(allLines::addAll);
        List<Threshold.Group> out = new ArrayList<>();
        for (Map.Entry<String, List<Line>> e : groups.entrySet()) {
            Shape s = shapes.get(e.getKey());
            Condition cond = groups.size() == 1 ? null : condition(e.getValue(), allLines);
            out.add(new Threshold.Group(s.shape, s.text, cond == null ? null : cond.text(),
                    cond != null && cond.separates(), e.getValue().size(), s.lastBefore, s.firstAfter, s.below,
                    s.above));
        }
        // Boundaries first, then the lines with no change, then the ones that are not monotone; bigger groups first.
        out.sort(Comparator.comparingInt((Threshold.Group g) -> g.shape().equals("drop") || g.shape().equals("rise")
                ? 0 : g.shape().equals("not-monotone") ? 2 : 1)
                .thenComparingInt(g -> -g.lines()).thenComparing(Threshold.Group::text));
        Threshold.Kind kind;
        Set<String> kinds = new TreeSet<>();
        out.forEach(g -> kinds.add(g.shape()));
        if (kinds.contains("not-monotone")) {
            kind = Threshold.Kind.NOT_MONOTONE;
        } else if (out.size() == 1 && (kinds.contains("drop") || kinds.contains("rise"))) {
            kind = Threshold.Kind.BOUNDARY;
        } else if (!kinds.contains("drop") && !kinds.contains("rise")) {
            kind = Threshold.Kind.NO_BOUNDARY;
        } else {
            kind = Threshold.Kind.VARIES;
        }
        StringBuilder summary = new StringBuilder();
        if (kind == Threshold.Kind.NO_BOUNDARY) {
            summary.append("no boundary in the swept range: ");
        }
        for (int i = 0; i < out.size(); i++) {
            summary.append(i == 0 ? "" : "; ").append(out.get(i).describe());
        }
        return new Threshold(family, d.axis, d.label(), chipOs, kind, summary.toString(), out,
                claimed(claims, family, d.axis));
    }

    private static Shape shape(Line l) {
        StringBuilder seq = new StringBuilder();
        List<Map.Entry<Double, Point>> pts = new ArrayList<>(l.points.entrySet());
        for (Map.Entry<Double, Point> e : pts) {
            seq.append(e.getValue().cls());
        }
        String s = seq.toString();
        String min = ParamValue.format(pts.get(0).getKey());
        String max = ParamValue.format(pts.get(pts.size() - 1).getKey());
        if (s.matches("\\++")) {
            return new Shape("all-ane", null, null, "on the ANE throughout " + min + ".." + max, List.of(), List.of());
        }
        if (s.matches("-+")) {
            return new Shape("none-ane", null, null, "not on the ANE anywhere in " + min + ".." + max, List.of(),
                    List.of());
        }
        if (s.matches("\\++-+") || s.matches("-+\\++")) {
            int i = Math.max(s.lastIndexOf("+-"), s.lastIndexOf("-+"));
            Map.Entry<Double, Point> a = pts.get(i);
            Map.Entry<Double, Point> b = pts.get(i + 1);
            String av = ParamValue.format(a.getKey());
            String bv = ParamValue.format(b.getKey());
            boolean drop = s.charAt(0) == '+';
            String text = drop ? "on the ANE up to " + av + ", not from " + bv
                    : "not on the ANE up to " + av + ", on it from " + bv;
            return new Shape(drop ? "drop" : "rise", av, bv, text, a.getValue().ids, b.getValue().ids);
        }
        // Runs of the same class are written as ranges: "1..5 ANE, 6 disputed, 7..31 not".
        StringBuilder text = new StringBuilder("not monotone:");
        for (int i = 0; i < pts.size(); ) {
            char c = pts.get(i).getValue().cls();
            int j = i;
            while (j + 1 < pts.size() && pts.get(j + 1).getValue().cls() == c) {
                j++;
            }
            text.append(' ').append(ParamValue.format(pts.get(i).getKey()));
            if (j > i) {
                text.append("..").append(ParamValue.format(pts.get(j).getKey()));
            }
            text.append(c == '+' ? " ANE" : c == '-' ? " not" : c == 'd' ? " disputed" : " mixed").append(',');
            i = j + 1;
        }
        text.setLength(text.length() - 1);
        return new Shape("not-monotone", null, null, text.toString(), List.of(), List.of());
    }

    /** The other-axis values that describe a group, and whether they set it apart from every other line. */
    private record Condition(String text, boolean separates) {
    }

    /**
     * The fewest other-axis conditions ("type=max") that hold for every line of the group and rule out as many other
     * lines as possible, chosen greedily.
     */
    private static Condition condition(List<Line> group, List<Line> all) {
        Map<String, TreeSet<String>> g = values(group);
        Map<String, TreeSet<String>> a = values(all);
        List<Line> others = new ArrayList<>(all);
        others.removeAll(group);
        List<String> chosen = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        while (!others.isEmpty()) {
            String best = null;
            List<Line> bestLeft = others;
            for (Map.Entry<String, TreeSet<String>> e : g.entrySet()) {
                String axis = e.getKey();
                if (used.contains(axis) || e.getValue().size() >= a.get(axis).size()) {
                    continue;
                }
                List<Line> left = new ArrayList<>();
                for (Line l : others) {
                    if (e.getValue().contains(l.others.get(axis))) {
                        left.add(l);
                    }
                }
                if (left.size() < bestLeft.size()) {
                    best = axis;
                    bestLeft = left;
                }
            }
            if (best == null) {
                break;
            }
            used.add(best);
            TreeSet<String> vs = g.get(best);
            chosen.add(best + (vs.size() == 1 ? "=" + vs.first() : " \u2208 {" + String.join(", ", vs) + "}"));
            others = bestLeft;
        }
        if (chosen.isEmpty()) {
            return null;
        }
        chosen.sort(null);
        return new Condition(String.join(", ", chosen), others.isEmpty());
    }

    private static Map<String, TreeSet<String>> values(List<Line> lines) {
        Map<String, TreeSet<String>> m = new TreeMap<>();
        for (Line l : lines) {
            l.others.forEach((k, v) -> m.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
        return m;
    }
}
