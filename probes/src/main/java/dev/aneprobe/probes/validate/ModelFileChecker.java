package dev.aneprobe.probes.validate;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Checks model files on disk: parses each {@code .mlmodel} and validates it. Anything that is not a Core ML model
 * (empty, truncated, random bytes, text) is reported as invalid with the parse problem, never thrown. A directory
 * is searched recursively, in sorted order; a directory holding no model is itself reported invalid.
 */
public final class ModelFileChecker {
    private final ModelValidator validator = new ModelValidator();

    public void check(Path path, BiConsumer<Path, ValidationResult> sink) {
        if (Files.isDirectory(path)) {
            List<Path> models = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(path)) {
                walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".mlmodel"))
                        .sorted()
                        .forEach(models::add);
            } catch (IOException e) {
                sink.accept(path, fail("cannot read directory: " + e.getMessage()));
                return;
            }
            if (models.isEmpty()) {
                sink.accept(path, fail("directory holds no .mlmodel file"));
            }
            for (Path m : models) {
                sink.accept(m, checkFile(m));
            }
        } else {
            sink.accept(path, checkFile(path));
        }
    }

    public ValidationResult checkFile(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return fail("cannot read: " + e.getMessage());
        }
        return checkBytes(bytes);
    }

    public ValidationResult checkBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return fail("empty file, not a Core ML model");
        }
        Model model;
        try {
            model = Model.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return fail("not a Core ML model (protobuf parse error: " + oneLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            return fail("not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        if (model.getSpecificationVersion() == 0 && !model.hasDescription()) {
            return fail("not a Core ML model (no specification version or description)");
        }
        return validator.validate(model);
    }

    private static ValidationResult fail(String message) {
        return new ValidationResult(List.of(message));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
