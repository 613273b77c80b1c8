package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.analysis.chains.ChainTally;
import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.VerdictKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything measured for one probe (id and model sha256) on one chip/OS, across every run: verdict counts per
 * compute-unit setting, where each verdict was first seen, and the mean of the runs' median latencies. Compact on
 * purpose: a report over a million observation lines holds one of these per probe, never the observations.
 */
public final class ProbeResult implements ProbeView {
    private static final int KINDS = VerdictKind.values().length;
    private static final int UNITS = ComputeUnits.values().length;

    private final String chipOs;
    private final String probeId;
    private final String sha256;
    private final String family;
    private final String layerType;
    /** Axis names and values, alternating, in the probe's axis order. */
    private final String[] params;
    /** Verdict counts: [0, KINDS) for ane lines, [KINDS, 2*KINDS) for all lines. */
    private final int[] counts = new int[2 * KINDS];
    /** The first run each (units, kind) was seen in; same layout as counts. */
    private final String[] firstRun = new String[2 * KINDS];
    /**
     * Per compute-unit setting (by ordinal), the plan's preferred devices for the layer under test seen on its lines,
     * as bits ({@link #preferredBits}); 0 when no line of that setting named one.
     */
    private final byte[] preferred = new byte[UNITS];
    private final double[] medianSumNs = new double[UNITS];
    private final int[] medianN = new int[UNITS];
    private String lastRun;
    private int runs;
    /** The next probe with the same id but a different model on this chip/OS. */
    ProbeResult otherSha;
    /** True when this chip/OS has the same probe id with more than one model sha256. */
    boolean ambiguous;
    /** A chain probe's device sequences per setting; null for every other probe. */
    ChainTally chain;

    ProbeResult(String chipOs, String probeId, String sha256, String family, String layerType, String[] params) {
        this.chipOs = chipOs;
        this.probeId = probeId;
        this.sha256 = sha256;
        this.family = family;
        this.layerType = layerType;
        this.params = params;
    }

    void add(String runId, ComputeUnits units, VerdictKind kind, Double medianNs) {
        add(runId, units, kind, medianNs, 0);
    }

    void add(String runId, ComputeUnits units, VerdictKind kind, Double medianNs, int preferredBits) {
        preferred[units.ordinal()] |= (byte) preferredBits;
        if (runId != lastRun && !runId.equals(lastRun)) {
            lastRun = runId;
            runs++;
        }
        if (medianNs != null && !medianNs.isNaN()) {
            medianSumNs[units.ordinal()] += medianNs;
            medianN[units.ordinal()]++;
        }
        if (kind != null && units.allowsNeuralEngine()) {
            int i = (units == ComputeUnits.ANE ? 0 : KINDS) + kind.ordinal();
            counts[i]++;
            if (firstRun[i] == null) {
                firstRun[i] = runId;
            }
        }
    }

    public String chipOs() {
        return chipOs;
    }

    public String probeId() {
        return probeId;
    }

