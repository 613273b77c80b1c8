package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkClassifier;
import dev.aneprobe.probes.coreml.NeuralNetworkRegressor;
import dev.aneprobe.probes.validate.ModelFileChecker;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} never throws on something that is not a Core ML model: it says INVALID with the problem. */
class ModelFileCheckerTest {
    @TempDir
    Path tmp;

    private final ModelFileChecker checker = new ModelFileChecker();

    private ValidationResult checkBytes(byte[] bytes) throws IOException {
        Path f = Files.write(tmp.resolve("m.mlmodel"), bytes);
        return checker.checkFile(f);
    }

    @Test
    void emptyFile() throws IOException {
        assertEquals("empty file, not a Core ML model", checkBytes(new byte[0]).message());
    }

    @Test
    void textFile() throws IOException {
        ValidationResult r = checkBytes("hello, I am not a model\n".getBytes());
        assertFalse(r.valid());
        assertTrue(r.message().startsWith("not a Core ML model"), r.message());
    }

    @Test
    void randomBytes() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] b = new byte[1 + random.nextInt(300)];
            random.nextBytes(b);
            ValidationResult r = checkBytes(b); // must not throw, whatever the bytes
            assertFalse(r.valid());
        }
    }

    @Test
    void truncatedModel() throws IOException {
        Path out = tmp.resolve("gen");
        new ProbeGenerator(dev.aneprobe.probes.catalog.Catalog.standard()).generate(
                new GenerationRequest(dev.aneprobe.probes.sweep.Profile.QUICK, List.of("convolution"), List.of(),
                        out, false), GenerationListener.NONE);
        Path model;
        try (var s = Files.walk(out)) {
            model = s.filter(p -> p.toString().endsWith(".mlmodel")).sorted().findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(model);
        assertTrue(checker.checkFile(model).valid());
        ValidationResult r = checkBytes(Arrays.copyOf(whole, whole.length / 2));
        assertFalse(r.valid());
        assertTrue(r.message().startsWith("not a Core ML model (protobuf parse error"), r.message());
    }

    @Test
    void directoryWithoutModels() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        List<String> seen = new ArrayList<>();
        checker.check(empty, (p, r) -> seen.add(p.getFileName() + ": " + r.message()),
                (p, why) -> seen.add("SKIPPED " + p + ": " + why));
        assertEquals(List.of("empty: directory holds no Core ML model"), seen);
    }

    /**
     * Found by fuzzing: an enum number the format does not have (here a classifier's and a regressor's image shape
     * mapping) threw IllegalArgumentException while the network was read, so check exited 3 with a stack trace.
     */
    @Test
    void unknownEnumNumbersDoNotThrow() {
        Model pooling = generatedPooling();
        NeuralNetwork nn = pooling.getNeuralNetwork();
        Model classifier = pooling.toBuilder().setNeuralNetworkClassifier(NeuralNetworkClassifier.newBuilder()
                .addAllLayers(nn.getLayersList()).setImageInputShapeMappingValue(999)
                .setArrayInputShapeMappingValue(998)).build();
        Model regressor = pooling.toBuilder().setNeuralNetworkRegressor(NeuralNetworkRegressor.newBuilder()
                .addAllLayers(nn.getLayersList()).setImageInputShapeMappingValue(999)).build();
        for (Model m : List.of(classifier, regressor)) {
            ValidationResult r = assertDoesNotThrow(() -> checker.checkBytes(m.toByteArray()));
            assertFalse(r.message().isBlank());
        }
    }

    private Model generatedPooling() {
        ProbeGenerator generator = new ProbeGenerator(dev.aneprobe.probes.catalog.Catalog.standard());
        var spec = generator.plan(new GenerationRequest(dev.aneprobe.probes.sweep.Profile.QUICK,
                List.of("pooling"), List.of(), tmp.resolve("unused"), false)).get(0);
        return generator.build(dev.aneprobe.probes.catalog.Catalog.standard().family("pooling"), spec).model();
    }
}
