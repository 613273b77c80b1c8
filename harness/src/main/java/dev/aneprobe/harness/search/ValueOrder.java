package dev.aneprobe.harness.search;

import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.AxisKind;
import java.math.BigDecimal;
import java.util.Comparator;

/**
 * How an adaptive search compares an axis' values, per {@link AxisKind}: a <em>linear</em> order it walks and
 * bisects in, and a <em>partial</em> order ({@link #atMost}, component by component) that decides what may be
 * inferred.
 *
 * <p>Linear: whole numbers and decimals by value; pairs (kernels, strides, scaling factors) by the larger component,
 * then the product, then height, then width — so {@code 9x9 < 1x10 < 10x1 < 10x10}; shapes by element count, then
 * rank, then dimension by dimension. Partial: a value is at most another when each of its components is (shapes: of
 * the same rank, dimension by dimension), so {@code 1x14} and {@code 13x13} are not comparable. The linear order
 * extends the partial one. A hardware limit on any one component ("width > 16384", "kernel height > 13") or on a
 * product of them (element count) is monotonic in the partial order, though not along the linear one, which is why
 * inference follows the partial order only.
 *
 * <p>Word and boolean axes, and whole-number axes declared {@link Axis#nominal() nominal} (a tensor axis index:
 * {@code -1} and {@code 3} name the same dimension), have no order: they are not searched ({@link #ordered}).
 */
public final class ValueOrder {
    private ValueOrder() {
    }

    /** Whether this axis is searched (ordered) or swept value by value (a word, a flag, a nominal number). */
    public static boolean ordered(Axis axis) {
        return !axis.nominal() && ordered(axis.kind());
    }

    /** Whether values of this kind are searched (ordered) or swept one by one. */
    public static boolean ordered(AxisKind kind) {
        return switch (kind) {
            case INT, PAIR, DECIMAL_PAIR, DECIMAL, SHAPE -> true;
            case CHOICE, BOOL -> false;
        };
    }

    /** The comparator of canonical values of an ordered kind. */
    public static Comparator<String> of(AxisKind kind) {
        return switch (kind) {
            case INT, DECIMAL -> Comparator.comparing(BigDecimal::new);
            case PAIR, DECIMAL_PAIR -> ValueOrder::comparePairs;
            case SHAPE -> ValueOrder::compareShapes;
            case CHOICE, BOOL -> throw new IllegalArgumentException(kind + " values have no order");
        };
    }

    /**
     * Whether {@code a} is at most {@code b} in the partial order: component by component for pairs and shapes (a
     * shape only against one of its own rank), by value otherwise.
     */
    public static boolean atMost(AxisKind kind, String a, String b) {
        switch (kind) {
            case INT, DECIMAL:
                return new BigDecimal(a).compareTo(new BigDecimal(b)) <= 0;
            case PAIR, DECIMAL_PAIR: {
                BigDecimal[] p = pair(a);
                BigDecimal[] q = pair(b);
                return p[0].compareTo(q[0]) <= 0 && p[1].compareTo(q[1]) <= 0;
            }
            case SHAPE: {
                String[] p = a.split("x");
                String[] q = b.split("x");
                if (p.length != q.length) {
                    return false;
                }
                for (int i = 0; i < p.length; i++) {
                    if (new BigDecimal(p[i]).compareTo(new BigDecimal(q[i])) > 0) {
                        return false;
                    }
                }
                return true;
            }
            default:
                throw new IllegalArgumentException(kind + " values have no order");
        }
    }

    private static int comparePairs(String a, String b) {
        BigDecimal[] p = pair(a);
        BigDecimal[] q = pair(b);
        int c = p[0].max(p[1]).compareTo(q[0].max(q[1]));
        if (c == 0) {
            c = p[0].multiply(p[1]).compareTo(q[0].multiply(q[1]));
        }
        if (c == 0) {
            c = p[0].compareTo(q[0]);
        }
        return c != 0 ? c : p[1].compareTo(q[1]);
    }

    private static BigDecimal[] pair(String v) {
        String[] parts = v.split("x");
        BigDecimal h = new BigDecimal(parts[0]);
        return new BigDecimal[] {h, parts.length > 1 ? new BigDecimal(parts[1]) : h};
    }

    private static int compareShapes(String a, String b) {
        String[] p = a.split("x");
        String[] q = b.split("x");
        int c = elements(p).compareTo(elements(q));
        if (c == 0) {
            c = Integer.compare(p.length, q.length);
        }
        for (int i = 0; c == 0 && i < p.length; i++) {
            c = new BigDecimal(p[i]).compareTo(new BigDecimal(q[i]));
        }
        return c;
    }

    private static BigDecimal elements(String[] dims) {
        BigDecimal n = BigDecimal.ONE;
        for (String d : dims) {
            n = n.multiply(new BigDecimal(d));
        }
        return n;
    }
}
