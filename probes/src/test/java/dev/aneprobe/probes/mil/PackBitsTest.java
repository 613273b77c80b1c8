package dev.aneprobe.probes.mil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast packer equals the definition: value i occupies bits [i*bits, (i+1)*bits), least significant first. */
class PackBitsTest {
    private static byte[] byDefinition(int[] values, int bits) {
        byte[] out = new byte[(values.length * bits + 7) / 8];
        int bit = 0;
        for (int v : values) {
            for (int b = 0; b < bits; b++, bit++) {
                if ((v >> b & 1) != 0) {
                    out[bit / 8] |= (byte) (1 << (bit % 8));
                }
            }
        }
        return out;
    }

    @Test
    void matchesTheDefinitionForEverySubByteWidth() {
        SplittableRandom random = new SplittableRandom(7);
        for (int bits : new int[] {1, 2, 3, 4, 6, 8}) {
            for (int n : new int[] {1, 7, 8, 9, 10, 33, 1000}) {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = random.nextInt(1 << bits);
                }
                assertArrayEquals(byDefinition(values, bits), MilNet.packBits(values, bits), bits + " bits, " + n);
            }
        }
        // 1 → bit 0; 4 → bit 5; 5 → bits 6 and 8; 2 → bit 10.
        assertArrayEquals(new byte[] {0b0110_0001, 0b0000_0101}, MilNet.packBits(new int[] {1, 4, 5, 2}, 3));
    }
}
