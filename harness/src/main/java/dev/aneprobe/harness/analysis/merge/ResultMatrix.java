package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.analysis.chains.ChainTally;
import dev.aneprobe.harness.analysis.chains.DeviceSequence;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.ObservationReader;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.results.read.Warnings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The chip/OS matrix, built while the observations stream past: one column per chip/OS, one {@link ProbeResult} per
 * probe id and model sha256 in it. Runs from several machines with the same chip and OS land in the same column; the
 * same probe (same id and sha256) measured again is combined and its disagreements kept; the same id with another
 * sha256 is kept apart.
 */
public final class ResultMatrix {
    private final Interner interner = new Interner();
    private final TreeMap<String, Column> columns = new TreeMap<>();
    private final Map<RunDir, RunStats> runStats = new LinkedHashMap<>();
    /** The run being read, its column and counts: looked up once per run, not per line. */
    private RunDir currentRun;
    private Column currentColumn;
    private RunStats currentStats;

    /** One chip/OS. */
    public static final class Column {
        private final String chipOs;
        private final HashMap<String, ProbeResult> probes = new HashMap<>();
        private final List<RunDir> runs = new ArrayList<>();
        private final TreeMap<String, Searches> searches = new TreeMap<>();
        private List<ProbeResult> sorted;

        Column(String chipOs) {
            this.chipOs = chipOs;
        }

        public String chipOs() {
            return chipOs;
        }

        public List<RunDir> runs() {
            return runs;
        }

        /**
         * What the adaptive runs ({@code sweep --adaptive}) of this column searched, by family; empty when none of
         * its runs is adaptive.
         */
        public Map<String, Searches> searches() {
            return searches;
        }

        /** Every probe of this column, sorted by id then sha256 (each id/sha256 pair once). */
        public List<ProbeResult> probes() {
            if (sorted == null) {
                List<ProbeResult> all = new ArrayList<>(probes.size());
                for (ProbeResult p : probes.values()) {
                    for (ProbeResult q = p; q != null; q = q.otherSha) {
                        all.add(q);
                    }
                }
                all.sort(Comparator.comparing(ProbeResult::probeId).thenComparing(ProbeResult::sha256));
                sorted = all;
            }
            return sorted;
        }
    }

    /**
     * What the adaptive runs of one column recorded for one family: the axes their search steps name, the runs, the
     * probes they measured, and the intervals they swept as a grid because a verification disagreed.
     */
    public static final class Searches {
        private final TreeSet<String> axes = new TreeSet<>();
        private final List<RunDir> runs = new ArrayList<>();
        private final Set<String> probes = new HashSet<>();
        /** Per interval swept as a grid: its first record and the probe ids measured in it. */
        private final LinkedHashMap<String, GridRegion> gridRegions = new LinkedHashMap<>();
        private final HashMap<String, Set<String>> gridProbes = new HashMap<>();

        /** The searched axes as recorded: one axis ("kernel") or a declared 2-D grid ("kernel+stride"). */
        public Set<String> axes() {
            return axes;
        }

        /** The adaptive runs that searched this family, in reading order. */
        public List<RunDir> runs() {
            return runs;
        }

        /** How many distinct probe ids the search measured. */
        public int probes() {
            return probes.size();
        }

        /** The intervals swept as a grid (role GRID), in the order first seen. */
        public List<GridRegion> gridRegions() {
            List<GridRegion> out = new ArrayList<>();
            gridRegions.forEach((k, g) -> out.add(new GridRegion(g.axis(), g.low(), g.high(), g.where(), g.reason(),
                    g.runId(), gridProbes.get(k).size())));
            return out;
        }
    }

    /**
     * An interval an adaptive search swept as a full grid because a verification beside a located boundary disagreed:
     * the outcome is not monotonic there.
     *
     * @param axis the searched axis, as recorded
     * @param low the interval's lower end
     * @param high its upper end
     * @param where the other axes' values of the line (every axis but the searched ones), in axis order
     * @param reason the first probe's reason, or null
     * @param runId the run that swept it first
     * @param probes how many probes of the interval it measured
     */
    public record GridRegion(String axis, String low, String high, Map<String, String> where, String reason,
            String runId, int probes) {
    }

