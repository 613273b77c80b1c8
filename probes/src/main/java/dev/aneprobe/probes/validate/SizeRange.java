package dev.aneprobe.probes.validate;

/**
 * The sizes one axis of a blob may still take, {@code [min, max]}, as Core ML's rank-5 shape propagation keeps them:
 * a maximum may be unbounded ({@link #INF}), and arithmetic works on both ends separately with Core ML's rules —
 * subtraction stops at 0 instead of going negative, anything done to an unbounded end leaves it unbounded, and
 * rounding-up division by 0 gives an unbounded end. Immutable.
 */
record SizeRange(long min, long max) {
    /** The unbounded end. */
    static final long INF = Long.MAX_VALUE;
    /** Any size at all: what every axis of a blob starts as. */
    static final SizeRange ANY = new SizeRange(0, INF);

    static SizeRange exactly(long v) {
        return new SizeRange(v, v);
    }

    static SizeRange atLeast(long v) {
        return new SizeRange(v, INF);
    }

    static SizeRange upTo(long v) {
        return new SizeRange(0, v);
    }

    boolean fixed() {
        return max != INF && min == max;
    }

    boolean contains(long v) {
        return min <= v && v <= max;
    }

    /** The sizes both ranges allow; a {@link ShapeConflict} when there are none. */
    SizeRange meet(SizeRange other, String what) {
        long lo = Math.max(min, other.min);
        long hi = Math.min(max, other.max);
        if (hi < lo) {
            throw new ShapeConflict(what + " is " + this + " but must be " + other);
        }
        return new SizeRange(lo, hi);
    }

    /** The smallest range holding both. */
    SizeRange join(SizeRange other) {
        return new SizeRange(Math.min(min, other.min), Math.max(max, other.max));
    }

    /** Adds {@code d} to both ends; a negative {@code d} subtracts, stopping at 0. */
    SizeRange plus(long d) {
        return new SizeRange(plus(min, d), plus(max, d));
    }

    SizeRange plus(SizeRange other) {
        return new SizeRange(plusSize(min, other.min), plusSize(max, other.max));
    }

    SizeRange times(long k) {
        return new SizeRange(times(min, k), times(max, k));
    }

    SizeRange times(SizeRange other) {
        return new SizeRange(other.min == INF ? INF : times(min, other.min),
                other.max == INF ? INF : times(max, other.max));
    }

    /** Division rounding down; by 0 it is a conflict (unless the end is unbounded, which stays unbounded). */
    SizeRange over(long k) {
        return new SizeRange(over(min, k), over(max, k));
    }

    /** Division rounding up; by 0 both ends become unbounded, as in Core ML. */
    SizeRange overRoundingUp(long k) {
        return new SizeRange(overRoundingUp(min, k), overRoundingUp(max, k));
    }

    /** Adds {@code d} to a size; a negative {@code d} subtracts, stopping at 0; unbounded stays unbounded. */
    static long plus(long v, long d) {
        if (v == INF) {
            return INF;
        }
        if (d >= 0) {
            return d == INF || v > INF - d ? INF : v + d;
        }
        return Math.max(0, v + d);
    }

    /** Adds a size (which may be unbounded) to a size. */
    private static long plusSize(long v, long w) {
        return w == INF ? INF : plus(v, w);
    }

    static long times(long v, long k) {
        if (v == INF) {
            return INF;
        }
        try {
            return Math.multiplyExact(v, k);
        } catch (ArithmeticException e) {
            throw new ShapeConflict("a size overflows (" + v + " × " + k + ")");
        }
    }

    static long over(long v, long k) {
        if (v == INF) {
            return INF;
        }
        if (k == 0) {
            throw new ShapeConflict("a size is divided by 0");
        }
        return v / k;
    }

    static long overRoundingUp(long v, long k) {
        if (v == INF || k == 0) {
            return INF;
        }
        return v == 0 ? 0 : (v - 1) / k + 1;
    }

    /** "64", "at least 3", "at most 7", "between 2 and 5", "any size". */
    @Override
    public String toString() {
        if (fixed()) {
            return Long.toString(min);
        }
        if (max == INF) {
            return min == 0 ? "any size" : "at least " + min;
        }
        return min == 0 ? "at most " + max : "between " + min + " and " + max;
    }
}
