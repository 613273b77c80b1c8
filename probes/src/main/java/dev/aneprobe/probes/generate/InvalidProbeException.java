package dev.aneprobe.probes.generate;

/**
 * A probe that Core ML would reject, as the validator found. For a probe of the catalog this is a bug in its
 * family (a {@link GeneratorBugException}); for a probe made from a {@code --param} value, the planner reports the
 * value and this reason instead.
 */
public class InvalidProbeException extends GeneratorBugException {
    private final String reason;

    public InvalidProbeException(String probeId, String reason) {
        super("probe " + probeId + " is not a valid Core ML model: " + reason);
        this.reason = reason;
    }

    /** The validator's message: the rule the model breaks. */
    public String reason() {
        return reason;
    }
}
