package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.report.ReportTest;
import dev.aneprobe.harness.results.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCliTest {
    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AneprobeCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    static String claimsFile() {
        return Fixtures.repo().resolve("results/claims/claims.json").toString();
    }

    @Test
    void claimsAsJson() throws Exception {
        Result r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", claimsFile(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = Json.mapper().readTree(r.out());
        assertEquals(3, root.get("runs").asInt());
        assertEquals(Fixtures.claims().claims().size(), root.get("claims").size());
        JsonNode custom = root.get("claims").get(0);
        assertEquals("custom-not-ane", custom.get("id").asText());
        assertEquals("CONFIRMED", custom.get("status").asText());
        assertEquals(2, custom.get("columns").size());
        String[] warnings = r.err().strip().split("\n");
        assertEquals(3, warnings.length, r.err());
        assertTrue(warnings[0].startsWith("aneprobe: warning: ") && warnings[0].contains("observations.jsonl:52: "));
    }

    @Test
    void claimsAsText() {
        Result r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", claimsFile());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PARTIAL   pooling-kernel-gt13-not-ane  [v2]"), r.out());
        assertTrue(r.out().contains("fails where type = average"), r.out());
        assertTrue(r.out().contains("not evidence: 1 CRASHED"), r.out());
    }

    /** Counts agree with their nouns and verbs, and tallies read as words, not as Java maps. */
    @Test
    void countsAreWordsInTheSingularAndThePlural(@TempDir Path tmp) {
        Result r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", claimsFile());
        assertTrue(r.out().contains("FIXTURE Apple M1 / macOS 14.5: CONFIRMED - 1 probe, 1 agrees, 0 contradict; "
                + "evidence: 1 observation\n"), r.out());
        assertTrue(r.out().contains("PARTIAL - 2 probes, 1 agrees, 1 contradicts; evidence: 2 observations (1 SPLIT)"),
                r.out());
        assertTrue(r.out().endsWith("claims: 4 CONFIRMED, 1 REFUTED, 7 PARTIAL, 23 UNTESTED\n"), r.out());
        assertTrue(!r.out().matches("(?s).*[A-Z_]+=\\d+[,}].*") && !r.out().contains(" 1 runs")
                && !r.out().contains(" 1 observations") && !r.out().contains(" 1 probes"), r.out());

        r = run("report", "--runs", Fixtures.runs().resolve("fixture-m2").toString(), "--claims", claimsFile(),
                "--out", tmp.resolve("t").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\n1 run, 1 chip/OS, 6 probe rows; claims: 4 CONFIRMED, 2 REFUTED, 29 UNTESTED\n"), r.out());
    }

    @Test
    void nothingReadableIsOneLineAndExitCode2(@TempDir Path tmp) {
        Result r = run("claims", "--runs", tmp.resolve("missing").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        String[] lines = r.err().strip().split("\n");
        assertTrue(lines[lines.length - 1].startsWith("aneprobe: no readable run in "), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("aneprobe: warning:")).count(), r.err());

        r = run("report", "--runs", Fixtures.path("bad/no-env").toString(), "--out", tmp.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("refused: no env.json"), r.err());
        assertEquals(1, r.err().lines().filter(l -> !l.startsWith("aneprobe: warning:")).count(), r.err());
        assertTrue(!Files.exists(tmp.resolve("o")), "nothing is written when nothing could be read");
    }

    @Test
    void aBrokenClaimsFileIsOneLineAndExitCode2(@TempDir Path tmp) throws Exception {
        Path bad = Files.writeString(tmp.resolve("claims.json"), "{\"schema\":2,\"documents\":[{\"name\":\"d\","
                + "\"title\":\"t\",\"path\":\"d.md\"}],\"claims\":[{\"id\":\"x\"}]}");
        Result r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", bad.toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("claims[0] (x): missing \"section\""), r.err());

        // Not JSON, cut short, missing, a folder: one plain line each, never the JSON library's message.
        Files.writeString(bad, "{\"schema\":2,\"documents\":[");
        r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", bad.toString());
        assertEquals("aneprobe: " + bad + ": cut short: it ends inside a value", r.err().strip());
        Files.writeString(bad, "not json");
        r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", bad.toString());
        assertEquals("aneprobe: " + bad + ": not JSON (error at line 1, character 5)", r.err().strip());
        r = run("claims", "--runs", Fixtures.runs().toString(), "--claims", tmp.resolve("none.json").toString());
        assertEquals("aneprobe: claims file " + tmp.resolve("none.json") + " does not exist", r.err().strip());
        r = run("report", "--runs", Fixtures.runs().toString(), "--claims", tmp.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertEquals("aneprobe: claims file " + tmp + " is not a regular file", r.err().strip());
    }

    @Test
    void reportWritesEveryFile(@TempDir Path tmp) {
        Path out = tmp.resolve("tables");
        Result r = run("report", "--runs", Fixtures.runs().toString(), "--claims", claimsFile(), "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("3 runs, 2 chip/OS, 33 probe rows"), r.out());
        for (String f : ReportTest.FILES) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
    }
}
