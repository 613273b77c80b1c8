package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.analysis.chains.ChainTally;
import dev.aneprobe.harness.analysis.chains.DeviceSequence;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.ObservationReader;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.results.read.Warnings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                        return new Prepared(o, listener.prepare(o));
                    }, p -> {
                        m.add(run, p.observation());
                        listener.observation(run, p.observation(), p.extra());
                    });
            m.endRun(run, st.lines(), st.skipped());
            listener.endRun(run);
        }
        return m;
    }

    private record Prepared(Observation observation, Object extra) {
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
        q.add(run.runId(), o.units(), kind, median);
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
        if (kind != null) {
            stats.verdicts[kind.ordinal()]++;
        }
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
