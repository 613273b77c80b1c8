package dev.aneprobe.harness.analysis.chains;

import static dev.aneprobe.harness.analysis.chains.ChainFixtures.line;
import static dev.aneprobe.harness.analysis.chains.ChainFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.claims.ClaimEvaluator;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ClaimStatus;
import dev.aneprobe.harness.analysis.claims.Prediction;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chain probes read as device sequences, and the switching claims judged on them. Every observation here is a
 * hand-built FIXTURE (run ids and chips say so): none was measured.
 */
class ChainAnalysisTest {
    private static final Device A = Device.ANE;
    private static final Device G = Device.GPU;
    private static final Device C = Device.CPU;

    @Test
    void aPlanReadsAsTheDeviceOfEachLayerInChainOrder() {
        DeviceSequence s = DeviceSequence.of(line("chainGpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT,
                A, G, G, G));
        assertEquals(List.of("s1", "u1", "s2", "u2"), s.layers());
        assertEquals("ane gpu gpu gpu", s.text());
        assertEquals("ane \u2192 gpu \u2192 gpu \u2192 gpu (1 switch)", s.describe());
        assertEquals(1, s.switches());
        assertEquals(1, s.leaves(G));
        assertEquals(0, s.leaves(C));
        assertEquals(2, s.chancesToLeave());
        assertTrue(s.complete() && s.onlyAndBoth(A, G) && !s.onlyAndBoth(A, C));

        DeviceSequence back = DeviceSequence.of(line("chainCpu", "US", 3, ComputeUnits.ALL, VerdictKind.SPLIT,
                C, A, C, A, C, A));
        assertEquals(List.of("u1", "s1", "u2", "s2", "u3", "s3"), back.layers());
        assertEquals(5, back.switches());
        assertEquals(2, back.leaves(C));
        assertEquals(2, back.chancesToLeave());
    }

