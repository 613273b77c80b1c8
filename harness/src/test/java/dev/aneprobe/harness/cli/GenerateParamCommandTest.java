package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate --family/--param} as a user with ordinary typos runs it (issue 9): each mistake is exit 2 with
 * one line naming what is wrong, never exit 3 or a stack trace, and nothing is written; what is asked for is
 * generated.
 */
class GenerateParamCommandTest {
    @TempDir
    Path tmp;

    private CliRunner.Result generate(String... args) {
        List<String> all = new ArrayList<>(List.of("generate", "--quiet", "--out", tmp.resolve("out").toString()));
        all.addAll(List.of(args));
        return CliRunner.run(all.toArray(new String[0]));
    }

    private void refused(String expectedStart, String... args) {
        CliRunner.Result r = generate(args);
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), r.err());
        assertEquals(1, r.err().trim().split("\n").length, r.err());
        assertTrue(r.err().startsWith("aneprobe: " + expectedStart), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void everyTypoFromTheIssueIsOneLineAndExitTwo() {
        refused("--param pooling.kernel: '2147483648x2147483648' is out of range",
                "--family", "pooling", "--param", "pooling.kernel=2147483648");
        refused("--param upsample.scale: '0x0' is out of range", "--family", "upsample", "--param", "upsample.scale=0");
        refused("--param convolution.cout=1000000 yields no probe: ", "--family", "convolution", "--param",
                "convolution.cout=1000000");
        refused("--param pooling.in: '56x56' has rank 2, but in takes shapes of rank 3", "--param", "pooling.in=56x56");
        refused("--param convolution.in: '56' has rank 1", "--param", "convolution.in=56");
        refused("--param mil.conv.in: '1x2x3' has rank 3, but in takes shapes of rank 4", "--param",
                "mil.conv.in=1x2x3");
        refused("--param upsample.in: '1x2x3x4x5' has rank 5", "--param", "upsample.in=1x2x3x4x5");
        refused("--param upsample.scale: '-1.5x-1.5' is out of range", "--param", "upsample.scale=-1.5");
        refused("--param pooling.kernel=100x100 yields no probe: ", "--family", "pooling", "--param",
                "pooling.kernel=100");
        refused("--param innerProduct.cout: '100000000' is out of range", "--param", "innerProduct.cout=100000000");
        refused("--param innerProduct.cout=10000000 yields no probe: innerProduct/in=512,cout=10000000,hasBias=true,"
                + "weights=fp32 breaks innerProduct's rule: input x cout is at most 4,500,000 weights",
                "--family", "innerProduct", "--param", "innerProduct.cout=10000000");
        refused("--param pooling.kernel is given twice", "--family", "pooling", "--param", "pooling.kernel=3",
                "--param", "pooling.kernel=5");
        refused("--param pooling.kernel: family pooling is not selected", "--family", "convolution", "--param",
                "pooling.kernel=5");
        refused("--param pooling.kernel: family pooling is not selected", "--kind", "mil", "--param",
                "pooling.kernel=5");
    }

    @Test
    void duplicateFamiliesAreMerged() throws IOException {
        CliRunner.Result r = generate("--family", "pooling,pooling", "--family", "pooling");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().startsWith("wrote 5 probes of 1 family ("), r.out());
        assertEquals(5, Files.readAllLines(tmp.resolve("out/manifest.jsonl")).size());
    }

    @Test
    void theReadmeExampleGeneratesEveryValueItNames() throws IOException {
        CliRunner.Result r = generate("--family", "upsample", "--param", "upsample.scale=2x3,1.5");
        assertEquals(0, r.exitCode(), r.err());
        List<String> scales = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(tmp.resolve("out/manifest.jsonl"))) {
            JsonNode params = json.readTree(line).get("params");
            scales.add(params.get("scale").asText() + "/" + params.get("mode").asText() + "/"
                    + params.get("align").asText());
        }
        assertEquals(List.of("2x2/nn/default", "2x3/nn/default", "1.5x1.5/bilinear/true", "1.5x1.5/bilinear/false"),
                scales);
        CliRunner.Result check = CliRunner.run("check", tmp.resolve("out").toString());
        assertEquals(0, check.exitCode(), check.out());
    }

    @Test
    void messagesCountInTheSingularAndGroupThousands() {
        CliRunner.Result r = generate("--family", "pooling", "--param", "pooling.kernel=3", "--param",
                "pooling.stride=1");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().matches("wrote 1 probe of 1 family \\([0-9.]+ (bytes|kB)\\) and manifest\\.jsonl to .*\\n"),
                r.out());
        assertEquals("1 probe", Counts.of(1, "probe", "probes"));
        assertEquals("10,428 probes", Counts.of(10_428, "probe", "probes"));
        assertEquals("512 bytes", Counts.size(512));
        assertEquals("12.3 kB", Counts.size(12_345));
        assertEquals("1.0 MB", Counts.size(999_999));
        assertEquals("2.9 GB", Counts.size(2_922_000_000L));
    }

    @Test
    void listCountsOnlyTheSelectedKind() throws IOException {
        String nn = lastLine(CliRunner.run("list", "--kind", "nn").out());
        String mil = lastLine(CliRunner.run("list", "--kind", "mil").out());
        String all = lastLine(CliRunner.run("list").out());
        assertTrue(nn.matches("[0-9]+ families \\([0-9]+ layer types\\); probes: quick [0-9,]+, standard [0-9,]+, "
                + "full [0-9,]+"), nn);
        assertTrue(mil.matches("[0-9]+ families \\([0-9]+ ML Program ops\\); probes: .*"), mil);
        assertTrue(all.matches("[0-9]+ families \\([0-9]+ layer types, [0-9]+ ML Program ops\\); probes: .*"), all);
        String[] n = nn.split("[ (]+");
        String[] m = mil.split("[ (]+");
        assertTrue(all.startsWith((Integer.parseInt(n[0]) + Integer.parseInt(m[0])) + " families (" + n[2]
                + " layer types, " + m[2] + " ML Program ops); "), all + " / " + nn + " / " + mil);
        ObjectMapper json = new ObjectMapper();
        int nnTypes = json.readTree(CliRunner.run("list", "--json", "--kind", "nn").out()).get("layerTypes").asInt();
        int milOps = json.readTree(CliRunner.run("list", "--json", "--kind", "mil").out()).get("layerTypes").asInt();
        int every = json.readTree(CliRunner.run("list", "--json").out()).get("layerTypes").asInt();
        assertEquals(every, nnTypes + milOps);
        assertEquals(158, nnTypes, "every NeuralNetwork layer type has a family");
        assertEquals(167, milOps, "every ML Program op has a family");
    }

    private static String lastLine(String out) {
        String[] lines = out.trim().split("\n");
        return lines[lines.length - 1];
    }
}
