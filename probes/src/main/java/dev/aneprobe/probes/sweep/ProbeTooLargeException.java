package dev.aneprobe.probes.sweep;

/**
 * A requested probe would exceed {@link ProbeLimits}: its weights cannot be drawn, or its files would be larger than
 * a probe may be. A limit of the request, not a bug: the message says what was asked for and what the limit is.
 */
public class ProbeTooLargeException extends RuntimeException {
    public ProbeTooLargeException(String message) {
        super(message);
    }
}
