package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.ClaimEvaluator;
import dev.aneprobe.harness.analysis.claims.ClaimResult;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.ClaimStatus;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.analysis.thresholds.Threshold;
import dev.aneprobe.harness.analysis.thresholds.ThresholdFinder;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.RunLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The field-notes claims (ML Program ops) judged on FIXTURE observations: hand-made lines, written here into
 * temporary run directories whose env.json says FIXTURE; nothing in them was measured. They check the claims' scopes
 * (a family pattern over every ML Program family, layer types, families) and regions (dtype, width, matmul and
 * attention sizes) give the verdicts they should.
 */
class FieldNotesClaimsTest {
    static final String A = "FIXTURE Apple M3 / macOS 15.0";
    static final String B = "FIXTURE Apple M4 / macOS 15.0";
    static ClaimSet claims;
    static ResultMatrix matrix;
    static final Map<String, ClaimResult> results = new HashMap<>();

    @TempDir
    static Path tmp;

    /** One FIXTURE `ane` line: the fixture-m2 template with another probe and verdict. */
    static String line(String runId, String family, String layerType, Map<String, String> params, String kind)
            throws Exception {
        String template = Files.readAllLines(Fixtures.runs().resolve("fixture-m2/observations.jsonl")).get(1);
        ObjectNode o = (ObjectNode) Json.mapper().readTree(template);
        StringBuilder id = new StringBuilder(family).append('/');
        params.forEach((k, v) -> id.append(id.charAt(id.length() - 1) == '/' ? "" : ",").append(k).append('=')
                .append(v));
        o.put("runId", runId);
        o.put("probeId", id.toString());
        o.put("family", family);
        o.put("layerType", layerType);
        ObjectNode p = o.putObject("params");
        params.forEach(p::put);
        o.put("modelSha256", String.format("%064x", id.toString().hashCode() & 0xffffffffL)); // one model per id
        ((ObjectNode) o.get("verdict")).put("kind", kind);
        return Json.mapper().writeValueAsString(o);
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static void run(String runId, String chip, List<String> lines) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(runId));
        ObjectNode env = (ObjectNode) Json.mapper().readTree(Fixtures.runs().resolve("fixture-m2/env.json").toFile());
        env.put("runId", runId);
        ((ObjectNode) env.get("host")).put("chip", chip);
        Files.writeString(dir.resolve("env.json"), Json.mapper().writeValueAsString(env));
        Files.write(dir.resolve("observations.jsonl"), lines);
    }

    @BeforeAll
    static void judge() throws Exception {
        String a = "fixture-mil-a";
        List<String> la = new ArrayList<>();
        // fp32: three ML Program ops off the ANE (one SPLIT), one fp16 conv on it (outside the fp32 region), and a
        // NeuralNetwork convolution with fp32 weights on the ANE (outside the family pattern).
        la.add(line(a, "mil.conv", "conv", params("dtype", "fp32", "kernel", "3x3", "in", "1x64x56x56"), "NOT_ANE"));
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp32", "in", "1x512x512"), "SPLIT"));
        la.add(line(a, "mil.cast", "cast", params("cast", "fp16-fp32", "in", "1x64x56x56"), "NOT_ANE"));
        la.add(line(a, "mil.conv", "conv", params("dtype", "fp16", "kernel", "3x3", "in", "1x64x56x56"), "ANE"));
        la.add(line(a, "convolution", "convolution", params("kernel", "3x3", "weights", "fp32", "in", "64x56x56"),
                "ANE"));
        // width: conv at 16448 off the ANE, layer_norm at 16448 on it, conv at 16384 on it (inside the limit).
        la.add(line(a, "mil.conv", "conv", params("dtype", "fp16", "kernel", "3x3", "in", "1x8x4x16448"),
                "NOT_ANE"));
        la.add(line(a, "mil.layer_norm", "layer_norm", params("dtype", "fp16", "axes", "w", "in", "1x1x16x16448"),
                "ANE"));
        la.add(line(a, "mil.conv", "conv", params("dtype", "fp16", "kernel", "3x3", "in", "1x8x4x16384"), "ANE"));
        // matmul sizes as row 29 of the notes has them.
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp16", "in", "1x4x4"), "NOT_ANE"));
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp16", "in", "1x384x384"), "NOT_ANE"));
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp16", "in", "1x512x512"), "ANE"));
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp16", "in", "1x1024x1024"), "ANE"));
        la.add(line(a, "mil.matmul", "matmul", params("dtype", "fp16", "in", "8x128x64"), "ANE"));
        // layer types in scope by name: greater_equal (not its siblings), select.
        la.add(line(a, "mil.compare", "greater_equal", params("layer", "greater_equal", "dtype", "fp16"), "NOT_ANE"));
        la.add(line(a, "mil.compare", "equal", params("layer", "equal", "dtype", "fp16"), "ANE"));
        la.add(line(a, "mil.select", "select", params("dtype", "fp16", "b", "input"), "NOT_ANE"));
        run(a, "FIXTURE Apple M3", la);
        // A second chip/OS on which one fp32 op runs on the ANE.
        String b = "fixture-mil-b";
        run(b, "FIXTURE Apple M4", List.of(
                line(b, "mil.conv", "conv", params("dtype", "fp32", "kernel", "3x3", "in", "1x64x56x56"), "NOT_ANE"),
                line(b, "mil.add", "add", params("dtype", "fp32", "in", "1x64x56x56"), "ANE")));
        matrix = ResultMatrix.read(RunLoader.discover(List.of(tmp), false, w -> { }), w -> { }, RunListener.NONE);
        claims = Fixtures.claims();
        ClaimEvaluator.evaluate(claims, matrix).forEach(r -> results.put(r.claim().id(), r));
    }

    static ClaimResult.Column column(String claim, String chipOs) {
        return results.get(claim).columns().stream().filter(c -> c.chipOs().equals(chipOs)).findFirst()
                .orElseThrow();
    }

    @Test
    void theFamilyPatternTakesEveryMlProgramFamilyAndNoNeuralNetworkOne() {
        ClaimResult.Column a = column("mil-fp32-not-ane", A);
        assertEquals(ClaimStatus.CONFIRMED, a.status());
        assertEquals(3, a.probes(), "mil.conv, mil.matmul and mil.cast at fp32; not the fp16 or NeuralNetwork ones");
        assertEquals(3, a.supporting());
        assertEquals(1, a.split());
        ClaimResult.Column b = column("mil-fp32-not-ane", B);
        assertEquals(ClaimStatus.PARTIAL, b.status());
        assertTrue(b.where().contains("mil.add"), b.where());
        assertEquals(ClaimStatus.PARTIAL, results.get("mil-fp32-not-ane").status());
    }

    @Test
    void theWidthClaimLooksAtWidthsAbove16384AndNamesTheOpThatRunsAnyway() {
        ClaimResult.Column a = column("mil-width-gt16384-not-ane", A);
        assertEquals(ClaimStatus.PARTIAL, a.status());
        assertEquals(2, a.probes(), "the two 16448 probes; 16384 is inside the limit");
        assertEquals(1, a.contradicting());
        assertTrue(a.deciding().get(0).startsWith("mil.layer_norm/"), a.deciding().toString());
        assertEquals(ClaimStatus.UNTESTED, column("mil-width-gt16384-not-ane", B).status());
    }

    @Test
    void matmulSizesSplitAt384And512() {
        ClaimResult.Column small = column("mil-matmul-small-not-ane", A);
        assertEquals(ClaimStatus.CONFIRMED, small.status());
        assertEquals(2, small.probes());
        ClaimResult.Column large = column("mil-matmul-large-ane", A);
        assertEquals(ClaimStatus.CONFIRMED, large.status());
        assertEquals(2, large.probes(), "512 and 1024 at fp16; not the fp32 one, not the batched 8x128x64");
    }

    @Test
    void aLayerTypeScopeTakesOnlyThatLayerOfItsFamily() {
        ClaimResult.Column c = column("mil-select-greater-equal-while-loop-not-ane", A);
        assertEquals(ClaimStatus.CONFIRMED, c.status());
        assertEquals(2, c.probes(), "greater_equal and select; equal is not in scope");
    }

    @Test
    void patternClaimsStateTheirLimitsForTheFamiliesTheyMatch() throws Exception {
        List<String> conv = ThresholdFinder.claimed(claims, "mil.conv", "in");
        assertEquals(List.of("not on the ANE above 16384 (w) [mil-width-gt16384-not-ane]"), conv);
        assertEquals(List.of(), ThresholdFinder.claimed(claims, "convolution", "in"));
        // Before anything is measured, the pattern's limit gets one row labelled with the pattern.
        ResultMatrix empty = ResultMatrix.read(List.of(), w -> { }, RunListener.NONE);
        Threshold t = ThresholdFinder.find(empty, claims).stream()
                .filter(x -> x.family().equals("/mil\\..*/") && x.axis().equals("in")).findFirst().orElseThrow();
        assertEquals(Threshold.Kind.NOT_MEASURED, t.kind());
        assertEquals(List.of("not on the ANE above 16384 (w) [mil-width-gt16384-not-ane]"), t.claimed());
        // Once ML Program families are measured, the limit is stated for those with an `in` axis instead.
        List<Threshold> measured = ThresholdFinder.find(matrix, claims);
        assertTrue(measured.stream().noneMatch(x -> x.family().equals("/mil\\..*/")));
        assertTrue(measured.stream().anyMatch(x -> x.family().equals("mil.layer_norm") && x.axis().equals("in")
                && x.claimed().contains("not on the ANE above 16384 (w) [mil-width-gt16384-not-ane]")));
        assertTrue(measured.stream().noneMatch(x -> x.family().equals("mil.compare") && x.axis().equals("in")),
                "the fixture's mil.compare probes have no in axis");
    }
}
