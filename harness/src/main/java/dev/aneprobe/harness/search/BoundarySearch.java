package dev.aneprobe.harness.search;

import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.SearchStep.Role;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The adaptive search of one family under one compute-units setting: pure, no I/O; every probe it needs comes from an
 * {@link Oracle} (a sweep's worker, or an in-process simulation), asked at most once per probe.
 *
 * <p><b>A line</b> (one axis, the others held): measure both ends; while two measured neighbours have different
 * {@link Outcome}s with unmeasured values between them, measure the middle one; the boundaries then lie between
 * adjacent values. Every other value lies between measured neighbours with the same outcome and is inferred to have
 * it.
 *
 * <p><b>Verification</b> (non-monotonic truth): each run of measured values with one outcome (each side of each
 * boundary, as far as that outcome reaches, or the whole line when it has no boundary) gets {@link #verifyPerRun}
 * extra points spread evenly over its unmeasured values. If one disagrees, the search is flagged non-monotonic and
 * nothing along it is inferred any more: the run it checked, then the rest of the line, is measured value by value
 * (role GRID, the reason naming the disagreement). So a flagged search reports what the grid finds.
 *
 * <p><b>A 2-D grid</b>: the first and last lines (the grid's edges) are searched as above; between two searched lines
 * whose outcomes (value by value, inferred ones included) differ, the middle line is searched, until they are
 * adjacent; between two searched lines with the same outcomes, the lines between are inferred to share them once
 * {@link #verifyPerRun} lines spread over them agree at the values beside each boundary (or, with no boundary, the
 * middle value); if one disagrees (or any line was flagged), the search is flagged and every line is swept whole
 * (role GRID).
 */
public final class BoundarySearch {
    /** Runs one probe under the search's compute-units setting and says its outcome. */
    public interface Oracle {
        Outcome outcome(ProbeSpec probe, SearchStep step);
    }

    /** Extra points per run of equal outcomes (and lines per inferred block of a 2-D search). */
    public static final int DEFAULT_VERIFY_PER_RUN = 1;

    /** Two adjacent values of the walked axis whose outcomes differ. */
    public record Boundary(String below, Outcome belowOutcome, String above, Outcome aboveOutcome) {
        @Override
        public String toString() {
            return below + " (" + belowOutcome + ") | " + above + " (" + aboveOutcome + ")";
        }
    }

    /**
     * The boundaries along the walked axis of one line, or of a block of consecutive lines of a 2-D search that share
     * them.
     *
     * @param where "" for a line; for a 2-D block, the lines it covers ("stride=1x1..3x3")
     */
    public record Finding(String where, List<Boundary> boundaries) {
    }

    /**
     * What one search found.
     *
     * @param nonMonotonic a verification disagreed, and the interval it checked was swept whole
     * @param why the first disagreement, or null
     * @param measured how many of the search's probes were measured (by it or before it)
     */
    public record Result(SearchPlan.Search search, List<Finding> findings, boolean nonMonotonic, String why,
            int measured) {
    }

    /** A family's searches, and how many probes the family's adaptive sweep measured in all. */
    public record FamilyResult(String family, List<Result> searches, int restProbes, int measured) {
    }

    private final Oracle oracle;
    private final int verifyPerRun;
    private final Map<ProbeSpec, Outcome> known = new HashMap<>();

    public BoundarySearch(Oracle oracle) {
        this(oracle, DEFAULT_VERIFY_PER_RUN);
    }

    public BoundarySearch(Oracle oracle, int verifyPerRun) {
        if (verifyPerRun < 1) {
            throw new IllegalArgumentException("verification needs at least one point per run");
        }
        this.oracle = Objects.requireNonNull(oracle);
        this.verifyPerRun = verifyPerRun;
    }

    /** Sweeps the family's rest as the grid does, then runs each search in order. */
    public FamilyResult run(SearchPlan plan) {
        for (ProbeSpec s : plan.rest()) {
            measure(s, restStep(plan.baseline(), s));
        }
        List<Result> results = new ArrayList<>();
        for (SearchPlan.Search s : plan.searches()) {
            results.add(s.twoDimensional() ? grid(s) : line(s));
        }
        return new FamilyResult(plan.family(), results, plan.rest().size(), known.size());
    }

    /** Every probe measured so far and its outcome. */
    public Map<ProbeSpec, Outcome> measured() {
        return java.util.Collections.unmodifiableMap(known);
    }

    private Outcome measure(ProbeSpec spec, SearchStep step) {
        Outcome o = known.get(spec);
        if (o == null) {
            o = Objects.requireNonNull(oracle.outcome(spec, step), "oracle gave no outcome for " + spec.id());
            known.put(spec, o);
        }
        return o;
    }

    private static SearchStep restStep(ProbeSpec base, ProbeSpec s) {
        List<String> differ = new ArrayList<>();
        s.params().forEach((k, v) -> {
            if (!v.equals(base.text(k))) {
                differ.add(k);
            }
        });
        if (differ.isEmpty()) {
            String first = s.params().isEmpty() ? "baseline" : s.params().keySet().iterator().next();
            return new SearchStep(first, Role.GRID, null, null, "the family's baseline, swept as a grid sweep does");
        }
        return new SearchStep(String.join("+", differ), Role.GRID, null, null,
                "not searched (an unordered axis, a companion or a grid of unordered axes): swept as a grid sweep does");
    }

    static String clip(String reason) {
        return reason.length() <= SearchStep.MAX_REASON ? reason : reason.substring(0, SearchStep.MAX_REASON - 3) + "...";
    }

    /** {@code k} of {@code gaps} spread evenly over them (all of them when there are no more). */
    static List<Integer> spread(List<Integer> gaps, int k) {
        if (gaps.size() <= k) {
            return gaps;
        }
        List<Integer> out = new ArrayList<>();
        for (int j = 1; j <= k; j++) {
            int p = (int) ((long) j * (gaps.size() + 1) / (k + 1)) - 1;
            out.add(gaps.get(Math.max(0, Math.min(gaps.size() - 1, p))));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------------- lines

    private Result line(SearchPlan.Search s) {
        Walk w = new Walk(s, s.rows().get(0), "");
        w.run(Role.END, "an end of " + s.lineAxis() + "'s range" + (s.context().isEmpty() ? ""
                : " at " + s.contextText()) + ", the other axes at baseline");
        return new Result(s, List.of(new Finding("", w.boundaries())), w.nonMonotonic, w.why, count(s));
    }

    private int count(SearchPlan.Search s) {
        int n = 0;
        for (List<ProbeSpec> row : s.rows()) {
            for (ProbeSpec p : row) {
                n += known.containsKey(p) ? 1 : 0;
            }
        }
        return n;
    }

    /** One line's search state: the measured outcomes by position. */
    private final class Walk {
        final SearchPlan.Search search;
        final List<ProbeSpec> cells;
        final Outcome[] out;
        final String rowText;
        boolean nonMonotonic;
        String why;

        Walk(SearchPlan.Search search, List<ProbeSpec> cells, String rowText) {
            this.search = search;
            this.cells = cells;
            this.rowText = rowText;
            this.out = new Outcome[cells.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = known.get(cells.get(i));
            }
        }

        String label(int i) {
            return search.label(cells.get(i));
        }

        String value(int i) {
            return cells.get(i).text(search.lineAxis());
        }

        void measure(int i, Role role, Integer lo, Integer hi, String reason) {
            if (out[i] == null) {
                out[i] = BoundarySearch.this.measure(cells.get(i), new SearchStep(search.name(), role,
                        lo == null ? null : label(lo), hi == null ? null : label(hi), clip(reason)));
            }
        }

        void run(Role endRole, String endReason) {
            measure(0, endRole, null, null, endReason);
            measure(cells.size() - 1, endRole, null, null, endReason);
            bisect();
            verify();
        }

        void bisect() {
            while (true) {
                int prev = -1;
                boolean did = false;
                for (int i = 0; i < out.length && !did; i++) {
                    if (out[i] == null) {
                        continue;
                    }
                    if (prev >= 0 && i > prev + 1 && !out[prev].equals(out[i])) {
                        measure((prev + i) >>> 1, Role.BISECT, prev, i, "outcomes differ: " + label(prev) + " "
                                + out[prev] + ", " + label(i) + " " + out[i] + rowText);
                        did = true;
                    }
                    prev = i;
                }
                if (!did) {
                    return;
                }
            }
        }

        /** Maximal runs {first, last} of measured positions with one outcome. */
        List<int[]> runs() {
            List<int[]> runs = new ArrayList<>();
            int first = -1;
            int last = -1;
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) {
                    continue;
                }
                if (first >= 0 && out[i].equals(out[first])) {
                    last = i;
                } else {
                    if (first >= 0) {
                        runs.add(new int[] {first, last});
                    }
                    first = i;
                    last = i;
                }
            }
            if (first >= 0) {
                runs.add(new int[] {first, last});
            }
            return runs;
        }

        /** One check per run of equal outcomes; the first disagreement sweeps the line (see the class comment). */
        void verify() {
            for (int[] run : runs()) {
                List<Integer> gaps = new ArrayList<>();
                for (int i = run[0] + 1; i < run[1]; i++) {
                    if (out[i] == null) {
                        gaps.add(i);
                    }
                }
                Outcome expect = out[run[0]];
                for (int p : spread(gaps, verifyPerRun)) {
                    measure(p, Role.VERIFY, run[0], run[1], "checks that " + label(run[0]) + ".." + label(run[1])
                            + " is all " + expect + rowText);
                    if (!out[p].equals(expect)) {
                        disagree(label(p) + " gave " + out[p] + " between " + label(run[0]) + " and "
                                + label(run[1]) + " (" + expect + ")" + rowText);
                        // The truth is not monotonic here, so no inference along this line can be trusted: the
                        // checked interval first, then the rest of the line, value by value.
                        for (int q : gaps) {
                            measure(q, Role.GRID, run[0], run[1], "verify at " + label(p) + " gave " + out[p]
                                    + ", not " + expect + ": interval swept as a grid");
                        }
                        for (int q = 0; q < out.length; q++) {
                            measure(q, Role.GRID, 0, out.length - 1, "non-monotonic (" + label(p) + " gave "
                                    + out[p] + " inside " + expect + "): whole line swept as a grid");
                        }
                        return;
                    }
                }
            }
        }

        void disagree(String w) {
            nonMonotonic = true;
            if (why == null) {
                why = w;
            }
        }

        /** Each position's outcome, measured or inferred from its measured neighbours (which agree). */
        Outcome at(int i) {
            for (int j = i; j >= 0; j--) {
                if (out[j] != null) {
                    return out[j];
                }
            }
            throw new IllegalStateException("search of " + search.name() + " never measured its first value");
        }

        /** The walked axis' value → outcome, in order. */
        Map<String, Outcome> signature() {
            Map<String, Outcome> sig = new LinkedHashMap<>();
            for (int i = 0; i < out.length; i++) {
                sig.put(value(i), at(i));
            }
            return sig;
        }

        List<Boundary> boundaries() {
            return BoundarySearch.boundaries(signature());
        }
    }

    static List<Boundary> boundaries(Map<String, Outcome> signature) {
        List<Boundary> out = new ArrayList<>();
        String prev = null;
        Outcome prevOutcome = null;
        for (Map.Entry<String, Outcome> e : signature.entrySet()) {
            if (prevOutcome != null && !prevOutcome.equals(e.getValue())) {
                out.add(new Boundary(prev, prevOutcome, e.getKey(), e.getValue()));
            }
            prev = e.getKey();
            prevOutcome = e.getValue();
        }
        return out;
    }

    // -------------------------------------------------------------------------------------------------- 2-D grids

    /** A 2-D search's state: the lines searched, the outcomes of each line (searched, inferred or swept whole). */
    private final class Grid {
        final SearchPlan.Search s;
        final int m;
        final Walk[] walks;
        final List<Map<String, Outcome>> sig = new ArrayList<>();
        boolean nonMonotonic;
        String why;

        Grid(SearchPlan.Search s) {
            this.s = s;
            this.m = s.rows().size();
            this.walks = new Walk[m];
            for (int i = 0; i < m; i++) {
                sig.add(null);
            }
        }

        String rv(int r) {
            return s.rowValues().get(r);
        }

        String rowText(int r) {
            return " (" + s.rowAxis() + "=" + rv(r) + ")";
        }

        void search(int r, String reason) {
            Walk w = new Walk(s, s.rows().get(r), rowText(r));
            w.run(Role.EDGE, reason);
            walks[r] = w;
            sig.set(r, w.signature());
            if (w.nonMonotonic) {
                disagree(w.why);
            }
        }

        void disagree(String w) {
            nonMonotonic = true;
            if (why == null) {
                why = w;
            }
        }

        void run() {
            String ctx = s.context().isEmpty() ? "" : " at " + s.contextText();
            search(0, "edge of " + s.name() + ctx + ": first " + s.rowAxis() + " " + rv(0));
            search(m - 1, "edge of " + s.name() + ctx + ": last " + s.rowAxis() + " " + rv(m - 1));
            between(0, m - 1);
            if (nonMonotonic) {
                // As on a line: once the truth is known not to be monotonic, nothing in this grid is inferred.
                for (int r = 0; r < m; r++) {
                    Map<String, Outcome> full = new LinkedHashMap<>();
                    for (ProbeSpec p : s.rows().get(r)) {
                        String v = p.text(s.lineAxis());
                        full.put(v, BoundarySearch.this.measure(p, new SearchStep(s.name(), Role.GRID,
                                s.label(s.rows().get(0).get(0)), s.label(last(s.rows().get(m - 1))),
                                clip("non-monotonic (" + why + "): whole grid swept"))));
                    }
                    sig.set(r, full);
                }
            }
        }

        void between(int i, int j) {
            if (j <= i + 1) {
                return;
            }
            if (sig.get(i).equals(sig.get(j))) {
                verifyRows(i, j);
                return;
            }
            int mid = (i + j) >>> 1;
            search(mid, "edge of " + s.name() + " at " + s.rowAxis() + " " + rv(mid) + ": lines " + rv(i) + " and "
                    + rv(j) + " differ");
            between(i, mid);
            between(mid, j);
        }

        ProbeSpec cell(int r, String value) {
            for (ProbeSpec p : s.rows().get(r)) {
                if (p.text(s.lineAxis()).equals(value)) {
                    return p;
                }
            }
            return null;
        }

        String label(String lineValue, String rowValue) {
            String[] axes = s.name().split("\\+");
            return axes[0].equals(s.lineAxis()) ? lineValue + "+" + rowValue : rowValue + "+" + lineValue;
        }

        void verifyRows(int i, int j) {
            Map<String, Outcome> expect = sig.get(i);
            List<String> values = new ArrayList<>(expect.keySet());
            List<String> check = new ArrayList<>();
            List<Boundary> bs = boundaries(expect);
            for (Boundary b : bs) {
                check.add(b.below());
                check.add(b.above());
            }
            if (bs.isEmpty()) {
                check.add(values.get(values.size() / 2));
            }
            List<Integer> inner = new ArrayList<>();
            for (int r = i + 1; r < j; r++) {
                inner.add(r);
            }
            boolean agree = true;
            String w = null;
            for (int r : inner) {
                Set<String> mine = new HashSet<>();
                s.rows().get(r).forEach(p -> mine.add(p.text(s.lineAxis())));
                if (!mine.equals(expect.keySet())) {
                    agree = false; // other values than its neighbours: it cannot be inferred from them
                    w = s.rowAxis() + " " + rv(r) + " has other " + s.lineAxis() + " values than its neighbours";
                    break;
                }
            }
            if (agree) {
                outer:
                for (int r : spread(inner, verifyPerRun)) {
                    for (String v : check) {
                        ProbeSpec p = cell(r, v);
                        Outcome o = BoundarySearch.this.measure(p, new SearchStep(s.name(), Role.VERIFY,
                                label(v, rv(i)), label(v, rv(j)), clip("checks that " + s.lineAxis() + " " + v
                                        + " is " + expect.get(v) + " on every line from " + rv(i) + " to " + rv(j))));
                        if (!o.equals(expect.get(v))) {
                            agree = false;
                            w = label(v, rv(r)) + " gave " + o + " between lines " + rv(i) + " and " + rv(j) + " ("
                                    + expect.get(v) + ")";
                            disagree(w);
                            break outer;
                        }
                    }
                }
            }
            for (int r : inner) {
                if (agree) {
                    Map<String, Outcome> inferred = new LinkedHashMap<>(expect);
                    sig.set(r, inferred);
                    continue;
                }
                Map<String, Outcome> full = new LinkedHashMap<>();
                for (ProbeSpec p : s.rows().get(r)) {
                    String v = p.text(s.lineAxis());
                    full.put(v, BoundarySearch.this.measure(p, new SearchStep(s.name(), Role.GRID, label(v, rv(i)),
                            label(v, rv(j)), clip((w == null ? "" : w + ": ") + "lines swept as a grid"))));
                }
                sig.set(r, full);
            }
        }

        List<Finding> findings() {
            List<Finding> out = new ArrayList<>();
            int start = 0;
            for (int r = 1; r <= m; r++) {
                if (r == m || !sig.get(r).equals(sig.get(start))) {
                    out.add(new Finding(s.rowAxis() + "=" + rv(start) + (r - 1 == start ? "" : ".." + rv(r - 1)),
                            boundaries(sig.get(start))));
                    start = r;
                }
            }
            return out;
        }
    }

    private static ProbeSpec last(List<ProbeSpec> row) {
        return row.get(row.size() - 1);
    }

    private Result grid(SearchPlan.Search s) {
        Grid g = new Grid(s);
        g.run();
        return new Result(s, g.findings(), g.nonMonotonic, g.why, count(s));
    }
}
