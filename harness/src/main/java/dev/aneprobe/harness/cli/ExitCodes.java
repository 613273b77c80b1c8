package dev.aneprobe.harness.cli;

/** The process exit codes of every aneprobe command, documented in README.md ("Exit codes"). */
public final class ExitCodes {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The command ran, and what it looked at failed: an invalid model in {@code check}, a failed stage. */
    public static final int FAILED = 1;
    /** The request itself was wrong: bad option, unknown family, unusable path, unsupported host. */
    public static final int BAD_INPUT = 2;
    /** A bug in aneprobe: an unexpected exception. The message asks for a report. */
    public static final int INTERNAL_ERROR = 3;

    private ExitCodes() {
    }
}
