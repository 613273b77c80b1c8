package dev.aneprobe.harness.analysis.thresholds;

import dev.aneprobe.harness.text.Counted;
import java.util.List;

/**
 * The measured boundary of one numeric axis of one family on one chip/OS, next to what the claims say.
 *
 * @param family the probe family
 * @param axis the axis name
 * @param dimension how the axis is read: {@code value}, {@code max} (of H and W), {@code h}, {@code w} or
 *     {@code product} (tensor size)
 * @param chipOs the column, or null for a claimed boundary nothing has measured
 * @param kind the shape of the result
 * @param summary the measured boundary in words
 * @param groups the sweep lines grouped by what they showed, largest group first
 * @param claimed what the claims say about this axis, with their ids (empty when no claim names it)
 */
public record Threshold(String family, String axis, String dimension, String chipOs, Kind kind, String summary,
        List<Group> groups, List<String> claimed) {
    public Threshold {
        groups = List.copyOf(groups);
        claimed = List.copyOf(claimed);
    }

    /** "kernel", "kernel (width)", "in (tensor size)". */
    public String axisLabel() {
        return switch (dimension) {
            case "h" -> axis + " (height)";
            case "w" -> axis + " (width)";
            case "product" -> axis + " (tensor size)";
            default -> axis;
        };
    }

    public enum Kind {
        /** Every sweep line has the same boundary. */
        BOUNDARY,
        /** Sweep lines show different boundaries, or some have none. */
        VARIES,
        /** No line changes outcome in the swept range. */
        NO_BOUNDARY,
        /** Some line goes on and off more than once, or has disputed points. */
        NOT_MONOTONE,
        /** A claimed boundary on an axis nothing has swept yet. */
        NOT_MEASURED
    }

    /**
     * Sweep lines (probes that differ only in this axis) that showed the same thing.
     *
     * @param shape {@code drop} (on the ANE up to {@code lastBefore}, not from {@code firstAfter}), {@code rise} (the
     *     reverse), {@code all-ane}, {@code none-ane} or {@code not-monotone}
     * @param text the group in words
     * @param condition the other axes' values common to these lines and not to all lines, or null
     * @param separates true when {@code condition} holds for these lines only (then it says where they are)
     * @param lines how many sweep lines
     * @param lastBefore the last swept value before the change (drop/rise)
     * @param firstAfter the first swept value after it
     * @param below the probe ids at {@code lastBefore} in one line (evidence)
     * @param above the probe ids at {@code firstAfter} in the same line
     */
    public record Group(String shape, String text, String condition, boolean separates, int lines,
            String lastBefore, String firstAfter, List<String> below, List<String> above) {
        public Group {
            below = List.copyOf(below);
            above = List.copyOf(above);
        }

        /** "on the ANE up to 13, not from 15 where type=max (4 sweep lines)". */
        public String describe() {
            String n = Counted.of(lines, "sweep line");
            if (condition == null) {
                return text + " (" + n + ")";
            }
            return separates ? text + " where " + condition + " (" + n + ")"
                    : text + " (" + n + ", all with " + condition + ")";
        }
    }
}
