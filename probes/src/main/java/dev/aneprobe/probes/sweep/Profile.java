package dev.aneprobe.probes.sweep;

import java.util.Locale;

/**
 * How much of each family's parameter space to generate. Profiles are nested: every probe of {@code quick} is in
 * {@code standard}, and every probe of {@code standard} is in {@code full}.
 */
public enum Profile {
    /** Each family's baseline plus both sides of every seed rule's threshold: a first look in minutes. */
    QUICK,
    /** Every layer type, every axis swept one at a time, and the 2-D grids that matter. */
    STANDARD,
    /** Wider ranges and more grids: the thorough, hours-long sweep. */
    FULL;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean includes(Profile other) {
        return ordinal() >= other.ordinal();
    }

    public static Profile parse(String text) {
        for (Profile p : values()) {
            if (p.label().equals(text.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown profile '" + text + "' (expected quick, standard or full)");
    }
}
