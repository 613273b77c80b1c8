package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.samples.RealWorldModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aneprobe lint} as a user runs it: text and JSON saying the same, exit codes, bad input in one line. */
class LintCommandTest {
    @TempDir
    Path tmp;

    private Path write(String name, Model model) throws IOException {
        return Files.write(tmp.resolve(name), model.toByteArray());
    }

    private static String runs() {
        return Fixtures.runs().toString();
    }

    private static String claims() {
        return Fixtures.repo().resolve("results/claims/claims.json").toString();
    }

    @Test
    void textListsEveryLayerWithPlacementBasisAndReasonThenTheSummary() throws IOException {
        Path model = write("classifier.mlmodel", RealWorldModels.nnImageClassifier());
        CliRunner.Result r = CliRunner.run("lint", model.toString(), "--claims", claims());
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.startsWith(model + ": neuralNetworkClassifier, specification 1, 6 layers\n"), out);
        assertTrue(out.contains("  on any chip / any OS (not measured):\n"), out);
        assertTrue(out.contains("ANE      claimed, untested            layer 'aux_conv'  [convolution kernel=3x3,"
                + "stride=1x1,dilation=1x1,groups=1,cout=8,pad=valid,weights=fp32,in=3x32x32]\n"
                + "             claim undilated-conv-ane (v1, v2)\n"), out);
        assertTrue(out.contains("  summary: 6 layers: 2 on the ANE, 0 off it, 4 unknown; measured 0, beyond a "
                + "measured threshold 0, claimed, untested 2, unknown 4\n"), out);
        assertTrue(out.contains("  device switches: none\n"), out);
    }

    @Test
    void jsonSaysTheSameAndFailOnGivesExitOne() throws IOException {
        Path model = write("program.mlmodel", RealWorldModels.milRelu("CoreML5", "x"));
        CliRunner.Result r = CliRunner.run("lint", model.toString(), "--json", "--runs", runs(), "--chip", "M1",
                "--claims", claims(), "--fail-on", "not-ane");
        assertEquals(ExitCodes.FAILED, r.exitCode(), r.out() + r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode column = root.get("models").get(0).get("columns").get(0);
        assertEquals("FIXTURE Apple M1 / macOS 14.5", column.get("chipOs").asText());
        JsonNode layer = column.get("layers").get(0);
        assertEquals("function 'main' > op 'y' (relu)", layer.get("where").asText());
        assertEquals("mil.activation", layer.get("family").asText());
        assertEquals("fp32", layer.get("params").get("dtype").asText());
        assertEquals("NOT_ANE", layer.get("placement").asText());
        assertEquals("CLAIMED", layer.get("basis").asText());
        assertEquals("mil-fp32-not-ane", layer.get("claims").get(0).asText());
        assertEquals(1, column.get("summary").get("notAne").asInt());
        CliRunner.Result plain = CliRunner.run("lint", model.toString(), "--runs", runs(), "--chip", "M1",
                "--claims", claims());
        assertEquals(0, plain.exitCode());
        assertTrue(plain.out().contains("NOT_ANE  claimed, untested            function 'main' > op 'y' (relu)"),
                plain.out());
        assertEquals(ExitCodes.FAILED, CliRunner.run("lint", model.toString(), "--claims", claims(), "--fail-on",
                "untested").exitCode());
    }

    @Test
    void badInputIsOneLineEach() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.mlmodel"), "this is text, not a model");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRunner.Result r = CliRunner.run("lint", text.toString(), empty.toString(), "--claims", claims());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.out().contains("INVALID " + text + ": not a Core ML model"), r.out());
        assertTrue(r.out().contains("INVALID " + empty + ": directory holds no Core ML model"), r.out());
        assertFalse(r.out().contains("Exception"), r.out());

        CliRunner.Result missing = CliRunner.run("lint", tmp.resolve("nope.mlmodel").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("aneprobe: no such file or directory: " + tmp.resolve("nope.mlmodel") + "\n", missing.err());
        CliRunner.Result badFailOn = CliRunner.run("lint", text.toString(), "--fail-on", "slow");
        assertEquals(ExitCodes.BAD_INPUT, badFailOn.exitCode());
        assertTrue(badFailOn.err().startsWith("aneprobe: unknown --fail-on value 'slow'"), badFailOn.err());
    }

    @Test
    void fifoIsSkippedWithoutBlocking() throws Exception {
        Path fifo = tmp.resolve("pipe.mlmodel");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() != 0) {
            return; // no mkfifo on this system: nothing to test
        }
        Path good = write("good.mlmodel", RealWorldModels.nnCustomLayer());
        CliRunner.Result r = CliRunner.run("lint", tmp.toString(), "--claims", claims());
        assertEquals(0, r.exitCode(), r.out());
        assertTrue(r.out().contains("SKIPPED " + fifo + ": a FIFO (named pipe), not a regular file"), r.out());
        assertTrue(r.out().contains(good + ": neuralNetwork, specification 2, 1 layer\n"), r.out());
        assertTrue(r.out().contains("NOT_ANE  claimed, untested            layer 'probe'  [custom in=8x4x4]"), r.out());
    }

    @Test
    void readsAndSkipsExactlyAsCheckDoes() throws Exception {
        // lint and check share one reader: what check says INVALID or SKIPPED for not being a readable model, lint
        // says in the same words (check goes on to validate; lint does not).
        Path dir = Files.createDirectories(tmp.resolve("models"));
        Files.writeString(dir.resolve("notes.mlmodel"), "this is text, not a model");
        Files.write(dir.resolve("empty.mlmodel"), new byte[0]);
        Files.createDirectories(dir.resolve("folder.mlmodel"));
        Files.createDirectories(dir.resolve("broken.mlpackage"));
        Files.createDirectories(dir.resolve("nothing-here"));
        Files.createSymbolicLink(dir.resolve("a.mlmodel"), Path.of("b.mlmodel"));
        Files.createSymbolicLink(dir.resolve("b.mlmodel"), Path.of("a.mlmodel"));
        Files.createSymbolicLink(dir.resolve("gone.mlmodel"), dir.resolve("nowhere"));
        Process mk = new ProcessBuilder("mkfifo", dir.resolve("pipe.mlmodel").toString()).start();
        boolean fifo = mk.waitFor() == 0;
        write("models/good.mlmodel", RealWorldModels.nnCustomLayer());

        CliRunner.Result check = CliRunner.run("check", dir.toString());
        CliRunner.Result lint = CliRunner.run("lint", dir.toString(), "--claims", claims());
        java.util.List<String> checkLines = check.out().lines()
                .filter(l -> l.startsWith("INVALID ") || l.startsWith("SKIPPED ")).toList();
        java.util.List<String> lintLines = lint.out().lines()
                .filter(l -> l.startsWith("INVALID ") || l.startsWith("SKIPPED ")).toList();
        assertEquals(fifo ? 8 : 7, checkLines.size(), check.out());
        assertEquals(checkLines, lintLines);
        assertTrue(lint.out().contains(dir.resolve("good.mlmodel") + ": neuralNetwork, specification 2, 1 layer\n"),
                lint.out());
        assertTrue(checkLines.contains("SKIPPED " + dir.resolve("a.mlmodel") + ": a symbolic link loop"),
                checkLines.toString());
        assertEquals(ExitCodes.FAILED, lint.exitCode());

        CliRunner.Result emptyPath = CliRunner.run("lint", "");
        assertEquals(ExitCodes.BAD_INPUT, emptyPath.exitCode());
        assertTrue(emptyPath.err().startsWith("aneprobe: an empty string is not a path"), emptyPath.err());
    }
}
