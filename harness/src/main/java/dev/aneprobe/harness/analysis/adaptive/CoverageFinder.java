package dev.aneprobe.harness.analysis.adaptive;

import dev.aneprobe.harness.analysis.claims.ParamValue;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.generate.CatalogHash;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds, for the adaptive runs of a matrix, which cells of their profile's grid were measured, which can be inferred
 * and which are unknown (see {@link Coverage}). It only reads the matrix; nothing it infers goes back into it, so
 * claims and thresholds, which read the matrix, never see an inferred cell.
 *
 * <p>Along a searched axis with every other axis fixed (or, for a 2-D search, over its two axes together, the others
 * fixed), a grid value that was not measured is inferred when its nearest measured neighbours below and above have
 * the same outcome: on every compute-unit setting the same single
 * verdict kind and the same single preferred device of the layer under test. A neighbour whose lines disagree (a
 * disputed probe, or the same id with models whose outcomes differ) infers nothing. Values with several components
 * (HxW) are ordered component by component: a value lies between two others when each component does, and its
 * neighbours are the nearest such measured values (all of them must agree). A cell that two searched axes would
 * infer differently stays unknown.
 */
public final class CoverageFinder {
    private CoverageFinder() {
    }

    public static Coverage find(ResultMatrix matrix) {
        List<String> runs = new ArrayList<>();
        for (RunDir r : matrix.runStats().keySet()) {
            if (r.env().adaptive()) {
                runs.add(r.runId());
            }
        }
        if (runs.isEmpty()) {
            return Coverage.NONE;
        }
        Catalog catalog = Catalog.standard();
        List<Coverage.Search> searches = new ArrayList<>();
        List<Coverage.InferredCell> inferred = new ArrayList<>();
        List<Coverage.Boundary> boundaries = new ArrayList<>();
        List<Coverage.NonMonotonic> nonMonotonic = new ArrayList<>();
        for (ResultMatrix.Column col : matrix.columns()) {
            for (Map.Entry<String, ResultMatrix.Searches> e : col.searches().entrySet()) {
                ProbeFamily declared = declared(catalog, e.getKey());
                family(col, e.getKey(), declared, e.getValue(), searches, inferred, boundaries);
                for (ResultMatrix.GridRegion g : e.getValue().gridRegions()) {
                    nonMonotonic.add(new Coverage.NonMonotonic(col.chipOs(), e.getKey(), g.axis(), g.low(),
                            g.high(), offBaseline(declared, g.where()), g.reason(), g.runId(), g.probes()));
                }
            }
        }
        inferred.sort(Comparator.comparing(Coverage.InferredCell::chipOs)
                .thenComparing(Coverage.InferredCell::probeId));
        return new Coverage(runs, searches, inferred, boundaries, nonMonotonic);
    }

    /** One point of a sweep line along one axis. */
    private record Point(String id, String value, double[] at) {
    }

    /** What a grid probe is inferred to be, and from which neighbours. */
    private record Inference(String axis, String below, String above, String signature, ProbeResult like) {
    }

    private static ProbeFamily declared(Catalog catalog, String family) {
        return catalog.families().stream().filter(f -> f.name().equals(family)).findFirst().orElse(null);
    }

