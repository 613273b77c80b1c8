package dev.aneprobe.harness.rewrite;

import java.util.Arrays;
import java.util.SplittableRandom;

/** A dense float32 tensor in row-major order, for the reference evaluator. */
public record FloatTensor(long[] shape, float[] data) {
    public FloatTensor {
        shape = shape.clone();
        if (count(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count(shape)
                    + " values, not " + data.length);
        }
    }

    /** Values uniform in [-2, 2) from {@code random}: seeded, so every verification tries the same inputs. */
    public static FloatTensor random(long[] shape, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(count(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (random.nextDouble() * 4 - 2);
        }
        return new FloatTensor(shape, v);
    }

    public int rank() {
        return shape.length;
    }

    public static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Row-major strides of {@code shape}. */
    static long[] strides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }
}
