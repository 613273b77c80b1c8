package dev.aneprobe.harness.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.RunLoader;
import dev.aneprobe.probes.output.OutputPathException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ReportTest {
    public static final List<String> FILES = List.of("index.html", "support-table.md", "support.csv", "support.json");

    static Report generate(Path out, Path... runs) throws Exception {
        return ReportGenerator.generate(RunLoader.discover(List.of(runs), true, w -> { }), Fixtures.claims(), out,
                w -> { });
    }

    @Test
    void theSameRunsGiveTheSameBytes(@TempDir Path tmp) throws Exception {
        generate(tmp.resolve("a"), Fixtures.runs());
        generate(tmp.resolve("b"), Fixtures.runs());
        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)),
                    Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(tmp.resolve("a"))) {
            assertEquals(FILES, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void theTableIsTheSeedRedoneWithColumnsPerChipAndOs(@TempDir Path tmp) throws Exception {
        generate(tmp, Fixtures.runs());
        String md = Files.readString(tmp.resolve("support-table.md"));
        assertTrue(md.contains("| Claim | Says | Source | FIXTURE Apple M1 / macOS 14.5 | FIXTURE Apple M2 / macOS 15.0 "
                + "| Overall |"), md);
        assertTrue(md.contains("## Problematic layers") && md.contains("## Layers that work"));
        assertTrue(md.contains("| pooling | kernel | not on the ANE above 13 (max) [pooling-kernel-gt13-not-ane]; "
                + "on the ANE up to 13 (max) [pooling-within-limits-ane] | FIXTURE Apple M1 / macOS 14.5 | on the "
                + "ANE up to 13, not from 15 where stride=1x1, type=max (1 sweep line);"), md);
        assertTrue(md.contains("PARTIAL (1 for, 1 against): fails where operand = constant"), md);
        assertTrue(md.contains("- `pooling-kernel-gt13-not-ane` (Pooling with a kernel larger than 13 (in height "
                + "or width) does not run on the ANE.): **PARTIAL**"), md);
        assertTrue(md.contains("- FIXTURE Apple M1 / macOS 14.5: `pooling/type=max,kernel=13x13,stride=2x2,pad=valid,"
                + "global=false,in=64x56x56`: ane: ANE x1 (fixture-m1-a), NOT_ANE x1 (fixture-m1-b)"), md);
        assertTrue(md.contains("- `upsample/scale=2x2,mode=nn,align=default,in=64x28x28`: "), "sha conflict listed");
        assertTrue(md.contains("| fixture-m1-a | FIXTURE Apple M1 / macOS 14.5 (23F79) | FIXTURE Mac | 0.1.0-fixture "
                + "| 0000000fixtu | - | fixture | 2025-01-10T10:00:00Z | 51 (3) | 24 |"), md);
        assertTrue(md.contains("Runs started between 2025-01-10T10:00:00Z and 2025-02-01T08:00:00Z"), md);
        assertTrue(md.contains("CONFIRMED. 1 probe in the region; 1 agrees, 0 contradict; 1 evidential observation."),
                "counts agree with their nouns and verbs");
        assertTrue(md.contains("in 3 runs: 33 probe measurements, 69 observations.") && md.contains("4 claims confirmed"),
                md);
        assertFalse(md.contains("Nothing has been measured yet"));
        assertTrue(md.contains("**Warning: this report was made from test data, not from measurements** (FIXTURE "
                + "Apple M1 / macOS 14.5; FIXTURE Apple M2 / macOS 15.0)"), "fixture data say so");
    }

    /** verify-run does not compare the models of a run made by another catalog version; the report says which. */
    @Test
    void runsOfAnotherCatalogVersionAreMarked(@TempDir Path tmp) throws Exception {
        Path runs = tmp.resolve("runs");
        for (String run : List.of("fixture-m1-a", "fixture-m2")) {
            Path to = Files.createDirectories(runs.resolve(run));
            try (Stream<Path> files = Files.list(Fixtures.runs().resolve(run))) {
                for (Path f : files.toList()) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        String current = dev.aneprobe.probes.generate.CatalogHash.current();
        for (Map.Entry<String, String> e : Map.of("fixture-m1-a", current, "fixture-m2", "ab".repeat(32)).entrySet()) {
            Path env = runs.resolve(e.getKey()).resolve("env.json");
            com.fasterxml.jackson.databind.node.ObjectNode o =
                    (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(env.toFile());
            Files.write(env, Json.mapper().writeValueAsBytes(o.put("catalogHash", e.getValue())));
        }
        Report r = generate(tmp.resolve("out"), runs);
        assertEquals(List.of(Report.CURRENT_CATALOG, "another version (abababababab)"),
                r.runs().stream().map(Report.RunInfo::catalog).toList());
        String md = Files.readString(tmp.resolve("out").resolve("support-table.md"));
        assertTrue(md.contains("| 0000000fixtu | another version (abababababab) | fixture |"), md);
        assertTrue(md.contains("Catalog: \"another version\" marks runs"), md);
        assertTrue(Files.readString(tmp.resolve("out").resolve("support.json"))
                .contains("\"catalog\":\"another version (abababababab)\""));
    }

    @Test
    void csvAndJsonHaveOneRowPerProbeAndRun(@TempDir Path tmp) throws Exception {
        Report r = generate(tmp, Fixtures.runs());
        List<List<String>> csv = csv(Files.readString(tmp.resolve("support.csv")));
        List<String> header = csv.get(0);
        assertEquals(7 + 4 * CsvFormat.CELL.length, header.size());
        assertEquals(r.rowCount() + 1, csv.size());
        assertEquals(24 + 3 + 6, r.rowCount(), "24 probes in run a (the skipped lines aside), 3 in b, 6 in c");
        csv.forEach(row -> assertEquals(header.size(), row.size(), row.toString()));
        List<String> disputed = csv.stream().filter(row -> row.get(0).equals("fixture-m1-b")
                && row.get(2).contains("kernel=13x13,stride=2x2")).findFirst().orElseThrow();
        assertEquals("NOT_ANE", disputed.get(header.indexOf("ane_verdict")));
        assertEquals("1900000", disputed.get(header.indexOf("ane_median_ns")));
        assertEquals("2000000", disputed.get(header.indexOf("cpu_median_ns")));
        assertEquals("", disputed.get(header.indexOf("cpu_verdict")));
        assertTrue(disputed.get(header.indexOf("ane_signals")).startsWith("plan=NOT_ANE (preferred=cpu); dispatch="
                + "NOT_ANE (ane median 1.90 ms vs cpu 2.00 ms, confidence 0.97); reason=- (no log line)"));
        assertEquals("probe [pooling]: preferred=cpu supported=cpu,gpu",
                disputed.get(header.indexOf("ane_plan")));
        assertEquals("type=max;kernel=13x13;stride=2x2;pad=valid;global=false;in=64x56x56",
                disputed.get(header.indexOf("params")));

        JsonNode json = Json.mapper().readTree(tmp.resolve("support.json").toFile());
        assertEquals(1, json.get("schema").asInt());
        assertEquals(3, json.get("runs").size());
        assertEquals(r.rowCount(), json.get("rows").size());
        JsonNode crashed = null;
        for (JsonNode row : json.get("rows")) {
            if (row.get("family").asText().equals("gru")) {
                crashed = row;
            }
        }
        assertEquals("CRASHED", crashed.get("ane").get("verdict").asText());
        assertEquals("CRASHED signal 11", crashed.get("ane").get("failure").asText());
        assertEquals(2000000.0, crashed.get("cpu").get("medianNs").asDouble());
    }

    @Test
    void aProbeThatComesBackLaterInARunStillHasOneRow(@TempDir Path tmp) throws Exception {
        // As after a resumed sweep: pooling k3 cpu, pooling k15 cpu + ane, then pooling k3 ane (twice).
        Path run = Files.createDirectories(tmp.resolve("raw/resumed"));
        Files.copy(Fixtures.runs().resolve("fixture-m2/env.json"), run.resolve("env.json"));
        List<String> src = Files.readAllLines(Fixtures.runs().resolve("fixture-m2/observations.jsonl"));
        // fixture-m2 lines 0-1: kernel 3 (cpu, ane); 2-3: kernel 13; 4-5: kernel 15.
        Files.write(run.resolve("observations.jsonl"), List.of(src.get(0), src.get(4), src.get(5), src.get(1),
                src.get(1).replace("\"kind\":\"ANE\"", "\"kind\":\"NOT_ANE\""), src.get(2)));
        Report r = generate(tmp.resolve("out"), tmp.resolve("raw"));
        assertEquals(3, r.rowCount());
        List<List<String>> csv = csv(Files.readString(tmp.resolve("out/support.csv")));
        List<String> header = csv.get(0);
        assertEquals(4, csv.size());
        assertTrue(csv.get(1).get(2).contains("kernel=3x3"), "rows in the order the run first measured them");
        assertTrue(csv.get(2).get(2).contains("kernel=15x15"));
        assertTrue(csv.get(3).get(2).contains("kernel=13x13"));
        assertEquals("2", csv.get(1).get(header.indexOf("ane_lines")));
        assertEquals("ANE,NOT_ANE", csv.get(1).get(header.indexOf("ane_history")));
        assertEquals("NOT_ANE", csv.get(1).get(header.indexOf("ane_verdict")));
        assertEquals("1", csv.get(1).get(header.indexOf("cpu_lines")));
        JsonNode json = Json.mapper().readTree(tmp.resolve("out/support.json").toFile());
        assertEquals(3, json.get("rows").size());
        assertEquals("ANE,NOT_ANE", json.get("rows").get(0).get("ane").get("history").asText());
        String md = Files.readString(tmp.resolve("out/support-table.md"));
        assertTrue(md.contains("ane: ANE x1 (fixture-m2), NOT_ANE x1 (fixture-m2)"), "the disagreement is shown");
    }

    @Test
    void withNoRunsEveryClaimIsUntestedAndTheTableSaysSo(@TempDir Path tmp) throws Exception {
        Path raw = Files.createDirectory(tmp.resolve("raw"));
        Report r = generate(tmp.resolve("out"), raw);
        assertTrue(r.empty());
        String md = Files.readString(tmp.resolve("out/support-table.md"));
        assertTrue(md.contains("**Nothing has been measured yet.**"));
        int untested = md.split("\\| \\*\\*UNTESTED\\*\\* \\|", -1).length - 1;
        assertEquals(Fixtures.claims().claims().size(), untested, "every claim is listed as UNTESTED");
        for (var c : Fixtures.claims().claims()) {
            assertTrue(md.contains("### " + c.id()), c.id());
        }
        assertEquals(1, Files.readAllLines(tmp.resolve("out/support.csv")).size(), "only the header");
        assertEquals(0, Json.mapper().readTree(tmp.resolve("out/support.json").toFile()).get("rows").size());
    }

    @Test
    void theOutputDirectoryIsReplacedWholeWhenItHoldsOnlyAReport(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("tables"));
        Files.writeString(out.resolve("support.csv"), "from an older report");
        Files.writeString(out.resolve("notes.txt"), "not a report's");
        assertThrows(OutputPathException.class, () -> generate(out, Fixtures.runs()));
        assertEquals("from an older report", Files.readString(out.resolve("support.csv")), "nothing is replaced");
        Files.delete(out.resolve("notes.txt"));
        generate(out, Fixtures.runs());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(FILES, s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(Files.readString(out.resolve("support.csv")).startsWith("run_id,"));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of("tables"), s.map(p -> p.getFileName().toString()).toList(),
                    "no temporary directory is left behind");
        }
    }

    /** A small RFC 4180 reader for the test. */
    static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                f.append(c);
            }
        }
        return rows;
    }
}
