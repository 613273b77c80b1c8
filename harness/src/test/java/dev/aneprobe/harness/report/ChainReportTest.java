package dev.aneprobe.harness.report;

import static dev.aneprobe.harness.analysis.chains.ChainFixtures.line;
import static dev.aneprobe.harness.analysis.chains.ChainFixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunDir;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report draws each chain probe's device sequence per chip/OS: a Markdown table per chain family (the all
 * setting), the HTML page's data, and support.json's {@code chains}. Hand-built FIXTURE observations.
 */
class ChainReportTest {
    private static final Device A = Device.ANE;
    private static final Device G = Device.GPU;
    private static final Device C = Device.CPU;

    static Report report() {
        ResultMatrix m = new ResultMatrix();
        RunDir r = run("FIXTURE-run-1");
        m.add(r, line("chainGpu", "US", 3, ComputeUnits.ALL, VerdictKind.SPLIT, G, A, G, G, G, G));
        m.add(r, line("chainGpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, G, G, G));
        m.add(r, line("chainGpu", "SU", 2, ComputeUnits.ANE, VerdictKind.SPLIT, A, C, A, C));
        m.add(r, line("chainCpu", "SU", 2, ComputeUnits.ALL, VerdictKind.SPLIT, A, C, A, C));
        return ReportGenerator.summarise(m, ClaimSet.bundled(), Map.of(), 0);
    }

    private static String write(ReportFormat f, Report r) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.write(r, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void markdownDrawsEachChainsSequenceUnderAllPerChipAndOs() throws Exception {
        String md = write(new MarkdownFormat(), report());
        assertTrue(md.contains("## Device switching"), md);
        assertTrue(md.contains("## Device sequences"), md);
        assertTrue(md.contains("**chainGpu** (U said to fall back to the GPU)\n\n| Layers | FIXTURE Apple M1 / macOS "
                + "14.5 |\n|---|---|\n| `s1 u1 s2 u2` | ane \u2192 gpu \u2192 gpu \u2192 gpu (1 switch) SPLIT |\n"
                + "| `u1 s1 u2 s2 u3 s3` | gpu \u2192 ane \u2192 gpu \u2192 gpu \u2192 gpu \u2192 gpu (2 switches) "
                + "SPLIT |\n"), md);
        assertTrue(md.contains("| `s1 u1 s2 u2` | ane \u2192 cpu \u2192 ane \u2192 cpu (3 switches) SPLIT |"), md);
        // Both switching claims are decided by these lines.
        assertTrue(md.contains("leaves the ANE for the GPU at most once | v1, v2 | CONFIRMED (2 for, 0 against)"), md);
    }

    @Test
    void jsonAndHtmlCarryEverySetting() throws Exception {
        Report r = report();
        JsonNode json = Json.mapper().readTree(write(new JsonFormat(), r));
        assertEquals(List.of("FIXTURE Apple M1 / macOS 14.5"), Json.mapper().convertValue(json.get("chainColumns"),
                List.class));
        JsonNode gpu = json.get("chains").get(1); // chainCpu sorts first
        assertEquals("chainGpu/order=SU,alternations=2", gpu.get("probeId").asText());
        JsonNode units = gpu.get("cells").get(0).get("units");
        assertEquals("[\"ane\",\"cpu\",\"ane\",\"cpu\"]", units.get("ane").get(0).get("devices").toString());
        JsonNode all = units.get("all").get(0);
        assertEquals(1, all.get("switches").asInt());
        assertEquals(1, all.get("leavesAneForGpu").asInt());
        assertEquals("SPLIT", all.get("verdict").asText());
        String html = write(new HtmlFormat(), r);
        assertTrue(html.contains("\"chains\":[{\"family\":\"chainCpu\""), html.substring(0, 200));
        assertTrue(html.contains("id=\"chains-body\""));
    }
}
