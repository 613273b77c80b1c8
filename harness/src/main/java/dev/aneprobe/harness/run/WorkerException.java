package dev.aneprobe.harness.run;

/** The worker could not be started, broke the protocol, or died outside a probe (e.g. reading the host). */
public class WorkerException extends RuntimeException {
    public WorkerException(String message) {
        super(message);
    }

    public WorkerException(String message, Throwable cause) {
        super(message, cause);
    }
}
