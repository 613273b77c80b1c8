package dev.aneprobe.harness.search;

import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.AxisKind;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an adaptive sweep of one family searches, cut out of the grid sweep's own probes (the {@code universe}: what
 * {@code generate} would write for the same profile, families and {@code --param}s), so that every probe a search
 * picks is a grid probe.
 *
 * <ul>
 *   <li>each ordered axis ({@link ValueOrder#ordered}) alone: a line through the probes with every other axis at
 *       baseline, in the axis' {@link ValueOrder};</li>
 *   <li>each declared grid, per combination of its unordered axes (a grid "type × kernel × stride" is a 2-D search of
 *       kernel × stride per pooling type): a line when it has one ordered axis, a 2-D search over its first two
 *       ordered axes otherwise (a third ordered axis, which no family declares today, is held fixed per value like an
 *       unordered one); a grid with no ordered axis is swept whole;</li>
 *   <li>the {@link #rest} — the baseline, the unordered axes' values, companion combinations, grids without an
 *       ordered axis and the lines and grids not worth searching ({@link Unsearched}) — is swept as the grid sweeps
 *       it.</li>
 * </ul>
 * A search whose probes are exactly those of an earlier one (the pooling kernel line and the kernel × pad search at
 * pad=valid) is kept once.
 */
public final class SearchPlan {
    /**
     * One search.
     *
     * @param name the axis as named in the probe's params, or a 2-D grid's two axes joined by '+' in declared order
     * @param context the values held fixed that are not the baseline (unordered axes of a grid), in axis order
     * @param lineAxis the axis each line walks
     * @param rowAxis a 2-D search's other axis (null for a line)
     * @param rows the lines: one for a 1-D search; for a 2-D one, a line per value of {@code rowAxis} in its order
     * @param rowValues the row axis' value of each line (empty for a line)
     * @param lineKind the kind of {@code lineAxis}, which gives its orders ({@link ValueOrder})
     * @param rowKind the kind of {@code rowAxis} (null for a line)
     */
    public record Search(String name, Map<String, String> context, String lineAxis, String rowAxis,
            List<List<ProbeSpec>> rows, List<String> rowValues, AxisKind lineKind, AxisKind rowKind) {
        public boolean twoDimensional() {
            return rowAxis != null;
        }

        /** Whether cell {@code a} is at most {@code b} on every searched axis (the partial order inference uses). */
        public boolean atMost(ProbeSpec a, ProbeSpec b) {
            return ValueOrder.atMost(lineKind, a.text(lineAxis), b.text(lineAxis))
                    && (rowAxis == null || ValueOrder.atMost(rowKind, a.text(rowAxis), b.text(rowAxis)));
        }

        /** A linear order of the cells that extends {@link #atMost}: by the line axis, then the row axis. */
        public Comparator<ProbeSpec> linear() {
            Comparator<String> line = ValueOrder.of(lineKind);
            Comparator<ProbeSpec> c = (x, y) -> line.compare(x.text(lineAxis), y.text(lineAxis));
            if (rowAxis == null) {
                return c;
            }
            Comparator<String> row = ValueOrder.of(rowKind);
            return c.thenComparing((x, y) -> row.compare(x.text(rowAxis), y.text(rowAxis)));
        }

        public int cells() {
            return rows.stream().mapToInt(List::size).sum();
        }

        /** Every cell, in no particular order. */
        public Set<ProbeSpec> cellSet() {
            Set<ProbeSpec> all = new HashSet<>();
            rows.forEach(all::addAll);
            return all;
        }

        /** A cell as a search step writes it: the line axis' value, or both grid values joined by '+'. */
        public String label(ProbeSpec cell) {
            if (rowAxis == null) {
                return cell.text(lineAxis);
            }
            String[] axes = name.split("\\+");
            return cell.text(axes[0]) + "+" + cell.text(axes[1]);
        }

        /** "type=max" (the fixed values), or "" for a search at baseline. */
        public String contextText() {
            List<String> parts = new ArrayList<>();
            context.forEach((k, v) -> parts.add(k + "=" + v));
            return String.join(",", parts);
        }
    }

    private final String family;
    private final ProbeSpec baseline;
    private final List<Search> searches;
    private final List<ProbeSpec> rest;
    private final List<String> unordered;

    private final List<Unsearched> unsearched;

    private SearchPlan(String family, ProbeSpec baseline, List<Search> searches, List<ProbeSpec> rest,
            List<String> unordered, List<Unsearched> unsearched) {
        this.unsearched = List.copyOf(unsearched);
        this.family = family;
        this.baseline = baseline;
        this.searches = List.copyOf(searches);
        this.rest = List.copyOf(rest);
        this.unordered = List.copyOf(unordered);
    }

    /**
     * @param family the family's declaration (axes, kinds, baselines, grids)
     * @param profile the profile whose grids are declared
     * @param universe the family's grid probes, in generation order
     */
    public static SearchPlan of(ProbeFamily family, Profile profile, List<ProbeSpec> universe) {
        ProbeSpec base = family.baseline();
        List<Search> searches = new ArrayList<>();
        List<Unsearched> unsearched = new ArrayList<>();
        Set<Set<ProbeSpec>> seen = new HashSet<>();
        for (Axis a : family.axes()) {
            if (ValueOrder.ordered(a)) {
                add(searches, unsearched, seen, line(a.name(), a.name(), Map.of(), cells(universe, base, Set.of(a.name()),
                        Map.of()), family));
            }
        }
        for (List<String> grid : family.grids(profile)) {
            List<String> ordered = grid.stream().filter(n -> ValueOrder.ordered(family.axis(n))).toList();
            if (ordered.isEmpty()) {
                continue;
            }
            List<String> searched = ordered.subList(0, Math.min(2, ordered.size()));
            List<String> fixed = grid.stream().filter(n -> !searched.contains(n)).toList();
            Set<String> free = new LinkedHashSet<>(grid);
            for (Map<String, String> combo : combinations(universe, base, free, fixed)) {
                List<ProbeSpec> cells = cells(universe, base, new HashSet<>(searched), combo);
                if (searched.size() == 1) {
                    add(searches, unsearched, seen, line(searched.get(0), searched.get(0), nonBaseline(combo, base), cells,
                            family));
                } else {
                    add(searches, unsearched, seen, grid2(searched.get(0) + "+" + searched.get(1), searched.get(0),
                            searched.get(1), nonBaseline(combo, base), cells, family));
                }
            }
        }
        Set<ProbeSpec> covered = new HashSet<>();
        searches.forEach(s -> s.rows().forEach(covered::addAll));
        List<ProbeSpec> rest = universe.stream().filter(s -> !covered.contains(s)).toList();
        List<String> unordered = family.axes().stream().filter(a -> !ValueOrder.ordered(a))
                .map(Axis::name).toList();
        return new SearchPlan(family.name(), base, searches, rest, unordered, unsearched);
    }

    /**
     * An ordered line or grid left to the grid sweep because searching it would not pay: at least a quarter of its
     * cells are least or greatest in the partial order, and those are measured by any search (nothing can be inferred
     * for them). A chain of fewer than 8 values, or a shape axis whose shapes each test another dimension, is one.
     *
     * @param name as {@link Search#name}
     * @param context as {@link Search#contextText}
     * @param cells its probes
     * @param extremes how many of them are least or greatest
     */
    public record Unsearched(String name, String context, List<ProbeSpec> cells, int extremes) {
        @Override
        public String toString() {
            return name + (context.isEmpty() ? "" : " at " + context) + " (" + extremes + " of " + cells.size()
                    + " values least or greatest)";
        }
    }

    /** A search runs when at most this share of its cells (1 in N) are least or greatest. */
    public static final int EXTREMES_AT_MOST_ONE_IN = 4;

    private static void add(List<Search> searches, List<Unsearched> unsearched, Set<Set<ProbeSpec>> seen, Search s) {
        if (s == null || s.cells() < 2) {
            return;
        }
        Set<ProbeSpec> key = new HashSet<>();
        s.rows().forEach(key::addAll);
        if (!seen.add(key)) {
            return;
        }
        int extremes = extremes(s, new ArrayList<>(key));
        if ((long) extremes * EXTREMES_AT_MOST_ONE_IN <= s.cells()) {
            searches.add(s);
        } else {
            List<ProbeSpec> cells = new ArrayList<>();
            s.rows().forEach(cells::addAll);
            unsearched.add(new Unsearched(s.name(), s.contextText(), List.copyOf(cells), extremes));
        }
    }

    /** The cells with no other cell below them, or none above them, in the search's partial order. */
    static int extremes(Search s, List<ProbeSpec> cells) {
        int n = 0;
        for (ProbeSpec x : cells) {
            boolean least = true;
            boolean greatest = true;
            for (ProbeSpec y : cells) {
                if (y != x) {
                    least &= !s.atMost(y, x);
                    greatest &= !s.atMost(x, y);
                }
            }
            n += least || greatest ? 1 : 0;
        }
        return n;
    }

    /** The universe's probes that vary only on {@code free} axes and hold {@code fixed}, every other at baseline. */
    private static List<ProbeSpec> cells(List<ProbeSpec> universe, ProbeSpec base, Set<String> free,
            Map<String, String> fixed) {
        List<ProbeSpec> out = new ArrayList<>();
        for (ProbeSpec s : universe) {
            boolean in = true;
            for (Map.Entry<String, String> e : s.params().entrySet()) {
                String k = e.getKey();
                String want = fixed.containsKey(k) ? fixed.get(k) : base.text(k);
                if (!free.contains(k) && !e.getValue().equals(want)) {
                    in = false;
                    break;
                }
            }
            if (in) {
                out.add(s);
            }
        }
        return out;
    }

    /** The combinations of the {@code fixed} axes' values the universe holds on a grid's probes. */
    private static List<Map<String, String>> combinations(List<ProbeSpec> universe, ProbeSpec base, Set<String> grid,
            List<String> fixed) {
        Set<Map<String, String>> out = new LinkedHashSet<>();
        for (ProbeSpec s : cells(universe, base, grid, Map.of())) {
            Map<String, String> combo = new LinkedHashMap<>();
            fixed.forEach(n -> combo.put(n, s.text(n)));
            out.add(combo);
        }
        return new ArrayList<>(out);
    }

    private static Map<String, String> nonBaseline(Map<String, String> combo, ProbeSpec base) {
        Map<String, String> out = new LinkedHashMap<>();
        combo.forEach((k, v) -> {
            if (!v.equals(base.text(k))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Comparator<ProbeSpec> along(ProbeFamily family, String axis) {
        Comparator<String> c = ValueOrder.of(family.axis(axis).kind());
        return (x, y) -> c.compare(x.text(axis), y.text(axis));
    }

    private static Search line(String name, String axis, Map<String, String> context, List<ProbeSpec> cells,
            ProbeFamily family) {
        List<ProbeSpec> sorted = new ArrayList<>(cells);
        sorted.sort(along(family, axis));
        return new Search(name, context, axis, null, List.of(List.copyOf(sorted)), List.of(),
                family.axis(axis).kind(), null);
    }

    /** A 2-D search: the axis with more values is walked by each line, the other picks the lines. */
    private static Search grid2(String name, String first, String second, Map<String, String> context,
            List<ProbeSpec> cells, ProbeFamily family) {
        Set<String> firstValues = new HashSet<>();
        Set<String> secondValues = new HashSet<>();
        cells.forEach(s -> {
            firstValues.add(s.text(first));
            secondValues.add(s.text(second));
        });
        String lineAxis = firstValues.size() >= secondValues.size() ? first : second;
        String rowAxis = lineAxis.equals(first) ? second : first;
        TreeSet<String> rowValues = new TreeSet<>(ValueOrder.of(family.axis(rowAxis).kind()));
        rowValues.addAll(lineAxis.equals(first) ? secondValues : firstValues);
        if (rowValues.size() < 2) {
            return line(lineAxis, lineAxis, context, cells, family);
        }
        List<List<ProbeSpec>> rows = new ArrayList<>();
        for (String r : rowValues) {
            List<ProbeSpec> row = new ArrayList<>(cells.stream().filter(s -> s.text(rowAxis).equals(r)).toList());
            row.sort(along(family, lineAxis));
            rows.add(List.copyOf(row));
        }
        return new Search(name, context, lineAxis, rowAxis, rows, List.copyOf(rowValues),
                family.axis(lineAxis).kind(), family.axis(rowAxis).kind());
    }

    public String family() {
        return family;
    }

    public ProbeSpec baseline() {
        return baseline;
    }

    public List<Search> searches() {
        return searches;
    }

    /** The probes no search covers, swept as the grid sweeps them. */
    public List<ProbeSpec> rest() {
        return rest;
    }

    /** The ordered lines and grids not worth searching, swept as the grid sweeps them (said once per family). */
    public List<Unsearched> unsearched() {
        return unsearched;
    }

    /** The family's unordered axes (said once per family: they are swept as the grid sweeps them). */
    public List<String> unordered() {
        return unordered;
    }
}
