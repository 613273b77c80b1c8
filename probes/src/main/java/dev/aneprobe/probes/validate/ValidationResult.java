package dev.aneprobe.probes.validate;

import java.util.List;

/** The outcome of validating one model: valid, or the problems found (the first is the one reported). */
public record ValidationResult(List<String> problems) {
    public ValidationResult {
        problems = List.copyOf(problems);
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
