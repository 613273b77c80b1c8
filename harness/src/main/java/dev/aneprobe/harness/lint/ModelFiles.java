package dev.aneprobe.harness.lint;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackageReader;
import dev.aneprobe.probes.mlpackage.PackageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Finds and reads the models {@code lint} is given: {@code .mlmodel} files, {@code .mlpackage} directories (only
 * their root model is read, never their weights), and directories searched for both. A model file larger than
 * {@link #MAX_MODEL_BYTES} is refused rather than read into memory; anything that is not a regular file (a FIFO, a
 * device) is skipped without being opened, so nothing blocks.
 */
public final class ModelFiles {
    /** The largest model file read (1 GiB): a Model is parsed whole, and protobuf cannot parse more than 2 GiB. */
    public static final long MAX_MODEL_BYTES = 1L << 30;
    private static final String PACKAGE = ".mlpackage";

    private ModelFiles() {
    }

    /** One model found: parsed, or why it could not be (invalid), or why it was not read at all (skipped). */
    public record Found(Path path, Model model, String invalid, String skipped) {
    }

    /** Every model under {@code path}, in sorted order; a directory holding none is reported invalid. */
    public static void find(Path path, Consumer<Found> sink) {
        if (isPackage(path)) {
            sink.accept(readPackage(path));
        } else if (Files.isDirectory(path)) {
            List<Path> found = new ArrayList<>();
            List<Path> irregular = new ArrayList<>();
            try {
                Files.walkFileTree(path, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                        if (!d.equals(path) && d.getFileName().toString().endsWith(PACKAGE)) {
                            found.add(d);
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                        if (f.getFileName().toString().endsWith(".mlmodel")) {
                            (a.isRegularFile() ? found : irregular).add(f);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }
                });
            } catch (IOException e) {
                sink.accept(new Found(path, null, "cannot read directory: " + e.getMessage(), null));
                return;
            }
            if (found.isEmpty() && irregular.isEmpty()) {
                sink.accept(new Found(path, null, "directory holds no Core ML model", null));
            }
            irregular.sort(null);
            irregular.forEach(f -> sink.accept(new Found(f, null, null, notRegular())));
            found.sort(null);
            for (Path p : found) {
                sink.accept(isPackage(p) ? readPackage(p) : readFile(p));
            }
        } else if (!Files.isRegularFile(path)) {
            sink.accept(new Found(path, null, null, notRegular()));
        } else {
            sink.accept(readFile(path));
        }
    }

    private static String notRegular() {
        return "not a regular file (a FIFO, device or socket), not read";
    }

    private static boolean isPackage(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().endsWith(PACKAGE) && Files.isDirectory(p);
    }

    private static Found readPackage(Path dir) {
        Path root;
        try {
            root = MlPackageReader.rootModel(dir);
        } catch (PackageFormatException e) {
            return new Found(dir, null, e.getMessage(), null);
        } catch (dev.aneprobe.probes.validate.CannotCheckException e) {
            return new Found(dir, null, null, e.getMessage());
        }
        Found f = readFile(root);
        return new Found(dir, f.model(), f.invalid() == null ? null : "root model: " + f.invalid(), f.skipped());
    }

    static Found readFile(Path file) {
        long size;
        try {
            if (!Files.isRegularFile(file)) {
                return new Found(file, null, null, notRegular());
            }
            size = Files.size(file);
        } catch (IOException e) {
            return new Found(file, null, "cannot read: " + e.getMessage(), null);
        }
        if (size == 0) {
            return new Found(file, null, "empty file, not a Core ML model", null);
        }
        if (size > MAX_MODEL_BYTES) {
            return new Found(file, null, "file of " + size + " bytes is larger than the " + MAX_MODEL_BYTES
                    + " bytes lint reads", null);
        }
        try (InputStream in = Files.newInputStream(file)) {
            CodedInputStream coded = CodedInputStream.newInstance(in);
            coded.setSizeLimit(Integer.MAX_VALUE);
            Model model = Model.parseFrom(coded);
            if (model.getSpecificationVersion() == 0 && !model.hasDescription()) {
                return new Found(file, null, "not a Core ML model (no specification version or description)", null);
            }
            return new Found(file, model, null, null);
        } catch (InvalidProtocolBufferException e) {
            return new Found(file, null, "not a Core ML model (protobuf parse error: "
                    + e.getMessage().replaceAll("\\s+", " ").trim() + ")", null);
        } catch (IOException e) {
            return new Found(file, null, "cannot read: " + e.getMessage(), null);
        } catch (RuntimeException e) {
            return new Found(file, null, "not a Core ML model (" + String.valueOf(e.getMessage())
                    .replaceAll("\\s+", " ").trim() + ")", null);
        }
    }
}
