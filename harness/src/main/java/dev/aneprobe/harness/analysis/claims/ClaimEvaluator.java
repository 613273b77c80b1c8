package dev.aneprobe.harness.analysis.claims;

import dev.aneprobe.harness.analysis.chains.ChainTally;
import dev.aneprobe.harness.analysis.chains.SwitchingJudge;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.text.Counted;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Judges each claim against the matrix. Per chip/OS, each probe in the claim's region with evidence either supports
 * the prediction or contradicts it; a probe whose repeated measurements disagree (disputed) is neither, but keeps the
 * claim from being CONFIRMED or REFUTED there. ANE supports an ANE
 * prediction; NOT_ANE and SPLIT (the layer did not run entirely on the ANE) support a NOT_ANE prediction. REJECTED,
 * CRASHED, TIMEOUT, NO_ANE and INCONCLUSIVE are counted separately and are not evidence either way. Claims about
 * device switching are judged on the chain probes' device sequences instead ({@link #evaluateSwitching}).
 */
public final class ClaimEvaluator {
    /** How many deciding probe ids a result lists per chip/OS. */
    public static final int DECIDING = 12;
    private static final int EXAMPLES = 3;

    private ClaimEvaluator() {
    }

    public static List<ClaimResult> evaluate(ClaimSet claims, ResultMatrix matrix) {
        List<ResultMatrix.Column> columns = matrix.columns();
        // The layers of each column are found once for all claims, not once per claim.
        List<List<Layer>> layers = new ArrayList<>(columns.size());
        for (ResultMatrix.Column col : columns) {
            layers.add(layers(col.probes()));
        }
        List<ClaimResult> out = new ArrayList<>();
        for (Claim c : claims.claims()) {
            List<ClaimResult.Column> cols = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                cols.add(evaluate(c, columns.get(i), layers.get(i)));
            }
            out.add(overall(c, cols));
        }
        return out;
    }

    public static ClaimResult evaluate(Claim claim, ResultMatrix matrix) {
        List<ClaimResult.Column> cols = new ArrayList<>();
        for (ResultMatrix.Column col : matrix.columns()) {
            cols.add(evaluate(claim, col));
        }
        return overall(claim, cols);
    }

    static ClaimResult.Column evaluate(Claim claim, ResultMatrix.Column col) {
        return evaluate(claim, col, layers(col.probes()));
    }

    /**
     * A stretch of a column's sorted probes that share family and layer type. Ids begin with their family, so a
     * family's probes are one stretch or a few (when its layer types interleave), and a claim's scope, which depends
     * on the layer only, is decided per stretch: a claim about one family skips the other families' probes whole.
     */
    private record Layer(String family, String layerType, List<ProbeResult> probes) {
    }

    /** The probes cut into {@link Layer}s, in their order. */
    private static List<Layer> layers(List<ProbeResult> probes) {
        List<Layer> out = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= probes.size(); i++) {
            if (i == probes.size() || !java.util.Objects.equals(probes.get(i).family(), probes.get(from).family())
                    || !java.util.Objects.equals(probes.get(i).layerType(), probes.get(from).layerType())) {
                out.add(new Layer(probes.get(from).family(), probes.get(from).layerType(), probes.subList(from, i)));
                from = i;
            }
        }
        return out;
    }

    /** The probes of the layers in the claim's scope, in column order. */
    private static List<List<ProbeResult>> inScope(Claim claim, List<Layer> layers) {
        // Decided once per family and layer type (regexes are dear); stretches of one layer may recur.
        Map<String, Map<String, Boolean>> scope = new java.util.HashMap<>();
        List<List<ProbeResult>> out = new ArrayList<>();
        for (Layer l : layers) {
            if (scope.computeIfAbsent(l.family(), k -> new java.util.HashMap<>())
                    .computeIfAbsent(l.layerType(), k -> claim.inScope(l.family(), l.layerType()))) {
                out.add(l.probes());
            }
        }
        return out;
    }

    private static ClaimResult.Column evaluate(Claim claim, ResultMatrix.Column col, List<Layer> layers) {
        if (claim.predicted().aboutSwitching()) {
            return evaluateSwitching(claim, col, layers);
        }
        Tally t = new Tally();
        for (List<ProbeResult> layer : inScope(claim, layers)) {
            for (ProbeResult p : layer) {
                if (!claim.region().test(p)) {
                    continue;
                }
                t.probes++;
                ComputeUnits u = p.primaryUnits();
                if (u != null) {
                    for (VerdictKind k : VerdictKind.values()) {
                        int n = p.count(u, k);
                        if (n == 0) {
                            continue;
                        }
                        if (Outcome.isEvidence(k)) {
                            t.evidence += n;
                            if (k == VerdictKind.SPLIT) {
                                t.split += n;
                            }
                        } else {
                            t.noEvidence.merge(k, (long) n, Long::sum);
                        }
                    }
                }
                Outcome o = p.outcome();
                if (o == Outcome.NO_EVIDENCE) {
                    continue;
                }
                if (o == Outcome.DISPUTED) {
                    t.disputed(p);
                } else if (claim.predicted() == Prediction.ANE ? o == Outcome.ON_ANE : o.offAne()) {
                    t.supports(p);
                } else {
                    t.contradicts(p);
                }
            }
        }
        return column(col.chipOs(), t.probes, t.supporting, t.contradicting, t.disputed, t.evidence, t.split,
                t.noEvidence, t.against, t.disputedIds, t.examples, t.holds, t.fails);
    }

    /**
     * A switching claim on one chip/OS: each chain probe in scope is judged on its all lines' device sequences
     * ({@link SwitchingJudge}); a probe whose lines disagree (one supports, another contradicts) is disputed. Lines
     * that are no evidence (another verdict, devices the claim is not about, a chain too short) are counted by
     * verdict.
     */
    static ClaimResult.Column evaluateSwitching(Claim claim, ResultMatrix.Column col) {
        return evaluateSwitching(claim, col, layers(col.probes()));
    }

    private static ClaimResult.Column evaluateSwitching(Claim claim, ResultMatrix.Column col, List<Layer> layers) {
        Tally t = new Tally();
        for (List<ProbeResult> layer : inScope(claim, layers)) {
            for (ProbeResult p : layer) {
                if (!claim.region().test(p)) {
                    continue;
                }
                t.probes++;
                boolean supports = false;
                boolean contradicts = false;
                List<ChainTally.Reading> readings = p.chain() == null ? List.of()
                        : p.chain().readings(SwitchingJudge.UNITS);
                for (ChainTally.Reading r : readings) {
                    SwitchingJudge.Judgement j = SwitchingJudge.judge(claim.predicted(), r.sequence(), r.verdict());
                    if (j == SwitchingJudge.Judgement.NO_EVIDENCE) {
                        if (r.verdict() != null) {
                            t.noEvidence.merge(r.verdict(), (long) r.lines(), Long::sum);
                        }
                        continue;
                    }
                    t.evidence += r.lines();
                    t.split += r.lines(); // evidence is SPLIT by definition: the plan's mix of devices stood
                    supports |= j == SwitchingJudge.Judgement.SUPPORTS;
                    contradicts |= j == SwitchingJudge.Judgement.CONTRADICTS;
                }
                if (supports && contradicts) {
                    t.disputed(p);
                } else if (supports) {
                    t.supports(p);
                } else if (contradicts) {
                    t.contradicts(p);
                }
            }
        }
        return column(col.chipOs(), t.probes, t.supporting, t.contradicting, t.disputed, t.evidence, t.split,
                t.noEvidence, t.against, t.disputedIds, t.examples, t.holds, t.fails);
    }

    /** What one claim's probes on one chip/OS say, counted as they are judged. */
    private static final class Tally {
        int probes;
        int supporting;
        int contradicting;
        int disputed;
        long evidence;
        long split;
        final EnumMap<VerdictKind, Long> noEvidence = new EnumMap<>(VerdictKind.class);
        final List<String> against = new ArrayList<>();
        final List<String> disputedIds = new ArrayList<>();
        final List<String> examples = new ArrayList<>();
        final AxisValues holds = new AxisValues();
        final AxisValues fails = new AxisValues();

        void supports(ProbeResult p) {
            supporting++;
            holds.add(p);
            if (examples.size() < EXAMPLES) {
                examples.add(p.label());
            }
        }

        void contradicts(ProbeResult p) {
            contradicting++;
            fails.add(p);
            against.add(p.label());
        }

        void disputed(ProbeResult p) {
            disputed++;
            disputedIds.add(p.label());
        }
    }

    private static ClaimResult.Column column(String chipOs, int probes, int supporting, int contradicting,
            int disputed, long evidence, long split, Map<VerdictKind, Long> noEvidence, List<String> against,
            List<String> disputedIds, List<String> examples, AxisValues holds, AxisValues fails) {
        ClaimStatus status;
        if (supporting + contradicting + disputed == 0) {
            status = ClaimStatus.UNTESTED;
        } else if (contradicting == 0 && disputed == 0) {
            status = ClaimStatus.CONFIRMED;
        } else if (supporting == 0 && disputed == 0) {
            status = ClaimStatus.REFUTED;
        } else {
            status = ClaimStatus.PARTIAL;
        }
        String where = status == ClaimStatus.PARTIAL ? where(holds, fails, disputed) : null;
        List<String> deciding = new ArrayList<>();
        List<String> all = new ArrayList<>(against);
        all.addAll(disputedIds);
        all.addAll(examples);
        int total = contradicting + disputed + supporting;
        for (String id : all) {
            if (deciding.size() < DECIDING) {
                deciding.add(id);
            }
        }
        return new ClaimResult.Column(chipOs, status, probes, supporting, contradicting, disputed, evidence,
                split, noEvidence, where, deciding, total - deciding.size());
    }

    static ClaimResult overall(Claim claim, List<ClaimResult.Column> cols) {
        List<String> confirmed = new ArrayList<>();
        List<String> refuted = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        for (ClaimResult.Column c : cols) {
            switch (c.status()) {
                case CONFIRMED -> confirmed.add(c.chipOs());
                case REFUTED -> refuted.add(c.chipOs());
                case PARTIAL -> partial.add(c.chipOs() + " (fails where " + c.where() + ")");
                default -> { }
            }
        }
        int tested = confirmed.size() + refuted.size() + partial.size();
        ClaimStatus status;
        String summary;
        if (tested == 0) {
            status = ClaimStatus.UNTESTED;
            summary = cols.isEmpty() ? "not measured yet" : "no probe in the region gave evidence on any chip/OS";
        } else if (confirmed.size() == tested) {
            status = ClaimStatus.CONFIRMED;
            summary = "holds on " + String.join(", ", confirmed);
        } else if (refuted.size() == tested) {
            status = ClaimStatus.REFUTED;
            summary = "fails on " + String.join(", ", refuted);
        } else {
            status = ClaimStatus.PARTIAL;
            List<String> parts = new ArrayList<>();
            if (!confirmed.isEmpty()) {
                parts.add("holds on " + String.join(", ", confirmed));
            }
            if (!partial.isEmpty()) {
                parts.add("holds in part on " + String.join("; ", partial));
            }
            if (!refuted.isEmpty()) {
                parts.add("fails on " + String.join(", ", refuted));
            }
            summary = String.join("; ", parts);
        }
        if (tested > 0 && tested < cols.size()) {
            summary += " (untested on " + Counted.number(cols.size() - tested) + " of " + Counted.number(cols.size())
                    + " chip/OS)";
        }
        return new ClaimResult(claim, status, summary, cols);
    }

    /**
     * Where a claim fails, in words: the axes whose values separate the probes where it fails from those where it
     * holds ("kernel >= 15", "b in {Cx1x1}"), or a plain statement that no single axis does.
     */
    static String where(AxisValues holds, AxisValues fails, int disputed) {
        String plural = Counted.of(disputed, "probe");
        if (fails.values.isEmpty()) {
            return "repeated measurements disagree (" + plural + " disputed)";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, TreeSet<String>> e : fails.values.entrySet()) {
            String axis = e.getKey();
            TreeSet<String> f = e.getValue();
            TreeSet<String> h = holds.values.get(axis);
            if (h == null || h.isEmpty()) {
                continue;
            }
            TreeSet<String> both = new TreeSet<>(f);
            both.retainAll(h);
            if (!both.isEmpty()) {
                continue;
            }
            parts.add(separator(axis, f, h));
        }
        String s = parts.isEmpty() ? "no single axis separates where it holds from where it fails"
                : String.join(" and ", parts.subList(0, Math.min(3, parts.size())));
        if (disputed > 0) {
            s += "; and repeated measurements disagree (" + plural + " disputed)";
        }
        return s;
    }

    private static String separator(String axis, TreeSet<String> fails, TreeSet<String> holds) {
        double fMin = Double.POSITIVE_INFINITY;
        double fMax = Double.NEGATIVE_INFINITY;
        double hMin = Double.POSITIVE_INFINITY;
        double hMax = Double.NEGATIVE_INFINITY;
        ParamValue.Selector sel = axis.equals("in") ? ParamValue.Selector.PRODUCT : ParamValue.Selector.MAX;
        boolean numeric = true;
        for (String v : fails) {
            double d = ParamValue.select(v, sel);
            numeric &= !Double.isNaN(d);
            fMin = Math.min(fMin, d);
            fMax = Math.max(fMax, d);
        }
        for (String v : holds) {
            double d = ParamValue.select(v, sel);
            numeric &= !Double.isNaN(d);
            hMin = Math.min(hMin, d);
            hMax = Math.max(hMax, d);
        }
        String plain = axis.startsWith("@") ? axis.substring(1) : axis;
        String name = sel == ParamValue.Selector.PRODUCT ? "size(" + plain + ")" : plain;
        if (numeric && hMax < fMin) {
            return name + " >= " + ParamValue.format(fMin) + " (holds up to " + ParamValue.format(hMax) + ")";
        }
        if (numeric && fMax < hMin) {
            return name + " <= " + ParamValue.format(fMax) + " (holds from " + ParamValue.format(hMin) + ")";
        }
        return plain + (fails.size() == 1 ? " = " + fails.first() : " \u2208 {" + String.join(", ", fails) + "}");
    }

    /** The values each axis (and the layer type) takes among a set of probes. */
    static final class AxisValues {
        final TreeMap<String, TreeSet<String>> values = new TreeMap<>();

        void add(ProbeResult p) {
            values.computeIfAbsent("@layerType", k -> new TreeSet<>()).add(p.layerType());
            values.computeIfAbsent("@family", k -> new TreeSet<>()).add(p.family());
            p.forEachParam((k, v) -> values.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
        }
    }
}
