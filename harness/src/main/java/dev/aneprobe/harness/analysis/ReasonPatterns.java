package dev.aneprobe.harness.analysis;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Core ML / Espresso / ANE compiler log lines that say a layer did not (or could not) run on the Neural Engine.
 * Sources: coreml-format.md §6.9 and the field notes' observations (hollance's validator messages, anemll-profile,
 * ANECCompile failures).
 */
public final class ReasonPatterns {
    /** A matched reason: the pattern's name and the part of the line that matched. */
    public record Match(String pattern, String excerpt, String line) {
    }

    private record Named(String name, Pattern pattern) {
    }

    private static final List<Named> PATTERNS = List.of(
            new Named("kernel-limit", Pattern.compile("(?:\\(dilated\\))?kernel (?:width|height) = \\d+ > \\d+")),
            new Named("stride-limit", Pattern.compile("stride_[xy] = \\d+ > \\d+")),
            new Named("scale-limit", Pattern.compile("only scaling factor of \\d+[^\\n]*")),
            new Named("tensor-size-limit", Pattern.compile("Tensor (?:width|height)[^\\n]*")),
            new Named("not-supported-on-ane", Pattern.compile("not supported on the neural engine[^\\n]*",
                    Pattern.CASE_INSENSITIVE)),
            new Named("constant-only", Pattern.compile("supported only with constant[^\\n]*")),
            new Named("ane-compile-failed", Pattern.compile("ANECCompile\\([^)]*\\)\\s*FAILED[^\\n]*")),
            new Named("ane-compile-failed", Pattern.compile("failed to compile ANE model[^\\n]*", Pattern.CASE_INSENSITIVE)),
            new Named("plan-build-error", Pattern.compile("Error plan build[^\\n]*")),
            new Named("unsupported", Pattern.compile("Unsupported[^\\n]*")));

    private ReasonPatterns() {
    }

    /**
     * The first reason in the lines, if any: patterns in priority order (specific limits before the generic
     * compile failure they cause, which comes before a bare "Unsupported"), then line order.
     */
    public static Optional<Match> find(List<String> lines) {
        List<Match> all = findAll(lines);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Every line that gives a reason, once, with the first pattern (in priority order) it matches; ordered by that
     * pattern's priority, then by line order, so the first is {@link #find}'s.
     */
    public static List<Match> findAll(List<String> lines) {
        List<Match> out = new ArrayList<>();
        if (lines == null) {
            return out;
        }
        Set<Integer> taken = new HashSet<>();
        for (Named n : PATTERNS) {
            for (int i = 0; i < lines.size(); i++) {
                if (taken.contains(i)) {
                    continue;
                }
                String line = lines.get(i);
                Matcher m = n.pattern.matcher(line);
                if (m.find()) {
                    String excerpt = m.group();
                    if (excerpt.length() > 200) {
                        excerpt = excerpt.substring(0, 200) + "...";
                    }
                    out.add(new Match(n.name, excerpt.strip(), line));
                    taken.add(i);
                }
            }
        }
        return out;
    }
}
