package dev.aneprobe.probes.validate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The outcome of validating one model: valid, or the problems found (the first is the one reported). Warnings are
 * what Core ML reports without rejecting the model — for a rank-5 NeuralNetwork, blob shapes its shape propagation
 * cannot determine (Core ML's POTENTIALLY_INVALID_NEURAL_NETWORK_SHAPES, which its validator counts as good).
 * {@code notChecked} names what the model holds that aneprobe has no rules for (model types such as
 * {@code treeEnsembleClassifier}, an ML Program's image output): a model is never called invalid for those, and the
 * names say what a valid verdict does not cover.
 */
public record ValidationResult(List<String> problems, List<String> warnings, List<String> notChecked) {
    public ValidationResult {
        problems = List.copyOf(problems);
        warnings = List.copyOf(warnings);
        notChecked = List.copyOf(new LinkedHashSet<>(notChecked));
    }

    public ValidationResult(List<String> problems, List<String> warnings) {
        this(problems, warnings, List.of());
    }

    public ValidationResult(List<String> problems) {
        this(problems, List.of());
    }

    public static final ValidationResult OK = new ValidationResult(List.of());

    /** Valid as far as aneprobe can tell, with the named parts left unchecked. */
    public static ValidationResult notChecked(String... what) {
        return new ValidationResult(List.of(), List.of(), List.of(what));
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** The first problem, or "valid". */
    public String message() {
        return problems.isEmpty() ? "valid" : problems.get(0);
    }

    /** This result with more problems, warnings and unchecked parts appended (duplicates of unchecked dropped). */
    public ValidationResult plus(ValidationResult other) {
        return plus(other.problems, other.warnings, other.notChecked);
    }

    public ValidationResult plus(List<String> moreProblems, List<String> moreWarnings, List<String> moreNotChecked) {
        List<String> p = new ArrayList<>(problems);
        p.addAll(moreProblems);
        List<String> w = new ArrayList<>(warnings);
        w.addAll(moreWarnings);
        List<String> n = new ArrayList<>(notChecked);
        n.addAll(moreNotChecked);
        return new ValidationResult(p, w, n);
    }
}
