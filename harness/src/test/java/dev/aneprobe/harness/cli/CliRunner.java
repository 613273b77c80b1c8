package dev.aneprobe.harness.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the aneprobe command line in-process, capturing stdout, stderr and the exit code. */
public final class CliRunner {
    public record Result(int exitCode, String out, String err) {
    }

    private CliRunner() {
    }

    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AneprobeCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
