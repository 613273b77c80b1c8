package dev.aneprobe.harness.analysis.claims;

import java.util.Locale;

/**
 * Reads one probe parameter value the way the generator writes it: a plain string ({@code max}, {@code Cx1x1}), a
 * number ({@code 64}, {@code 1.5}) or numeric components joined by {@code x} ({@code 15x15}, {@code 1x64x56x56}).
 * Selectors turn a value into one number so that a rule such as "kernel > 13" can be written once for every shape.
 */
public final class ParamValue {
    private ParamValue() {
    }

    private static final double[] NOT_NUMERIC = new double[0];
    /** Axis values repeat across probes (a sweep has few distinct values): each is parsed once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, double[]> PARSED =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED = 100_000;

    /**
     * The numeric components of a value, or null when it is not numeric ({@code max}, {@code Cx1x1}). The array is
     * shared: do not change it.
     */
    public static double[] components(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        double[] c = PARSED.get(value);
        if (c == null) {
            c = parse(value);
            if (c == null) {
                c = NOT_NUMERIC;
            }
            if (PARSED.size() < MAX_CACHED) {
                PARSED.put(value, c);
            }
        }
        return c == NOT_NUMERIC ? null : c;
    }

    private static double[] parse(String value) {
        int parts = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == 'x') {
                parts++;
            }
        }
        double[] out = new double[parts];
        int start = 0;
        int k = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == 'x') {
                if (i == start) {
                    return null;
                }
                Double d = number(value, start, i);
                if (d == null) {
                    return null;
                }
                out[k++] = d;
                start = i + 1;
            }
        }
        return out;
    }

    private static Double number(String s, int from, int to) {
        boolean digit = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (!(c == '.' || (c == '-' && i == from))) {
                return null;
            }
        }
        if (!digit) {
            return null;
        }
        try {
            return Double.parseDouble(s.substring(from, to));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** True when the value is numeric (a number or numbers joined by {@code x}). */
    public static boolean isNumeric(String value) {
        return components(value) != null;
    }

    /**
     * Applies a selector to a numeric value, or returns NaN when the value is not numeric or the selector does not
     * apply. For values with two or more components, {@code h} and {@code w} are the last two (HxW, CxHxW, NxCxHxW)
     * and {@code c} the third from last; a single number counts as square (its own h and w).
     */
    public static double select(String value, Selector selector) {
        double[] c = components(value);
        if (c == null) {
            return Double.NaN;
        }
        int n = c.length;
        switch (selector) {
            case MAX: {
                double m = c[0];
                for (double d : c) {
                    m = Math.max(m, d);
                }
                return m;
            }
            case MIN: {
                double m = c[0];
                for (double d : c) {
                    m = Math.min(m, d);
                }
                return m;
            }
            case PRODUCT: {
                double p = 1;
                for (double d : c) {
                    p *= d;
                }
                return p;
            }
            case H:
                return n == 1 ? c[0] : c[n - 2];
            case W:
                return c[n - 1];
            case C:
                return n >= 3 ? c[n - 3] : Double.NaN;
            case RANK:
                return n;
            case VALUE:
                return n == 1 ? c[0] : Double.NaN;
            default:
                throw new IllegalStateException(selector.toString());
        }
    }

    /** Formats a selected number the way it would be written in a probe id: 13, not 13.0. */
    public static String format(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return String.format(Locale.ROOT, "%s", d);
    }

    /** How a value is turned into the one number a comparison uses. */
    public enum Selector {
        /** The value itself: a plain number, or (for string comparisons) the raw string. */
        VALUE,
        /** The largest component: "kernel > 13" means max(H, W) > 13. */
        MAX,
        /** The smallest component. */
        MIN,
        /** The product of the components: the tensor size of an {@code in} shape. */
        PRODUCT,
        /** The height component (second from last). */
        H,
        /** The width component (last). */
        W,
        /** The channel component (third from last). */
        C,
        /** The number of components. */
        RANK;

        public static Selector parse(String s) {
            if (s == null) {
                return VALUE;
            }
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown selector '" + s
                        + "' (expected value, max, min, product, h, w, c or rank)");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
