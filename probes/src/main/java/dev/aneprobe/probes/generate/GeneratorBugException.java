package dev.aneprobe.probes.generate;

/**
 * A probe the catalog built is not a valid Core ML model: a bug in aneprobe, never a silently bad probe. The
 * message names the probe and the validation rule it breaks.
 */
public class GeneratorBugException extends RuntimeException {
    public GeneratorBugException(String message) {
        super(message);
    }
}
