package dev.aneprobe.harness.cli;

import dev.aneprobe.probes.validate.ModelFileChecker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code aneprobe check}: validates model files by Core ML's rules. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate Core ML models (.mlmodel files, .mlpackage directories, or directories searched "
                + "for both) by Core ML's rules. "
                + "Prints 'OK <path>' (followed by '(Core ML warns: <warning>)' when Core ML would accept the "
                + "model with a warning, and '(not checked: <what>)' naming model types and features aneprobe has "
                + "no rules for) or 'INVALID <path>: <reason>' per model; exits 1 if any is invalid.")
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "model files or directories")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new UserInputException("no such file or directory: " + p);
            }
        }
        int[] counts = new int[2];
        ModelFileChecker checker = new ModelFileChecker();
        for (Path p : paths) {
            checker.check(p, (path, result) -> {
                if (result.valid()) {
                    out.println("OK " + path + (result.warnings().isEmpty() ? ""
                            : " (Core ML warns: " + result.warnings().get(0) + ")")
                            + (result.notChecked().isEmpty() ? ""
                            : " (not checked: " + String.join(", ", result.notChecked()) + ")"));
                    counts[0]++;
                } else {
                    out.println("INVALID " + path + ": " + result.message());
                    counts[1]++;
                }
            });
        }
        out.flush();
        return counts[1] > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
