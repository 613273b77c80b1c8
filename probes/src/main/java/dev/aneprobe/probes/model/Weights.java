package dev.aneprobe.probes.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.UnsafeByteOperations;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeTooLargeException;
import java.util.SplittableRandom;

/**
 * Deterministic pseudo-random weights for one probe. Seeded from the probe id, so the same probe always gets the
 * same bytes, and a probe's weights do not change when other probes are added to a sweep.
 */
public final class Weights {
    private final SplittableRandom random;

    public Weights(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * {@code count} values uniform in [-scale, scale), with 23 random bits each (a float's mantissa): the bits are
     * placed under the exponent of 1.0, giving a float in [1, 2) with no integer-to-float conversion, and one
     * 64-bit draw serves two values. This keeps weight synthesis off the generator's critical path.
     */
    public float[] floats(long count, double scale) {
        checkCount(count);
        float[] out = new float[(int) count];
        float twice = (float) (2 * scale);
        float offset = (float) (3 * scale); // [1, 2) · 2·scale − 3·scale = [−scale, scale)
        int n = out.length;
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long r = random.nextLong();
            out[i] = Float.intBitsToFloat(0x3F800000 | (int) (r >>> 41)) * twice - offset;
            out[i + 1] = Float.intBitsToFloat(0x3F800000 | ((int) r & 0x7FFFFF)) * twice - offset;
        }
        if (i < n) {
            out[i] = Float.intBitsToFloat(0x3F800000 | (int) (random.nextLong() >>> 41)) * twice - offset;
        }
        return out;
    }

    /**
     * The values of {@link #floats} (same draws, same arithmetic), written straight into their little-endian bytes:
     * float32 weights skip the float array and its copy.
     */
    private byte[] floatBytes(long count, double scale) {
        checkCount(count);
        int n = (int) count;
        byte[] out = new byte[n * 4];
        float twice = (float) (2 * scale);
        float offset = (float) (3 * scale);
        int i = 0;
        for (; i + 1 < n; i += 2) {
            long r = random.nextLong();
            FLOAT_LE.set(out, 4 * i, Float.intBitsToFloat(0x3F800000 | (int) (r >>> 41)) * twice - offset);
            FLOAT_LE.set(out, 4 * i + 4, Float.intBitsToFloat(0x3F800000 | ((int) r & 0x7FFFFF)) * twice - offset);
        }
        if (i < n) {
            FLOAT_LE.set(out, 4 * i,
                    Float.intBitsToFloat(0x3F800000 | (int) (random.nextLong() >>> 41)) * twice - offset);
        }
        return out;
    }

    /**
     * Refuses, before anything is allocated, a tensor no probe within {@link ProbeLimits#MAX_PROBE_BYTES} could
     * hold (a negative count is an overflowed product of sizes, as large).
     */
    private static void checkCount(long count) {
        if (count < 0 || count > ProbeLimits.MAX_WEIGHT_VALUES) {
            throw new ProbeTooLargeException("it needs a weight tensor of " + (count < 0 ? "more values than a long "
                    + "can count" : ProbeLimits.grouped(count) + " values") + ", and a probe may take at most "
                    + ProbeLimits.probeSize());
        }
    }

    private static final VarHandle FLOAT_LE = MethodHandles.byteArrayViewVarHandle(float[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** {@code count} whole numbers uniform in [0, bound), as floats (indices for gather-like layers). */
    public float[] indices(long count, long bound) {
        checkCount(count);
        float[] out = new float[(int) count];
        if (bound == 1) {
            for (int i = 0; i < out.length; i++) {
                random.nextLong(); // every index is 0, but the draws are made all the same
            }
            return out;
        }
        if (bound < 2 || bound > Integer.MAX_VALUE) {
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.floorMod(random.nextLong(), bound);
            }
            return out;
        }
        // Math.floorMod(x, bound) without a 64-bit division per value. With m = floor((2^64 - 1) / bound) and u
        // the draw read as unsigned, floor(u·m / 2^64) is floor(u / bound) or one less, so u − that·bound is
        // u mod bound or u mod bound + bound. A negative draw is u − 2^64, so 2^64 mod bound comes off again.
        long m = Long.divideUnsigned(-1L, bound);
        long wrap = (Long.remainderUnsigned(-1L, bound) + 1) % bound;
        for (int i = 0; i < out.length; i++) {
            long x = random.nextLong();
            long q = Math.multiplyHigh(x, m) + ((x >> 63) & m); // unsigned high half (m < 2^63)
            long r = x - q * bound;
            r -= bound & ((bound - 1 - r) >> 63);
            r -= wrap & (x >> 63);
            r += bound & (r >> 63);
            out[i] = r;
        }
        return out;
    }

    /** Weights for a layer whose fan-in is {@code fanIn}: scaled so activations stay in a sane range. */
    public WeightParams params(long count, long fanIn, boolean fp16) {
        double scale = 1.0 / Math.sqrt(Math.max(1, fanIn));
        return fp16 ? of(floats(count, scale), true) : wireFloats(floatBytes(count, scale));
    }

    /** Values uniform in [lo, hi), e.g. positive variances. */
    public WeightParams range(long count, double lo, double hi, boolean fp16) {
        float[] v = floats(count, 0.5);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (v[i] + 0.5) * (hi - lo));
        }
        return of(v, fp16);
    }

    public static WeightParams of(float[] values, boolean fp16) {
        if (fp16) {
            return WeightParams.newBuilder().setFloat16Value(UnsafeByteOperations.unsafeWrap(Fp16.toBytes(values)))
                    .build();
        }
        return packedFloats(values);
    }

    /**
     * float32 weights carried in their wire form: the little-endian values are the payload of a length-delimited
     * field numbered like {@code floatValue}, held as an unknown field. A WeightParams with nothing else set
     * serializes to exactly the bytes of the packed {@code floatValue} field (tag, length, values), and parsing those
     * bytes back gives {@code floatValue} itself. protobuf-java has no bulk primitive add, so building the field
     * value by value (or parsing it) and writing it back value by value dominated generation time; this copies the
     * values once. Only the in-memory message differs: code that reads such weights counts them with
     * {@link #float32Count}.
     */
    private static WeightParams packedFloats(float[] values) {
        byte[] payload = new byte[values.length * 4];
        ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
        return wireFloats(payload);
    }

    /** float32 weights from their little-endian bytes, which the message then owns (see {@link #packedFloats}). */
    private static WeightParams wireFloats(byte[] payload) {
        if (payload.length == 0) {
            return WeightParams.getDefaultInstance();
        }
        return WeightParams.newBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(WeightParams.FLOATVALUE_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(UnsafeByteOperations.unsafeWrap(payload)).build())
                .build()).build();
    }

    /**
     * How many float32 values {@code w} holds: its {@code floatValue} entries, plus the values it carries in wire
     * form (see {@link #packedFloats}; a parsed message never has those, as the parser reads them into
     * {@code floatValue}).
     */
    public static long float32Count(WeightParams w) {
        long n = w.getFloatValueCount();
        UnknownFieldSet.Field wire = w.getUnknownFields().getField(WeightParams.FLOATVALUE_FIELD_NUMBER);
        for (ByteString b : wire.getLengthDelimitedList()) {
            n += b.size() / 4;
        }
        return n;
    }

    public static WeightParams constant(long count, float value) {
        checkCount(count);
        float[] v = new float[(int) count];
        java.util.Arrays.fill(v, value);
        return of(v, false);
    }
}
