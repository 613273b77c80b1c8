package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Checks models on disk: each {@code .mlmodel} file by {@link ModelValidator}, each {@code .mlpackage} directory by
 * {@link MlPackageChecker}. Finding and reading the models is {@link ModelFiles}' (shared with {@code lint}):
 * anything that is not a Core ML model (empty, truncated, random bytes, text, a broken package) is reported as
 * invalid with the problem, never thrown; a directory is searched for models in sorted order, and one holding none
 * is itself invalid.
 *
 * <p>What cannot be judged here is reported as skipped with the reason, never as invalid: a path that is not a
 * regular file (a FIFO would block the reader; {@code /dev/zero} never ends), one that cannot be read, or a model
 * larger than {@link ModelFiles#MAX_MODEL_BYTES}. Weight files are read only by position.
 */
public final class ModelFileChecker {
    private final ModelValidator validator = new ModelValidator();
    private final MlPackageChecker packageChecker = new MlPackageChecker();

    /**
     * Checks a model file, a package, or every model under a directory, reporting each model once, in sorted order,
     * to {@code checked} (with its validation result) or to {@code skipped} (with the reason it was not checked).
     */
    public void check(Path path, BiConsumer<Path, ValidationResult> checked, BiConsumer<Path, String> skipped) {
        ModelFiles.read(path, read -> {
            if (read.skipped() != null) {
                skipped.accept(read.path(), read.skipped());
                return;
            }
            if (read.invalid() != null) {
                checked.accept(read.path(), fail(read.invalid()));
                return;
            }
            ValidationResult result;
            try {
                result = read.pkg() != null ? packageChecker.validate(read.model(), read.pkg())
                        : validator.validate(read.model());
            } catch (CannotCheckException e) {
                skipped.accept(read.path(), e.getMessage());
                return;
            } catch (OutOfMemoryError e) {
                skipped.accept(read.path(), ModelFiles.outOfMemory("checking"));
                return;
            }
            checked.accept(read.path(), result);
        });
    }

    /**
     * Checks one model file, reading it as a stream (never more than {@link ModelFiles#MAX_MODEL_BYTES}).
     *
     * @throws CannotCheckException when it is not a regular file, cannot be read, or is too large to read here
     */
    public ValidationResult checkFile(Path file) throws CannotCheckException {
        return validate(ModelFiles.parseFile(file));
    }

    /** A model file parsed but not validated: the model, or (not a Core ML model, or too large for protobuf) why
     * it is invalid. */
    public record Read(Model model, ValidationResult invalid) {
    }

    /**
     * Reads and parses one model file the way {@link #checkFile} does (as a stream, never more than
     * {@link ModelFiles#MAX_MODEL_BYTES}), for commands that work on a model rather than judge it.
     *
     * @throws CannotCheckException when it is not a regular file, cannot be read, or is too large to read here
     */
    public static Read read(Path file) throws CannotCheckException {
        ModelFiles.Parsed parsed = ModelFiles.parseFile(file);
        return parsed.model() == null ? new Read(null, fail(parsed.invalid())) : new Read(parsed.model(), null);
    }

    public ValidationResult checkBytes(byte[] bytes) {
        return validate(ModelFiles.parseBytes(bytes));
    }

    private ValidationResult validate(ModelFiles.Parsed parsed) {
        return parsed.model() == null ? fail(parsed.invalid()) : validator.validate(parsed.model());
    }

    private static ValidationResult fail(String message) {
        return new ValidationResult(List.of(message));
    }
}
