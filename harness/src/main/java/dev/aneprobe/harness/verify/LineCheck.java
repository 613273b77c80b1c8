package dev.aneprobe.harness.verify;

import dev.aneprobe.harness.analysis.TimingStats;
import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Timing;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.ObservationReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one observation line for publication. The line is parsed and checked field by field exactly as every
 * reader checks it ({@link ObservationReader#check}: types, ranges, the probe id against its family and params, the
 * run id, a verdict on ane and all lines only, a timing summary that counts its samples); a line that fails that is
 * one problem. On top of it, publication asks for what readers need not: the line's setting is one the run says it
 * measures, the summary is the summary of its samples, and no user's home directory is named.
 */
final class LineCheck {
    private static final Pattern MAC_HOME = Pattern.compile("/Users/(?!<user>)[^/\\s\"'<>:]+");

    /**
     * What the run-level checks need from a usable line; claims' regions look at it as a probe.
     *
     * @param searched the line carries a search step (only an adaptive sweep writes one)
     */
    record Facts(String probeId, String family, String layerType, Map<String, String> params, String sha256,
            ComputeUnits units, VerdictKind verdict, boolean searched) implements ProbeView {
        @Override
        public String param(String axis) {
            return params.get(axis);
        }
    }

    private LineCheck() {
    }

    /**
     * @param raw the line as written
     * @param runId the run's id from env.json (null: not known)
     * @param units the settings env.json says the run measures (empty: not recorded)
     * @param problems where this line's problems go, each a few plain words
     * @return the line's facts, or null when it is not an observation at all (the problems say why)
     */
    static Facts check(String raw, String runId, Set<ComputeUnits> units, List<String> problems) {
        ObservationReader.Checked c = ObservationReader.check(raw.getBytes(StandardCharsets.UTF_8), runId, true);
        Observation o = c.observation();
        if (o == null) {
            problems.add(c.problem() == null ? "blank line (the sweep writes none)" : c.problem());
            return null;
        }
        if (!units.isEmpty() && !units.contains(o.units())) {
            problems.add("units " + o.units().label() + " is not among the run's units " + labels(units));
        }
        String off = summaryOff(o.timing());
        if (off != null) {
            problems.add("timing.summary is not the summary of its samples (" + off + ")");
        }
        var home = MAC_HOME.matcher(raw);
        if (home.find()) {
            problems.add("names a user's home directory (" + home.group() + "); the sweep records ~ instead");
        }
        return new Facts(o.probeId(), o.family(), o.layerType(), o.params(), o.modelSha256(), o.units(),
                o.verdict() == null ? null : o.verdict().kind(), o.search() != null);
    }

    /** Where the summary differs from what its samples give, or null (the parser has checked that it counts them). */
    private static String summaryOff(Timing t) {
        if (t == null || t.summary() == null || t.samplesNs().isEmpty()) {
            return null;
        }
        TimingSummary have = t.summary();
        TimingSummary want = TimingStats.summarize(t.samplesNs());
        return want.minNs() != have.minNs() ? "minNs " + have.minNs() + ", the samples give " + want.minNs()
                : !close(want.medianNs(), have.medianNs()) ? "medianNs " + have.medianNs() + ", the samples give "
                        + want.medianNs()
                : !close(want.p90Ns(), have.p90Ns()) ? "p90Ns " + have.p90Ns() + ", the samples give " + want.p90Ns()
                : !close(want.madNs(), have.madNs()) ? "madNs " + have.madNs() + ", the samples give " + want.madNs()
                : null;
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }

    private static String labels(Set<ComputeUnits> units) {
        List<String> out = new ArrayList<>();
        units.forEach(u -> out.add(u.label()));
        return String.join(",", out);
    }
}
