package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generate, check and list commands as a user runs them: output lines, exit codes, one-line errors. */
class GenerateCheckListCommandTest {
    @TempDir
    Path tmp;

    @Test
    void generateThenCheckEverythingOk() {
        Path out = tmp.resolve("probes");
        CliRunner.Result gen = CliRunner.run("generate", "--family", "pooling", "--out", out.toString(), "--quiet");
        assertEquals(0, gen.exitCode(), gen.err());
        assertTrue(gen.out().startsWith("wrote 5 probes of 1 family ("), gen.out());
        CliRunner.Result check = CliRunner.run("check", out.toString());
        assertEquals(0, check.exitCode(), check.out());
        String[] lines = check.out().trim().split("\n");
        assertEquals(6, lines.length);
        for (int i = 0; i < 5; i++) {
            assertTrue(lines[i].startsWith("OK " + out), lines[i]);
        }
        assertEquals("5 OK, 0 INVALID", lines[5]);
    }

    @Test
    void checkShowsCoreMlShapeWarningsOnValidModels() {
        // A 3x3 valid convolution with stride 3 over 56: Core ML's shape propagation gives up, but accepts it.
        Path out = tmp.resolve("probes");
        CliRunner.Result gen = CliRunner.run("generate", "--family", "convolution", "--param",
                "convolution.stride=3", "--out", out.toString(), "--quiet");
        assertEquals(0, gen.exitCode(), gen.err());
        CliRunner.Result check = CliRunner.run("check", out.toString());
        assertEquals(0, check.exitCode(), check.out());
        assertTrue(check.out().contains(" (Core ML warns: layer 'probe' (convolution) cannot be shaped: the height "
                + "of blob 'x' is 56 but must be at most 55)"), check.out());
    }

    @Test
    void checkReportsInvalidFilesAndExitsOne() throws IOException {
        Path good = tmp.resolve("probes");
        CliRunner.run("generate", "--family", "upsample", "--out", good.toString(), "--quiet");
        Path bad = Files.writeString(tmp.resolve("notes.mlmodel"), "this is text, not a model");
        Path empty = Files.createFile(tmp.resolve("empty.mlmodel"));
        CliRunner.Result r = CliRunner.run("check", good.toString(), bad.toString(), empty.toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.out().contains("INVALID " + bad + ": not a Core ML model"), r.out());
        assertTrue(r.out().contains("INVALID " + empty + ": empty file, not a Core ML model"), r.out());
        assertTrue(r.out().endsWith("2 INVALID" + System.lineSeparator()), r.out());
        assertFalse(r.out().contains("Exception"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException {
        Path out = tmp.resolve("o");
        assertOneLineError(CliRunner.run("generate", "--family", "nosuch", "--out", out.toString()),
                "aneprobe: unknown family 'nosuch' (see 'aneprobe list')");
        assertOneLineError(CliRunner.run("generate", "--param", "pooling.kernel", "--out", out.toString()),
                "aneprobe: malformed --param 'pooling.kernel': expected FAMILY.AXIS=VALUES, e.g. pooling.kernel=1..20");
        assertOneLineError(CliRunner.run("generate", "--param", "pooling.kernel=0", "--out", out.toString()),
                "aneprobe: --param pooling.kernel: pair '0' must be positive");
        assertOneLineError(CliRunner.run("generate", "--profile", "huge", "--out", out.toString()),
                "aneprobe: unknown profile 'huge' (expected quick, standard or full)");
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        assertOneLineError(CliRunner.run("generate", "--out", file.toString()),
                "aneprobe: output path " + file.toRealPath() + " is a file, not a directory");
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("x"), "x");
        assertOneLineError(CliRunner.run("generate", "--out", full.toString()),
                "aneprobe: refusing to replace " + full.toRealPath() + ": it holds files aneprobe generate did not "
                        + "write (x)");
        assertOneLineError(CliRunner.run("check", tmp.resolve("missing").toString()),
                "aneprobe: no such file or directory: " + tmp.resolve("missing"));
        assertFalse(Files.exists(out));
    }

    @Test
    void unknownOptionIsUsageErrorExitTwo() {
        CliRunner.Result r = CliRunner.run("generate", "--bogus");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertTrue(r.err().startsWith("aneprobe: Unknown option: '--bogus'"), r.err());
    }

    @Test
    void listShowsFamiliesAxesAndCounts() throws IOException {
        CliRunner.Result text = CliRunner.run("list", "--profile", "quick");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("pooling"), text.out());
        assertTrue(text.out().contains("    kernel     3x3 13x13 14x14"), text.out());
        CliRunner.Result json = CliRunner.run("list", "--json");
        assertEquals(0, json.exitCode(), json.err());
        JsonNode doc = new ObjectMapper().readTree(json.out());
        JsonNode pooling = null;
        for (JsonNode f : doc.get("families")) {
            if (f.get("family").asText().equals("pooling")) {
                pooling = f;
            }
        }
        assertTrue(pooling != null);
        assertEquals(5, pooling.get("probes").get("quick").asInt());
        assertTrue(pooling.get("probes").get("standard").asInt() > 100);
        assertEquals("pooling", pooling.get("layerTypes").get(0).asText());
    }

    @Test
    void kindSelectsNeuralNetworkOrMlProgramFamilies() throws IOException {
        JsonNode nn = new ObjectMapper().readTree(CliRunner.run("list", "--json", "--kind", "nn").out());
        JsonNode mil = new ObjectMapper().readTree(CliRunner.run("list", "--json", "--kind", "mil").out());
        JsonNode all = new ObjectMapper().readTree(CliRunner.run("list", "--json").out());
        int nnCount = nn.get("families").size();
        int milCount = mil.get("families").size();
        assertTrue(nnCount > 0 && milCount > 0);
        assertEquals(all.get("families").size(), nnCount + milCount);
        for (JsonNode f : nn.get("families")) {
            assertFalse(f.get("family").asText().startsWith("mil."), f.toString());
        }
        for (JsonNode f : mil.get("families")) {
            assertTrue(f.get("family").asText().startsWith("mil."), f.toString());
        }
        assertEquals(all.get("totals").get("quick").asInt(),
                nn.get("totals").get("quick").asInt() + mil.get("totals").get("quick").asInt());

        Path out = tmp.resolve("mil-only");
        CliRunner.Result gen = CliRunner.run("generate", "--kind", "mil", "--family", "mil.activation,mil.state", "--out",
                out.toString(), "--quiet");
        assertEquals(0, gen.exitCode(), gen.err());
        for (String line : Files.readAllLines(out.resolve("manifest.jsonl"))) {
            assertTrue(line.contains("\"format\":\"mlpackage\""), line);
        }
        assertOneLineError(CliRunner.run("generate", "--kind", "nn", "--family", "mil.state", "--out",
                tmp.resolve("x").toString()), "aneprobe: family mil.state is an ML Program (mil) family, not nn");
        assertOneLineError(CliRunner.run("generate", "--kind", "coreml", "--out", tmp.resolve("y").toString()),
                "aneprobe: unknown kind 'coreml' (expected all, nn or mil)");
        assertOneLineError(CliRunner.run("list", "--kind", "coreml"),
                "aneprobe: unknown kind 'coreml' (expected all, nn or mil)");
    }

    private static void assertOneLineError(CliRunner.Result r, String expected) {
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertEquals(expected, r.err().trim());
        assertEquals(1, r.err().trim().split("\n").length, r.err());
    }
}
