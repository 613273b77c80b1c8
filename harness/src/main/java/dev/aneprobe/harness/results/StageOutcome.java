package dev.aneprobe.harness.results;

/**
 * What happened in one stage.
 *
 * @param stage which stage
 * @param status OK, FAILED (error set), SKIPPED (an earlier stage failed) or UNSUPPORTED (the host's OS lacks the
 *     API, e.g. the compute plan before macOS 14.4)
 * @param millis wall time of the stage as measured in native code, when it ran
 * @param error Core ML's error when it FAILED
 */
public record StageOutcome(Stage stage, Status status, Double millis, CoreMlError error) {
    public enum Status { OK, FAILED, SKIPPED, UNSUPPORTED }
}
