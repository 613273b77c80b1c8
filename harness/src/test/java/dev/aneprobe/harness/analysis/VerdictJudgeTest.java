package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.CoreMlError;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictJudgeTest {
    static final List<Device> ALL3 = List.of(Device.CPU, Device.GPU, Device.ANE);
    static final List<StageOutcome> OK_STAGES = List.of(
            new StageOutcome(Stage.COMPILE, StageOutcome.Status.OK, 10.0, null),
            new StageOutcome(Stage.LOAD, StageOutcome.Status.OK, 3.0, null),
            new StageOutcome(Stage.PLAN, StageOutcome.Status.OK, 1.0, null),
            new StageOutcome(Stage.PREDICT, StageOutcome.Status.OK, 5.0, null));

    /** n deterministic samples around base (+-1%). */
    static List<Long> samples(long base, int n) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(base + (base / 100) * ((i * 7) % 5 - 2) / 2);
        }
        return out;
    }

    static PlanEntry probe(Device preferred) {
        return new PlanEntry("probe", "pooling", preferred, ALL3, null);
    }

    record B(ComputeUnits units, boolean hasAne, List<StageOutcome> stages, WorkerFailure failure, List<PlanEntry> plan,
            List<Long> own, List<Long> cpu, List<Long> gpu, List<String> log) {
        static B ane() {
            return new B(ComputeUnits.ANE, true, OK_STAGES, null, List.of(), samples(100_000, 30),
                    samples(100_000, 30), samples(60_000, 30), List.of());
        }

        B units(ComputeUnits u) {
            return new B(u, hasAne, stages, failure, plan, own, cpu, gpu, log);
        }

        B noAne() {
            return new B(units, false, stages, failure, plan, own, cpu, gpu, log);
        }

        B stages(List<StageOutcome> s) {
            return new B(units, hasAne, s, failure, plan, own, cpu, gpu, log);
        }

        B failure(WorkerFailure f) {
            return new B(units, hasAne, stages, f, plan, own, cpu, gpu, log);
        }

        B plan(PlanEntry... p) {
            return new B(units, hasAne, stages, failure, List.of(p), own, cpu, gpu, log);
        }

        B latency(long ns) {
            return new B(units, hasAne, stages, failure, plan, samples(ns, 30), cpu, gpu, log);
        }

        B noCpu() {
            return new B(units, hasAne, stages, failure, plan, own, null, gpu, log);
        }

        B noGpu() {
            return new B(units, hasAne, stages, failure, plan, own, cpu, null, log);
        }

        B log(String... lines) {
            return new B(units, hasAne, stages, failure, plan, own, cpu, gpu, lines == null ? null : List.of(lines));
        }

        Verdict judge() {
            return judge("pooling");
        }

        Verdict judge(String layerType) {
            return VerdictJudge.judge(new VerdictJudge.Input("pooling/kernel=3x3", layerType, units, hasAne, stages,
                    failure, plan, own, cpu, gpu, log, null));
        }
    }

    static SignalReading signal(Verdict v, String name) {
        return v.signals().stream().filter(s -> s.signal().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void allSignalsAgreeOnAne() {
        Verdict v = B.ane().plan(probe(Device.ANE)).latency(30_000).judge();
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of(Device.ANE), v.ranOn());
        assertEquals(List.of("plan", "dispatch"), v.agreed());
        assertEquals(3, v.signals().size());
        assertTrue(v.note().contains("reason"), v.note());
        assertTrue(signal(v, "dispatch").confidence() > 0.95);
    }

    @Test
    void aneSlowerThanCpuStillCountsAsDispatchedToTheAne() {
        Verdict v = B.ane().plan(probe(Device.ANE)).latency(250_000).judge();
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of("plan", "dispatch"), v.agreed());
    }

    @Test
    void allThreeSignalsAgreeOnNotAne() {
        Verdict v = B.ane().plan(probe(Device.CPU)).latency(100_000)
                .log("2024-05-01 12:00:00.100 E  java[1:2] [com.apple.espresso:espresso] (dilated)kernel width = 28 > 13")
                .judge();
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of(Device.CPU), v.ranOn());
        assertEquals(List.of("plan", "dispatch", "reason"), v.agreed());
        assertNull(v.note());
        assertTrue(signal(v, "reason").detail().contains("kernel width = 28 > 13"));
        assertTrue(signal(v, "plan").detail().contains("[ANE supported, not preferred]"));
    }

    @Test
    void plannedOnTheAneButRanElsewhere() {
        Verdict v = B.ane().plan(probe(Device.ANE)).latency(100_000).judge();
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of("dispatch"), v.agreed());
        assertEquals(List.of(Device.CPU), v.ranOn());
        assertTrue(v.note().startsWith("planned on the ANE but ran elsewhere"), v.note());
        assertEquals(VerdictKind.ANE, signal(v, "plan").says());
    }

    @Test
    void lowConfidenceDispatchDoesNotOverruleThePlan() {
        SignalReading plan = new SignalReading("plan", VerdictKind.ANE, "probe preferred=ane", null);
        SignalReading dispatch = new SignalReading("dispatch", VerdictKind.NOT_ANE, "like cpu: ...", 0.6);
        SignalReading reason = new SignalReading("reason", null, "no refusal", null);
        VerdictJudge.Input in = new VerdictJudge.Input("p", "pooling", ComputeUnits.ANE, true, OK_STAGES, null,
                List.of(), List.of(), List.of(), null, List.of(), null);
        Verdict v = VerdictJudge.combine(in, plan, dispatch, reason, List.of(plan, dispatch, reason));
        assertEquals(VerdictKind.INCONCLUSIVE, v.kind());
        assertTrue(v.agreed().isEmpty());
        assertTrue(v.note().contains("0.60"), v.note());
    }

    @Test
    void theLogOverrulesAPlanThatSaysAne() {
        Verdict v = B.ane().plan(probe(Device.ANE)).latency(30_000)
                .log("E5RT: MILCompilerForANE error: failed to compile ANE model using ANEF. Error=_ANECompiler : ANECCompile() FAILED")
                .judge();
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of("reason"), v.agreed());
        assertTrue(v.note().contains("the plan said ANE and dispatch said ANE"), v.note());
        assertTrue(signal(v, "reason").detail().startsWith("ane-compile-failed"));
    }

    @Test
    void planOffTheAneButLatencyChangedIsInconclusive() {
        Verdict v = B.ane().plan(probe(Device.CPU)).latency(30_000).judge();
        assertEquals(VerdictKind.INCONCLUSIVE, v.kind());
        assertTrue(v.note().startsWith("plan and dispatch disagree"), v.note());
        assertTrue(v.ranOn().isEmpty());
    }

    @Test
    void splitPlanWithLatencyChangeIsSplit() {
        Verdict v = B.ane().plan(probe(Device.ANE), new PlanEntry("probe", "pooling", Device.CPU, ALL3, null))
                .latency(40_000).judge();
        assertEquals(VerdictKind.SPLIT, v.kind());
        assertEquals(List.of("plan"), v.agreed());
        assertEquals(List.of(Device.ANE, Device.CPU), v.ranOn());
    }

    @Test
    void splitPlanWithARefusalInTheLogStaysSplit() {
        Verdict v = B.ane().plan(probe(Device.ANE), new PlanEntry("probe", "pooling", Device.CPU, ALL3, null))
                .noCpu().log("Unsupported op 12 (pool): stride_x = 4 > 2").judge();
        assertEquals(VerdictKind.SPLIT, v.kind());
        assertTrue(v.note().contains("stride_x = 4 > 2"), v.note());
    }

    @Test
    void splitPlanButCpuLatencyIsNotAne() {
        Verdict v = B.ane().plan(probe(Device.ANE), new PlanEntry("probe", "pooling", Device.CPU, ALL3, null))
                .latency(100_000).judge();
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of("dispatch"), v.agreed());
    }

    @Test
    void noSignalIsInconclusive() {
        Verdict v = B.ane().noCpu().log((String[]) null).judge();
        assertEquals(VerdictKind.INCONCLUSIVE, v.kind());
        assertTrue(v.note().contains("the plan is empty"), v.note());
        assertTrue(v.note().contains("no cpu baseline"), v.note());
        assertTrue(v.note().contains("log not read"), v.note());
    }

    @Test
    void aSingleSignalDecidesAndTheNoteSaysWhichWereSilent() {
        Verdict v = B.ane().plan(probe(Device.ANE)).noCpu().judge();
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of("plan"), v.agreed());
        assertEquals("undecided: dispatch, reason", v.note());
    }

    @Test
    void auxiliaryLayersAreIgnoredAndUnnamedProbesFallBackToNonAuxEntries() {
        Verdict v = B.ane().plan(new PlanEntry("aux_const", "load_constant", Device.CPU, List.of(Device.CPU), null),
                probe(Device.ANE)).noCpu().judge();
        assertEquals(VerdictKind.ANE, v.kind());

        Verdict fallback = B.ane().plan(new PlanEntry("aux_in", "cast", Device.CPU, ALL3, null),
                new PlanEntry("conv_0", "conv", Device.ANE, ALL3, 0.9),
                new PlanEntry("const_1", "const", null, List.of(), null)).noCpu().judge();
        assertEquals(VerdictKind.ANE, fallback.kind());
        assertEquals("no entry named 'probe' or 'y' with a device; none of kind 'pooling'; non-aux, non-const entries: "
                + "conv_0 (conv) preferred=ane supported=[cpu, gpu, ane]", signal(fallback, "plan").detail());
    }

    @Test
    void neuralNetworkProbeLayerIsPickedByNameWhateverTheLayerType() {
        List<PlanEntry> plan = List.of(
                new PlanEntry("aux_const", "load_constant", Device.CPU, List.of(Device.CPU), null),
                probe(Device.GPU), new PlanEntry("other", "pooling", Device.ANE, ALL3, null));
        for (String layerType : new String[] {"pooling", "convolution", null}) {
            VerdictJudge.Selection sel = VerdictJudge.select(plan, layerType);
            assertEquals(VerdictJudge.Rule.NAME, sel.rule(), "layerType=" + layerType);
            assertEquals(List.of(plan.get(1)), sel.entries());
        }
        Verdict v = B.ane().plan(plan.toArray(PlanEntry[]::new)).noCpu().judge("pooling");
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of(Device.GPU), v.ranOn());
        assertEquals("probe (pooling) preferred=gpu supported=[cpu, gpu, ane] [ANE supported, not preferred]",
                signal(v, "plan").detail());
    }

    /** An ML Program probe: parameters are const ops c_* (no device, or one if Core ML gave it), the op writes y. */
    @Test
    void mlProgramOpUnderTestIsYAndConstsNeverCount() {
        PlanEntry weight = new PlanEntry("c_weight", "const", null, List.of(), null);
        PlanEntry strides = new PlanEntry("c_strides", "const", Device.CPU, List.of(Device.CPU), 0.0);
        PlanEntry cast = new PlanEntry("aux_x16", "cast", Device.CPU, ALL3, 0.01);
        PlanEntry conv = new PlanEntry("y", "conv", Device.ANE, ALL3, 0.98);
        List<PlanEntry> plan = List.of(weight, strides, cast, conv);

        VerdictJudge.Selection sel = VerdictJudge.select(plan, "conv");
        assertEquals(VerdictJudge.Rule.NAME, sel.rule());
        assertEquals(List.of(conv), sel.entries());

        Verdict v = B.ane().plan(plan.toArray(PlanEntry[]::new)).noCpu().judge("conv");
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of(Device.ANE), v.ranOn());
        assertEquals("y (conv) preferred=ane supported=[cpu, gpu, ane]", signal(v, "plan").detail());

        // Without y (say the op got no device) and without a layer type, the fallback still skips every constant:
        // a c_* entry with a device and a const-kind entry under another name would otherwise make the plan SPLIT.
        PlanEntry constByKind = new PlanEntry("w_dq", "const", Device.CPU, List.of(Device.CPU), null);
        PlanEntry op = new PlanEntry("z", "conv", Device.ANE, ALL3, 0.9);
        List<PlanEntry> noY = List.of(weight, strides, constByKind, cast, op);
        VerdictJudge.Selection fb = VerdictJudge.select(noY, null);
        assertEquals(VerdictJudge.Rule.FALLBACK, fb.rule());
        assertEquals(List.of(op), fb.entries());
        Verdict fv = B.ane().plan(noY.toArray(PlanEntry[]::new)).noCpu().judge(null);
        assertEquals(VerdictKind.ANE, signal(fv, "plan").says());
        assertEquals("no entry named 'probe' or 'y' with a device; non-aux, non-const entries: "
                + "z (conv) preferred=ane supported=[cpu, gpu, ane]", signal(fv, "plan").detail());
    }

    /** write_state has no outputs, so its entry has an empty name: it is found by its kind, the probe's layer type. */
    @Test
    void opWithoutOutputsIsFoundByKind() {
        PlanEntry value = new PlanEntry("c_value", "const", null, List.of(), null);
        PlanEntry read = new PlanEntry("aux_s", "read_state", Device.ANE, ALL3, 0.2);
        PlanEntry write = new PlanEntry("", "write_state", Device.CPU, List.of(Device.CPU, Device.ANE), 0.5);
        PlanEntry add = new PlanEntry("aux_sum", "add", Device.ANE, ALL3, 0.3);
        List<PlanEntry> plan = List.of(value, read, add, write);

        VerdictJudge.Selection sel = VerdictJudge.select(plan, "write_state");
        assertEquals(VerdictJudge.Rule.KIND, sel.rule());
        assertEquals(List.of(write), sel.entries());

        Verdict v = B.ane().plan(plan.toArray(PlanEntry[]::new)).noCpu().judge("write_state");
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of(Device.CPU), v.ranOn());
        assertEquals("no entry named 'probe' or 'y' with a device; entries of kind 'write_state': "
                + "(unnamed) (write_state) preferred=cpu supported=[cpu, ane] [ANE supported, not preferred]",
                signal(v, "plan").detail());

        // A helper of the same kind is never the op under test.
        PlanEntry helperWrite = new PlanEntry("aux_w", "write_state", Device.ANE, ALL3, 0.1);
        assertEquals(List.of(write), VerdictJudge.select(List.of(value, helperWrite, write), "write_state").entries());

        // The kind rule needs a device: a write_state without one leaves the choice to the fallback (empty here).
        PlanEntry noDevice = new PlanEntry("", "write_state", null, List.of(), null);
        VerdictJudge.Selection none = VerdictJudge.select(List.of(value, read, add, noDevice), "write_state");
        assertEquals(VerdictJudge.Rule.FALLBACK, none.rule());
        assertTrue(none.entries().isEmpty());
        Verdict nv = B.ane().plan(value, read, add, noDevice).noCpu().judge("write_state");
        assertNull(signal(nv, "plan").says());
        assertEquals("the plan gives no device for the layer under test", signal(nv, "plan").detail());
    }

    @Test
    void planUnavailableIsSaidAndDoesNotReject() {
        List<StageOutcome> stages = List.of(OK_STAGES.get(0), OK_STAGES.get(1),
                new StageOutcome(Stage.PLAN, StageOutcome.Status.UNSUPPORTED, null,
                        new CoreMlError("aneprobe", 0, "MLComputePlan needs macOS 14.4 or later")),
                OK_STAGES.get(3));
        Verdict v = B.ane().stages(stages).latency(30_000).judge();
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of("dispatch"), v.agreed());
        assertTrue(signal(v, "plan").detail().contains("14.4"));

        List<StageOutcome> failed = List.of(OK_STAGES.get(0), OK_STAGES.get(1),
                new StageOutcome(Stage.PLAN, StageOutcome.Status.FAILED, null, new CoreMlError("d", 1, "x")),
                OK_STAGES.get(3));
        assertEquals(VerdictKind.NOT_ANE, B.ane().stages(failed).latency(100_000).judge().kind());
    }

    @Test
    void coreMlRefusalIsRejectedWithItsError() {
        CoreMlError e = new CoreMlError("com.apple.CoreML", 0, "Failed to load model: ANECCompile() FAILED");
        List<StageOutcome> stages = List.of(OK_STAGES.get(0),
                new StageOutcome(Stage.LOAD, StageOutcome.Status.FAILED, null, e),
                new StageOutcome(Stage.PLAN, StageOutcome.Status.SKIPPED, null, null),
                new StageOutcome(Stage.PREDICT, StageOutcome.Status.SKIPPED, null, null));
        Verdict v = B.ane().stages(stages).judge();
        assertEquals(VerdictKind.REJECTED, v.kind());
        assertEquals("Core ML refused it at load: " + e, v.note());
        assertTrue(v.agreed().isEmpty());
    }

    @Test
    void crashAndTimeoutKeepThePlanReading() {
        List<StageOutcome> stages = List.of(OK_STAGES.get(0), OK_STAGES.get(1), OK_STAGES.get(2),
                new StageOutcome(Stage.PREDICT, StageOutcome.Status.FAILED, null, null));
        Verdict crashed = B.ane().stages(stages).plan(probe(Device.ANE))
                .failure(new WorkerFailure(VerdictKind.CRASHED, 6, 134, null, List.of("abort"))).judge();
        assertEquals(VerdictKind.CRASHED, crashed.kind());
        assertEquals("the worker killed by signal 6 during predict", crashed.note());
        assertEquals(VerdictKind.ANE, signal(crashed, "plan").says());

        Verdict timeout = B.ane().stages(stages)
                .failure(new WorkerFailure(VerdictKind.TIMEOUT, 9, null, 2.0, List.of())).judge();
        assertEquals(VerdictKind.TIMEOUT, timeout.kind());
        assertEquals("no result within 2.0 s during predict", timeout.note());
    }

    @Test
    void aHostWithoutNeuralEngineIsNeverNotAne() {
        // Every combination of readings that would otherwise say NOT_ANE (or anything else).
        for (Device preferred : new Device[] {Device.CPU, Device.GPU, Device.ANE, null}) {
            for (long latency : new long[] {100_000, 60_000, 30_000}) {
                for (String[] log : new String[][] {{}, {"ANECCompile() FAILED"}, null}) {
                    for (ComputeUnits u : new ComputeUnits[] {ComputeUnits.ANE, ComputeUnits.ALL}) {
                        B b = B.ane().units(u).noAne().latency(latency).log(log);
                        if (preferred != null) {
                            b = b.plan(probe(preferred));
                        }
                        Verdict v = b.judge();
                        assertNotEquals(VerdictKind.NOT_ANE, v.kind());
                        assertEquals(VerdictKind.NO_ANE, v.kind(), "preferred=" + preferred + " latency=" + latency);
                        assertTrue(v.agreed().isEmpty());
                    }
                }
            }
        }
    }

    @Test
    void allSettingComparesWithTheGpuBaselineToo() {
        Verdict likeGpu = B.ane().units(ComputeUnits.ALL).plan(probe(Device.GPU)).latency(60_000).judge();
        assertEquals(VerdictKind.NOT_ANE, likeGpu.kind());
        assertEquals(List.of(Device.GPU), likeGpu.ranOn());
        assertEquals(List.of("plan", "dispatch"), likeGpu.agreed());

        Verdict ane = B.ane().units(ComputeUnits.ALL).plan(probe(Device.ANE)).latency(20_000).judge();
        assertEquals(VerdictKind.ANE, ane.kind());
        assertTrue(signal(ane, "dispatch").detail().startsWith("unlike cpu and gpu"));

        Verdict noGpu = B.ane().units(ComputeUnits.ALL).noGpu().latency(20_000).judge();
        assertNull(signal(noGpu, "dispatch").says());
        assertTrue(signal(noGpu, "dispatch").detail().contains("no gpu baseline"));
    }

    @Test
    void baselineSettingsCarryNoVerdict() {
        assertThrows(IllegalArgumentException.class, () -> B.ane().units(ComputeUnits.CPU).judge());
        assertThrows(IllegalArgumentException.class, () -> B.ane().units(ComputeUnits.GPU).judge());
    }

    @Test
    void judgingIsDeterministic() {
        B b = B.ane().plan(probe(Device.ANE)).latency(95_000);
        assertEquals(b.judge(), b.judge());
    }

    // ---- the layer under test, not its helpers. FIXTURE: the plans and log lines below are invented in the shape
    // of the compute plan and of the simulated Core ML's lines ("<reason> [<type> '<name>']"); none was recorded
    // on a Mac.

    static final PlanEntry HELPER_ON_CPU = new PlanEntry("aux_begin", "loadConstantND", Device.CPU,
            List.of(Device.CPU), null);
    static final String HELPER_REFUSED = "2026-01-01 12:00:00.100000 E  java[7:1] [com.apple.espresso:ane] "
            + "Unsupported layer type for the Neural Engine: ND constant [loadConstantND 'aux_begin']";
    static final String PROBE_REFUSED = "2026-01-01 12:00:00.200000 E  java[7:1] [com.apple.espresso:ane] "
            + "Unsupported slice size for the Neural Engine [sliceBySize 'probe']";

    static PlanEntry slice(Device preferred) {
        return new PlanEntry("probe", "sliceBySize", preferred, ALL3, null);
    }

    @Test
    void aHelperOffTheAneDoesNotDecideWhenTheLayerUnderTestRunsThere() {
        Verdict v = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE)).latency(40_000).log(HELPER_REFUSED)
                .judge("sliceBySize");
        assertEquals(VerdictKind.ANE, v.kind());
        assertEquals(List.of(Device.ANE), v.ranOn());
        assertEquals(List.of("plan", "dispatch"), v.agreed());
        SignalReading reason = signal(v, "reason");
        assertNull(reason.says());
        assertTrue(reason.detail().startsWith("no refusal of the layer under test in 1 log lines; of helpers only: "
                + "aux_begin: unsupported: Unsupported layer type"), reason.detail());
        assertEquals("undecided: reason; helpers off the ANE, not judged: aux_begin (plan cpu, log unsupported)",
                v.note());

        // The latency is the whole model's: a helper on the CPU doing most of the work makes it look like the cpu
        // baseline, which cannot overrule a plan that puts the layer under test on the ANE.
        Verdict slow = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE)).latency(100_000).log(HELPER_REFUSED)
                .judge("sliceBySize");
        assertEquals(VerdictKind.ANE, slow.kind());
        assertEquals(List.of("plan"), slow.agreed());
        assertTrue(slow.note().startsWith("the plan puts the layer under test on the ANE; the latency (like cpu"),
                slow.note());
        // Without helpers off the ANE the same latency does overrule it.
        assertEquals(VerdictKind.NOT_ANE, B.ane().plan(slice(Device.ANE)).latency(100_000).judge("sliceBySize")
                .kind());
    }

    @Test
    void theLayerUnderTestOffTheAneIsNotAneWhateverItsHelpersDo() {
        Verdict v = B.ane().plan(HELPER_ON_CPU, slice(Device.CPU)).latency(100_000)
                .log(HELPER_REFUSED, PROBE_REFUSED).judge("sliceBySize");
        assertEquals(VerdictKind.NOT_ANE, v.kind());
        assertEquals(List.of("plan", "dispatch", "reason"), v.agreed());
        assertTrue(signal(v, "reason").detail().contains("[sliceBySize 'probe']"), signal(v, "reason").detail());

        // On the ANE by plan and latency, but the log refuses the layer under test: the log is ground truth.
        Verdict refused = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE)).latency(40_000)
                .log(HELPER_REFUSED, PROBE_REFUSED).judge("sliceBySize");
        assertEquals(VerdictKind.NOT_ANE, refused.kind());
        assertEquals(List.of("reason"), refused.agreed());

        // A line naming no layer of the probe (a whole-model compile failure) still counts against it.
        Verdict whole = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE)).latency(40_000)
                .log(HELPER_REFUSED, "ANECCompile() FAILED: err=(CompilationFailure)").judge("sliceBySize");
        assertEquals(VerdictKind.NOT_ANE, whole.kind());
        assertTrue(signal(whole, "reason").detail().startsWith("ane-compile-failed"));
    }

    @Test
    void splitMeansTheLayerUnderTestItselfIsSplit() {
        // The layer under test in two compiled parts (two plan entries of its name), one off the ANE.
        Verdict v = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE), slice(Device.CPU)).latency(60_000)
                .log(PROBE_REFUSED).judge("sliceBySize");
        assertEquals(VerdictKind.SPLIT, v.kind());
        assertEquals(List.of(Device.ANE, Device.CPU), v.ranOn());
        assertTrue(v.note().startsWith("the plan splits the probe and the log shows the part that fell off"),
                v.note());

        // The layer whole on the ANE and a helper off it: not SPLIT.
        Verdict helperOnly = B.ane().plan(HELPER_ON_CPU, slice(Device.ANE)).latency(60_000).log(HELPER_REFUSED)
                .judge("sliceBySize");
        assertEquals(VerdictKind.ANE, helperOnly.kind());
        assertEquals(VerdictKind.ANE, signal(helperOnly, "plan").says());
    }

    @Test
    void logLinesAreMatchedToLayersByName() {
        // 'y' (an ML Program op under test) counts only quoted; longer names as whole words; aux_* is a helper even
        // when the plan is unavailable.
        assertTrue(ReasonAttribution.mentions("Unsupported op [conv 'y']", "y"));
        assertTrue(ReasonAttribution.mentions("layer \"y\" falls back", "y"));
        assertTrue(!ReasonAttribution.mentions("stride_y = 4 > 2", "y"));
        assertTrue(!ReasonAttribution.mentions("Tensor width y goes beyond limit", "y"));
        assertTrue(ReasonAttribution.mentions("kernel width = 28 > 13 (layer probe)", "probe"));
        assertTrue(!ReasonAttribution.mentions("probes/pooling kernel width = 28 > 13", "probe"));
        assertTrue(!ReasonAttribution.mentions("reprobe_2 kernel width = 28 > 13", "probe"));

        List<ReasonAttribution.Attributed> a = ReasonAttribution.attribute(List.of(
                "Unsupported op 3: aux_shape (shape): int32", "Unsupported op 4: 'y' (range_1d)",
                "Unsupported op 5 <private>"), java.util.Set.of("probe", "y"), java.util.Set.of());
        assertEquals(List.of(ReasonAttribution.About.HELPER, ReasonAttribution.About.SUBJECT,
                ReasonAttribution.About.UNNAMED), a.stream().map(ReasonAttribution.Attributed::about).toList());
        assertEquals(List.of("aux_shape"), a.get(0).helpers());

        // With no plan (macOS before 14.4) the generator's names still tell the helper from the probe.
        Verdict v = B.ane().latency(30_000).log("Unsupported op 3: aux_shape (shape): int32").judge("range_1d");
        assertEquals(VerdictKind.ANE, v.kind());
        assertTrue(v.note().endsWith("helpers off the ANE, not judged: aux_shape (log unsupported)"), v.note());
    }

    @Test
    void aHostWithoutNeuralEngineIsNoAneEvenWhereCoreMlRefused() {
        CoreMlError e = new CoreMlError("com.apple.CoreML", -7, "Failed to parse the model (FIXTURE)");
        for (Stage at : new Stage[] {Stage.COMPILE, Stage.LOAD, Stage.PREDICT}) {
            List<StageOutcome> stages = new ArrayList<>();
            boolean failed = false;
            for (StageOutcome s : OK_STAGES) {
                if (s.stage() == at) {
                    stages.add(new StageOutcome(at, StageOutcome.Status.FAILED, null, e));
                    failed = true;
                } else {
                    stages.add(failed ? new StageOutcome(s.stage(), StageOutcome.Status.SKIPPED, null, null) : s);
                }
            }
            Verdict v = B.ane().noAne().stages(stages).judge();
            assertEquals(VerdictKind.NO_ANE, v.kind(), "refused at " + at.label());
            assertTrue(v.note().endsWith("; Core ML refused it at " + at.label() + ": " + e), v.note());
            // The same refusal on a host with a Neural Engine is REJECTED.
            assertEquals(VerdictKind.REJECTED, B.ane().stages(stages).judge().kind());
        }
        // A dead worker is still a fact of its own.
        Verdict crashed = B.ane().noAne().failure(new WorkerFailure(VerdictKind.CRASHED, 11, 139, null, List.of()))
                .judge();
        assertEquals(VerdictKind.CRASHED, crashed.kind());
    }
}
