package dev.aneprobe.probes.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Weight values are pinned by the golden probes; these check the fast paths against the plain definitions. */
class WeightsTest {
    @Test
    void indicesAreFloorModOfTheDraws() {
        long[] bounds = {1, 2, 3, 5, 7, 8, 10, 56, 64, 100, 224, 1000, 1024, 4095, 16384, 65535, 1L << 20,
            123_456_789, (1L << 30) + 1, Integer.MAX_VALUE, 1L << 31, (1L << 31) + 1, 1L << 40, Long.MAX_VALUE};
        for (long bound : bounds) {
            for (long seed = 0; seed < 4; seed++) {
                SplittableRandom r = new SplittableRandom(seed * 7919 + bound);
                float[] expected = new float[20_000];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = Math.floorMod(r.nextLong(), bound);
                }
                assertArrayEquals(expected, new Weights(seed * 7919 + bound).indices(expected.length, bound),
                        "bound " + bound);
            }
        }
    }

    @Test
    void indicesOfBoundOneStillDrawEveryValue() {
        Weights a = new Weights(11);
        assertArrayEquals(new float[500], a.indices(500, 1));
        Weights b = new Weights(11);
        b.floats(1000, 1.0); // 500 draws
        assertArrayEquals(b.floats(10, 1.0), a.floats(10, 1.0));
    }

    @Test
    void float32ParamsAreTheFloatsValues() {
        for (int count : new int[] {0, 1, 2, 7, 1000, 1001}) {
            double scale = 1.0 / Math.sqrt(27);
            assertArrayEquals(Weights.of(new Weights(5).floats(count, scale), false).toByteArray(),
                    new Weights(5).params(count, 27, false).toByteArray(), "count " + count);
        }
    }

    @Test
    void float32ValuesInWireFormSerializeAsPackedFloatValue() throws Exception {
        float[] v = new Weights(3).floats(1000, 0.5);
        var wire = Weights.of(v, false);
        var plain = dev.aneprobe.probes.coreml.WeightParams.newBuilder();
        for (float f : v) {
            plain.addFloatValue(f);
        }
        assertArrayEquals(plain.build().toByteArray(), wire.toByteArray());
        assertEquals(1000, Weights.float32Count(wire));
        assertEquals(1000, Weights.float32Count(plain.build()));
        assertEquals(plain.build(), dev.aneprobe.probes.coreml.WeightParams.parseFrom(wire.toByteArray()));
    }
}
