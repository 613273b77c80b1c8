package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.sweep.Axis;

/**
 * The tensor-size axis every family has. Core ML keeps tiny graphs on the CPU even when the Neural Engine could
 * run them, so the baseline is ANE-sized; a small input shows that effect, and widths at and just beyond 16384
 * bracket the Neural Engine's reported tensor-width limit.
 */
public final class Sizes {
    /** Channels × height × width of the baseline input: large enough that Core ML considers the ANE. */
    public static final String ANE = "64x56x56";
    /** A tiny input, the kind Core ML tends to keep on the CPU. */
    public static final String SMALL = "4x8x8";
    /** Width exactly at the reported 16384 limit. */
    public static final String WIDE = "8x4x16384";
    /** Width just past the reported limit (a multiple of 64, so only the width differs in kind). */
    public static final String BEYOND = "8x4x16448";

    private Sizes() {
    }

    /** The legacy [C, H, W] input-size axis: ANE-sized baseline; small, wide and beyond-wide in standard. */
    public static Axis chw() {
        return Axis.shape("in", ANE).standard(SMALL, WIDE, BEYOND);
    }

    /** The same sizes for ND probes, as [1, C, H, W]. */
    public static Axis nchw() {
        return Axis.shape("in", "1x" + ANE).standard("1x" + SMALL, "1x" + WIDE, "1x" + BEYOND);
    }
}