    public String sha256() {
        return sha256;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public String layerType() {
        return layerType;
    }

    @Override
    public String param(String axis) {
        for (int i = 0; i < params.length; i += 2) {
            if (params[i].equals(axis)) {
                return params[i + 1];
            }
        }
        return null;
    }

    /** The axis values in the probe's axis order. */
    public Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < params.length; i += 2) {
            m.put(params[i], params[i + 1]);
        }
        return m;
    }

    /** Calls {@code sink} with each axis and value, in axis order, without building a map. */
    public void forEachParam(java.util.function.BiConsumer<String, String> sink) {
        for (int i = 0; i < params.length; i += 2) {
            sink.accept(params[i], params[i + 1]);
        }
    }

    /** How many runs measured this probe on this chip/OS. */
    public int runs() {
        return runs;
    }

    /** How many lines with these units carried this verdict (ane and all only). */
    public int count(ComputeUnits units, VerdictKind kind) {
        if (!units.allowsNeuralEngine()) {
            return 0;
        }
        return counts[(units == ComputeUnits.ANE ? 0 : KINDS) + kind.ordinal()];
    }

    /** The first run in which these units gave this verdict, or null. */
    public String firstRun(ComputeUnits units, VerdictKind kind) {
        return firstRun[(units == ComputeUnits.ANE ? 0 : KINDS) + kind.ordinal()];
    }

    public int lines(ComputeUnits units) {
        int n = 0;
        for (VerdictKind k : VerdictKind.values()) {
            n += count(units, k);
        }
        return n;
    }

    /**
     * The setting whose verdicts decide the probe's outcome: {@code ane} (CPU and Neural Engine) when the probe has
     * any such line, else {@code all}. Null when it has neither.
     */
    public ComputeUnits primaryUnits() {
        if (lines(ComputeUnits.ANE) > 0) {
            return ComputeUnits.ANE;
        }
        return lines(ComputeUnits.ALL) > 0 ? ComputeUnits.ALL : null;
    }

    /**
     * The plan's preferred devices for the layer under test on this setting's lines (every device any line named;
     * more than one when lines disagree), in {@link Device} order; empty when no line named one.
     */
    public java.util.List<Device> preferred(ComputeUnits units) {
        java.util.List<Device> out = new java.util.ArrayList<>(1);
        for (Device d : Device.values()) {
            if ((preferred[units.ordinal()] & (1 << d.ordinal())) != 0) {
                out.add(d);
            }
        }
        return out;
    }

    /** The bits {@link #preferred} keeps for a set of devices. */
    public static int preferredBits(Iterable<Device> devices) {
        int bits = 0;
        for (Device d : devices) {
            if (d != null) {
                bits |= 1 << d.ordinal();
            }
        }
        return bits;
    }

    /** The merged outcome of the primary setting. */
    public Outcome outcome() {
        return outcome(primaryUnits());
    }

    public Outcome outcome(ComputeUnits units) {
        if (units == null) {
            return Outcome.NO_EVIDENCE;
        }
        int on = count(units, VerdictKind.ANE);
        int off = count(units, VerdictKind.NOT_ANE);
        int split = count(units, VerdictKind.SPLIT);
        int kinds = (on > 0 ? 1 : 0) + (off > 0 ? 1 : 0) + (split > 0 ? 1 : 0);
        if (kinds == 0) {
            return Outcome.NO_EVIDENCE;
        }
        if (kinds > 1) {
            return Outcome.DISPUTED;
        }
        return on > 0 ? Outcome.ON_ANE : off > 0 ? Outcome.OFF_ANE : Outcome.SPLIT;
    }

    /**
     * When the same setting gave different verdicts (in different runs or twice in one run), the disagreement in
     * words, e.g. "ane: ANE x2 (first in run-a), NOT_ANE x1 (run-b)"; else null. Never hidden: tables print it.
     */
    public String disagreement() {
        StringBuilder sb = new StringBuilder();
        for (ComputeUnits u : new ComputeUnits[] {ComputeUnits.ANE, ComputeUnits.ALL}) {
            int distinct = 0;
            for (VerdictKind k : VerdictKind.values()) {
                if (count(u, k) > 0) {
                    distinct++;
                }
            }
            if (distinct < 2) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(u.label()).append(": ");
            boolean first = true;
            for (VerdictKind k : VerdictKind.values()) {
                int n = count(u, k);
                if (n > 0) {
                    sb.append(first ? "" : ", ").append(k).append(" x").append(n).append(" (")
                            .append(n > 1 ? "first in " : "").append(firstRun(u, k)).append(')');
                    first = false;
                }
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }

    /** Mean over the lines of the median prediction latency with these units, in ns; NaN when not timed. */
    public double medianNs(ComputeUnits units) {
        int n = medianN[units.ordinal()];
        return n == 0 ? Double.NaN : medianSumNs[units.ordinal()] / n;
    }

    /** A chain probe's device sequences per compute-units setting, or null (not a chain probe). */
    public ChainTally chain() {
        return chain;
    }

    /** True when this chip/OS has the same probe id measured with another model sha256 (kept apart, flagged). */
    public boolean ambiguous() {
        return ambiguous;
    }

    /** The id as tables print it: with a short sha256 when the id alone is ambiguous. */
    public String label() {
        return ambiguous ? probeId + " @" + ResultMatrix.shortSha(sha256) : probeId;
    }
}