    @Test
    void unknownLayersAreSkippedAndNamed() {
        // Only three of four layers in the plan: the missing one is unknown, switches skip it.
        DeviceSequence s = DeviceSequence.of(line("chainCpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, C, A));
        assertEquals("ane cpu ane ?", s.text());
        assertFalse(s.complete());
        assertEquals(2, s.switches());
        assertTrue(DeviceSequence.of(line("chainCpu", "SU", 1, ComputeUnits.ALL, VerdictKind.INCONCLUSIVE)).empty());
        // Not a chain: another family, or params that name no chain.
        assertNull(DeviceSequence.of(line("convolution", "SU", 2, ComputeUnits.ALL, VerdictKind.ANE, A)));
        assertNull(DeviceSequence.of(line("chainCpu", "SU", 99, ComputeUnits.ALL, VerdictKind.ANE, A)));
    }

    @Test
    void theJudgeNeedsASplitOfTheClaimsDevicesInAChainLongEnough() {
        Prediction once = Prediction.ANE_GPU_AT_MOST_ONCE;
        Prediction again = Prediction.ANE_CPU_REPEATS;
        DeviceSequence stays = DeviceSequence.of(line("chainGpu", "SU", 2, ComputeUnits.ALL, null, A, G, G, G));
        DeviceSequence flips = DeviceSequence.of(line("chainGpu", "SU", 2, ComputeUnits.ALL, null, A, G, A, G));
        DeviceSequence cpuFlips = DeviceSequence.of(line("chainCpu", "SU", 2, ComputeUnits.ALL, null, A, C, A, C));
        DeviceSequence cpuStays = DeviceSequence.of(line("chainCpu", "SU", 3, ComputeUnits.ALL, null,
                A, C, C, C, C, C));
        DeviceSequence shortOne = DeviceSequence.of(line("chainCpu", "US", 2, ComputeUnits.ALL, null, C, A, C, A));
        assertEquals(SwitchingJudge.Judgement.SUPPORTS, SwitchingJudge.judge(once, stays, VerdictKind.SPLIT));
        assertEquals(SwitchingJudge.Judgement.CONTRADICTS, SwitchingJudge.judge(once, flips, VerdictKind.SPLIT));
        assertEquals(SwitchingJudge.Judgement.SUPPORTS, SwitchingJudge.judge(again, cpuFlips, VerdictKind.SPLIT));
        assertEquals(SwitchingJudge.Judgement.CONTRADICTS, SwitchingJudge.judge(again, cpuStays, VerdictKind.SPLIT));
        // Not evidence: the dispatch overruled the plan; the U layers went elsewhere; only one chance to leave.
        assertEquals(SwitchingJudge.Judgement.NO_EVIDENCE, SwitchingJudge.judge(once, stays, VerdictKind.NOT_ANE));
        assertEquals(SwitchingJudge.Judgement.NO_EVIDENCE, SwitchingJudge.judge(once, cpuFlips, VerdictKind.SPLIT));
        assertEquals(SwitchingJudge.Judgement.NO_EVIDENCE, SwitchingJudge.judge(again, shortOne, VerdictKind.SPLIT));
    }

    @Test
    void theMatrixKeepsEachChainsSequencesPerSettingAndTheClaimsAreJudgedUnderAll() {
        ResultMatrix m = new ResultMatrix();
        RunDir r1 = run("FIXTURE-run-1");
        m.add(r1, line("chainGpu", "SU", 2, ComputeUnits.CPU, null, C, C, C, C));
        m.add(r1, line("chainGpu", "SU", 2, ComputeUnits.ANE, VerdictKind.SPLIT, A, C, A, C));
        m.add(r1, line("chainGpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, G, G));
        m.add(r1, line("chainGpu", "SU", 3, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, G, G, G, G));
        m.add(r1, line("chainCpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, C, A, C));
        m.add(r1, line("chainCpu", "SU", 3, ComputeUnits.ALL, VerdictKind.SPLIT, A, C, C, C, C, C));
        // The same probe in a second run, the same sequence: counted twice, one reading.
        RunDir r2 = run("FIXTURE-run-2");
        m.add(r2, line("chainGpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, G, G));

        ProbeResult p = m.columns().get(0).probes().stream()
                .filter(x -> x.probeId().equals("chainGpu/order=SU,alternations=2")).findFirst().orElseThrow();
        assertEquals(List.of(ComputeUnits.CPU, ComputeUnits.ALL, ComputeUnits.ANE), p.chain().units());
        List<ChainTally.Reading> all = p.chain().readings(ComputeUnits.ALL);
        assertEquals(1, all.size());
        assertEquals(2, all.get(0).lines());
        assertEquals("FIXTURE-run-1", all.get(0).firstRun());
        assertEquals("ane cpu ane cpu", p.chain().readings(ComputeUnits.ANE).get(0).sequence().text());

        Map<String, ClaimResult> byId = new LinkedHashMap<>();
        ClaimEvaluator.evaluate(ClaimSet.bundled(), m).forEach(r -> byId.put(r.claim().id(), r));
        ClaimResult once = byId.get("chain-ane-gpu-switch-once");
        assertEquals(ClaimStatus.CONFIRMED, once.status());
        assertEquals(2, once.columns().get(0).supporting());
        assertEquals(3, once.columns().get(0).evidence());
        // The CPU chains: one goes back and forth (supports), one stays on the CPU (contradicts): PARTIAL, and where
        // it fails is told by the axis that separates them.
        ClaimResult again = byId.get("chain-ane-cpu-switch-repeats");
        assertEquals(ClaimStatus.PARTIAL, again.status());
        assertEquals(1, again.columns().get(0).supporting());
        assertEquals(1, again.columns().get(0).contradicting());
        assertTrue(again.columns().get(0).where().contains("alternations >= 3"), again.columns().get(0).where());
        assertEquals(List.of("chainCpu/order=SU,alternations=3", "chainCpu/order=SU,alternations=2"),
                again.columns().get(0).deciding());
        // The per-layer claims never see the chain probes.
        assertEquals(ClaimStatus.UNTESTED, byId.get("undilated-conv-ane").status());
    }

    @Test
    void linesThatDisagreeDisputeTheProbe() {
        ResultMatrix m = new ResultMatrix();
        m.add(run("FIXTURE-run-1"), line("mil.chain_gpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, G, G));
        m.add(run("FIXTURE-run-2"), line("mil.chain_gpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, A, G));
        ClaimResult r = ClaimEvaluator.evaluate(ClaimSet.bundled(), m).stream()
                .filter(x -> x.claim().id().equals("chain-ane-gpu-switch-once")).findFirst().orElseThrow();
        assertEquals(ClaimStatus.PARTIAL, r.status());
        assertEquals(1, r.columns().get(0).disputed());
    }
}
