package dev.aneprobe.harness.cli;

/**
 * Something the user asked for cannot be done as asked (a bad path, an unknown family, a host without Core ML).
 * The CLI prints its message as one line and exits with {@link ExitCodes#BAD_INPUT}; never a stack trace.
 */
public class UserInputException extends RuntimeException {
    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
