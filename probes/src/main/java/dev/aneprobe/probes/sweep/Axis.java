package dev.aneprobe.probes.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One parameter of a family, the values each profile sweeps it over, and the values it accepts at all. Values
 * accumulate up the profiles: what {@code quick} lists is also in {@code standard} and {@code full}, so the profiles
 * stay nested.
 *
 * <p>What an axis accepts is declared here, once, and every value — declared or given with {@code --param} — is
 * checked against it: whole numbers (integers, pair components, shape dimensions) lie in {@link #range} (by default
 * 1 to {@link ProbeLimits#MAX_WHOLE}); a shape has one of the axis' {@link #ranks} (by default the ranks of the
 * values the family declares, the shapes its builder is written for) and at most
 * {@link ProbeLimits#MAX_TENSOR_ELEMENTS} elements; a decimal pair (a scaling factor) is positive and at most
 * {@link ProbeLimits#MAX_WHOLE}; a decimal is finite within float32 range. A declared value outside its own axis'
 * bounds fails the family's declaration.
 */
public final class Axis {
    private final String name;
    private final AxisKind kind;
    private final String baseline;
    private final List<String> choices;
    private final Map<Profile, List<String>> added = new EnumMap<>(Profile.class);
    private long min = 1;
    private long max = ProbeLimits.MAX_WHOLE;
    private Set<Integer> ranks;
    private boolean nominal;

    private Axis(String name, AxisKind kind, String baseline, List<String> choices) {
        this.name = Objects.requireNonNull(name);
        this.kind = kind;
        this.choices = choices;
        this.baseline = kind.canonical(baseline);
        for (Profile p : Profile.values()) {
            added.put(p, new ArrayList<>());
        }
        if (!choices.isEmpty() && !choices.contains(this.baseline)) {
            throw new IllegalArgumentException("axis " + name + ": baseline '" + baseline + "' is not a choice");
        }
    }

    /** A word axis; the baseline is the first choice unless {@link #baseline} says otherwise. */
    public static Axis choice(String name, String... choices) {
        return new Axis(name, AxisKind.CHOICE, choices[0], List.of(choices));
    }

    public static Axis integer(String name, long baseline) {
        return new Axis(name, AxisKind.INT, Long.toString(baseline), List.of());
    }

    /**
     * A whole number that names a tensor dimension (an axis index, {@code -1} and {@code 3} alike): written as an
     * integer, but {@link #nominal()}, since the hardware treats each dimension its own way and no order of the
     * numbers says anything about it.
     */
    public static Axis dimension(String name, long baseline) {
        Axis a = integer(name, baseline);
        a.nominal = true;
        return a;
    }

    public static Axis pair(String name, String baseline) {
        return new Axis(name, AxisKind.PAIR, baseline, List.of());
    }

    public static Axis decimalPair(String name, String baseline) {
        return new Axis(name, AxisKind.DECIMAL_PAIR, baseline, List.of());
    }

    public static Axis decimal(String name, String baseline) {
        return new Axis(name, AxisKind.DECIMAL, baseline, List.of());
    }

    public static Axis shape(String name, String baseline) {
        return new Axis(name, AxisKind.SHAPE, baseline, List.of());
    }

    public static Axis bool(String name, boolean baseline) {
        return new Axis(name, AxisKind.BOOL, Boolean.toString(baseline), List.of("false", "true"));
    }

    /** Returns a copy whose baseline is {@code value} (for choice axes whose baseline is not the first choice). */
    public Axis baseline(String value) {
        Axis copy = new Axis(name, kind, value, choices);
        for (Profile p : Profile.values()) {
            copy.added.get(p).addAll(added.get(p));
        }
        copy.min = min;
        copy.max = max;
        copy.ranks = ranks;
        copy.nominal = nominal;
        return copy;
    }

    /**
     * The whole numbers this axis accepts: its values (INT), each component (PAIR) or each dimension (SHAPE) lie in
     * {@code [min, max]}; {@code max} is at most {@link ProbeLimits#MAX_WHOLE}. Axis indices, offsets and the like
     * declare their range here; counts and sizes keep the default, 1 upward.
     */
    public Axis range(long min, long max) {
        if (kind != AxisKind.INT && kind != AxisKind.PAIR) {
            throw new IllegalArgumentException("axis " + name + ": a range applies to whole-number axes");
        }
        if (min > max || max > ProbeLimits.MAX_WHOLE || min < -ProbeLimits.MAX_WHOLE) {
            throw new IllegalArgumentException("axis " + name + ": bad range " + min + ".." + max);
        }
        this.min = min;
        this.max = max;
        return this;
    }

    /** The ranks this shape axis accepts, when the builder handles more than the ranks of its declared values. */
    public Axis ranks(int... accepted) {
        if (kind != AxisKind.SHAPE || accepted.length == 0) {
            throw new IllegalArgumentException("axis " + name + ": ranks apply to shape axes");
        }
        Set<Integer> set = new java.util.TreeSet<>();
        for (int r : accepted) {
            set.add(r);
        }
        this.ranks = Collections.unmodifiableSet(set);
        return this;
    }

    /** The smallest whole number the axis accepts (see {@link #range}). */
    public long rangeMin() {
        return min;
    }

    /** The largest whole number the axis accepts (see {@link #range}). */
    public long rangeMax() {
        return max;
    }

    /** The ranks a shape axis accepts: declared with {@link #ranks}, or else those of its declared values. */
    public Set<Integer> acceptedRanks() {
        if (ranks != null) {
            return ranks;
        }
        Set<Integer> out = new java.util.TreeSet<>();
        for (String v : values(Profile.FULL)) {
            out.add(v.split("x").length);
        }
        return out;
    }

    /**
     * Checks every value the family declares against the axis' own bounds; called once when the family is
     * declared, so a declaration that contradicts itself fails at once, whichever profile is asked for.
     */
    public void checkDeclared() {
        for (String v : values(Profile.FULL)) {
            String problem = problem(v);
            if (problem != null) {
                throw new IllegalStateException("axis " + name + " declares " + problem);
            }
        }
    }

    /** Adds values swept from {@code from} upward. Each element may be a range {@code a..b}. */
    public Axis in(Profile from, String... values) {
        for (String v : values) {
            for (String c : kind.expand(v)) {
                checkChoice(c);
                added.get(from).add(c);
            }
        }
        return this;
    }

    public Axis quick(String... values) {
        return in(Profile.QUICK, values);
    }

    public Axis standard(String... values) {
        return in(Profile.STANDARD, values);
    }

    public Axis full(String... values) {
        return in(Profile.FULL, values);
    }

    /** Sweeps every choice from {@code from} upward. */
    public Axis allChoices(Profile from) {
        return in(from, choices.toArray(new String[0]));
    }

    public String name() {
        return name;
    }

    public AxisKind kind() {
        return kind;
    }

    /** Whether the values only name things (see {@link #dimension}): an adaptive sweep does not search them. */
    public boolean nominal() {
        return nominal;
    }

    public String baselineValue() {
        return baseline;
    }

    public List<String> choices() {
        return choices;
    }

    /** The values the profile sweeps: the baseline first, then the added values in declaration order. */
    public List<String> values(Profile profile) {
        Set<String> out = new LinkedHashSet<>();
        out.add(baseline);
        for (Profile p : Profile.values()) {
            if (profile.includes(p)) {
                out.addAll(added.get(p));
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    /** Parses a user's value list ({@code --param}), canonicalising and checking each value. */
    public List<String> parseValues(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String element : list.split(",")) {
            if (element.isBlank()) {
                throw new IllegalArgumentException("empty value in '" + list + "'");
            }
            for (String c : kind.expand(element)) {
                checkChoice(c);
                String problem = problem(c);
                if (problem != null) {
                    throw new IllegalArgumentException(problem);
                }
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    /** What is wrong with a canonical value of this axis by the axis' own bounds, or null when it is accepted. */
    String problem(String value) {
        switch (kind) {
            case INT: {
                long v = Long.parseLong(value);
                return v < min || v > max ? "'" + value + "' is out of range: " + name + " takes whole numbers from "
                        + ProbeLimits.grouped(min) + " to " + ProbeLimits.grouped(max) : null;
            }
            case PAIR: {
                for (String part : value.split("x")) {
                    long v = Long.parseLong(part);
                    if (v < min || v > max) {
                        return "'" + value + "' is out of range: " + name + " takes pairs HxW of whole numbers from "
                                + ProbeLimits.grouped(min) + " to " + ProbeLimits.grouped(max);
                    }
                }
                return null;
            }
            case SHAPE: {
                String[] dims = value.split("x");
                Set<Integer> accepted = acceptedRanks();
                if (!accepted.contains(dims.length)) {
                    return "'" + value + "' has rank " + dims.length + ", but " + name + " takes shapes of rank "
                            + ranksText(accepted) + " (like " + baseline + ")";
                }
                long elements = 1;
                for (String d : dims) {
                    long v = Long.parseLong(d);
                    if (v > ProbeLimits.MAX_TENSOR_ELEMENTS) {
                        return tooManyElements(value);
                    }
                    elements *= v; // at most MAX_TENSOR_ELEMENTS squared before the check below: no overflow
                    if (elements > ProbeLimits.MAX_TENSOR_ELEMENTS) {
                        return tooManyElements(value);
                    }
                }
                return null;
            }
            case DECIMAL_PAIR: {
                for (String part : value.split("x")) {
                    BigDecimal v = new BigDecimal(part);
                    if (v.signum() <= 0 || v.compareTo(BigDecimal.valueOf(ProbeLimits.MAX_WHOLE)) > 0) {
                        return "'" + value + "' is out of range: " + name + " takes pairs HxW of positive numbers up to "
                                + ProbeLimits.grouped(ProbeLimits.MAX_WHOLE);
                    }
                }
                return null;
            }
            case DECIMAL: {
                BigDecimal v = new BigDecimal(value);
                return v.abs().compareTo(new BigDecimal(Float.toString(Float.MAX_VALUE))) > 0
                        ? "'" + value + "' is out of range: " + name + " takes numbers a float32 can hold" : null;
            }
            default:
                return null;
        }
    }

    private String tooManyElements(String value) {
        return "'" + value + "' is too large: a shape may have at most "
                + ProbeLimits.grouped(ProbeLimits.MAX_TENSOR_ELEMENTS) + " elements";
    }

    private static String ranksText(Set<Integer> ranks) {
        List<String> parts = new ArrayList<>();
        ranks.forEach(r -> parts.add(Integer.toString(r)));
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return String.join(", ", parts.subList(0, parts.size() - 1)) + " or " + parts.get(parts.size() - 1);
    }

    private void checkChoice(String value) {
        if (!choices.isEmpty() && !choices.contains(value)) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a value of axis " + name + " (choices: " + String.join(", ", choices) + ")");
        }
    }
}
