package dev.aneprobe.harness.cli;

import dev.aneprobe.probes.validate.ModelFileChecker;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
                + "no rules for) or 'INVALID <path>: <reason>' per model, 'SKIPPED <path>: <reason>' for what "
                + "cannot be checked here (not a regular file, unreadable, a model file over 1 GiB), then the counts; "
                + "exits 1 if any is invalid.")
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "model files or directories")
    List<Path> paths;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (Path p : paths) {
            if (p.toString().isEmpty()) {
                throw new UserInputException("an empty string is not a path (to check the current directory, "
                        + "pass '.')");
            }
            // Not following links: a broken or looping link is there, and gets its own SKIPPED line.
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserInputException("no such file or directory: " + printable(p.toString()));
            }
        }
        long[] counts = new long[3]; // OK, INVALID, skipped
        ModelFileChecker checker = new ModelFileChecker();
        for (Path p : paths) {
            checker.check(p, (path, result) -> {
                if (result.valid()) {
                    out.println("OK " + printable(path.toString()) + (result.warnings().isEmpty() ? ""
                            : " (Core ML warns: " + printable(result.warnings().get(0)) + ")")
                            + (result.notChecked().isEmpty() ? ""
                            : " (not checked: " + printable(String.join(", ", result.notChecked())) + ")"));
                    counts[0]++;
                } else {
                    out.println("INVALID " + printable(path.toString()) + ": " + printable(result.message()));
                    counts[1]++;
                }
            }, (path, reason) -> {
                out.println("SKIPPED " + printable(path.toString()) + ": " + printable(reason));
                counts[2]++;
            });
        }
        out.println(summary(counts[0], counts[1], counts[2]));
        out.flush();
        return counts[1] > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** The closing count line: {@code 1,223 OK, 0 INVALID}, and {@code , 2 skipped} when anything was skipped. */
    static String summary(long ok, long invalid, long skipped) {
        return String.format(Locale.ROOT, "%,d OK, %,d INVALID", ok, invalid)
                + (skipped > 0 ? String.format(Locale.ROOT, ", %,d skipped", skipped) : "");
    }

    /**
     * Keeps each report on one line: control characters in a path or in a name quoted from a model (a layer named
     * with a newline) are written as escapes.
     */
    static String printable(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (!control) {
                    b.append(c);
                } else if (c == '\n') {
                    b.append("\\n");
                } else if (c == '\r') {
                    b.append("\\r");
                } else if (c == '\t') {
                    b.append("\\t");
                } else {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            }
        }
        return b == null ? s : b.toString();
    }
}
