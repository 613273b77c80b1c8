package dev.aneprobe.probes.sweep;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One parameter of a family and the values each profile sweeps it over. Values accumulate up the profiles: what
 * {@code quick} lists is also in {@code standard} and {@code full}, so the profiles stay nested.
 */
public final class Axis {
    private final String name;
    private final AxisKind kind;
    private final String baseline;
    private final List<String> choices;
    private final Map<Profile, List<String>> added = new EnumMap<>(Profile.class);

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
        return copy;
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
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    private void checkChoice(String value) {
        if (!choices.isEmpty() && !choices.contains(value)) {
            throw new IllegalArgumentException(
                    "'" + value + "' is not a value of axis " + name + " (choices: " + String.join(", ", choices) + ")");
        }
    }
}
