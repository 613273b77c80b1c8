package dev.aneprobe.harness.cli;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackageReader;
import dev.aneprobe.probes.mlpackage.PackageFormatException;
import dev.aneprobe.probes.validate.CannotCheckException;
import dev.aneprobe.probes.validate.ModelFileChecker;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The one model a model-surgery command ({@code rewrite}, {@code split}) works on, read with {@code check}'s reader
 * (its size limits, never opening a FIFO or device) and validated: surgery on a model Core ML would reject could
 * only give another such model.
 */
final class ModelInput {
    /**
     * The model could be reached but is not a valid Core ML model: the command fails with this line and exit code 1
     * ({@link AneprobeCommand} maps it, as it maps {@link UserInputException} to 2).
     */
    static final class InvalidModelException extends RuntimeException {
        InvalidModelException(String message) {
            super(message);
        }
    }

    private ModelInput() {
    }

    /**
     * Reads and validates {@code path} (an {@code .mlmodel} file, or an {@code .mlpackage}'s root model).
     *
     * @throws UserInputException a path that is missing, empty, not a regular file, unreadable or too large
     * @throws InvalidModelException not a Core ML model, or one the validator finds invalid
     */
    static Model read(Path path) {
        if (path.toString().isEmpty()) {
            throw new UserInputException("an empty string is not a model path");
        }
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserInputException("no such file: " + CheckCommand.printable(path.toString()));
        }
        String shown = CheckCommand.printable(path.toString());
        Path file = path;
        try {
            if (Files.isDirectory(path)) {
                if (!path.getFileName().toString().endsWith(".mlpackage")) {
                    throw new UserInputException(shown + " is a directory; give one .mlmodel file or .mlpackage");
                }
                file = MlPackageReader.rootModel(path);
            }
            ModelFileChecker.Read read = ModelFileChecker.read(file);
            if (read.model() == null) {
                throw new InvalidModelException("INVALID " + shown + ": " + read.invalid().message());
            }
            if (read.model().hasMlProgram()) {
                return read.model(); // the command says what applies to it; its weights are not read here
            }
            ValidationResult v = new ModelValidator().validate(read.model());
            if (!v.valid()) {
                throw new InvalidModelException("INVALID " + shown + ": " + CheckCommand.printable(v.message())
                        + " (run 'aneprobe check' for details)");
            }
            return read.model();
        } catch (PackageFormatException e) {
            throw new InvalidModelException("INVALID " + shown + ": " + CheckCommand.printable(e.getMessage()));
        } catch (CannotCheckException e) {
            throw new UserInputException("cannot read " + shown + ": " + CheckCommand.printable(e.getMessage()));
        }
    }
}
