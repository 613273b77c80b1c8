package dev.aneprobe.probes.mlpackage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.validate.ModelFileChecker;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlPackageTest {
    @TempDir
    Path tmp;

    private final ModelFileChecker checker = new ModelFileChecker();

    private Path writeGood(String name) throws IOException {
        Path p = tmp.resolve(name);
        MlPackageWriter.write(p, MilFixtures.bytes(MilFixtures.goodModel()), MilFixtures.weightBin(), "probe-1");
        return p;
    }

    private static Path data(Path pkg) {
        return pkg.resolve("Data/com.apple.CoreML");
    }

    private static Map<String, byte[]> tree(Path root) throws IOException {
        Map<String, byte[]> out = new java.util.TreeMap<>();
        try (var s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private ValidationResult check(Path pkg) {
        List<ValidationResult> results = new ArrayList<>();
        checker.check(pkg, (p, r) -> {
            assertEquals(pkg, p);
            results.add(r);
        }, (p, why) -> fail("skipped " + p + ": " + why));
        assertEquals(1, results.size());
        return results.get(0);
    }

    private static String manifest(Path pkg) throws IOException {
        return Files.readString(pkg.resolve("Manifest.json"));
    }

    @Test
    void layoutAndManifest() throws IOException {
        Path pkg = writeGood("a.mlpackage");
        assertEquals(List.of("Data/com.apple.CoreML/model.mlmodel", "Data/com.apple.CoreML/weights/weight.bin",
                "Manifest.json"), List.copyOf(tree(pkg).keySet()));
        String modelId = MlPackageWriter.identifier("probe-1", "com.apple.CoreML/model.mlmodel");
        String weightsId = MlPackageWriter.identifier("probe-1", "com.apple.CoreML/weights");
        assertTrue(modelId.matches("[0-9A-F]{8}-[0-9A-F]{4}-3[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}"), modelId);
        assertNotEquals(modelId, weightsId);
        String first = modelId.compareTo(weightsId) < 0 ? modelId : weightsId;
        String second = first.equals(modelId) ? weightsId : modelId;
        String modelItem = "      \"author\": \"com.apple.CoreML\",\n"
                + "      \"description\": \"CoreML Model Specification\",\n"
                + "      \"name\": \"model.mlmodel\",\n"
                + "      \"path\": \"com.apple.CoreML/model.mlmodel\"\n";
        String weightsItem = "      \"author\": \"com.apple.CoreML\",\n"
                + "      \"description\": \"CoreML Model Weights\",\n"
                + "      \"name\": \"weights\",\n"
                + "      \"path\": \"com.apple.CoreML/weights\"\n";
        String expected = "{\n"
                + "  \"fileFormatVersion\": \"1.0.0\",\n"
                + "  \"itemInfoEntries\": {\n"
                + "    \"" + first + "\": {\n" + (first.equals(modelId) ? modelItem : weightsItem) + "    },\n"
                + "    \"" + second + "\": {\n" + (second.equals(modelId) ? modelItem : weightsItem) + "    }\n"
                + "  },\n"
                + "  \"rootModelIdentifier\": \"" + modelId + "\"\n"
                + "}\n";
        assertEquals(expected, manifest(pkg));
        // another seed, other identifiers
        assertNotEquals(modelId, MlPackageWriter.identifier("probe-2", "com.apple.CoreML/model.mlmodel"));
    }

    @Test
    void withoutWeightsTheManifestHasOneItemAndStaleWeightsGo() throws IOException, PackageFormatException {
        Path pkg = writeGood("b.mlpackage");
        MlPackageWriter.write(pkg, new byte[] {8, 7}, null, "probe-1");
        assertFalse(Files.exists(data(pkg).resolve("weights")));
        assertEquals(List.of("Data/com.apple.CoreML/model.mlmodel", "Manifest.json"), List.copyOf(tree(pkg).keySet()));
        String m = manifest(pkg);
        assertFalse(m.contains("weights"), m);
        assertEquals(1, m.split("\"author\"").length - 1);
        MlPackage read = MlPackageReader.read(pkg);
        assertEquals(Map.of(), read.weightFiles());
        assertArrayEquals(new byte[] {8, 7}, read.modelSpec());
        assertEquals(ProbeGenerator.sha256(new byte[] {8, 7}), MlPackageWriter.sha256(pkg));
    }

    @Test
    void writeReadAndHashAreStable() throws IOException, PackageFormatException {
        Path a = writeGood("x/p.mlpackage");
        Path b = writeGood("y/p.mlpackage");
        Map<String, byte[]> ta = tree(a);
        Map<String, byte[]> tb = tree(b);
        assertEquals(ta.keySet(), tb.keySet());
        for (String k : ta.keySet()) {
            assertArrayEquals(ta.get(k), tb.get(k), k);
        }
        writeGood("x/p.mlpackage"); // overwrite in place: same bytes again
        for (Map.Entry<String, byte[]> e : tree(a).entrySet()) {
            assertArrayEquals(ta.get(e.getKey()), e.getValue(), e.getKey());
        }

        MlPackage read = MlPackageReader.read(a);
        assertEquals(a, read.root());
        assertArrayEquals(MilFixtures.bytes(MilFixtures.goodModel()), read.modelSpec());
        assertEquals(List.of(MlPackageWriter.WEIGHT_FILE_REFERENCE), List.copyOf(read.weightFiles().keySet()));
        assertArrayEquals(MilFixtures.weightBin(),
                Files.readAllBytes(read.weightFiles().get(MlPackageWriter.WEIGHT_FILE_REFERENCE)));
        assertEquals(MlPackageWriter.identifier("probe-1", "com.apple.CoreML/model.mlmodel"),
                read.rootModelIdentifier());

        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(MilFixtures.bytes(MilFixtures.goodModel()));
        both.writeBytes(MilFixtures.weightBin());
        String sha = MlPackageWriter.sha256(a);
        assertEquals(ProbeGenerator.sha256(both.toByteArray()), sha);
        assertEquals(sha, MlPackageWriter.sha256(b));
        assertTrue(check(a).valid(), check(a).message());
    }

    @Test
    void readerRefusesAFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("f.mlpackage"), "x");
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> MlPackageReader.read(f));
        assertEquals("not a directory, so not an .mlpackage", e.getMessage());
    }

    // ---- corrupt packages, through `check` ----

    private void assertInvalid(String expected, Path pkg) {
        ValidationResult r = check(pkg);
        assertFalse(r.valid());
        assertEquals(expected, r.message());
    }

    @Test
    void missingManifest() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.delete(pkg.resolve("Manifest.json"));
        assertInvalid("package has no Manifest.json", pkg);
    }

    @Test
    void corruptManifestJson() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.writeString(pkg.resolve("Manifest.json"), "{\"fileFormatVersion\": \"1.0.0\",");
        ValidationResult r = check(pkg);
        assertTrue(r.message().startsWith("Manifest.json is not valid JSON ("), r.message());
        assertFalse(r.message().contains("\n"));
        Files.writeString(pkg.resolve("Manifest.json"), "[1, 2]");
        assertInvalid("Manifest.json is not a JSON object", pkg);
    }

    @Test
    void missingFileFormatVersion() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.writeString(pkg.resolve("Manifest.json"),
                manifest(pkg).replace("  \"fileFormatVersion\": \"1.0.0\",\n", ""));
        assertInvalid("Manifest.json has no fileFormatVersion", pkg);
        Files.writeString(pkg.resolve("Manifest.json"),
                manifest(pkg).replace("{\n", "{\"fileFormatVersion\": \"2.0.0\",\n"));
        assertInvalid("Manifest.json fileFormatVersion 2.0.0 is newer than the supported 1.0.0", pkg);
    }

    @Test
    void rootIdentifierNotAmongItems() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        String id = MlPackageWriter.identifier("probe-1", "com.apple.CoreML/model.mlmodel");
        String m = manifest(pkg);
        Files.writeString(pkg.resolve("Manifest.json"),
                m.replace("\"rootModelIdentifier\": \"" + id + "\"", "\"rootModelIdentifier\": \"NOPE\""));
        assertInvalid("rootModelIdentifier NOPE is not among itemInfoEntries", pkg);
    }

    @Test
    void itemPathEscapingThePackage() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.writeString(tmp.resolve("outside.mlmodel"), "x");
        Files.writeString(pkg.resolve("Manifest.json"), manifest(pkg)
                .replace("\"path\": \"com.apple.CoreML/model.mlmodel\"", "\"path\": \"../../outside.mlmodel\""));
        String id = MlPackageWriter.identifier("probe-1", "com.apple.CoreML/model.mlmodel");
        assertInvalid("item " + id + " path '../../outside.mlmodel' escapes the package", pkg);

        Files.writeString(pkg.resolve("Manifest.json"), manifest(pkg)
                .replace("\"path\": \"../../outside.mlmodel\"", "\"path\": \"com.apple.CoreML/../../m.mlmodel\""));
        assertInvalid("item " + id + " path 'com.apple.CoreML/../../m.mlmodel' escapes the package", pkg);
    }

    @Test
    void rootModelFileMissing() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.delete(data(pkg).resolve("model.mlmodel"));
        assertInvalid("root model file 'com.apple.CoreML/model.mlmodel' does not exist", pkg);
    }

    @Test
    void listedItemMissing() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.delete(data(pkg).resolve("weights/weight.bin"));
        Files.delete(data(pkg).resolve("weights"));
        String id = MlPackageWriter.identifier("probe-1", "com.apple.CoreML/weights");
        assertInvalid("item " + id + " path 'com.apple.CoreML/weights' does not exist in the package", pkg);
    }

    @Test
    void rootModelNotAModel() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Files.write(data(pkg).resolve("model.mlmodel"), new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        ValidationResult r = check(pkg);
        assertTrue(r.message().startsWith("root model is not a Core ML model (protobuf parse error"), r.message());
        Files.write(data(pkg).resolve("model.mlmodel"), new byte[0]);
        assertInvalid("root model file is empty, not a Core ML model", pkg);
    }

    @Test
    void weightFileTruncated() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Path bin = data(pkg).resolve("weights/weight.bin");
        byte[] b = Files.readAllBytes(bin);
        assertEquals(160, b.length);
        Files.write(bin, Arrays.copyOf(b, 150));
        assertInvalid("weight file '@model_path/weights/weight.bin' is corrupt: blob 0 at offset 64 has 32 data "
                + "bytes from offset 128, past the end of the file (150 bytes)", pkg);
        Files.write(bin, Arrays.copyOf(b, 20));
        assertInvalid("weight file '@model_path/weights/weight.bin' is corrupt: weight file is 20 bytes, shorter "
                + "than its 64-byte header", pkg);
    }

    @Test
    void weightFileWrongSentinel() throws IOException {
        Path pkg = writeGood("m.mlpackage");
        Path bin = data(pkg).resolve("weights/weight.bin");
        byte[] b = Files.readAllBytes(bin);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(64, 0);
        Files.write(bin, b);
        assertInvalid("weight file '@model_path/weights/weight.bin' is corrupt: blob 0 metadata at offset 64 has "
                + "sentinel 0x00000000, expected 0xDEADBEEF", pkg);
    }

    // ---- directory search ----

    @Test
    void directorySearchListsModelsAndPackagesSorted() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("root"));
        writeGood("root/b.mlpackage");
        writeGood("root/sub/a.mlpackage");
        Files.write(root.resolve("c.mlmodel"), new byte[0]);
        Files.write(root.resolve("notes.txt"), new byte[] {1});
        // a .mlmodel inside a package is part of the package, not a model of its own
        Files.write(root.resolve("b.mlpackage/Data/extra.mlmodel"), new byte[0]);
        Files.createDirectories(root.resolve("d.mlpackage")); // broken package: still listed, as invalid
        List<String> seen = new ArrayList<>();
        checker.check(root, (p, r) -> seen.add(root.relativize(p).toString().replace('\\', '/') + ": "
                + r.message()), (p, why) -> seen.add("SKIPPED " + p + ": " + why));
        assertEquals(List.of(
                "b.mlpackage: valid",
                "c.mlmodel: empty file, not a Core ML model",
                "d.mlpackage: package has no Manifest.json",
                "sub/a.mlpackage: valid"), seen);
    }

    @Test
    void directoryWithoutModels() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("nothing/here"));
        Files.writeString(empty.resolve("readme.txt"), "hi", StandardCharsets.UTF_8);
        List<String> seen = new ArrayList<>();
        checker.check(tmp.resolve("nothing"), (p, r) -> seen.add(p.getFileName() + ": " + r.message()),
                (p, why) -> seen.add("SKIPPED " + p + ": " + why));
        assertEquals(List.of("nothing: directory holds no Core ML model"), seen);
    }
}
