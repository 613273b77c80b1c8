package dev.aneprobe.probes.validate;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Checks models on disk: parses each {@code .mlmodel} file and validates it, and checks each {@code .mlpackage}
 * directory with {@link MlPackageChecker}. Anything that is not a Core ML model (empty, truncated, random bytes,
 * text, a broken package) is reported as invalid with the problem, never thrown. Any other directory is searched
 * recursively for {@code *.mlmodel} files and {@code *.mlpackage} directories (not descending into packages, not
 * following symbolic links to directories), in sorted order; a directory holding neither is itself reported invalid.
 *
 * <p>What cannot be judged here is reported as skipped with the reason, never as invalid: a path that is not a
 * regular file (a FIFO would block the reader; {@code /dev/zero} never ends), one that cannot be read, or a model
 * larger than {@link ModelFiles#MAX_MODEL_BYTES}. Files are read as {@link ModelFiles} says: never more than that
 * limit into memory, and weight files only by position.
 */
public final class ModelFileChecker {
    private static final String PACKAGE_SUFFIX = ".mlpackage";
    private static final String MODEL_SUFFIX = ".mlmodel";
    private static final String MODEL_DIRECTORY = "a directory, but an .mlmodel is a single file";

    private final ModelValidator validator = new ModelValidator();
    private final MlPackageChecker packageChecker = new MlPackageChecker();

    /** What a directory search found at one path. */
    private enum Found { MODEL_FILE, PACKAGE, MODEL_DIRECTORY }

    /**
     * Checks a model file, a package, or every model under a directory, reporting each model once, in sorted order,
     * to {@code checked} (with its validation result) or to {@code skipped} (with the reason it was not checked).
     */
    public void check(Path path, BiConsumer<Path, ValidationResult> checked, BiConsumer<Path, String> skipped) {
        BasicFileAttributes attributes;
        try {
            attributes = ModelFiles.attributes(path);
        } catch (CannotCheckException e) {
            skipped.accept(path, e.getMessage());
            return;
        }
        if (attributes.isDirectory() && hasSuffix(path, PACKAGE_SUFFIX)) {
            checkOne(path, Found.PACKAGE, checked, skipped);
        } else if (attributes.isDirectory() && hasSuffix(path, MODEL_SUFFIX)) {
            checkOne(path, Found.MODEL_DIRECTORY, checked, skipped);
        } else if (attributes.isDirectory()) {
            search(path, checked, skipped);
        } else if (attributes.isRegularFile()) {
            checkOne(path, Found.MODEL_FILE, checked, skipped); // whatever its name: the user named it
        } else {
            skipped.accept(path, notRegular(path, attributes));
        }
    }

    private void search(Path dir, BiConsumer<Path, ValidationResult> checked, BiConsumer<Path, String> skipped) {
        Map<Path, Object> found = new TreeMap<>(); // a Found, or the reason it is skipped
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (hasSuffix(d, PACKAGE_SUFFIX) || hasSuffix(d, MODEL_SUFFIX)) {
                        found.put(d, hasSuffix(d, PACKAGE_SUFFIX) ? Found.PACKAGE : Found.MODEL_DIRECTORY);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    boolean model = hasSuffix(f, MODEL_SUFFIX);
                    boolean pkg = hasSuffix(f, PACKAGE_SUFFIX);
                    if (!model && !pkg) {
                        return FileVisitResult.CONTINUE;
                    }
                    BasicFileAttributes target = attrs;
                    if (attrs.isSymbolicLink()) {
                        try {
                            target = ModelFiles.attributes(f);
                        } catch (CannotCheckException e) {
                            found.put(f, e.getMessage());
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (target.isDirectory()) {
                        found.put(f, pkg ? Found.PACKAGE : Found.MODEL_DIRECTORY);
                    } else if (target.isRegularFile()) {
                        if (model) {
                            found.put(f, Found.MODEL_FILE);
                        }
                    } else {
                        found.put(f, notRegular(f, target));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    found.put(f, "cannot read: " + ModelFiles.reason(f, e));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    if (e != null) {
                        found.put(d, "cannot read the whole directory: " + ModelFiles.reason(d, e));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            found.put(dir, "cannot read: " + ModelFiles.reason(dir, e)); // the visitor never throws; to be safe
        }
        if (found.isEmpty()) {
            checked.accept(dir, fail("directory holds no Core ML model"));
        }
        for (Map.Entry<Path, Object> e : found.entrySet()) {
            if (e.getValue() instanceof Found kind) {
                checkOne(e.getKey(), kind, checked, skipped);
            } else {
                skipped.accept(e.getKey(), (String) e.getValue());
            }
        }
    }

    private void checkOne(Path path, Found kind, BiConsumer<Path, ValidationResult> checked,
            BiConsumer<Path, String> skipped) {
        ValidationResult result;
        try {
            result = switch (kind) {
                case MODEL_FILE -> checkFile(path);
                case PACKAGE -> packageChecker.checkPackage(path);
                case MODEL_DIRECTORY -> fail(MODEL_DIRECTORY);
            };
        } catch (CannotCheckException e) {
            skipped.accept(path, e.getMessage());
            return;
        } catch (OutOfMemoryError e) {
            // A last resort: the size limit keeps check within a default heap, but a smaller -Xmx may not fit.
            skipped.accept(path, "ran out of memory while checking it (heap limit "
                    + ModelFiles.bytes(Runtime.getRuntime().maxMemory())
                    + "; set a larger one with ANEPROBE_JAVA_OPTS=-Xmx...)");
            return;
        }
        checked.accept(path, result);
    }

    private static boolean hasSuffix(Path path, String suffix) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(suffix);
    }

    private static String notRegular(Path path, BasicFileAttributes attributes) {
        return ModelFiles.kind(path, attributes) + ", not a regular file";
    }

    /**
     * Checks one model file, reading it as a stream (never more than {@link ModelFiles#MAX_MODEL_BYTES}).
     *
     * @throws CannotCheckException when it is not a regular file, cannot be read, or is too large to read here
     */
    public ValidationResult checkFile(Path file) throws CannotCheckException {
        Read read = read(file);
        return read.model() == null ? read.invalid() : validator.validate(read.model());
    }

    /**
     * A model file as {@link #checkFile} reads it, parsed but not validated: the model, or (not a Core ML model,
     * or too large for protobuf) why it is invalid.
     */
    public record Read(Model model, ValidationResult invalid) {
    }

    /**
     * Reads and parses one model file the way {@link #checkFile} does (as a stream, never more than
     * {@link ModelFiles#MAX_MODEL_BYTES}), for commands that work on a model rather than judge it.
     *
     * @throws CannotCheckException when it is not a regular file, cannot be read, or is too large to read here
     */
    public static Read read(Path file) throws CannotCheckException {
        BasicFileAttributes attributes = ModelFiles.attributes(file);
        if (!attributes.isRegularFile()) {
            throw new CannotCheckException(notRegular(file, attributes));
        }
        long size = attributes.size();
        if (size > ModelFiles.MAX_PROTOBUF_BYTES) {
            return new Read(null, fail("the file is " + ModelFiles.bytes(size) + "; a Core ML model file is one "
                    + "protobuf message, and protobuf cannot read one of 2 GiB or more"));
        }
        if (size > ModelFiles.MAX_MODEL_BYTES) {
            throw ModelFiles.tooLarge("the file", size, ModelFiles.MAX_MODEL_BYTES);
        }
        try (InputStream in = new Bounded(Files.newInputStream(file), ModelFiles.MAX_MODEL_BYTES)) {
            CodedInputStream coded = CodedInputStream.newInstance(in, 1 << 16);
            Model model;
            try {
                model = Model.parseFrom(coded);
            } catch (InvalidProtocolBufferException e) {
                IOException cause = e.unwrapIOException();
                if (cause != e) {
                    throw cause; // reading failed, not parsing
                }
                return new Read(null, parseError(e));
            } catch (RuntimeException e) {
                return new Read(null, fail("not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")"));
            }
            if (coded.getTotalBytesRead() == 0) {
                return new Read(null, fail("empty file, not a Core ML model"));
            }
            if (model.getSpecificationVersion() == 0 && !model.hasDescription()) {
                return new Read(null, fail("not a Core ML model (no specification version or description)"));
            }
            return new Read(model, null);
        } catch (CannotCheckException e) {
            throw e;
        } catch (IOException e) {
            throw new CannotCheckException("cannot read: " + ModelFiles.reason(file, e));
        }
    }

    public ValidationResult checkBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return fail("empty file, not a Core ML model");
        }
        Model model;
        try {
            model = Model.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return parseError(e);
        } catch (RuntimeException e) {
            return fail("not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        return validateParsed(model);
    }

    private ValidationResult validateParsed(Model model) {
        if (model.getSpecificationVersion() == 0 && !model.hasDescription()) {
            return fail("not a Core ML model (no specification version or description)");
        }
        return validator.validate(model);
    }

    private static ValidationResult parseError(InvalidProtocolBufferException e) {
        return fail("not a Core ML model (protobuf parse error: " + oneLine(String.valueOf(e.getMessage())) + ")");
    }

    private static ValidationResult fail(String message) {
        return new ValidationResult(List.of(message));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /** Refuses to read past {@code limit} bytes: a file that grows while it is read is still not read whole. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws CannotCheckException {
            read += n;
            if (read > limit) {
                throw new CannotCheckException("the file grew past " + ModelFiles.bytes(limit)
                        + " while it was read; check reads at most that much into memory");
            }
        }
    }
}
