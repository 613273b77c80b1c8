package dev.aneprobe.harness.search;

import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.SearchStep.Role;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The adaptive search of one family under one compute-units setting: pure, no I/O; every probe it needs comes from an
 * {@link Oracle} (a sweep's worker, or an in-process simulation), asked at most once per probe.
 *
 * <p><b>What may be inferred.</b> The cells of a search (a line's values; a 2-D search's value pairs) are partially
 * ordered: a cell is at most another when it is on every searched axis, component by component
 * ({@link SearchPlan.Search#atMost}). A cell that was not measured is inferred to have outcome {@code o} only when a
 * measured cell at most it and a measured cell at least it both have {@code o}. That is exact whenever each outcome's
 * cells are convex in the partial order — true of every limit on a component, on a product of components or on a
 * value ("kernel width > 13", "more than 4096 elements", "stride > 2") — and it never infers across values the order
 * does not compare ({@code 1x14} from {@code 13x13}, a rank-3 shape from a rank-4 one).
 *
 * <p><b>The search.</b> The family's baseline is measured first (every search at baseline passes through it). Then
 * each search measures the ends of its linear order, its own baseline cell (the searched axes at the family's
 * baseline: where a rule that lets only the usual value through shows) and every least and greatest cell (which
 * nothing can be inferred for). A 2-D search then bisects the two lines through its baseline cell. Then, while some
 * cell is undecided, the undecided cell whose outcome would decide the most others in the worse case
 * ({@link Role#BISECT}: on a line this is bisection between neighbours that differ).
 *
 * <p><b>Verification</b> (non-monotonic truth). Once every cell is measured or inferred, the inferred cells of each
 * outcome get {@link #checks} extra points ({@link #galloping}: spaced geometrically from both ends of the run in the
 * linear order, starting at the end that borders another outcome; more points for longer runs). The search is
 * flagged non-monotonic when a check disagrees, when three measured cells {@code a <= b <= c} have {@code a} and
 * {@code c} alike and {@code b} different, or when a cell lies between two pairs of measured cells with different
 * outcomes; then nothing in it is inferred any more and every cell is measured ({@link Role#GRID}, the reason naming
 * the disagreement). So a flagged search reports what the grid finds, and a boundary is never reported from a
 * search that skipped a disagreement.
 *
 * <p>A line whose cells all lie in a 2-D search (the kernel line at stride 1x1 inside kernel x stride) is not
 * searched on its own: its result is read off the 2-D search.
 */
public final class BoundarySearch {
    /** Runs one probe under the search's compute-units setting and says its outcome. */
    public interface Oracle {
        Outcome outcome(ProbeSpec probe, SearchStep step);
    }

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
     * @param nonMonotonic a disagreement was found, and the search was swept whole
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
    private final Map<ProbeSpec, Outcome> known = new HashMap<>();
    private ProbeSpec baseline;

    public BoundarySearch(Oracle oracle) {
        this.oracle = Objects.requireNonNull(oracle);
    }

    /**
     * How many inferred cells of one outcome are checked, out of {@code inferred}: 1 for up to 7, then one more each
     * time the count quadruples (2 for 8–31, 3 for 32–127, 4 for 128–511, 5 for 512–2047), so a longer run gets more
     * checks while the share it costs falls.
     */
    public static int checks(int inferred) {
        if (inferred <= 0) {
            return 0;
        }
        return 1 + Math.max(0, 30 - Integer.numberOfLeadingZeros(inferred)) / 2;
    }

    /** Measures the baseline, sweeps the family's rest as the grid does, then runs each search in order. */
    public FamilyResult run(SearchPlan plan) {
        baseline = plan.baseline();
        for (SearchPlan.Search s : plan.searches()) {
            if (s.rows().stream().anyMatch(r -> r.contains(plan.baseline()))) {
                measure(plan.baseline(), new SearchStep(s.name(), Role.END, null, null,
                        "the family's baseline, measured first: every search at baseline passes through it"));
                break;
            }
        }
        for (ProbeSpec s : plan.rest()) {
            measure(s, restStep(plan.baseline(), s));
        }
        // A line that lies inside a 2-D search (the kernel line at stride 1x1 in kernel x stride) is read off it:
        // the 2-D search decides each of its cells with more neighbours than the line alone has.
        List<SearchPlan.Search> searches = plan.searches();
        Map<SearchPlan.Search, SearchPlan.Search> within = new HashMap<>();
        for (SearchPlan.Search s : searches) {
            if (s.twoDimensional()) {
                continue;
            }
            for (SearchPlan.Search t : searches) {
                if (t.twoDimensional() && t.cellSet().containsAll(s.cellSet())) {
                    within.put(s, t);
                    break;
                }
            }
        }
        Map<SearchPlan.Search, Space> spaces = new HashMap<>();
        for (SearchPlan.Search s : searches) {
            if (!within.containsKey(s)) {
                Space space = new Space(s);
                space.run();
                spaces.put(s, space);
            }
        }
        List<Result> results = new ArrayList<>();
        for (SearchPlan.Search s : searches) {
            SearchPlan.Search t = within.get(s);
            results.add(t == null ? spaces.get(s).result() : spaces.get(t).readOff(s));
        }
        return new FamilyResult(plan.family(), results, plan.rest().size(), known.size());
    }

    /** Every probe measured so far and its outcome. */
    public Map<ProbeSpec, Outcome> measured() {
        return Collections.unmodifiableMap(known);
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
                "not searched (an unordered axis, a companion, or a line or grid a search would measure most of): swept as a"
                        + " grid sweep does");
    }

    static String clip(String reason) {
        return reason.length() <= SearchStep.MAX_REASON ? reason : reason.substring(0, SearchStep.MAX_REASON - 3) + "...";
    }

    /** {@code k} of {@code items} spread evenly over them (all of them when there are no more). */
    static <T> List<T> spread(List<T> items, int k) {
        if (items.size() <= k) {
            return items;
        }
        List<T> out = new ArrayList<>();
        for (int j = 1; j <= k; j++) {
            int p = (int) ((long) j * (items.size() + 1) / (k + 1)) - 1;
            out.add(items.get(Math.max(0, Math.min(items.size() - 1, p))));
        }
        return out;
    }

    /**
     * {@code k} of {@code items} (a run of inferred values in linear order), spaced geometrically from both ends in
     * turn: the 1st from the lower end, the 1st from the upper end, the 2nd, the 2nd from the upper, the 4th, the
     * 4th from the upper, the 8th ... A rule that turns back (a set of allowed factors, a window of sizes) usually does
     * so near where it turned, so the checks are densest there; taken from both ends, they cover each side of a
     * boundary.
     */
    static <T> List<T> galloping(List<T> items, int k) {
        if (items.size() <= k) {
            return items;
        }
        java.util.LinkedHashSet<Integer> at = new java.util.LinkedHashSet<>();
        int n = items.size();
        for (int step = 1; at.size() < k; step *= 2) {
            at.add(Math.min(n - 1, step - 1));
            if (at.size() < k) {
                at.add(Math.max(0, n - step));
            }
            if (step > n) {
                // Every geometric position is taken: fill in evenly (only when k is close to n).
                for (T t : spread(items, k)) {
                    if (at.size() < k) {
                        at.add(items.indexOf(t));
                    }
                }
                break;
            }
        }
        List<Integer> sorted = new ArrayList<>(at);
        Collections.sort(sorted);
        List<T> out = new ArrayList<>();
        sorted.forEach(i -> out.add(items.get(i)));
        return out;
    }

    private static <T> List<T> reversed(List<T> items) {
        List<T> r = new ArrayList<>(items);
        Collections.reverse(r);
        return r;
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

    /** Sets of cells as bit words, indexed by a search's linear order. */
    private static final class Bits {
        private Bits() {
        }

        static long[] of(int n) {
            return new long[(n + 63) >>> 6];
        }

        static void set(long[] b, int i) {
            b[i >>> 6] |= 1L << i;
        }

        static boolean get(long[] b, int i) {
            return (b[i >>> 6] & (1L << i)) != 0;
        }

        static boolean isEmpty(long[] a) {
            for (long w : a) {
                if (w != 0) {
                    return false;
                }
            }
            return true;
        }

        static boolean intersects(long[] a, long[] b) {
            for (int w = 0; w < a.length; w++) {
                if ((a[w] & b[w]) != 0) {
                    return true;
                }
            }
            return false;
        }

        /** |(a ∩ m) ∪ (b ∩ k)| */
        static int unionCount(long[] a, long[] m, long[] b, long[] k) {
            int n = 0;
            for (int w = 0; w < a.length; w++) {
                n += Long.bitCount((a[w] & m[w]) | (b[w] & k[w]));
            }
            return n;
        }

        /** The last set index of {@code a ∩ b} (linear order: the nearest below), or -1. */
        static int last(long[] a, long[] b) {
            for (int w = a.length - 1; w >= 0; w--) {
                long x = a[w] & b[w];
                if (x != 0) {
                    return (w << 6) + 63 - Long.numberOfLeadingZeros(x);
                }
            }
            return -1;
        }

        /** The first set index of {@code a ∩ b} (the nearest above), or -1. */
        static int first(long[] a, long[] b) {
            for (int w = 0; w < a.length; w++) {
                long x = a[w] & b[w];
                if (x != 0) {
                    return (w << 6) + Long.numberOfTrailingZeros(x);
                }
            }
            return -1;
        }
    }

    /** One search's cells in linear order, the partial order between them, and what is measured. */
    private final class Space {
        final SearchPlan.Search s;
        final List<ProbeSpec> cells;
        final int n;
        /** below[i]: the cells strictly at most cell i; above[i]: those strictly at least it. */
        final long[][] below;
        final long[][] above;
        final Outcome[] out;
        /** Measured cells per outcome, outcomes in the order first seen. */
        final Map<Outcome, long[]> byOutcome = new LinkedHashMap<>();
        final long[] measuredBits;
        boolean nonMonotonic;
        String why;

        Space(SearchPlan.Search s) {
            this.s = s;
            List<ProbeSpec> all = new ArrayList<>();
            s.rows().forEach(all::addAll);
            all.sort(s.linear());
            this.cells = List.copyOf(all);
            this.n = cells.size();
            this.below = new long[n][];
            this.above = new long[n][];
            for (int i = 0; i < n; i++) {
                below[i] = Bits.of(n);
                above[i] = Bits.of(n);
            }
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    // The linear order extends the partial one: a later cell is never below an earlier one.
                    if (s.atMost(cells.get(i), cells.get(j))) {
                        Bits.set(below[j], i);
                        Bits.set(above[i], j);
                    }
                }
            }
            this.out = new Outcome[n];
            this.measuredBits = Bits.of(n);
            for (int i = 0; i < n; i++) {
                Outcome o = known.get(cells.get(i));
                if (o != null) {
                    record(i, o);
                }
            }
        }

        void record(int i, Outcome o) {
            out[i] = o;
            Bits.set(measuredBits, i);
            Bits.set(byOutcome.computeIfAbsent(o, k -> Bits.of(n)), i);
        }

        String label(int i) {
            return s.label(cells.get(i));
        }

        String where() {
            return s.context().isEmpty() ? "" : " at " + s.contextText();
        }

        void measure(int i, Role role, int lo, int hi, String reason) {
            if (out[i] != null) {
                return;
            }
            // An interval has two ends or none (a cell with nothing measured on one side: the reason says so).
            boolean interval = lo >= 0 && hi >= 0;
            Outcome o = BoundarySearch.this.measure(cells.get(i), new SearchStep(s.name(), role,
                    interval ? label(lo) : null, interval ? label(hi) : null, clip(reason)));
            record(i, o);
        }

        /** The outcomes that both a measured cell at most {@code i} and one at least it have (besides {@code i}). */
        List<Outcome> sandwiching(int i) {
            List<Outcome> both = new ArrayList<>(1);
            byOutcome.forEach((o, m) -> {
                if (Bits.intersects(below[i], m) && Bits.intersects(above[i], m)) {
                    both.add(o);
                }
            });
            return both;
        }

        /** A disagreement among what is measured (see the class comment), or null. */
        String contradiction() {
            for (int i = 0; i < n; i++) {
                List<Outcome> both = sandwiching(i);
                if (out[i] != null) {
                    for (Outcome o : both) {
                        if (!o.equals(out[i])) {
                            return label(i) + " gave " + out[i] + " between " + label(witnessBelow(i, o)) + " and "
                                    + label(witnessAbove(i, o)) + " (" + o + ")";
                        }
                    }
                } else if (both.size() > 1) {
                    return label(i) + " lies between " + label(witnessBelow(i, both.get(0))) + " and "
                            + label(witnessAbove(i, both.get(0))) + " (" + both.get(0) + ") and between "
                            + label(witnessBelow(i, both.get(1))) + " and " + label(witnessAbove(i, both.get(1)))
                            + " (" + both.get(1) + ")";
                }
            }
            return null;
        }

        int witnessBelow(int i, Outcome o) {
            return Bits.last(below[i], byOutcome.get(o));
        }

        int witnessAbove(int i, Outcome o) {
            return Bits.first(above[i], byOutcome.get(o));
        }

        void run() {
            String ctx = where();
            Role endRole = s.twoDimensional() ? Role.EDGE : Role.END;
            String range = s.twoDimensional() ? "a corner of the grid " + s.name() : "an end of " + s.lineAxis()
                    + "'s range";
            measure(0, endRole, -1, -1, range + ctx + ", the other axes at baseline");
            measure(n - 1, endRole, -1, -1, range + ctx + ", the other axes at baseline");
            int anchor = cells.indexOf(anchor());
            if (anchor >= 0) {
                measure(anchor, endRole, -1, -1, "the baseline value of " + s.name() + ctx + ": the value most"
                        + " expected to run, where a rule that lets only it through shows");
            }
            for (int i = 0; i < n; i++) {
                if (Bits.isEmpty(below[i]) || Bits.isEmpty(above[i])) {
                    boolean least = Bits.isEmpty(below[i]);
                    measure(i, endRole, -1, -1, (least ? "a least" : "a greatest") + " value of "
                            + s.name() + ctx + " (nothing " + (least ? "below" : "above")
                            + " it to infer from), the other axes at baseline");
                }
            }
            if (!settled()) {
                if (s.twoDimensional() && anchor >= 0) {
                    // The two lines through the baseline cell first, each bisected as a line: along them the limits
                    // of each axis show with few probes, and most of the grid then lies above or below what they
                    // found (the greedy choice over the whole grid alone keeps splitting its middle).
                    bisect(through(anchor, s.rowAxis()));
                    if (!nonMonotonic) {
                        bisect(through(anchor, s.lineAxis()));
                    }
                }
                if (!nonMonotonic) {
                    long[] all = Bits.of(n);
                    for (int i = 0; i < n; i++) {
                        Bits.set(all, i);
                    }
                    bisect(all);
                }
            }
            if (!nonMonotonic) {
                verify();
            }
            if (nonMonotonic) {
                for (int i = 0; i < n; i++) {
                    measure(i, Role.GRID, 0, n - 1, "non-monotonic (" + why + "): whole search swept as a grid");
                }
            }
        }

        Result result() {
            return readOff(s);
        }

        /** What this search found along {@code line}: itself, or a line whose cells all lie in it. */
        Result readOff(SearchPlan.Search line) {
            return new Result(line, findings(line), nonMonotonic, why, measuredCount(line));
        }

        /** The cells that share {@code axis}' value with cell {@code i}: the line through it along the other axis. */
        long[] through(int i, String axis) {
            long[] line = Bits.of(n);
            String v = cells.get(i).text(axis);
            for (int j = 0; j < n; j++) {
                if (cells.get(j).text(axis).equals(v)) {
                    Bits.set(line, j);
                }
            }
            return line;
        }

        /**
         * The cell with the searched axes at the family's baseline and the rest as the search holds them, or null when
         * the search has none (a grid whose values leave the baseline out).
         */
        ProbeSpec anchor() {
            for (ProbeSpec c : cells) {
                if (c.text(s.lineAxis()).equals(baseline.text(s.lineAxis()))
                        && (s.rowAxis() == null || c.text(s.rowAxis()).equals(baseline.text(s.rowAxis())))) {
                    return c;
                }
            }
            return null;
        }

        /** Checks for a contradiction; true (and flagged) when there is one. */
        boolean settled() {
            String c = contradiction();
            if (c != null) {
                disagree(c);
                return true;
            }
            return false;
        }

        void disagree(String w) {
            nonMonotonic = true;
            if (why == null) {
                why = w;
            }
        }

        /** Measures undecided cells, each time the one that decides the most others in the worse case. */
        void bisect(long[] among) {
            while (true) {
                long[] undecided = Bits.of(n);
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (Bits.get(among, i) && out[i] == null && sandwiching(i).isEmpty()) {
                        Bits.set(undecided, i);
                        count++;
                    }
                }
                if (count == 0) {
                    return;
                }
                // Per outcome: the undecided cells that a measured cell of that outcome lies below / above.
                List<long[]> lowHas = new ArrayList<>();
                List<long[]> highHas = new ArrayList<>();
                for (long[] m : byOutcome.values()) {
                    long[] lo = Bits.of(n);
                    long[] hi = Bits.of(n);
                    for (int x = 0; x < n; x++) {
                        if (Bits.get(undecided, x)) {
                            if (Bits.intersects(below[x], m)) {
                                Bits.set(lo, x);
                            }
                            if (Bits.intersects(above[x], m)) {
                                Bits.set(hi, x);
                            }
                        }
                    }
                    lowHas.add(lo);
                    highHas.add(hi);
                }
                int best = -1;
                int bestScore = -1;
                for (int c = 0; c < n; c++) {
                    if (!Bits.get(undecided, c)) {
                        continue;
                    }
                    int worst = Integer.MAX_VALUE;
                    for (int k = 0; k < lowHas.size(); k++) {
                        // Were c to have this outcome, the cells below it with that outcome below them, and those
                        // above it with that outcome above them, would be decided too.
                        worst = Math.min(worst, 1 + Bits.unionCount(below[c], lowHas.get(k), above[c],
                                highHas.get(k)));
                    }
                    if (worst > bestScore) {
                        best = c;
                        bestScore = worst;
                    }
                }
                int lo = Bits.last(below[best], measuredBits);
                int hi = Bits.first(above[best], measuredBits);
                String reason = "undecided: " + (lo < 0 ? "nothing measured below it" : label(lo) + " gave " + out[lo])
                        + ", " + (hi < 0 ? "nothing measured above it" : label(hi) + " gave " + out[hi]) + "; decides "
                        + "at least " + bestScore + " of the " + count + " undecided values" + where();
                measure(best, Role.BISECT, lo, hi, reason);
                if (settled()) {
                    return;
                }
            }
        }

        /** {@link #checks} points per outcome over its inferred cells; the first disagreement flags the search. */
        void verify() {
            Map<Outcome, List<Integer>> inferred = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                if (out[i] == null) {
                    inferred.computeIfAbsent(sandwiching(i).get(0), k -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<Outcome, List<Integer>> e : inferred.entrySet()) {
                Outcome expect = e.getKey();
                List<Integer> run = e.getValue();
                // Gallop from the end of the run that borders another outcome: where a rule that turns back turns.
                List<Integer> from = bordersBelow(run.get(0), expect) || !bordersAbove(run.get(run.size() - 1),
                        expect) ? run : reversed(run);
                for (int p : galloping(from, checks(run.size()))) {
                    int lo = witnessBelow(p, expect);
                    int hi = witnessAbove(p, expect);
                    measure(p, Role.VERIFY, lo, hi, "checks that " + label(p) + " is " + expect + " like "
                            + label(lo) + " and " + label(hi) + where());
                    if (!out[p].equals(expect)) {
                        disagree(label(p) + " gave " + out[p] + " between " + label(lo) + " and " + label(hi) + " ("
                                + expect + ")");
                        return;
                    }
                }
            }
        }

        /** Whether the nearest measured cell before {@code i} in the linear order has another outcome. */
        boolean bordersBelow(int i, Outcome o) {
            for (int j = i - 1; j >= 0; j--) {
                if (out[j] != null) {
                    return !out[j].equals(o);
                }
            }
            return false;
        }

        /** Whether the nearest measured cell after {@code i} in the linear order has another outcome. */
        boolean bordersAbove(int i, Outcome o) {
            for (int j = i + 1; j < n; j++) {
                if (out[j] != null) {
                    return !out[j].equals(o);
                }
            }
            return false;
        }

        /** A cell's outcome: measured, or the one its measured neighbours in the partial order share. */
        Outcome at(int i) {
            if (out[i] != null) {
                return out[i];
            }
            List<Outcome> both = sandwiching(i);
            if (both.size() != 1) {
                throw new IllegalStateException("search " + s.name() + " left " + label(i) + " undecided");
            }
            return both.get(0);
        }

        int measuredCount(SearchPlan.Search line) {
            int m = 0;
            for (ProbeSpec p : line.cellSet()) {
                m += known.containsKey(p) ? 1 : 0;
            }
            return m;
        }

        /** The boundaries along the walked axis, line by line; consecutive lines that share them make one finding. */
        List<Finding> findings(SearchPlan.Search line) {
            Map<ProbeSpec, Integer> index = new HashMap<>();
            for (int i = 0; i < n; i++) {
                index.put(cells.get(i), i);
            }
            List<Map<String, Outcome>> sigs = new ArrayList<>();
            for (List<ProbeSpec> row : line.rows()) {
                Map<String, Outcome> sig = new LinkedHashMap<>();
                for (ProbeSpec p : row) {
                    sig.put(p.text(line.lineAxis()), at(index.get(p)));
                }
                sigs.add(sig);
            }
            if (!line.twoDimensional()) {
                return List.of(new Finding("", boundaries(sigs.get(0))));
            }
            List<Finding> found = new ArrayList<>();
            List<String> rv = line.rowValues();
            int start = 0;
            for (int r = 1; r <= sigs.size(); r++) {
                if (r == sigs.size() || !sigs.get(r).equals(sigs.get(start))) {
                    found.add(new Finding(line.rowAxis() + "=" + rv.get(start) + (r - 1 == start ? "" : ".."
                            + rv.get(r - 1)), boundaries(sigs.get(start))));
                    start = r;
                }
            }
            return found;
        }
    }
}
