package dev.aneprobe.probes.catalog;

import java.util.Locale;

/**
 * Which kind of probe model a selection wants: NeuralNetwork layers ({@code .mlmodel}), ML Program ops
 * ({@code .mlpackage}, families named {@code mil.*}), or both.
 */
public enum ProbeKind {
    ALL("all"),
    NN("nn"),
    MIL("mil");

    /** ML Program families are named with this prefix; every other family is a NeuralNetwork one. */
    public static final String MIL_PREFIX = "mil.";

    private final String label;

    ProbeKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The kind of one family, from its name. */
    public static ProbeKind of(String familyName) {
        return familyName.startsWith(MIL_PREFIX) ? MIL : NN;
    }

    public boolean includes(String familyName) {
        return this == ALL || of(familyName) == this;
    }

    /** Parses {@code all}, {@code nn} or {@code mil}; anything else is an IllegalArgumentException with one line. */
    public static ProbeKind parse(String text) {
        for (ProbeKind k : values()) {
            if (k.label.equals(text == null ? "" : text.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + text + "' (expected all, nn or mil)");
    }
}
