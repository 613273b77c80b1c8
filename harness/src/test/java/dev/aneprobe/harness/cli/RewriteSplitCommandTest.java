package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.rewrite.SurgeryModels;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.samples.RealWorldModels;
import dev.aneprobe.probes.validate.ModelFileChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code aneprobe rewrite} and {@code aneprobe split} as a user runs them, bad input included. */
class RewriteSplitCommandTest {
    @TempDir
    Path tmp;

    private Path write(String name, Model model) throws IOException {
        return Files.write(tmp.resolve(name), model.toByteArray());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rewriteVerifiesAndWritesAValidModelWithoutTouchingTheInput() throws IOException {
        Path in = write("chain.mlmodel", SurgeryModels.chain());
        byte[] before = Files.readAllBytes(in);
        Path out = tmp.resolve("chain-ane.mlmodel");
        CliRunner.Result r = CliRunner.run("rewrite", in.toString(), "--out", out.toString(), "--verify");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("REPLACED layer 'aux_mul' (multiplyBroadcastable) -> scale (scale [4]) "
                + "[multiply-broadcastable]; verified: equal on 180 values (3 seeded inputs, largest difference 0.0)"),
                r.out());
        assertTrue(r.out().endsWith("wrote " + out + ": 4 replaced, 0 kept\n"), r.out());
        assertTrue(new ModelFileChecker().checkFile(out).valid());
        assertArrayEquals(before, Files.readAllBytes(in));
        assertEquals(List.of("chain-ane.mlmodel", "chain.mlmodel"), files()); // no temporary file left
        // Run again: the output exists now, and is never replaced.
        CliRunner.Result again = CliRunner.run("rewrite", in.toString(), "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, again.exitCode());
        assertTrue(again.err().startsWith("aneprobe: --out " + out + " exists; rewrite never replaces a file"),
                again.err());
        CliRunner.Result self = CliRunner.run("rewrite", in.toString(), "--out", in.toString());
        assertEquals(ExitCodes.BAD_INPUT, self.exitCode());
        assertArrayEquals(before, Files.readAllBytes(in));
    }

    @Test
    void dryRunOnlyReportsAndOnlyNarrows() throws IOException {
        Path in = write("chain.mlmodel", SurgeryModels.chain());
        CliRunner.Result r = CliRunner.run("rewrite", in.toString(), "--dry-run", "--only", "concat-nd");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("REPLACED layer 'aux_cat' (concatND) -> concat [concat-nd]\ndry run: 1 replaced, 0 kept; "
                + "nothing written\n", r.out());
        assertEquals(List.of("chain.mlmodel"), files());
        CliRunner.Result bad = CliRunner.run("rewrite", in.toString(), "--dry-run", "--only", "divide");
        assertEquals(ExitCodes.BAD_INPUT, bad.exitCode());
        assertEquals("aneprobe: unknown rule 'divide' (rules: add-broadcastable, multiply-broadcastable, "
                + "subtract-broadcastable, concat-nd, load-constant-nd)\n", bad.err());
        CliRunner.Result help = CliRunner.run("rewrite", "--help");
        assertTrue(help.out().contains("load-constant-nd"), help.out());
    }

    @Test
    void badInputGetsOneLineAndADocumentedCode() throws IOException {
        Path nothing = write("plain.mlmodel", RealWorldModels.nnImageClassifier());
        CliRunner.Result none = CliRunner.run("rewrite", nothing.toString(), "--out", tmp.resolve("x.mlmodel")
                .toString());
        assertEquals(0, none.exitCode(), none.err());
        assertEquals("nothing to rewrite in " + nothing + ": no layer of a type the rules replace; nothing "
                + "written\n", none.out());
        Path program = write("program.mlmodel", RealWorldModels.milRelu("CoreML5", "x"));
        CliRunner.Result mil = CliRunner.run("rewrite", program.toString(), "--dry-run");
        assertEquals(ExitCodes.BAD_INPUT, mil.exitCode());
        assertTrue(mil.err().startsWith("aneprobe: " + program + " is an ML Program: none of rewrite's rules "
                + "apply"), mil.err());
        assertEquals(1, mil.err().lines().count());
        Path junk = Files.writeString(tmp.resolve("junk.mlmodel"), "not a model at all");
        CliRunner.Result corrupt = CliRunner.run("rewrite", junk.toString(), "--dry-run");
        assertEquals(ExitCodes.FAILED, corrupt.exitCode());
        assertTrue(corrupt.err().startsWith("aneprobe: INVALID " + junk + ": not a Core ML model"), corrupt.err());
        assertEquals(1, corrupt.err().lines().count());
        CliRunner.Result missing = CliRunner.run("rewrite", tmp.resolve("nope.mlmodel").toString(), "--dry-run");
        assertEquals(ExitCodes.BAD_INPUT, missing.exitCode());
        assertEquals("aneprobe: no such file: " + tmp.resolve("nope.mlmodel") + "\n", missing.err());
        CliRunner.Result noOut = CliRunner.run("rewrite", nothing.toString());
        assertEquals(ExitCodes.BAD_INPUT, noOut.exitCode());
        assertEquals("aneprobe: --out is required (or pass --dry-run)\n", noOut.err());
        assertFalse(Files.exists(tmp.resolve("x.mlmodel")));
    }

    @Test
    void splitWritesTwoValidPartsAndAValidPipeline() throws IOException {
        Path in = write("chain.mlmodel", SurgeryModels.chain());
        Path out = tmp.resolve("parts");
        CliRunner.Result r = CliRunner.run("split", in.toString(), "--at", "aux_cat", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + out + ": head.mlmodel (3 layers), tail.mlmodel (4 layers), pipeline.mlmodel; "
                + "crossing the cut: s\n", r.out());
        CliRunner.Result check = CliRunner.run("check", out.toString());
        assertEquals(0, check.exitCode(), check.out());
        assertTrue(check.out().endsWith("3 OK, 0 INVALID\n"), check.out());
        Model tail = Model.parseFrom(Files.readAllBytes(out.resolve("tail.mlmodel")));
        assertEquals(List.of("x3", "s"), tail.getDescription().getInputList().stream().map(f -> f.getName())
                .toList());
        assertEquals(List.of(1L, 4L, 3L, 5L), tail.getDescription().getInput(1).getType().getMultiArrayType()
                .getShapeList());
        Model pipeline = Model.parseFrom(Files.readAllBytes(out.resolve("pipeline.mlmodel")));
        assertEquals(SurgeryModels.chain().getDescription(), pipeline.getDescription());
        // Again: refused without --force, replaced with it.
        CliRunner.Result again = CliRunner.run("split", in.toString(), "--at", "aux_cat", "--out", out.toString());
        assertEquals(ExitCodes.BAD_INPUT, again.exitCode(), again.err());
        CliRunner.Result forced = CliRunner.run("split", in.toString(), "--at", "aux_add", "--out", out.toString(),
                "--force");
        assertEquals(0, forced.exitCode(), forced.err());
    }

    @Test
    void splitRefusals() throws IOException {
        Path in = write("chain.mlmodel", SurgeryModels.chain());
        String out = tmp.resolve("parts").toString();
        CliRunner.Result unknown = CliRunner.run("split", in.toString(), "--at", "nope", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, unknown.exitCode());
        assertEquals("aneprobe: cannot split " + in + ": no layer named 'nope'\n", unknown.err());
        CliRunner.Result first = CliRunner.run("split", in.toString(), "--at", "aux_scale", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, first.exitCode());
        assertTrue(first.err().contains("is the first layer"), first.err());
        Path program = write("program.mlmodel", RealWorldModels.milRelu("CoreML5", "x"));
        CliRunner.Result mil = CliRunner.run("split", program.toString(), "--at", "y", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, mil.exitCode());
        assertTrue(mil.err().contains("an ML Program has no NeuralNetwork layers"), mil.err());
        Path classifier = write("classifier.mlmodel", RealWorldModels.nnImageClassifier());
        CliRunner.Result cls = CliRunner.run("split", classifier.toString(), "--at", "aux_conv", "--out", out);
        assertEquals(ExitCodes.BAD_INPUT, cls.exitCode());
        Path junk = Files.writeString(tmp.resolve("junk.mlmodel"), "not a model at all");
        CliRunner.Result corrupt = CliRunner.run("split", junk.toString(), "--at", "x", "--out", out);
        assertEquals(ExitCodes.FAILED, corrupt.exitCode());
        assertTrue(corrupt.err().startsWith("aneprobe: INVALID " + junk + ": not a Core ML model"), corrupt.err());
        assertEquals(1, corrupt.err().lines().count());
        assertFalse(Files.exists(tmp.resolve("parts")));
    }
}
