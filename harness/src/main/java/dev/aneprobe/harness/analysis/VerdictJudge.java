package dev.aneprobe.harness.analysis;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.probes.catalog.ChainFamilies;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides where a probe's layer ran under a Neural-Engine-allowing setting (ane or all). A pure function of its
 * {@link Input}.
 *
 * <p>Facts first, in this order: the worker died ({@code CRASHED}) or ran out of time ({@code TIMEOUT}); the host has
 * no Neural Engine ({@code NO_ANE} — never {@code NOT_ANE} or {@code REJECTED}, whatever the signals say, since a
 * refusal under ane or all on such a host says nothing about the ANE); Core ML refused the model at compile, load or
 * predict ({@code REJECTED}). Otherwise three independent signals are read and all recorded:
 * <dl>
 *   <dt>plan</dt><dd>the compute plan's preferred device for the layer(s) under test, chosen by {@link #select}:
 *       entries named {@value #PROBE_LAYER} (NeuralNetwork) or {@value #PROBE_OUTPUT} (ML Program) that have a
 *       device; else entries whose kind is the probe's layer type; else every entry with a device that is neither a
 *       helper ({@code aux_*}) nor a constant ({@code c_*}, kind {@code const}). A chain probe has every layer under
 *       test, so it goes straight to that last rule ({@link #typeUnderTest}).</dd>
 *   <dt>dispatch</dt><dd>the steady-state latency under this setting against the cpu baseline (and, for all, the gpu
 *       baseline), by {@link MedianRatio}: indistinguishable from a baseline means it ran on that baseline's device;
 *       different from every baseline means it ran on the Neural Engine.</dd>
 *   <dt>reason</dt><dd>a Core ML / Espresso / ANE compiler log line of {@link ReasonPatterns} in the probe's window
 *       means it did not run on the Neural Engine, when the line names the layer under test or no layer of the
 *       probe ({@link ReasonAttribution}); a line naming only helpers decides nothing. (The log never proves the
 *       opposite.)</dd>
 * </dl>
 * Helper layers the plan keeps off the ANE or the log refuses are listed in the note and never decide: the verdict
 * is about the layer under test. {@code SPLIT} means the layer under test itself is split (its plan entries, which
 * share its name, are partly on the ANE and partly off).
 * Combination: no reading gives {@code INCONCLUSIVE}; unanimous readings give their kind. Disagreements are decided
 * by the rules in {@link #combine}; {@link Verdict#agreed()} lists the signals whose reading equals the verdict.
 */
public final class VerdictJudge {
    /** The name of a NeuralNetwork probe's layer under test. */
    public static final String PROBE_LAYER = "probe";
    /**
     * The first output of an ML Program probe's op under test; the shim names each ML Program operation by its first
     * output, so this is that op's plan entry name.
     */
    public static final String PROBE_OUTPUT = "y";
    /** Helper layers and ops (constant operands, casts) are named, or write, {@code aux_*}. */
    public static final String AUX_PREFIX = "aux_";
    /** ML Program parameters are const ops writing {@code c_*}. */
    public static final String CONST_PREFIX = "c_";
    /** The MIL op type of constants; Core ML gives const ops no device. */
    public static final String CONST_KIND = "const";
    /** Dispatch confidence needed to overrule the plan ("planned on the ANE but ran elsewhere"). */
    public static final double OVERRULE_CONFIDENCE = 0.95;

    public static final String PLAN = "plan";
    public static final String DISPATCH = "dispatch";
    public static final String REASON = "reason";

    /**
     * Everything the verdict depends on.
     *
     * @param probeId the probe (seeds the bootstrap)
     * @param layerType the probe's layer type from the manifest (NeuralNetworkLayer field or MIL op type), or null
     *     when unknown; finds the op under test by kind when no plan entry carries its name
     * @param units ane or all
     * @param hostHasNeuralEngine from the run's env record
     * @param stages this line's stage outcomes
     * @param failure the worker failure, if the worker crashed or timed out
     * @param plan this line's compute plan entries
     * @param samplesNs this line's steady-state samples
     * @param cpuSamplesNs the same probe's cpu baseline samples, or null
     * @param gpuSamplesNs the same probe's gpu baseline samples, or null
     * @param log unified-log lines of this line's window, or null when the log was not read
     * @param logProblem why the log could not be read, or null
     */
    public record Input(String probeId, String layerType, ComputeUnits units, boolean hostHasNeuralEngine,
            List<StageOutcome> stages, WorkerFailure failure, List<PlanEntry> plan, List<Long> samplesNs,
            List<Long> cpuSamplesNs, List<Long> gpuSamplesNs, List<String> log, String logProblem) {
        public Input {
            stages = stages == null ? List.of() : stages;
            plan = plan == null ? List.of() : plan;
        }
    }

    private VerdictJudge() {
    }

    public static Verdict judge(Input in) {
        if (!in.units().allowsNeuralEngine()) {
            throw new IllegalArgumentException("only ane and all lines carry a verdict, not " + in.units().label());
        }
        List<SignalReading> signals = new ArrayList<>();
        SignalReading plan = planSignal(in);
        signals.add(plan);
        if (in.failure() != null) {
            VerdictKind k = in.failure().kind() == VerdictKind.TIMEOUT ? VerdictKind.TIMEOUT : VerdictKind.CRASHED;
            return new Verdict(k, List.of(), signals, List.of(), failureNote(in.failure(), in.stages()));
        }
        Optional<StageOutcome> refused = in.stages().stream()
                .filter(s -> s.status() == StageOutcome.Status.FAILED && s.stage() != Stage.PLAN)
                .findFirst();
        Optional<StageOutcome> unsupported = in.stages().stream()
                .filter(s -> s.status() == StageOutcome.Status.UNSUPPORTED && s.stage() != Stage.PLAN)
                .findFirst();
        SignalReading dispatch = dispatchSignal(in);
        SignalReading reason = reasonSignal(in);
        signals.add(dispatch);
        signals.add(reason);
        // Before a refusal: on a host without a Neural Engine a refusal under ane or all says nothing about the ANE
        // (Core ML may refuse, or fail to set up, the ANE path it cannot have); the refusal stays in the note.
        if (!in.hostHasNeuralEngine()) {
            return new Verdict(VerdictKind.NO_ANE, List.of(), signals, List.of(),
                    "this host has no Neural Engine (Intel Mac or VM): nothing can be said about the ANE"
                            + refused.map(s -> "; Core ML refused it at " + s.stage().label() + ": " + refusal(s))
                                    .orElse(""));
        }
        if (refused.isPresent()) {
            StageOutcome s = refused.get();
            return new Verdict(VerdictKind.REJECTED, List.of(), signals, List.of(),
                    "Core ML refused it at " + s.stage().label() + ": " + refusal(s));
        }
        if (unsupported.isPresent()) {
            return new Verdict(VerdictKind.INCONCLUSIVE, List.of(), signals, List.of(),
                    unsupported.get().stage().label() + " is not supported on this OS");
        }
        return withHelpers(combine(in, plan, dispatch, reason, signals), helpersOff(in));
    }

    private static String refusal(StageOutcome s) {
        return s.error() == null ? "no error text" : s.error().toString();
    }

    /** Adds the helpers kept off the ANE to the verdict's note: recorded, never deciding. */
    private static Verdict withHelpers(Verdict v, String helpers) {
        if (helpers == null) {
            return v;
        }
        String note = v.note() == null ? helpers : v.note() + "; " + helpers;
        return new Verdict(v.kind(), v.ranOn(), v.signals(), v.agreed(), note);
    }

    /**
     * The probe's helper layers (every plan entry with a device that is not under test and not a constant) that the
     * plan keeps off the ANE or the log refuses, as one phrase; null when there are none.
     */
    static String helpersOff(Input in) {
        Set<PlanEntry> under = new LinkedHashSet<>(probeEntries(in.plan(), in.layerType()));
        Map<String, Set<String>> off = new LinkedHashMap<>();
        for (PlanEntry e : in.plan()) {
            if (!under.contains(e) && e.preferred() != null && e.preferred() != Device.ANE && !isConstant(e)) {
                off.computeIfAbsent(displayName(e), k -> new LinkedHashSet<>()).add("plan " + e.preferred().label());
            }
        }
        for (ReasonAttribution.Attributed a : attributed(in)) {
            if (a.about() == ReasonAttribution.About.HELPER) {
                for (String h : a.helpers()) {
                    off.computeIfAbsent(h, k -> new LinkedHashSet<>()).add("log " + a.match().pattern());
                }
            }
        }
        if (off.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        off.forEach((name, why) -> parts.add(name + " (" + String.join(", ", why) + ")"));
        return "helpers off the ANE, not judged: " + String.join(", ", parts);
    }

    private static boolean isConstant(PlanEntry e) {
        return hasPrefix(e, CONST_PREFIX) || CONST_KIND.equals(e.kind());
    }

    /** The reason lines of the log, each attributed to the layer under test, a helper or no layer. */
    static List<ReasonAttribution.Attributed> attributed(Input in) {
        if (in.log() == null) {
            return List.of();
        }
        Set<String> subject = new LinkedHashSet<>(List.of(PROBE_LAYER, PROBE_OUTPUT));
        for (PlanEntry e : probeEntries(in.plan(), in.layerType())) {
            if (e.name() != null && !e.name().isEmpty()) {
                subject.add(e.name());
            }
        }
        Set<String> helpers = new LinkedHashSet<>();
        for (PlanEntry e : in.plan()) {
            if (e.name() != null && !e.name().isEmpty() && !subject.contains(e.name())) {
                helpers.add(e.name());
            }
        }
        return ReasonAttribution.attribute(in.log(), subject, helpers);
    }

    /** Combines the three readings; see the class comment. */
    static Verdict combine(Input in, SignalReading plan, SignalReading dispatch, SignalReading reason,
            List<SignalReading> signals) {
        VerdictKind p = plan.says();
        VerdictKind d = dispatch.says();
        VerdictKind r = reason.says();
        Set<VerdictKind> said = new LinkedHashSet<>();
        for (VerdictKind k : new VerdictKind[] {p, d, r}) {
            if (k != null) {
                said.add(k);
            }
        }
        if (said.isEmpty()) {
            return new Verdict(VerdictKind.INCONCLUSIVE, List.of(), signals, List.of(), "no signal decided: "
                    + plan.detail() + "; " + dispatch.detail() + "; " + reason.detail());
        }
        if (said.size() == 1) {
            VerdictKind k = said.iterator().next();
            return verdict(k, in, plan, dispatch, signals, null);
        }
        // Disagreement.
        if (r == VerdictKind.NOT_ANE) {
            if (p == VerdictKind.SPLIT) {
                return verdict(VerdictKind.SPLIT, in, plan, dispatch, signals,
                        "the plan splits the probe and the log shows the part that fell off: " + reason.detail());
            }
            return verdict(VerdictKind.NOT_ANE, in, plan, dispatch, signals,
                    "the log shows the Neural Engine refused it (" + reason.detail() + ") although "
                            + disagreeing(p, d, VerdictKind.NOT_ANE));
        }
        // Here reason is silent: plan and dispatch disagree.
        double conf = dispatch.confidence() == null ? 0.0 : dispatch.confidence();
        if ((p == VerdictKind.ANE || p == VerdictKind.SPLIT) && d == VerdictKind.NOT_ANE) {
            if (helpersOff(in) != null) {
                // The latency is the whole model's: helpers the plan or the log keeps off the ANE can make it look
                // like a baseline while the layer under test runs on the ANE, so it cannot overrule the plan here.
                return verdict(p, in, plan, dispatch, signals, "the plan puts the layer under test "
                        + (p == VerdictKind.ANE ? "on" : "partly on") + " the ANE; the latency ("
                        + dispatch.detail() + ") is the whole model's, with helpers off the ANE");
            }
            if (conf >= OVERRULE_CONFIDENCE) {
                return verdict(VerdictKind.NOT_ANE, in, plan, dispatch, signals,
                        "planned on the ANE but ran elsewhere: " + dispatch.detail());
            }
            return new Verdict(VerdictKind.INCONCLUSIVE, List.of(), signals, List.of(),
                    "planned on the ANE, latency says otherwise with too little confidence ("
                            + String.format(Locale.ROOT, "%.2f", conf) + "): " + dispatch.detail());
        }
        if (p == VerdictKind.SPLIT && d == VerdictKind.ANE) {
            return verdict(VerdictKind.SPLIT, in, plan, dispatch, signals,
                    "the plan splits the probe; the latency change confirms the Neural Engine ran part of it");
        }
        // Plan keeps it off the ANE while latency differs from the baselines: something else explains the latency.
        return new Verdict(VerdictKind.INCONCLUSIVE, List.of(), signals, List.of(),
                "plan and dispatch disagree: " + plan.detail() + "; " + dispatch.detail());
    }

    private static String disagreeing(VerdictKind p, VerdictKind d, VerdictKind k) {
        List<String> parts = new ArrayList<>();
        if (p != null && p != k) {
            parts.add("the plan said " + p);
        }
        if (d != null && d != k) {
            parts.add("dispatch said " + d);
        }
        return String.join(" and ", parts);
    }

    private static Verdict verdict(VerdictKind k, Input in, SignalReading plan, SignalReading dispatch,
            List<SignalReading> signals, String note) {
        List<String> agreed = new ArrayList<>();
        for (SignalReading s : signals) {
            if (s.says() == k) {
                agreed.add(s.signal());
            }
        }
        List<Device> ranOn = switch (k) {
            case ANE -> List.of(Device.ANE);
            case NOT_ANE -> notAneDevices(in, plan, dispatch);
            case SPLIT -> preferredDevices(in);
            default -> List.of();
        };
        String n = note;
        if (n == null && agreed.size() < 3) {
            List<String> silent = new ArrayList<>();
            for (SignalReading s : signals) {
                if (s.says() == null) {
                    silent.add(s.signal());
                }
            }
            n = silent.isEmpty() ? null : "undecided: " + String.join(", ", silent);
        }
        return new Verdict(k, ranOn, signals, agreed, n);
    }

    private static List<Device> notAneDevices(Input in, SignalReading plan, SignalReading dispatch) {
        if (dispatch.says() == VerdictKind.NOT_ANE && dispatch.detail() != null) {
            if (dispatch.detail().startsWith("like gpu")) {
                return List.of(Device.GPU);
            }
            if (dispatch.detail().startsWith("like cpu")) {
                return List.of(Device.CPU);
            }
        }
        if (plan.says() == VerdictKind.NOT_ANE) {
            List<Device> d = preferredDevices(in);
            if (!d.isEmpty()) {
                return d;
            }
        }
        // CPUAndNeuralEngine has only one other device.
        return in.units() == ComputeUnits.ANE ? List.of(Device.CPU) : List.of();
    }

    /**
     * The devices the compute plan prefers for the entries under test (see {@link #select}), in plan order; what an
     * adaptive sweep compares besides the verdict.
     */
    public static List<Device> preferredDevices(List<PlanEntry> plan, String layerType) {
        Set<Device> out = new LinkedHashSet<>();
        for (PlanEntry e : probeEntries(plan == null ? List.of() : plan, layerType)) {
            out.add(e.preferred());
        }
        return List.copyOf(out);
    }

    private static List<Device> preferredDevices(Input in) {
        Set<Device> out = new LinkedHashSet<>();
        for (PlanEntry e : probeEntries(in.plan(), typeUnderTest(in))) {
            out.add(e.preferred());
        }
        return List.copyOf(out);
    }

    /** Which rule of {@link #select} picked the entries under test. */
    enum Rule {
        /** Named {@value #PROBE_LAYER} or {@value #PROBE_OUTPUT}. */
        NAME,
        /** Kind equal to the probe's layer type (ops without outputs, such as write_state, have an empty name). */
        KIND,
        /** Every entry with a device that is neither a helper nor a constant. */
        FALLBACK
    }

    /** The plan entries under test and the rule that picked them (entries may be empty under FALLBACK). */
    record Selection(Rule rule, List<PlanEntry> entries) {
    }

    /**
     * The entries under test, all with a device: (1) those named {@value #PROBE_LAYER} or {@value #PROBE_OUTPUT};
     * else (2) when the layer type is known, those of that kind that are not helpers ({@code aux_*}); else (3) every
     * entry that is neither a helper ({@code aux_*}) nor a constant ({@code c_*} or kind {@value #CONST_KIND}).
     */
    static Selection select(List<PlanEntry> plan, String layerType) {
        // Loops, not streams: the report selects from the plan of each of a million lines.
        List<PlanEntry> named = new java.util.ArrayList<>(1);
        for (PlanEntry e : plan) {
            if (e.preferred() != null && (PROBE_LAYER.equals(e.name()) || PROBE_OUTPUT.equals(e.name()))) {
                named.add(e);
            }
        }
        if (!named.isEmpty()) {
            return new Selection(Rule.NAME, java.util.Collections.unmodifiableList(named));
        }
        if (layerType != null && !layerType.isBlank()) {
            List<PlanEntry> byKind = new java.util.ArrayList<>(1);
            for (PlanEntry e : plan) {
                if (e.preferred() != null && layerType.equals(e.kind()) && !hasPrefix(e, AUX_PREFIX)) {
                    byKind.add(e);
                }
            }
            if (!byKind.isEmpty()) {
                return new Selection(Rule.KIND, java.util.Collections.unmodifiableList(byKind));
            }
        }
        List<PlanEntry> rest = new java.util.ArrayList<>(plan.size());
        for (PlanEntry e : plan) {
            if (e.preferred() != null && !hasPrefix(e, AUX_PREFIX) && !hasPrefix(e, CONST_PREFIX)
                    && !CONST_KIND.equals(e.kind())) {
                rest.add(e);
            }
        }
        return new Selection(Rule.FALLBACK, java.util.Collections.unmodifiableList(rest));
    }

    /**
     * The devices the compute plan preferred for the layer(s) under test (the entries {@link #select} picks), in plan
     * order; empty when the plan names none.
     */
    public static List<Device> preferredUnderTest(List<PlanEntry> plan, String layerType) {
        if (plan.isEmpty()) {
            return List.of();
        }
        List<Device> out = new java.util.ArrayList<>(1);
        for (PlanEntry e : select(plan, layerType).entries()) {
            out.add(e.preferred());
        }
        return out;
    }

    /**
     * The layer type that finds the entries under test by kind: the probe's own, except for a chain probe, which has
     * no single layer under test (its layers are S and U in turn): every layer of the chain is, so no kind is given
     * and {@link #select} falls back to every entry that is neither a helper nor a constant.
     */
    static String typeUnderTest(Input in) {
        String id = in.probeId();
        int slash = id == null ? -1 : id.indexOf('/');
        return slash > 0 && ChainFamilies.isChain(id.substring(0, slash)) ? null : in.layerType();
    }

    /** The entries under test; see {@link #select}. */
    static List<PlanEntry> probeEntries(List<PlanEntry> plan, String layerType) {
        return select(plan, layerType).entries();
    }

    private static boolean hasPrefix(PlanEntry e, String prefix) {
        return e.name() != null && e.name().startsWith(prefix);
    }

    private static String displayName(PlanEntry e) {
        return e.name() == null || e.name().isEmpty() ? "(unnamed)" : e.name();
    }

    static SignalReading planSignal(Input in) {
        StageOutcome planStage = in.stages().stream().filter(s -> s.stage() == Stage.PLAN).findFirst().orElse(null);
        if (in.plan().isEmpty()) {
            String why = planStage == null ? "no plan" : switch (planStage.status()) {
                case UNSUPPORTED -> "no compute plan on this OS (needs macOS 14.4)";
                case FAILED -> "plan failed: " + planStage.error();
                case SKIPPED -> "plan skipped";
                case OK -> "the plan is empty";
            };
            return new SignalReading(PLAN, null, why, null);
        }
        Selection selection = select(in.plan(), typeUnderTest(in));
        List<PlanEntry> target = selection.entries();
        if (target.isEmpty()) {
            return new SignalReading(PLAN, null, "the plan gives no device for the layer under test", null);
        }
        int ane = 0;
        String unnamed = "no entry named '" + PROBE_LAYER + "' or '" + PROBE_OUTPUT + "' with a device; ";
        boolean typed = in.layerType() != null && !in.layerType().isBlank();
        StringBuilder detail = new StringBuilder(switch (selection.rule()) {
            case NAME -> "";
            case KIND -> unnamed + "entries of kind '" + in.layerType() + "': ";
            case FALLBACK -> unnamed + (typed ? "none of kind '" + in.layerType() + "'; " : "")
                    + "non-aux, non-const entries: ";
        });
        for (PlanEntry e : target) {
            if (e.preferred() == Device.ANE) {
                ane++;
            }
            if (detail.length() > 0 && !detail.toString().endsWith(": ")) {
                detail.append("; ");
            }
            detail.append(displayName(e)).append(" (").append(e.kind()).append(") preferred=")
                    .append(e.preferred().label())
                    .append(" supported=").append(labels(e.supported()));
            if (e.preferred() != Device.ANE && e.supported().contains(Device.ANE)) {
                detail.append(" [ANE supported, not preferred]");
            }
        }
        VerdictKind k = ane == target.size() ? VerdictKind.ANE : ane == 0 ? VerdictKind.NOT_ANE : VerdictKind.SPLIT;
        return new SignalReading(PLAN, k, detail.toString(), null);
    }

    private static String labels(List<Device> ds) {
        return ds.stream().map(Device::label).toList().toString();
    }

    static SignalReading dispatchSignal(Input in) {
        if (in.samplesNs() == null || in.samplesNs().isEmpty()) {
            return new SignalReading(DISPATCH, null, "no samples", null);
        }
        if (in.cpuSamplesNs() == null || in.cpuSamplesNs().isEmpty()) {
            return new SignalReading(DISPATCH, null, "no cpu baseline", null);
        }
        long seed = 0x5DEECE66DL ^ ((long) in.probeId().hashCode() << 8) ^ in.units().ordinal();
        MedianRatio.Result cpu = MedianRatio.compare(in.samplesNs(), in.cpuSamplesNs(), MedianRatio.DEFAULT_BAND, seed);
        String cpuText = describe("cpu", cpu);
        if (cpu.outcome() == MedianRatio.Outcome.SAME) {
            return new SignalReading(DISPATCH, VerdictKind.NOT_ANE, "like cpu: " + cpuText, cpu.confidence());
        }
        if (cpu.outcome() == MedianRatio.Outcome.UNDECIDED) {
            return new SignalReading(DISPATCH, null, "undecided: " + cpuText, cpu.confidence());
        }
        if (in.units() == ComputeUnits.ANE) {
            return new SignalReading(DISPATCH, VerdictKind.ANE, "unlike cpu: " + cpuText, cpu.confidence());
        }
        // all: the difference from the cpu could be the GPU.
        if (in.gpuSamplesNs() == null || in.gpuSamplesNs().isEmpty()) {
            return new SignalReading(DISPATCH, null, "unlike cpu (" + cpuText + ") but no gpu baseline", cpu.confidence());
        }
        MedianRatio.Result gpu = MedianRatio.compare(in.samplesNs(), in.gpuSamplesNs(), MedianRatio.DEFAULT_BAND,
                seed * 31 + 7);
        String gpuText = describe("gpu", gpu);
        if (gpu.outcome() == MedianRatio.Outcome.SAME) {
            return new SignalReading(DISPATCH, VerdictKind.NOT_ANE, "like gpu: " + gpuText + "; " + cpuText,
                    Math.min(cpu.confidence(), gpu.confidence()));
        }
        if (gpu.outcome() == MedianRatio.Outcome.UNDECIDED) {
            return new SignalReading(DISPATCH, null, "unlike cpu, undecided against gpu: " + gpuText + "; " + cpuText,
                    gpu.confidence());
        }
        return new SignalReading(DISPATCH, VerdictKind.ANE, "unlike cpu and gpu: " + cpuText + "; " + gpuText,
                Math.min(cpu.confidence(), gpu.confidence()));
    }

    private static String describe(String baseline, MedianRatio.Result r) {
        if (Double.isNaN(r.ratio())) {
            return "too few samples against " + baseline;
        }
        return String.format(Locale.ROOT, "median ratio to %s %.3f (95%% CI %.3f..%.3f)", baseline, r.ratio(), r.low(),
                r.high());
    }

    /**
     * A reason line about the layer under test, or naming no layer of the probe (a whole-model failure), says
     * NOT_ANE; a line naming only helpers is recorded in the detail and decides nothing.
     */
    static SignalReading reasonSignal(Input in) {
        if (in.log() == null) {
            return new SignalReading(REASON, null,
                    "log not read" + (in.logProblem() == null ? "" : ": " + in.logProblem()), null);
        }
        List<ReasonAttribution.Attributed> found = attributed(in);
        List<String> helpers = new ArrayList<>();
        for (ReasonAttribution.Attributed a : found) {
            if (a.about() != ReasonAttribution.About.HELPER) {
                ReasonPatterns.Match m = a.match();
                return new SignalReading(REASON, VerdictKind.NOT_ANE, m.pattern() + ": " + m.excerpt(), null);
            }
            helpers.add(String.join(", ", a.helpers()) + ": " + a.match().pattern() + ": " + a.match().excerpt());
        }
        String none = "no refusal in " + in.log().size() + " log lines";
        if (helpers.isEmpty()) {
            return new SignalReading(REASON, null, none, null);
        }
        return new SignalReading(REASON, null, "no refusal of the layer under test in " + in.log().size()
                + " log lines; of helpers only: " + String.join("; ", helpers), null);
    }

    private static String failureNote(WorkerFailure f, List<StageOutcome> stages) {
        String at = stages.stream().filter(s -> s.status() == StageOutcome.Status.FAILED).map(s -> s.stage().label())
                .findFirst().map(s -> " during " + s).orElse("");
        if (f.kind() == VerdictKind.TIMEOUT) {
            return "no result within " + f.timeoutSeconds() + " s" + at;
        }
        String how = f.signal() != null ? "killed by signal " + f.signal() : "exited with status " + f.exitCode();
        return "the worker " + how + at;
    }
}
