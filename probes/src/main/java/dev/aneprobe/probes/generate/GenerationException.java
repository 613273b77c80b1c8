package dev.aneprobe.probes.generate;

/** Generation could not be done as asked (bad request or unusable output path); the message is one line. */
public class GenerationException extends RuntimeException {
    public GenerationException(String message) {
        super(message);
    }

    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
