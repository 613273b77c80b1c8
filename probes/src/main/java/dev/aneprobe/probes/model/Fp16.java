package dev.aneprobe.probes.model;

/** IEEE 754 binary16 conversion (Java 17 has no Float.floatToFloat16), rounding to nearest even. */
public final class Fp16 {
    private Fp16() {
    }

    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exp == 0xff) {
            // Infinity stays infinity; NaN keeps a quiet-NaN payload bit.
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // Subnormal half: shift the implicit-one mantissa into place, rounding to nearest even.
            int m = mantissa | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = sign | (e << 10) | (mantissa >>> 13);
        // Round to nearest even without a branch (random weights make that branch a coin toss): the 13 dropped
        // bits plus 0xfff plus the kept low bit reach 0x2000 exactly when they are above half, or half with an odd
        // low bit. A carry into the exponent is the correct rounding (up to infinity).
        half += ((mantissa & 0x1fff) + 0xfff + (half & 1)) >>> 13;
        return (short) half;
    }

    /** {@code values} as binary16, two little-endian bytes each (Core ML's float16 weight and blob layout). */
    public static byte[] toBytes(float[] values) {
        byte[] out = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            short h = fromFloat(values[i]);
            out[2 * i] = (byte) h;
            out[2 * i + 1] = (byte) (h >>> 8);
        }
        return out;
    }

    public static float toFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exp == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mantissa / 1024f / 16384f;
            return sign == 0 ? v : -v;
        }
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mantissa << 13));
    }
}
