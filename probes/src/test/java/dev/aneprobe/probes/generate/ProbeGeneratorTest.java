package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.validate.ModelFileChecker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeGeneratorTest {
    @TempDir
    Path tmp;

    private final ProbeGenerator generator = new ProbeGenerator(Catalog.standard());

    private GenerationSummary generate(Path out, boolean force, List<String> families, String... overrides) {
        List<ParamOverride> o = Stream.of(overrides).map(ParamOverride::parse).toList();
        return generator.generate(new GenerationRequest(Profile.QUICK, families, o, out, force),
                GenerationListener.NONE);
    }

    @Test
    void sameArgumentsGiveByteIdenticalOutput() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        generate(a, false, List.of());
        generate(b, false, List.of());
        List<Path> filesA = files(a);
        List<Path> filesB = files(b);
        assertEquals(filesA.stream().map(a::relativize).toList(), filesB.stream().map(b::relativize).toList());
        for (int i = 0; i < filesA.size(); i++) {
            assertArrayEquals(Files.readAllBytes(filesA.get(i)), Files.readAllBytes(filesB.get(i)),
                    "differs: " + a.relativize(filesA.get(i)));
        }
    }

    @Test
    void manifestDescribesEveryModelWithItsHash() throws IOException {
        Path out = tmp.resolve("out");
        GenerationSummary summary = generate(out, false, List.of("pooling"));
        List<String> lines = Files.readAllLines(out.resolve(ManifestWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertEquals(summary.probes(), lines.size());
        ObjectMapper mapper = new ObjectMapper();
        ModelFileChecker checker = new ModelFileChecker();
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            Path model = out.resolve(n.get("path").asText());
            byte[] bytes = Files.readAllBytes(model);
            assertEquals(ProbeGenerator.sha256(bytes), n.get("sha256").asText());
            assertTrue(n.get("id").asText().startsWith("pooling/"));
            assertEquals("pooling", n.get("layerType").asText());
            assertEquals(1, n.get("specificationVersion").asInt());
            assertEquals("x", n.get("inputs").get(0).get("name").asText());
            assertTrue(checker.checkBytes(bytes).valid());
        }
    }

    @Test
    void mlProgramProbesAreCheckedPackagesWithWeightFiles() throws IOException {
        Path out = tmp.resolve("mil");
        GenerationSummary summary = generate(out, false, List.of("mil.conv"));
        List<String> lines = Files.readAllLines(out.resolve(ManifestWriter.FILE_NAME), StandardCharsets.UTF_8);
        assertEquals(summary.probes(), lines.size());
        ObjectMapper mapper = new ObjectMapper();
        ModelFileChecker checker = new ModelFileChecker();
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            assertEquals("mlpackage", n.get("format").asText());
            assertEquals("conv", n.get("layerType").asText());
            Path pkg = out.resolve(n.get("path").asText());
            assertTrue(Files.isDirectory(pkg) && pkg.toString().endsWith(".mlpackage"), pkg.toString());
            assertTrue(Files.exists(pkg.resolve("Manifest.json")));
            assertTrue(Files.exists(pkg.resolve("Data/com.apple.CoreML/weights/weight.bin")), "conv weights in blob");
            assertEquals(dev.aneprobe.probes.mlpackage.MlPackageWriter.sha256(pkg), n.get("sha256").asText());
            List<String> results = new java.util.ArrayList<>();
            checker.check(pkg, (p, r) -> results.add(r.message()), (p, why) -> results.add("SKIPPED: " + why));
            assertEquals(List.of("valid"), results);
            boolean fp16 = n.get("params").get("dtype").asText().equals("fp16");
            assertEquals(fp16 ? "FLOAT16" : "FLOAT32", n.get("inputs").get(0).get("dataType").asText());
            assertEquals(fp16 ? 7 : 6, n.get("specificationVersion").asInt(), "fp16 I/O needs specification 7");
        }
    }

    @Test
    void overridesReplaceAnAxisValues() {
        List<String> ids = generator.plan(new GenerationRequest(Profile.QUICK, List.of("pooling"),
                List.of(ParamOverride.parse("pooling.kernel=1..4")), tmp.resolve("x"), false))
                .stream().map(s -> s.params().get("kernel")).distinct().toList();
        assertEquals(List.of("3x3", "1x1", "2x2", "4x4"), ids);
    }

    @Test
    void badSelectionsAreOneLineErrors() {
        Path out = tmp.resolve("o");
        assertEquals("unknown family 'poolin' (see 'aneprobe list')",
                assertThrows(GenerationException.class, () -> generate(out, false, List.of("poolin"))).getMessage());
        assertTrue(assertThrows(GenerationException.class, () -> generate(out, false, List.of(), "pooling.kernl=3"))
                .getMessage().startsWith("family pooling has no axis 'kernl' (axes: type, kernel"));
        assertEquals("--param pooling.type: 'median' is not a value of axis type (choices: max, average, l2)",
                assertThrows(GenerationException.class, () -> generate(out, false, List.of(), "pooling.type=median"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ParamOverride.parse("pooling=3"))
                .getMessage().startsWith("malformed --param 'pooling=3'"));
        assertFalse(Files.exists(out), "nothing written on bad input");
    }

    @Test
    void refusesFilesAndDirectoriesOfOtherFiles() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertTrue(assertThrows(GenerationException.class, () -> generate(file, true, List.of("pooling")))
                .getMessage().endsWith("is a file, not a directory"));
        Path dir = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(dir.resolve("keep.txt"), "mine");
        for (boolean force : new boolean[] {false, true}) {
            assertEquals("refusing to replace " + dir.toRealPath() + ": it holds files aneprobe generate did not "
                    + "write (keep.txt)", assertThrows(GenerationException.class,
                            () -> generate(dir, force, List.of("pooling"))).getMessage());
        }
        // A manifest.jsonl that aneprobe did not write does not make the directory ours.
        Files.writeString(dir.resolve(ManifestWriter.FILE_NAME), "{\"id\": \"pooling/x\"}\n");
        Files.delete(dir.resolve("keep.txt"));
        assertTrue(assertThrows(GenerationException.class, () -> generate(dir, true, List.of("pooling")))
                .getMessage().endsWith("did not write (manifest.jsonl)"));
        assertEquals("{\"id\": \"pooling/x\"}\n", Files.readString(dir.resolve(ManifestWriter.FILE_NAME)));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectory(repo.resolve(".git"));
        assertTrue(assertThrows(GenerationException.class, () -> generate(repo, true, List.of("pooling")))
                .getMessage().endsWith("it is a repository root (it holds .git)"));
        assertTrue(Files.isDirectory(repo.resolve(".git")));
        assertNoTemporaryLeftovers();
    }

    @Test
    void anEarlierOutputIsReplacedOnlyWithForceAndOnlyWhatGenerateWrote() throws IOException {
        Path out = tmp.resolve("out");
        generate(out, false, List.of("pooling", "mil.conv"));
        assertTrue(assertThrows(GenerationException.class, () -> generate(out, false, List.of("pooling")))
                .getMessage().endsWith("is not empty (use --force to replace it)"));
        GenerationSummary again = generate(out, true, List.of("upsample"));
        assertEquals(out.toRealPath(), again.out());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(ManifestWriter.FILE_NAME, "upsample"),
                    s.map(p -> p.getFileName().toString()).sorted().toList(), "the old families are gone");
        }
        // A file of the user's inside an earlier output (even deep in a package) makes it theirs too.
        generate(out, true, List.of("mil.conv"));
        Path pkg;
        try (Stream<Path> s = Files.list(out.resolve("mil.conv"))) {
            pkg = s.sorted().findFirst().orElseThrow();
        }
        Files.writeString(pkg.resolve("Data/notes.txt"), "mine");
        String rel = out.toRealPath().relativize(pkg.resolve("Data/notes.txt")).toString();
        assertTrue(assertThrows(GenerationException.class, () -> generate(out, true, List.of("pooling")))
                .getMessage().endsWith("did not write (" + rel + ")"));
        assertEquals("mine", Files.readString(pkg.resolve("Data/notes.txt")));
        assertNoTemporaryLeftovers();
    }

    @Test
    void theOutputFollowsTheUmask() throws IOException {
        Path reference = Files.createDirectory(tmp.resolve("reference"));
        Path out = tmp.resolve("out");
        generate(out, false, List.of("mil.conv"));
        try {
            assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(out));
            assertEquals(Files.getPosixFilePermissions(reference), Files.getPosixFilePermissions(
                    out.resolve("mil.conv")));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: no umask
        }
    }

    private void assertNoTemporaryLeftovers() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary leftovers");
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
