package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.TimingSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MedianRatioTest {
    static List<Long> noisy(long base, int n, double spread, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add((long) (base * (1 + spread * (r.nextDouble() - 0.5))));
        }
        return out;
    }

    @Test
    void equalLatenciesAreTheSame() {
        MedianRatio.Result r = MedianRatio.compare(noisy(100_000, 50, 0.05, 1), noisy(100_000, 50, 0.05, 2), 0.10, 7);
        assertEquals(MedianRatio.Outcome.SAME, r.outcome());
        assertTrue(r.low() >= 0.9 && r.high() <= 1.1);
        assertTrue(r.confidence() > 0.95);
    }

    @Test
    void fasterAndSlowerAreDifferent() {
        assertEquals(MedianRatio.Outcome.DIFFERENT,
                MedianRatio.compare(noisy(30_000, 50, 0.05, 1), noisy(100_000, 50, 0.05, 2), 0.10, 7).outcome());
        MedianRatio.Result slower = MedianRatio.compare(noisy(300_000, 50, 0.05, 1), noisy(100_000, 50, 0.05, 2), 0.10, 7);
        assertEquals(MedianRatio.Outcome.DIFFERENT, slower.outcome());
        assertEquals(3.0, slower.ratio(), 0.1);
    }

    @Test
    void borderlineOrNoisyIsUndecided() {
        assertEquals(MedianRatio.Outcome.UNDECIDED,
                MedianRatio.compare(noisy(110_000, 20, 0.6, 1), noisy(100_000, 20, 0.6, 2), 0.10, 7).outcome());
        assertEquals(MedianRatio.Outcome.UNDECIDED,
                MedianRatio.compare(List.of(1L, 2L), noisy(100_000, 20, 0.1, 2), 0.10, 7).outcome());
    }

    @Test
    void sameSeedSameResult() {
        List<Long> a = noisy(95_000, 40, 0.3, 3);
        List<Long> b = noisy(100_000, 40, 0.3, 4);
        assertEquals(MedianRatio.compare(a, b, 0.1, 42), MedianRatio.compare(a, b, 0.1, 42));
    }

    @Test
    void quickselectAgreesWithSorting() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        for (int n = 1; n < 60; n++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = r.nextInt(20); // many ties
            }
            double[] sorted = v.clone();
            java.util.Arrays.sort(sorted);
            for (int k = 0; k < n; k++) {
                assertEquals(sorted[k], MedianRatio.select(v.clone(), k), "n=" + n + " k=" + k);
            }
        }
    }

    @Test
    void timingSummary() {
        TimingSummary s = TimingStats.summarize(List.of(5L, 1L, 3L, 2L, 4L, 100L));
        assertEquals(6, s.n());
        assertEquals(1, s.minNs());
        assertEquals(3.5, s.medianNs());
        assertEquals(52.5, s.p90Ns());
        assertEquals(1.5, s.madNs());
        assertEquals(null, TimingStats.summarize(List.of()));
    }

    @Test
    void reasonPatternsRecogniseTheKnownMessages() {
        String[][] cases = {
            {"(dilated)kernel width = 28 > 13", "kernel-limit"},
            {"Unsupported op 3 (pooling): stride_x = 4 > 2", "stride-limit"},
            {"upsample: only scaling factor of 2 is supported", "scale-limit"},
            {"Tensor width goes beyond limit supported (16384)", "tensor-size-limit"},
            {"[Espresso::handle_ex_plan] exception=ANECF error: ANECCompile(/tmp/x) FAILED: err=(CompilationFailure)",
                "ane-compile-failed"},
            {"_ANECompiler : ANECCompile() FAILED", "ane-compile-failed"},
            {"[coreml] Error plan build: -1.", "plan-build-error"},
            {"Unsupported tensor format: fp32", "unsupported"},
        };
        for (String[] c : cases) {
            Optional<ReasonPatterns.Match> m = ReasonPatterns.find(List.of("noise", c[0]));
            assertTrue(m.isPresent(), c[0]);
            assertEquals(c[1], m.get().pattern(), c[0]);
        }
        assertTrue(ReasonPatterns.find(List.of("Calling ANE compiler", "SUCCESS: model=x")).isEmpty());
    }
}
