package dev.aneprobe.probes.sweep;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The kinds of values an axis takes, each with one canonical text form so that probe ids are stable whatever way a
 * user typed the value ({@code --param pooling.kernel=5} and {@code 5x5} are the same probe).
 */
public enum AxisKind {
    /** One of a fixed set of words (pooling type, padding mode). */
    CHOICE,
    /** A whole number. */
    INT,
    /** A whole-number pair {@code HxW}; a single number {@code N} means {@code NxN}. */
    PAIR,
    /** A decimal pair {@code HxW} (fractional scaling factors); a single number means a square pair. */
    DECIMAL_PAIR,
    /** A decimal number. */
    DECIMAL,
    /** A tensor shape, dimensions joined by {@code x}. */
    SHAPE,
    /** {@code true} or {@code false}. */
    BOOL;

    /** Returns the canonical form of one value, or throws IllegalArgumentException saying what is wrong. */
    public String canonical(String raw) {
        String v = raw.trim();
        switch (this) {
            case CHOICE:
                if (v.isEmpty()) {
                    throw new IllegalArgumentException("empty value");
                }
                return v;
            case INT:
                return Long.toString(parseLong(v));
            case PAIR: {
                long[] p = parsePair(v, true);
                return p[0] + "x" + p[1];
            }
            case DECIMAL_PAIR: {
                String[] parts = v.split("x", -1);
                if (parts.length == 1) {
                    String d = decimal(parts[0]);
                    return d + "x" + d;
                }
                if (parts.length != 2) {
                    throw new IllegalArgumentException("'" + v + "' is not a pair HxW");
                }
                return decimal(parts[0]) + "x" + decimal(parts[1]);
            }
            case DECIMAL:
                return decimal(v);
            case SHAPE: {
                String[] parts = v.split("x", -1);
                StringBuilder sb = new StringBuilder();
                for (String part : parts) {
                    long d = parseLong(part);
                    if (d <= 0) {
                        throw new IllegalArgumentException("shape '" + v + "' has a dimension that is not positive");
                    }
                    sb.append(sb.length() == 0 ? "" : "x").append(d);
                }
                return sb.toString();
            }
            case BOOL:
                if (v.equals("true") || v.equals("false")) {
                    return v;
                }
                throw new IllegalArgumentException("'" + v + "' is not true or false");
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * Expands one list element that may be a range {@code a..b} of whole numbers (INT axes; for PAIR and
     * DECIMAL_PAIR axes a range of squares)
     * into canonical values.
     */
    public List<String> expand(String raw) {
        String v = raw.trim();
        int dots = v.indexOf("..");
        if (dots < 0) {
            return List.of(canonical(v));
        }
        if (this != INT && this != PAIR && this != DECIMAL_PAIR) {
            throw new IllegalArgumentException("ranges like '" + v + "' only work on whole-number axes");
        }
        long from = parseLong(v.substring(0, dots));
        long to = parseLong(v.substring(dots + 2));
        if (to < from) {
            throw new IllegalArgumentException("range '" + v + "' is empty");
        }
        if (to - from > 10_000) {
            throw new IllegalArgumentException("range '" + v + "' is too long (at most 10000 values)");
        }
        List<String> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            out.add(canonical(Long.toString(i)));
        }
        return out;
    }

    static long[] parsePair(String v, boolean positive) {
        String[] parts = v.split("x", -1);
        long[] p;
        if (parts.length == 1) {
            long n = parseLong(parts[0]);
            p = new long[] {n, n};
        } else if (parts.length == 2) {
            p = new long[] {parseLong(parts[0]), parseLong(parts[1])};
        } else {
            throw new IllegalArgumentException("'" + v + "' is not a pair HxW");
        }
        if (positive && (p[0] <= 0 || p[1] <= 0)) {
            throw new IllegalArgumentException("pair '" + v + "' must be positive");
        }
        return p;
    }

    static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(s.trim().matches("[+-]?[0-9]+")
                    ? "'" + s.trim() + "' is out of range (far too large)" : "'" + s + "' is not a whole number");
        }
    }

    /**
     * Digits a decimal may have before or after the point: more than any float32 value needs, and few enough that
     * a value like {@code 1e999999999} is refused instead of being written out in full.
     */
    private static final int MAX_DECIMAL_DIGITS = 60;

    static String decimal(String s) {
        BigDecimal d;
        try {
            d = new BigDecimal(s.trim()).stripTrailingZeros();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a number");
        }
        if (d.precision() - d.scale() > MAX_DECIMAL_DIGITS || d.scale() > MAX_DECIMAL_DIGITS) {
            throw new IllegalArgumentException("'" + s.trim() + "' is out of range (too many digits)");
        }
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
