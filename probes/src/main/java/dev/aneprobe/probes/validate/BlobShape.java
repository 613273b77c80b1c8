package dev.aneprobe.probes.validate;

/**
 * What rank-5 shape propagation knows about one blob: a {@link SizeRange} for each of its five axes, sequence,
 * batch, channels, height and width. Every change only narrows a range; a change that would leave an axis with no
 * size at all is a {@link ShapeConflict} naming the blob and the axis.
 */
final class BlobShape {
    static final int SEQUENCE = 0;
    static final int BATCH = 1;
    static final int CHANNELS = 2;
    static final int HEIGHT = 3;
    static final int WIDTH = 4;
    private static final String[] AXIS_NAMES = {"sequence length", "batch size", "channel count", "height",
        "width"};

    private final String name;
    private final SizeRange[] ranges = {SizeRange.ANY, SizeRange.ANY, SizeRange.ANY, SizeRange.ANY,
        SizeRange.ANY};

    BlobShape(String name) {
        this.name = name;
    }

    /** An independent copy, under the same name. */
    BlobShape copy() {
        BlobShape c = new BlobShape(name);
        System.arraycopy(ranges, 0, c.ranges, 0, ranges.length);
        return c;
    }

    String name() {
        return name;
    }

    SizeRange range(int axis) {
        return ranges[axis];
    }

    /** The smallest size the axis may take. */
    long min(int axis) {
        long v = ranges[axis].min();
        if (v == SizeRange.INF) {
            throw new ShapeConflict("the " + what(axis) + " has no smallest size");
        }
        return v;
    }

    /** Narrows the axis to the sizes {@code r} allows too. */
    void update(int axis, SizeRange r) {
        ranges[axis] = ranges[axis].meet(r, "the " + what(axis));
    }

    /** Fixes the axis at {@code v}, which it must allow. */
    void set(int axis, long v) {
        if (v < 0) {
            throw new ShapeConflict("the " + what(axis) + " would be negative (" + v + ")");
        }
        if (!ranges[axis].contains(v)) {
            throw new ShapeConflict("the " + what(axis) + " is " + ranges[axis] + " but must be " + v);
        }
        ranges[axis] = SizeRange.exactly(v);
    }

    void atLeast(int axis, long v) {
        update(axis, SizeRange.atLeast(v));
    }

    /** Bounds the axis from above; an unbounded bound changes nothing. */
    void atMost(int axis, long v) {
        if (v != SizeRange.INF) {
            update(axis, SizeRange.upTo(v));
        }
    }

    /** Narrows every axis to what {@code other}'s allows too. */
    void meet(BlobShape other) {
        for (int axis = 0; axis < ranges.length; axis++) {
            update(axis, other.ranges[axis]);
        }
    }

    boolean fixedChw() {
        return ranges[CHANNELS].fixed() && ranges[HEIGHT].fixed() && ranges[WIDTH].fixed();
    }

    static String axisName(int axis) {
        return AXIS_NAMES[axis];
    }

    private String what(int axis) {
        return AXIS_NAMES[axis] + " of blob '" + name + "'";
    }

    /** "[C, H, W]" as far as known, e.g. "[64, 56, 56]" or "[64, at least 3, 1]". */
    String chw() {
        return "[" + ranges[CHANNELS] + ", " + ranges[HEIGHT] + ", " + ranges[WIDTH] + "]";
    }
}