    /** Counts for one run, for the "how it was measured" section. */
    public static final class RunStats {
        long lines;
        long skipped;
        int probes;
        final int[] verdicts = new int[VerdictKind.values().length];

        public long lines() {
            return lines;
        }

        public long skipped() {
            return skipped;
        }

        public int probes() {
            return probes;
        }

        /** Verdict lines (ane and all) by kind; kinds that did not occur are left out. */
        public Map<VerdictKind, Integer> verdicts() {
            Map<VerdictKind, Integer> m = new EnumMap<>(VerdictKind.class);
            for (VerdictKind k : VerdictKind.values()) {
                if (verdicts[k.ordinal()] > 0) {
                    m.put(k, verdicts[k.ordinal()]);
                }
            }
            return m;
        }
    }

    /**
     * Reads runs one after the other, streaming their observations into a new matrix (and to {@code listener}).
     * Malformed lines are skipped with a warning; see {@link ObservationReader}.
     */
    public static ResultMatrix read(List<RunDir> runs, Warnings warnings, RunListener listener) {
        ResultMatrix m = new ResultMatrix();
        for (RunDir run : runs) {
            m.beginRun(run);
            listener.beginRun(run);
            ObservationReader.Stats st = ObservationReader.read(run, warnings,
                    o -> {
                        o.probeId().hashCode(); // strings cache their hash: computed here, not on this thread
                        return new Prepared(o, listener.prepare(o), preferredBits(o));
                    }, p -> {
                        m.add(run, p.observation(), p.preferred());
                        listener.observation(run, p.observation(), p.extra());
                    });
            m.endRun(run, st.lines(), st.skipped());
            listener.endRun(run);
        }
        return m;
    }

    private record Prepared(Observation observation, Object extra, int preferred) {
    }

    /** The plan's preferred devices for the layer under test, as {@link ProbeResult#preferredBits}. */
    private static int preferredBits(Observation o) {
        return o.plan().isEmpty() ? 0
                : ProbeResult.preferredBits(VerdictJudge.preferredUnderTest(o.plan(), o.layerType()));
    }

    /** Declares a run before its observations are added (a run with no usable lines still appears). */
    public void beginRun(RunDir run) {
        currentRun = run;
        currentColumn = column(run.chipOs());
        currentColumn.runs.add(run);
        currentStats = new RunStats();
        runStats.put(run, currentStats);
    }

    /** Records the reader's line counts for a run. */
    public void endRun(RunDir run, long lines, long skipped) {
        RunStats s = runStats.get(run);
        s.lines = lines;
        s.skipped = skipped;
    }

    public void add(RunDir run, Observation o) {
        add(run, o, preferredBits(o));
    }

    private void add(RunDir run, Observation o, int preferred) {
        if (run != currentRun) {
            beginRun(run);
        }
        Column col = currentColumn;
        col.sorted = null;
        ProbeResult p = col.probes.get(o.probeId());
        ProbeResult q = p;
        while (q != null && !q.sha256().equals(o.modelSha256())) {
            q = q.otherSha;
        }
        if (q == null) {
            q = new ProbeResult(col.chipOs, o.probeId(), o.modelSha256(), interner.intern(o.family()),
                    interner.intern(o.layerType()), params(o));
            if (p == null) {
                col.probes.put(o.probeId(), q);
            } else {
                q.ambiguous = true;
                while (true) {
                    p.ambiguous = true;
                    if (p.otherSha == null) {
                        break;
                    }
                    p = p.otherSha;
                }
                p.otherSha = q;
            }
        }
        RunStats stats = currentStats;
        int before = q.runs();
        VerdictKind kind = o.units().allowsNeuralEngine() && o.verdict() != null ? o.verdict().kind() : null;
        Double median = o.timing() != null && o.timing().summary() != null && o.timing().summary().n() > 0
                ? o.timing().summary().medianNs() : null;
        q.add(run.runId(), o.units(), kind, median, preferred);
        DeviceSequence chain = DeviceSequence.of(o);
        if (chain != null) {
            if (q.chain == null) {
                q.chain = new ChainTally();
            }
            q.chain.add(run.runId(), o.units(), chain, kind);
        }
        if (q.runs() != before) {
            stats.probes++;
        }
        if (o.search() != null && run.env().adaptive()) {
            search(run, col, q, o.search());
        }
        if (kind != null) {
            stats.verdicts[kind.ordinal()]++;
        }
    }

