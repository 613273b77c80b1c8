package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.analysis.thresholds.ThresholdFinder;
import dev.aneprobe.harness.results.read.RunLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThresholdFinderTest {
    static List<Threshold> thresholds;
    static ClaimSet claims;

    @BeforeAll
    static void find() throws Exception {
        ResultMatrix m = ResultMatrix.read(RunLoader.discover(List.of(Fixtures.runs()), false, w -> { }), w -> { },
                RunListener.NONE);
        claims = Fixtures.claims();
        thresholds = ThresholdFinder.find(m, claims);
    }

    static Threshold find(String family, String axis, String dimension, String chipOs) {
        return thresholds.stream().filter(t -> t.family().equals(family) && t.axis().equals(axis)
                && t.dimension().equals(dimension) && java.util.Objects.equals(t.chipOs(), chipOs))
                .findFirst().orElseThrow(() -> new AssertionError(family + " " + axis + " " + chipOs + " in "
                        + thresholds));
    }

    @Test
    void poolingKernelBoundaryOnM1IsGroupedByWhatSetsItApart() {
        Threshold t = find("pooling", "kernel", "max", MatrixAndClaimsTest.M1);
        assertEquals(Threshold.Kind.NOT_MONOTONE, t.kind(), "the disputed probe breaks one sweep line");
        Threshold.Group drop = t.groups().stream().filter(g -> g.shape().equals("drop")).findFirst().orElseThrow();
        assertEquals("on the ANE up to 13, not from 15", drop.text());
        assertEquals("13", drop.lastBefore());
        assertEquals("15", drop.firstAfter());
        assertEquals(List.of("pooling/type=max,kernel=13x13,stride=1x1,pad=valid,global=false,in=64x56x56"),
                drop.below(), "evidence on each side comes from one sweep line");
        assertEquals(List.of("pooling/type=max,kernel=15x15,stride=1x1,pad=valid,global=false,in=64x56x56"),
                drop.above());
        assertEquals("stride=1x1, type=max", drop.condition());
        assertTrue(t.summary().contains("not on the ANE anywhere in 3..15 where stride=4x4"), t.summary());
        assertTrue(t.summary().contains("on the ANE throughout 3..15 where type=average"), t.summary());
        assertTrue(t.summary().contains("not monotone: 3 ANE, 13 disputed, 15 not where stride=2x2"), t.summary());
        assertTrue(t.claimed().contains("not on the ANE above 13 (max) [pooling-kernel-gt13-not-ane]"),
                t.claimed().toString());
    }

    @Test
    void noBoundaryInTheSweptRangeIsSaid() {
        Threshold t = find("pooling", "kernel", "max", MatrixAndClaimsTest.M2);
        assertEquals(Threshold.Kind.NO_BOUNDARY, t.kind());
        assertEquals("no boundary in the swept range: on the ANE throughout 3..15 (1 sweep line)", t.summary());
    }

    @Test
    void nonSquareValuesAreReadAsHeightAndWidth() {
        Threshold w = find("upsample", "scale", "w", MatrixAndClaimsTest.M1);
        assertEquals("w", w.dimension());
        assertEquals("scale (width)", w.axisLabel());
        assertTrue(w.summary().contains("on the ANE up to 2, not from 4 where scale.h=2"), w.summary());
        assertTrue(w.summary().contains("not on the ANE anywhere in 2..4 where scale.h=4"), w.summary());
    }

    @Test
    void aLineThatGoesOnAndOffIsWrittenAsRanges(@TempDir Path tmp) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("r"));
        Files.copy(Fixtures.runs().resolve("fixture-m2/env.json"), run.resolve("env.json"));
        String ane = Files.readAllLines(Fixtures.runs().resolve("fixture-m2/observations.jsonl")).get(1);
        List<String> lines = new java.util.ArrayList<>();
        String[] says = {"ANE", "ANE", "NOT_ANE", "ANE", "NOT_ANE", "NOT_ANE"};
        for (int k = 1; k <= says.length; k++) {
            lines.add(ane.replace("3x3", k + "x" + k).replace("\"kind\":\"ANE\"", "\"kind\":\"" + says[k - 1] + "\""));
        }
        Files.write(run.resolve("observations.jsonl"), lines);
        ResultMatrix m = ResultMatrix.read(RunLoader.discover(List.of(run), false, w -> { }), w -> { },
                RunListener.NONE);
        Threshold t = ThresholdFinder.find(m, claims).stream().filter(x -> x.axis().equals("kernel")
                && x.chipOs() != null).findFirst().orElseThrow();
        assertEquals(Threshold.Kind.NOT_MONOTONE, t.kind());
        assertEquals("not monotone: 1..2 ANE, 3 not, 4 ANE, 5..6 not (1 sweep line)", t.summary());
    }

    @Test
    void claimedLimitsNobodySweptStillGetARow() {
        Threshold t = find("convolution", "dilation", "max", MatrixAndClaimsTest.M1);
        assertEquals(Threshold.Kind.NO_BOUNDARY, t.kind());
        assertTrue(thresholds.stream().noneMatch(x -> x.kind() == Threshold.Kind.NOT_MEASURED
                && x.family().equals("pooling") && x.axis().equals("kernel")));
    }
}