    private static void family(ResultMatrix.Column col, String family, ProbeFamily declared,
            ResultMatrix.Searches s, List<Coverage.Search> searches, List<Coverage.InferredCell> inferredOut,
            List<Coverage.Boundary> boundaries) {
        // Every probe of the family measured on this chip/OS, by any run (a grid run's probes are measured too).
        Map<String, List<ProbeResult>> measured = new LinkedHashMap<>();
        for (ProbeResult p : col.probes()) {
            if (p.family().equals(family)) {
                measured.computeIfAbsent(p.probeId(), k -> new ArrayList<>()).add(p);
            }
        }
        Map<String, String> signatures = new HashMap<>();
        measured.forEach((id, ps) -> signatures.put(id, signature(ps)));
        Grid grid = grid(declared, family, s.runs());
        Map<String, ProbeSpec> gridProbes = grid.probes == null ? Map.of() : grid.probes;

        // Each searched axis alone, and each 2-D search's pair of axes together (its cells compared on both).
        List<String> axes = new ArrayList<>(new LinkedHashSet<>(
                s.axes().stream().flatMap(a -> Arrays.stream(a.split("\\+"))).toList()));
        s.axes().stream().filter(a -> a.split("\\+").length == 2).distinct().forEach(axes::add);
        Map<String, Inference> inferred = new TreeMap<>();
        Set<String> conflicting = new java.util.HashSet<>();
        for (String axis : axes) {
            Map<String, List<Point>> lines = new LinkedHashMap<>();
            Map<String, Map<String, String>> lineWhere = new HashMap<>();
            for (List<ProbeResult> ps : measured.values()) {
                point(lines, lineWhere, axis, ps.get(0).probeId(), ps.get(0).params());
            }
            for (ProbeSpec spec : gridProbes.values()) {
                if (!measured.containsKey(spec.id())) {
                    point(lines, lineWhere, axis, spec.id(), spec.params());
                }
            }
            for (Map.Entry<String, List<Point>> line : lines.entrySet()) {
                List<Point> known = new ArrayList<>();
                List<Point> unknown = new ArrayList<>();
                for (Point p : line.getValue()) {
                    (measured.containsKey(p.id) ? known : unknown).add(p);
                }
                for (Point u : unknown) {
                    Inference inf = infer(axis, u, known, signatures, measured);
                    if (inf == null) {
                        continue;
                    }
                    Inference had = inferred.putIfAbsent(u.id, inf);
                    if (had != null && !had.signature.equals(inf.signature)) {
                        conflicting.add(u.id);
                    }
                }
                if (!axis.contains("+")) {
                    boundaries(col.chipOs(), family, axis, offBaseline(declared, lineWhere.get(line.getKey())),
                            known, unknown, signatures, grid.probes != null, boundaries);
                }
            }
        }
        conflicting.forEach(inferred::remove);
        int unknownCount = 0;
        for (ProbeSpec spec : gridProbes.values()) {
            if (measured.containsKey(spec.id())) {
                continue;
            }
            Inference inf = inferred.get(spec.id());
            if (inf == null) {
                unknownCount++;
                continue;
            }
            inferredOut.add(new Coverage.InferredCell(col.chipOs(), family, declared.layerTypeOf(spec), spec.id(),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(spec.params())), inf.axis, inf.below,
                    inf.above, List.of(inf.signature.split("; ")), inf.like.outcome()));
        }
        List<String> runIds = s.runs().stream().map(RunDir::runId).toList();
        searches.add(new Coverage.Search(col.chipOs(), family, List.copyOf(s.axes()), runIds, grid.description,
                gridProbes.size(), measured.size(), s.probes(), grid.probes == null ? 0 : inferred.size(),
                unknownCount, grid.note));
    }

    /**
     * The axes of a sweep line whose values differ from the family's baseline, in axis order: what sets the line
     * apart ("type=average"); all of them when the family is not in the catalog.
     */
    static Map<String, String> offBaseline(ProbeFamily declared, Map<String, String> where) {
        if (declared == null) {
            return where;
        }
        Map<String, String> base = declared.baseline().params();
        Map<String, String> out = new LinkedHashMap<>();
        where.forEach((k, v) -> {
            if (!v.equals(base.get(k))) {
                out.put(k, v);
            }
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    /**
     * Adds a probe to its line along {@code axis}: one axis (its value's components), or a 2-D search's two axes
     * joined by '+' (both values' components, so that "between" holds on both axes at once).
     */
    private static void point(Map<String, List<Point>> lines, Map<String, Map<String, String>> lineWhere,
            String axis, String id, Map<String, String> params) {
        String[] names = axis.split("\\+");
        double[] at = new double[0];
        StringBuilder v = new StringBuilder();
        for (String name : names) {
            String value = params.get(name);
            double[] c = value == null ? null : ParamValue.components(value);
            if (c == null) {
                return;
            }
            at = java.util.Arrays.copyOf(at, at.length + c.length);
            System.arraycopy(c, 0, at, at.length - c.length, c.length);
            v.append(v.length() == 0 ? "" : "+").append(value);
        }
        Map<String, String> where = new LinkedHashMap<>(params);
        for (String name : names) {
            where.remove(name);
        }
        String key = where.toString();
        lines.computeIfAbsent(key, k -> new ArrayList<>()).add(new Point(id, v.toString(), at));
        lineWhere.putIfAbsent(key, java.util.Collections.unmodifiableMap(where));
    }

    /**
     * The outcome of {@code u} when exactly one outcome has a measured point below it and one above it (component by
     * component): the rule the search infers by, exact whenever each outcome's cells are convex in that order. Two
     * such outcomes contradict each other and infer nothing, and so does a measured point between the witnesses
     * with another outcome or none (disputed). The witnesses named are the nearest of their outcome on each side.
     */
    private static Inference infer(String axis, Point u, List<Point> known, Map<String, String> signatures,
            Map<String, List<ProbeResult>> measured) {
        Map<String, Point> below = new LinkedHashMap<>();
        Map<String, Point> above = new LinkedHashMap<>();
        for (Point p : known) {
            String sig = signatures.get(p.id);
            if (sig == null) {
                continue;
            }
            if (lessThan(p.at, u.at)) {
                below.merge(sig, p, (had, q) -> lessThan(had.at, q.at) || (!lessThan(q.at, had.at)
                        && q.id.compareTo(had.id) < 0) ? q : had);
            } else if (lessThan(u.at, p.at)) {
                above.merge(sig, p, (had, q) -> lessThan(q.at, had.at) || (!lessThan(had.at, q.at)
                        && q.id.compareTo(had.id) < 0) ? q : had);
            }
        }
        String found = null;
        for (String sig : below.keySet()) {
            if (above.containsKey(sig)) {
                if (found != null) {
                    return null;
                }
                found = sig;
            }
        }
        if (found == null) {
            return null;
        }
        Point lo = below.get(found);
        Point hi = above.get(found);
        for (Point q : known) {
            // A measured point between the witnesses that does not share their outcome (or has none: disputed)
            // shows the outcome is not convex there: nothing between them is inferred.
            if (lessThan(lo.at, q.at) && lessThan(q.at, hi.at) && !found.equals(signatures.get(q.id))) {
                return null;
            }
        }
        return new Inference(axis, lo.id, hi.id, found, measured.get(lo.id).get(0));
    }

    /** True when every component of a is at most b's, and they differ (same number of components). */
    static boolean lessThan(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        boolean differ = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            differ |= a[i] != b[i];
        }
        return differ;
    }

    /** Consecutive measured points of a line whose outcomes differ, when the line's measured values are ordered. */
    private static void boundaries(String chipOs, String family, String axis, Map<String, String> where,
            List<Point> known, List<Point> unknown, Map<String, String> signatures, boolean gridKnown,
            List<Coverage.Boundary> out) {
        if (known.size() < 2) {
            return;
        }
        List<Point> sorted = new ArrayList<>(known);
        sorted.sort((a, b) -> Arrays.compare(a.at, b.at));
        for (int i = 0; i + 1 < sorted.size(); i++) {
            if (!lessThan(sorted.get(i).at, sorted.get(i + 1).at)) {
                return; // not a chain (e.g. 3x5 and 5x3): no single order to read boundaries in
            }
        }
        for (int i = 0; i + 1 < sorted.size(); i++) {
            Point a = sorted.get(i);
            Point b = sorted.get(i + 1);
            String sa = signatures.get(a.id);
            String sb = signatures.get(b.id);
            if (sa == null || sb == null || sa.equals(sb)) {
                continue;
            }
            int between = 0;
            for (Point u : unknown) {
                if (lessThan(a.at, u.at) && lessThan(u.at, b.at)) {
                    between++;
                }
            }
            out.add(new Coverage.Boundary(chipOs, family, axis, where, a.value, b.value, sa, sb, a.id, b.id,
                    gridKnown ? between : -1));
        }
    }

    /**
     * A probe's outcome on every compute-unit setting, e.g. "cpu: preferred cpu; ane: ANE (preferred ane)"; null when some setting's lines disagree (in verdict or preferred device), when models of the same id
     * differ, or when nothing was recorded.
     */
    static String signature(List<ProbeResult> ps) {
        String sig = null;
        for (ProbeResult p : ps) {
            String s = signature(p);
            if (s == null || (sig != null && !sig.equals(s))) {
                return null;
            }
            sig = s;
        }
        return sig;
    }

    private static String signature(ProbeResult p) {
        List<String> parts = new ArrayList<>();
        for (ComputeUnits u : ComputeUnits.values()) {
            VerdictKind kind = null;
            if (u.allowsNeuralEngine()) {
                for (VerdictKind k : VerdictKind.values()) {
                    if (p.count(u, k) > 0) {
                        if (kind != null) {
                            return null;
                        }
                        kind = k;
                    }
                }
            }
            List<Device> pref = p.preferred(u);
            if (pref.size() > 1) {
                return null;
            }
            if (kind == null && pref.isEmpty()) {
                continue;
            }
            String preferred = pref.isEmpty() ? null : "preferred " + pref.get(0).label();
            parts.add(u.label() + ": " + (kind == null ? preferred
                    : kind.name() + (preferred == null ? "" : " (" + preferred + ")")));
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** The grid cells are read against: the probes, by id, of the runs' profile and --param values. */
    private record Grid(Map<String, ProbeSpec> probes, String description, String note) {
    }

    private static Grid grid(ProbeFamily declared, String family, List<RunDir> runs) {
        if (declared == null) {
            return new Grid(null, null, "family " + family + " is not in this version's catalog: only measured "
                    + "cells are shown");
        }
        Map<String, ProbeSpec> probes = new LinkedHashMap<>();
        Set<String> described = new LinkedHashSet<>();
        for (RunDir run : runs) {
            EnvRecord env = run.env();
            String why = null;
            Profile profile = null;
            if (env.profile() == null) {
                why = "run " + run.runId() + " records no profile";
            } else {
                try {
                    profile = Profile.parse(env.profile());
                } catch (IllegalArgumentException e) {
                    why = "run " + run.runId() + "'s profile '" + env.profile() + "' is not quick, standard or full";
                }
            }
            if (why == null && env.catalogHash() != null && !env.catalogHash().equals(CatalogHash.current())) {
                why = "run " + run.runId() + " was made by another catalog version";
            }
            List<ParamOverride> overrides = new ArrayList<>();
            List<String> given = new ArrayList<>();
            if (why == null) {
                try {
                    for (String text : params(env.arguments())) {
                        ParamOverride o = ParamOverride.parse(text);
                        if (o.family().equals(family)) {
                            if (declared.axis(o.axis()) == null) {
                                throw new IllegalArgumentException("family " + family + " has no axis " + o.axis());
                            }
                            o.values(declared.axis(o.axis()));
                            overrides.add(o);
                            given.add("--param " + text);
                        }
                    }
                    for (ProbeSpec spec : declared.probes(profile, overrides)) {
                        probes.putIfAbsent(spec.id(), spec);
                    }
                } catch (RuntimeException e) {
                    why = "run " + run.runId() + "'s --param values cannot be read (" + e.getMessage() + ")";
                }
            }
            if (why != null) {
                return new Grid(null, null, why + ": its grid is not known here, so only measured cells are shown "
                        + "and nothing is inferred");
            }
            described.add("profile " + profile.label() + (given.isEmpty() ? "" : ", " + String.join(", ", given)));
        }
        return new Grid(probes, String.join("; ", described), null);
    }

    /** The values of every {@code --param} in recorded sweep arguments ({@code --param V} or {@code --param=V}). */
    static List<String> params(List<String> arguments) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("--param")) {
                if (i + 1 >= arguments.size()) {
                    throw new IllegalArgumentException("--param without a value");
                }
                out.add(arguments.get(++i));
            } else if (a.startsWith("--param=")) {
                out.add(a.substring("--param=".length()));
            }
        }
        return out;
    }
}
