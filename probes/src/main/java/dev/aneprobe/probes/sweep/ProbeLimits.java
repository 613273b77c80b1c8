package dev.aneprobe.probes.sweep;

import java.util.Locale;

/**
 * The documented limits on what a probe may be asked for, in one place. They keep every request within what the
 * generator can build in memory and what a sweep can sensibly load, far above anything the catalog itself declares;
 * a value beyond them is a bad request (exit 2), never an overflow or an out-of-memory error.
 */
public final class ProbeLimits {
    /** The largest whole number an axis value may hold: an integer value, a pair's component, a dimension. */
    public static final long MAX_WHOLE = 1L << 24;
    /**
     * The most tensors an axis may ask one layer to take or give (inputs of an add or a concat, outputs of a split):
     * each is a model input or output of its own.
     */
    public static final long MAX_OPERANDS = 1024;
    /** The most elements a tensor shape given on an axis may have. */
    public static final long MAX_TENSOR_ELEMENTS = 1L << 24;
    /** The most bytes one probe may take: its model file, plus its weight file for an ML Program. */
    public static final long MAX_PROBE_BYTES = 32L << 20;
    /**
     * The most values one weight tensor may be drawn with: a probe within {@link #MAX_PROBE_BYTES} cannot hold more
     * even at two bytes a value, so larger requests are refused before anything is allocated.
     */
    public static final long MAX_WEIGHT_VALUES = MAX_PROBE_BYTES / 2;

    private ProbeLimits() {
    }

    /** A whole number with thousands separators, as messages print them: {@code 16,777,216}. */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** The probe size limit in words, for messages: {@code 32 MiB}. */
    public static String probeSize() {
        return (MAX_PROBE_BYTES >> 20) + " MiB";
    }
}
