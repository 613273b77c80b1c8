package dev.aneprobe.harness.bench;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.search.BoundarySearch;
import dev.aneprobe.harness.search.Outcome;
import dev.aneprobe.harness.search.SearchPlan;
import dev.aneprobe.harness.simulate.DeviceModel;
import dev.aneprobe.harness.simulate.ModelFacts;
import dev.aneprobe.harness.simulate.SimulatedOracle;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Benchmark of {@code sweep --adaptive} against the grid on the shipped simulated device models (calibration, never
 * evidence): for each profile and device model, every family's searches run per Neural-Engine setting (ane, all)
 * against {@link SimulatedOracle} — the simulated Core ML's decision on the generated model bytes and the verdict
 * judge, in process — and the grid's outcome of every probe the searches cover is computed too, to check each
 * reported boundary (and each inferred value) against it. Lines are counted as a sweep runs them: a probe's cpu and
 * gpu baselines once, plus each searched setting it was measured under. Forecast Mac wall time: Core ML's time per
 * line as the device model gives it (compile on a probe's first line), hung lines at the 120 s timeout, plus the
 * harness's own 18 ms per line (README: measured on simulated sweeps of the standard profile).
 *
 * <p>Usage: {@code AdaptiveBench [models=seed-v1,seed-v2,field-notes,contrarian] [profiles=full,standard]
 * [families=all]}; every boundary that differs from the grid's is named on stderr, and with
 * {@code -Daneprobe.bench.costs=true} each search's cells and measured probes too.
 */
public final class AdaptiveBench {
    static final double HARNESS_MS_PER_LINE = 18;
    /** A sweep's defaults: what the forecast counts and what the verdicts are judged on. */
    static final int WARMUP = 5;
    static final int ITERATIONS = 50;
    static final double TIMEOUT_MS = 120_000;
    static final List<ComputeUnits> SEARCHED = List.of(ComputeUnits.ANE, ComputeUnits.ALL);
    static final List<ComputeUnits> ALL_UNITS = List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE,
            ComputeUnits.ALL);

    /** Per family and device model. */
    static final class Tally {
        int gridProbes;
        int gridLines;
        int adaptiveLines;
        int searchedGridLines;
        int searchedAdaptiveLines;
        int orderedGridLines;
        int orderedAdaptiveLines;
        int findings;
        int findingsIdentical;
        int nonMonotonicLines;
        int nonMonotonicFlagged;
        int nonMonotonicMissed;
        double gridMs;
        double adaptiveMs;

        void add(Tally t) {
            gridProbes += t.gridProbes;
            gridLines += t.gridLines;
            adaptiveLines += t.adaptiveLines;
            searchedGridLines += t.searchedGridLines;
            searchedAdaptiveLines += t.searchedAdaptiveLines;
            orderedGridLines += t.orderedGridLines;
            orderedAdaptiveLines += t.orderedAdaptiveLines;
            findings += t.findings;
            findingsIdentical += t.findingsIdentical;
            nonMonotonicLines += t.nonMonotonicLines;
            nonMonotonicFlagged += t.nonMonotonicFlagged;
            nonMonotonicMissed += t.nonMonotonicMissed;
            gridMs += t.gridMs;
            adaptiveMs += t.adaptiveMs;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> models = args.length > 0 ? List.of(args[0].split(",")) : DeviceModel.SHIPPED;
        List<String> profiles = args.length > 1 ? List.of(args[1].split(",")) : List.of("full", "standard");
        List<String> families = args.length > 2 ? List.of(args[2].split(",")) : List.of();
        Path work = Files.createTempDirectory("aneprobe-adaptive-bench");
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        Map<String, ModelFacts> facts = new HashMap<>();
        for (String profileName : profiles) {
            Profile profile = Profile.parse(profileName);
            Map<String, List<ProbeSpec>> universe = new LinkedHashMap<>();
            for (ProbeSpec s : generator.plan(new GenerationRequest(profile, families, List.of(), work, false))) {
                universe.computeIfAbsent(s.family(), k -> new ArrayList<>()).add(s);
            }
            Map<String, Map<String, Tally>> byFamily = new LinkedHashMap<>();
            Map<String, Tally> byModel = new LinkedHashMap<>();
            for (String model : models) {
                long t0 = System.nanoTime();
                SimulatedOracle oracle = new SimulatedOracle(DeviceModel.shipped(model), work, WARMUP, ITERATIONS, facts);
                Tally total = new Tally();
                for (Map.Entry<String, List<ProbeSpec>> e : universe.entrySet()) {
                    Tally t = family(catalog, profile, e.getValue(), oracle);
                    byFamily.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(model, t);
                    total.add(t);
                }
                byModel.put(model, total);
                System.err.printf(Locale.ROOT, "%s %s: %.0f s%n", profileName, model, (System.nanoTime() - t0) / 1e9);
            }
            print(profileName, byModel, byFamily, models);
        }
    }

    static Tally family(Catalog catalog, Profile profile, List<ProbeSpec> universe, SimulatedOracle oracle) {
        SearchPlan plan = SearchPlan.of(catalog.family(universe.get(0).family()), profile, universe);
        Set<ProbeSpec> covered = new HashSet<>();
        plan.searches().forEach(s -> s.rows().forEach(covered::addAll));
        Set<ProbeSpec> ordered = new HashSet<>(covered);
        plan.unsearched().forEach(x -> ordered.addAll(x.cells()));
        Tally t = new Tally();
        t.orderedGridLines = ordered.size() * ALL_UNITS.size();
        t.gridProbes = universe.size();
        t.gridLines = universe.size() * ALL_UNITS.size();
        t.searchedGridLines = covered.size() * ALL_UNITS.size();
        Map<ComputeUnits, Set<ProbeSpec>> measured = new EnumMap<>(ComputeUnits.class);
        for (ComputeUnits u : SEARCHED) {
            BoundarySearch engine = new BoundarySearch((spec, step) -> oracle.outcome(spec, u));
            BoundarySearch.FamilyResult r = engine.run(plan);
            measured.put(u, new HashSet<>(engine.measured().keySet()));
            for (BoundarySearch.Result s : r.searches()) {
                check(s, u, oracle, engine.measured(), t);
            }
        }
        Set<ProbeSpec> probes = new HashSet<>();
        measured.values().forEach(probes::addAll);
        for (ProbeSpec p : universe) {
            boolean first = true;
            for (ComputeUnits u : ALL_UNITS) {
                SimulatedOracle.LineCost c = oracle.cost(p, u, first);
                double ms = (c.hung() ? TIMEOUT_MS : c.coreMlMs()) + HARNESS_MS_PER_LINE;
                t.gridMs += ms;
                boolean ran = probes.contains(p) && (!SEARCHED.contains(u) || measured.get(u).contains(p));
                if (ran) {
                    t.adaptiveLines++;
                    t.adaptiveMs += ms;
                    t.searchedAdaptiveLines += covered.contains(p) ? 1 : 0;
                    t.orderedAdaptiveLines += ordered.contains(p) ? 1 : 0;
                }
                first = false;
            }
        }
        return t;
    }

    /** Each reported boundary list against the grid's, row by row; each inferred value against its grid outcome. */
    static void check(BoundarySearch.Result s, ComputeUnits u, SimulatedOracle oracle, Map<ProbeSpec, Outcome> known,
            Tally t) {
        SearchPlan.Search search = s.search();
        if (Boolean.getBoolean("aneprobe.bench.costs")) {
            System.err.println("COST " + u.label() + "\t" + search.rows().get(0).get(0).family() + "\t" + search.name()
                    + "\t" + search.contextText() + "\t" + search.cells() + "\t" + s.measured()
                    + (s.nonMonotonic() ? "\tflagged" : ""));
        }
        List<ProbeSpec> all = new ArrayList<>();
        search.rows().forEach(all::addAll);
        if (search.twoDimensional() && !s.nonMonotonic() && !convex(all, search, c -> oracle.outcome(c, u))) {
            System.err.println("MISSED " + u.label() + " " + all.get(0).family() + " " + search.name() + " "
                    + search.contextText() + ": the grid's truth is not monotonic and the search did not flag it");
        }
        for (int row = 0; row < search.rows().size(); row++) {
            Map<String, Outcome> truth = new LinkedHashMap<>();
            for (ProbeSpec c : search.rows().get(row)) {
                truth.put(c.text(search.lineAxis()), oracle.outcome(c, u));
            }
            BoundarySearch.Finding f = finding(s, row);
            List<BoundarySearch.Boundary> want = boundaries(truth);
            t.findings++;
            t.findingsIdentical += want.equals(f.boundaries()) ? 1 : 0;
            if (!want.equals(f.boundaries())) {
                System.err.println("DIFFERS " + u.label() + " " + search.rows().get(row).get(0).family() + " "
                        + search.name() + " " + search.contextText() + (search.twoDimensional() ? " "
                        + search.rowAxis() + "=" + search.rowValues().get(row) : "") + ": grid " + want + ", found "
                        + f.boundaries() + (s.nonMonotonic() ? " (flagged)" : ""));
            }
            boolean nonMonotonic = !convex(search.rows().get(row), search, c -> oracle.outcome(c, u));
            t.nonMonotonicLines += nonMonotonic ? 1 : 0;
            t.nonMonotonicFlagged += nonMonotonic && s.nonMonotonic() ? 1 : 0;
            t.nonMonotonicMissed += nonMonotonic && !s.nonMonotonic() ? 1 : 0;
        }
    }

    /**
     * Whether each outcome's cells are convex in the search's partial order (no {@code a <= b <= c} with {@code a}
     * and {@code c} alike and {@code b} different): the truth the search's inference is exact for. Lines whose truth
     * is not are the non-monotonic ones a search must flag.
     */
    static boolean convex(List<ProbeSpec> cells, SearchPlan.Search search,
            java.util.function.Function<ProbeSpec, Outcome> truth) {
        int n = cells.size();
        Outcome[] o = new Outcome[n];
        for (int i = 0; i < n; i++) {
            o[i] = truth.apply(cells.get(i));
        }
        for (int b = 0; b < n; b++) {
            for (int a = 0; a < n; a++) {
                if (a == b || !o[a].equals(o[a]) || o[a].equals(o[b]) || !search.atMost(cells.get(a), cells.get(b))) {
                    continue;
                }
                for (int c = 0; c < n; c++) {
                    if (c != b && o[c].equals(o[a]) && search.atMost(cells.get(b), cells.get(c))) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    static List<BoundarySearch.Boundary> boundaries(Map<String, Outcome> sig) {
        List<BoundarySearch.Boundary> out = new ArrayList<>();
        String prev = null;
        Outcome po = null;
        for (Map.Entry<String, Outcome> e : sig.entrySet()) {
            if (po != null && !po.equals(e.getValue())) {
                out.add(new BoundarySearch.Boundary(prev, po, e.getKey(), e.getValue()));
            }
            prev = e.getKey();
            po = e.getValue();
        }
        return out;
    }

    static BoundarySearch.Finding finding(BoundarySearch.Result s, int row) {
        if (!s.search().twoDimensional()) {
            return s.findings().get(0);
        }
        List<String> rows = s.search().rowValues();
        for (BoundarySearch.Finding f : s.findings()) {
            String range = f.where().substring(f.where().indexOf('=') + 1);
            String[] ends = range.split("\\.\\.");
            if (rows.indexOf(ends[0]) <= row && row <= rows.indexOf(ends[ends.length - 1])) {
                return f;
            }
        }
        throw new IllegalStateException("no finding covers row " + row + " of " + s.search().name());
    }

    static String pct(double a, double b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * a / b);
    }

    static String hours(double ms) {
        return String.format(Locale.ROOT, "%.1f h", ms / 3.6e6);
    }

    static void print(String profile, Map<String, Tally> byModel, Map<String, Map<String, Tally>> byFamily,
            List<String> models) {
        System.out.println();
        System.out.println("## " + profile + " profile (SIMULATED device models: calibration, never evidence)");
        System.out.println();
        System.out.println("| device model | searched axes and grids: adaptive / grid lines | every ordered axis and "
                + "grid (searched or not worth searching): adaptive / grid lines | whole profile: adaptive / "
                + "grid lines | boundaries identical to the grid's (lines) | non-monotonic lines: "
                + "flagged / missed | forecast Mac wall time: grid / adaptive |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Tally> e : byModel.entrySet()) {
            Tally t = e.getValue();
            System.out.printf(Locale.ROOT, "| %s | %,d / %,d (%s) | %,d / %,d (%s) | %,d / %,d (%s) | %d / %d |"
                    + " %d of %d / %d | %s / %s |%n", e.getKey(), t.searchedAdaptiveLines, t.searchedGridLines,
                    pct(t.searchedAdaptiveLines, t.searchedGridLines), t.orderedAdaptiveLines, t.orderedGridLines,
                    pct(t.orderedAdaptiveLines, t.orderedGridLines), t.adaptiveLines, t.gridLines,
                    pct(t.adaptiveLines, t.gridLines), t.findingsIdentical, t.findings,
                    t.nonMonotonicFlagged, t.nonMonotonicLines, t.nonMonotonicMissed, hours(t.gridMs),
                    hours(t.adaptiveMs));
        }
        System.out.println();
        System.out.println("Per family, whole profile, adaptive / grid lines:");
        System.out.println();
        StringBuilder head = new StringBuilder("| family | grid lines |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (String m : models) {
            head.append(' ').append(m).append(" |");
            rule.append("---|");
        }
        System.out.println(head);
        System.out.println(rule);
        for (Map.Entry<String, Map<String, Tally>> e : byFamily.entrySet()) {
            StringBuilder row = new StringBuilder("| " + e.getKey() + " | ");
            Tally any = e.getValue().values().iterator().next();
            row.append(String.format(Locale.ROOT, "%,d |", any.gridLines));
            for (String m : models) {
                Tally t = e.getValue().get(m);
                row.append(String.format(Locale.ROOT, " %,d (%s) |", t.adaptiveLines, pct(t.adaptiveLines,
                        t.gridLines)));
            }
            System.out.println(row);
        }
    }
}
