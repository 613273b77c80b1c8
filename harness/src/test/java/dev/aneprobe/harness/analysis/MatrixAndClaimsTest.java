package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.ClaimEvaluator;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimStatus;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Merging and claim verdicts over the FIXTURE runs (see fixtures/README.md for what they contain). */
class MatrixAndClaimsTest {
    static final String M1 = "FIXTURE Apple M1 / macOS 14.5";
    static final String M2 = "FIXTURE Apple M2 / macOS 15.0";
    static ResultMatrix matrix;
    static Map<String, ClaimResult> results = new HashMap<>();

    @BeforeAll
    static void read() throws Exception {
        matrix = ResultMatrix.read(RunLoader.discover(List.of(Fixtures.runs()), false, w -> { }), w -> { },
                RunListener.NONE);
        ClaimEvaluator.evaluate(Fixtures.claims(), matrix).forEach(r -> results.put(r.claim().id(), r));
    }

    static ProbeResult probe(String chipOs, String id) {
        return matrix.columns().stream().filter(c -> c.chipOs().equals(chipOs)).findFirst().orElseThrow()
                .probes().stream().filter(p -> p.probeId().equals(id)).findFirst().orElseThrow();
    }

    static ClaimResult.Column column(String claim, String chipOs) {
        return results.get(claim).columns().stream().filter(c -> c.chipOs().equals(chipOs)).findFirst()
                .orElseThrow();
    }

    @Test
    void runsOfOneChipAndOsFormOneColumn() {
        assertEquals(List.of(M1, M2), matrix.columns().stream().map(ResultMatrix.Column::chipOs).toList());
        assertEquals(2, matrix.columns().get(0).runs().size());
    }

    @Test
    void theSameProbeMeasuredTwiceIsCombinedAndDisagreementIsShown() {
        ProbeResult agree = probe(M1, "pooling/type=max,kernel=15x15,stride=1x1,pad=valid,global=false,in=64x56x56");
        assertEquals(2, agree.runs());
        assertEquals(2, agree.count(ComputeUnits.ANE, VerdictKind.NOT_ANE));
        assertEquals(Outcome.OFF_ANE, agree.outcome());
        assertNull(agree.disagreement());
        ProbeResult disputed = probe(M1, "pooling/type=max,kernel=13x13,stride=2x2,pad=valid,global=false,in=64x56x56");
        assertEquals(Outcome.DISPUTED, disputed.outcome());
        assertEquals("ane: ANE x1 (fixture-m1-a), NOT_ANE x1 (fixture-m1-b)", disputed.disagreement());
    }

    @Test
    void theSameIdWithAnotherModelIsKeptApartAndFlagged() {
        String id = "upsample/scale=2x2,mode=nn,align=default,in=64x28x28";
        List<ProbeResult> both = matrix.columns().get(0).probes().stream().filter(p -> p.probeId().equals(id))
                .toList();
        assertEquals(2, both.size());
        assertTrue(both.stream().allMatch(ProbeResult::ambiguous));
        assertTrue(both.get(0).label().startsWith(id + " @"));
        assertEquals(1, both.get(0).runs());
        Map<String, List<String>> conflicts = matrix.shaConflicts();
        assertEquals(List.of(id), List.copyOf(conflicts.keySet()));
        assertEquals(2, conflicts.get(id).size(), conflicts.toString());
    }

    @Test
    void aneLinesDecideAndAllLinesAreKept() {
        ProbeResult p = probe(M1, "pooling/type=max,kernel=3x3,stride=1x1,pad=valid,global=false,in=64x56x56");
        assertEquals(ComputeUnits.ANE, p.primaryUnits());
        assertEquals(1, p.count(ComputeUnits.ALL, VerdictKind.ANE));
        assertEquals(Outcome.ON_ANE, p.outcome(ComputeUnits.ALL));
        assertEquals(2_000_000.0, p.medianNs(ComputeUnits.CPU));
        assertEquals(400_000.0, p.medianNs(ComputeUnits.ANE));
    }

    @Test
    void confirmedOnEveryChip() {
        ClaimResult r = results.get("custom-not-ane");
        assertEquals(ClaimStatus.CONFIRMED, r.status());
        assertEquals(List.of("custom/in=64x56x56"), column("custom-not-ane", M2).deciding());
    }

    @Test
    void failuresAreNotEvidenceAndAreCountedSeparately() {
        ClaimResult.Column rnn = column("rnn-not-ane", M1);
        assertEquals(ClaimStatus.UNTESTED, rnn.status());
        assertEquals(1, rnn.probes());
        assertEquals(Map.of(VerdictKind.CRASHED, 1L), rnn.noEvidence());
        assertEquals(ClaimStatus.UNTESTED, results.get("rnn-not-ane").status());
        ClaimResult.Column nd = column("broadcastable-nd-not-ane", M1);
        assertEquals(ClaimStatus.CONFIRMED, nd.status(), "a REJECTED probe neither confirms nor refutes");
        assertEquals(Map.of(VerdictKind.REJECTED, 1L), nd.noEvidence());
        assertEquals(ClaimStatus.UNTESTED, results.get("gather-not-ane").status());
    }

    @Test
    void partialSaysWhereItFails() {
        ClaimResult.Column cb = column("channel-broadcast-multiply-not-ane", M1);
        assertEquals(ClaimStatus.PARTIAL, cb.status());
        assertEquals("operand = constant", cb.where());
        assertEquals("multiply/b=Cx1x1,operand=constant,in=64x56x56", cb.deciding().get(0),
                "contradicting probes come first");
        ClaimResult.Column up = column("upsample-ane", M1);
        assertEquals("scale >= 4 (holds up to 2)", up.where());
        ClaimResult.Column k13 = column("pooling-kernel-gt13-not-ane", M1);
        assertEquals(ClaimStatus.PARTIAL, k13.status());
        assertEquals("type = average", k13.where());
    }

    @Test
    void chipsThatDisagreeMakeItPartialOverall() {
        ClaimResult r = results.get("pooling-kernel-gt13-not-ane");
        assertEquals(ClaimStatus.REFUTED, column("pooling-kernel-gt13-not-ane", M2).status());
        assertEquals(ClaimStatus.PARTIAL, r.status());
        assertTrue(r.summary().contains("fails on " + M2), r.summary());
    }

    @Test
    void aDisputedProbeKeepsAClaimFromBeingConfirmed() {
        ClaimResult.Column c = column("pooling-within-limits-ane", M1);
        assertEquals(ClaimStatus.PARTIAL, c.status());
        assertEquals(1, c.disputed());
        assertEquals(0, c.contradicting());
        assertEquals("repeated measurements disagree (1 probe disputed)", c.where());
        assertEquals(ClaimStatus.CONFIRMED, column("pooling-within-limits-ane", M2).status());
    }

    @Test
    void splitCountsAsNotOnTheAne() {
        ClaimResult.Column c = column("undilated-conv-ane", M1);
        assertEquals(ClaimStatus.PARTIAL, c.status());
        assertEquals(1, c.split());
        assertEquals(ClaimStatus.REFUTED, results.get("dilated-conv-not-ane").status());
        assertNotNull(results.get("dilated-conv-not-ane").summary());
    }
}
