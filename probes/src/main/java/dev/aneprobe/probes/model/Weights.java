package dev.aneprobe.probes.model;

import com.google.protobuf.ByteString;
import dev.aneprobe.probes.coreml.WeightParams;
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

    /** {@code count} values uniform in [-scale, scale). */
    public float[] floats(long count, double scale) {
        if (count > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("too many weights: " + count);
        }
        float[] out = new float[(int) count];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return out;
    }

    /** Weights for a layer whose fan-in is {@code fanIn}: scaled so activations stay in a sane range. */
    public WeightParams params(long count, long fanIn, boolean fp16) {
        return of(floats(count, 1.0 / Math.sqrt(Math.max(1, fanIn))), fp16);
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
        WeightParams.Builder b = WeightParams.newBuilder();
        if (fp16) {
            byte[] bytes = new byte[values.length * 2];
            for (int i = 0; i < values.length; i++) {
                short h = Fp16.fromFloat(values[i]);
                bytes[2 * i] = (byte) h;
                bytes[2 * i + 1] = (byte) (h >>> 8);
            }
            b.setFloat16Value(ByteString.copyFrom(bytes));
        } else {
            for (float v : values) {
                b.addFloatValue(v);
            }
        }
        return b.build();
    }

    public static WeightParams constant(long count, float value) {
        float[] v = new float[Math.toIntExact(count)];
        java.util.Arrays.fill(v, value);
        return of(v, false);
    }
}
