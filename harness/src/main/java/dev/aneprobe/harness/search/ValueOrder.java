package dev.aneprobe.harness.search;

import dev.aneprobe.probes.sweep.AxisKind;
import java.math.BigDecimal;
import java.util.Comparator;

/**
 * The order an adaptive search walks an axis in, per {@link AxisKind}. Whole numbers and decimals: by value. Pairs
 * (kernels, strides, scaling factors): by the larger component, then the product, then height, then width — so
 * {@code 9x9 < 1x10 < 10x1 < 10x10}, and a rule on the larger side of a pair (the usual form: "kernel width > 13")
 * is monotonic along it. Shapes: by element count, then rank, then dimension by dimension. Word and boolean axes have
 * no order: they are not searched ({@link #ordered}).
 */
public final class ValueOrder {
    private ValueOrder() {
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
