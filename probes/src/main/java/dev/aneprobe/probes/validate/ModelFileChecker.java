package dev.aneprobe.probes.validate;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Checks models on disk: parses each {@code .mlmodel} file and validates it, and checks each {@code .mlpackage}
 * directory with {@link MlPackageChecker}. Anything that is not a Core ML model (empty, truncated, random bytes,
 * text, a broken package) is reported as invalid with the problem, never thrown. Any other directory is searched
 * recursively for {@code *.mlmodel} files and {@code *.mlpackage} directories (not descending into packages), in
 * sorted order; a directory holding neither is itself reported invalid.
 */
public final class ModelFileChecker {
    private static final String PACKAGE_SUFFIX = ".mlpackage";

    private final ModelValidator validator = new ModelValidator();
    private final MlPackageChecker packageChecker = new MlPackageChecker();

    public void check(Path path, BiConsumer<Path, ValidationResult> sink) {
        if (isPackage(path)) {
            sink.accept(path, packageChecker.check(path));
        } else if (Files.isDirectory(path)) {
            List<Path> models;
            try {
                models = findModels(path);
            } catch (IOException e) {
                sink.accept(path, fail("cannot read directory: " + e.getMessage()));
                return;
            }
            if (models.isEmpty()) {
                sink.accept(path, fail("directory holds no Core ML model"));
            }
            for (Path m : models) {
                sink.accept(m, isPackage(m) ? packageChecker.check(m) : checkFile(m));
            }
        } else {
            sink.accept(path, checkFile(path));
        }
    }

    /** A path named {@code *.mlpackage} that is a directory (a file with that name is checked as a model file). */
    private static boolean isPackage(Path path) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(PACKAGE_SUFFIX) && Files.isDirectory(path);
    }

    private static List<Path> findModels(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (!d.equals(dir) && d.getFileName().toString().endsWith(PACKAGE_SUFFIX)) {
                    found.add(d);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (Files.isRegularFile(f) && f.getFileName().toString().endsWith(".mlmodel")) {
                    found.add(f);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
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
