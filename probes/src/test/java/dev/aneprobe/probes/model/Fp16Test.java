package dev.aneprobe.probes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * fp16 conversion must never change: probe bytes are pinned. The reference here rounds the plain way (compare the
 * dropped bits with half, break ties to even), as Fp16 did before its rounding became branch-free.
 */
class Fp16Test {
    private static short reference(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exp == 0xff) {
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
        int rem = mantissa & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) half;
    }

    @Test
    void sameAsPlainRoundingAcrossBitPatterns() {
        // every 251st bit pattern (both signs, every exponent), and every pattern whose dropped bits are at or
        // next to the tie, for every exponent and both kept low bits
        for (long b = 0; b <= 0xffffffffL; b += 251) {
            check((int) b);
        }
        for (int sign = 0; sign < 2; sign++) {
            for (int exp = 0; exp < 256; exp++) {
                for (int kept = 0; kept < 4; kept++) {
                    for (int dropped : new int[] {0, 1, 0xfff, 0x1000, 0x1001, 0x1fff}) {
                        check(sign << 31 | exp << 23 | kept << 13 | dropped);
                        check(sign << 31 | exp << 23 | 0x7fe000 | kept << 13 | dropped);
                    }
                }
            }
        }
    }

    private static void check(int bits) {
        float f = Float.intBitsToFloat(bits);
        assertEquals(reference(f), Fp16.fromFloat(f), () -> "bits 0x" + Integer.toHexString(bits));
    }

    @Test
    void bulkBytesAreLittleEndianHalves() {
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[1001];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(r.nextInt());
        }
        byte[] expected = new byte[v.length * 2];
        for (int i = 0; i < v.length; i++) {
            short h = reference(v[i]);
            expected[2 * i] = (byte) h;
            expected[2 * i + 1] = (byte) (h >> 8);
        }
        assertArrayEquals(expected, Fp16.toBytes(v));
    }
}
