package dev.aneprobe.probes.validate;

import java.util.List;

/**
 * The outcome of validating one model: valid, or the problems found (the first is the one reported). Warnings are
 * what Core ML reports without rejecting the model — for a rank-5 NeuralNetwork, blob shapes its shape propagation
 * cannot determine (Core ML's POTENTIALLY_INVALID_NEURAL_NETWORK_SHAPES, which its validator counts as good).
 */
public record ValidationResult(List<String> problems, List<String> warnings) {
    public ValidationResult {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
    }

    public ValidationResult(List<String> problems) {
        this(problems, List.of());
    }

    public static final ValidationResult OK = new ValidationResult(List.of());

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The first problem, or "valid". */
    public String message() {
        return problems.isEmpty() ? "valid" : problems.get(0);
    }
}