    /** Records an adaptive run's search step (the line itself was added as an ordinary measurement). */
    private static void search(RunDir run, Column col, ProbeResult p, SearchStep step) {
        Searches s = col.searches.computeIfAbsent(p.family(), k -> new Searches());
        if (!s.runs.contains(run)) {
            s.runs.add(run);
        }
        s.probes.add(p.probeId());
        // A GRID step without an interval is a probe no search covers (a baseline, an unordered axis's value, a
        // companion), run as a grid sweep runs it: its axis was not searched, and nothing about it is non-monotonic.
        if (step.role() == SearchStep.Role.GRID && step.low() == null) {
            return;
        }
        s.axes.add(step.axis());
        if (step.role() != SearchStep.Role.GRID) {
            return;
        }
        Map<String, String> where = new LinkedHashMap<>(p.params());
        for (String a : step.axis().split("\\+")) {
            where.remove(a);
        }
        String key = step.axis() + '\u0000' + step.low() + '\u0000' + step.high() + '\u0000' + where;
        s.gridRegions.computeIfAbsent(key, k -> new GridRegion(step.axis(), step.low(), step.high(),
                java.util.Collections.unmodifiableMap(where), step.reason(), run.runId(), 0));
        s.gridProbes.computeIfAbsent(key, k -> new HashSet<>()).add(p.probeId());
    }

    private String[] params(Observation o) {
        Map<String, String> m = o.params();
        if (m.isEmpty()) {
            m = paramsFromId(o.probeId());
        }
        String[] out = new String[m.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> e : m.entrySet()) {
            out[i++] = interner.intern(e.getKey());
            out[i++] = interner.intern(e.getValue());
        }
        return out;
    }

    /** The axis values written in a probe id ({@code family/axis=value,...}), for lines that lack params. */
    public static Map<String, String> paramsFromId(String probeId) {
        Map<String, String> m = new LinkedHashMap<>();
        int slash = probeId.indexOf('/');
        if (slash < 0) {
            return m;
        }
        for (String part : probeId.substring(slash + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                m.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return m;
    }

    private Column column(String chipOs) {
        return columns.computeIfAbsent(interner.intern(chipOs), Column::new);
    }

    /** The chip/OS columns in name order. */
    public List<Column> columns() {
        return List.copyOf(columns.values());
    }

    public Map<RunDir, RunStats> runStats() {
        return runStats;
    }

    /**
     * Probe ids measured with more than one model sha256 (on one chip/OS or across them): the results are kept
     * apart, and this map (id to "sha (chip/OS, ...)" descriptions) flags them.
     */
    public Map<String, List<String>> shaConflicts() {
        Map<String, TreeMap<String, TreeSet<String>>> byId = new HashMap<>();
        Map<String, String> firstSha = new HashMap<>();
        List<String> conflicted = new ArrayList<>();
        for (Column c : columns.values()) {
            for (ProbeResult p : c.probes()) {
                String prev = firstSha.putIfAbsent(p.probeId(), p.sha256());
                if (prev != null && !prev.equals(p.sha256()) && !byId.containsKey(p.probeId())) {
                    byId.put(p.probeId(), new TreeMap<>());
                    conflicted.add(p.probeId());
                }
            }
        }
        if (byId.isEmpty()) {
            return Map.of();
        }
        for (Column c : columns.values()) {
            for (ProbeResult p : c.probes()) {
                TreeMap<String, TreeSet<String>> m = byId.get(p.probeId());
                if (m != null) {
                    m.computeIfAbsent(p.sha256(), k -> new TreeSet<>()).add(c.chipOs());
                }
            }
        }
        TreeMap<String, List<String>> out = new TreeMap<>();
        for (String id : conflicted) {
            List<String> d = new ArrayList<>();
            byId.get(id).forEach((sha, where) -> d.add(shortSha(sha) + " (" + String.join(", ", where) + ")"));
            out.put(id, d);
        }
        return out;
    }

    public static String shortSha(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }
}
