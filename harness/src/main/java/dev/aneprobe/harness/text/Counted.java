package dev.aneprobe.harness.text;

import java.util.Locale;

/**
 * Counts in words for messages and reports: "1 probe", "2 probes", "1,000,000 observations". The number is grouped by
 * thousands with commas on every machine (not the host's locale), so output stays byte-identical everywhere.
 */
public final class Counted {
    private Counted() {
    }

    /** {@code n} and the noun (phrase), with an "s" on the phrase unless {@code n} is 1. */
    public static String of(long n, String singular) {
        return of(n, singular, singular + "s");
    }

    /** {@code n} and the singular or the plural form. */
    public static String of(long n, String singular, String plural) {
        return number(n) + " " + (n == 1 ? singular : plural);
    }

    /** A whole number grouped by thousands: 1,234,567. */
    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Counts by kind, in the map's order, kinds with none left out: "4 CONFIRMED, 1 REFUTED, 21 UNTESTED". */
    public static String tally(java.util.Map<?, ? extends Number> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, n) -> {
            if (n.longValue() != 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(number(n.longValue())).append(' ').append(k);
            }
        });
        return sb.length() == 0 ? "none" : sb.toString();
    }

    /** The verb that goes with a count: {@code verb(1, "agrees", "agree")} is "agrees". */
    public static String verb(long n, String singular, String plural) {
        return n == 1 ? singular : plural;
    }
}
