package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.cli.UserInputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShardTest {
    static List<String> ids(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("pooling/type=max,kernel=" + i + "x" + i + ",stride=1x1");
        }
        return out;
    }

    @Test
    void unionIsTheWholeAndShardsAreDisjoint() {
        List<String> all = ids(500);
        for (int n = 1; n <= 7; n++) {
            Set<String> union = new HashSet<>();
            int total = 0;
            for (int i = 1; i <= n; i++) {
                Shard s = new Shard(i, n);
                for (String id : all) {
                    if (s.contains(id)) {
                        total++;
                        union.add(id);
                    }
                }
            }
            assertEquals(all.size(), total, "every probe in exactly one shard of " + n);
            assertEquals(new HashSet<>(all), union);
        }
    }

    @Test
    void splitIsStableAndRoughlyEven() {
        // Pinned values (computed independently: 1 + int.from_bytes(sha256(id)[:8], "big") % 4 in Python): changing
        // the hash would silently reshuffle fleets that share a sweep.
        assertEquals(2, Shard.of("pooling/type=max,kernel=3x3,stride=1x1", 4));
        assertEquals(1, Shard.of("upsample/scale=2x2,mode=nn", 4));
        assertEquals(1, Shard.of("", 4));
        int[] counts = new int[4];
        for (String id : ids(4000)) {
            counts[Shard.of(id, 4) - 1]++;
        }
        for (int c : counts) {
            assertTrue(c > 850 && c < 1150, java.util.Arrays.toString(counts));
        }
    }

    @Test
    void addingProbesNeverMovesExistingOnes() {
        for (String id : ids(100)) {
            assertEquals(Shard.of(id, 5), Shard.of(id, 5));
        }
    }

    @Test
    void parsing() {
        assertEquals(new Shard(2, 4), Shard.parse(" 2/4 "));
        assertEquals("2/4", Shard.parse("2/4").toString());
        for (String bad : new String[] {"0/4", "5/4", "1", "a/b", "1/0", "1/2/3"}) {
            assertThrows(UserInputException.class, () -> Shard.parse(bad), bad);
        }
    }
}
