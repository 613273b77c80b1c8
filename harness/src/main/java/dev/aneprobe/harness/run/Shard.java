package dev.aneprobe.harness.run;

import dev.aneprobe.harness.cli.UserInputException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One shard {@code i/n} (1 &lt;= i &lt;= n) of a sweep. A probe belongs to shard
 * {@code 1 + (u mod n)}, where {@code u} is the first 8 bytes of SHA-256(UTF-8 probe id) read as an unsigned
 * big-endian 64-bit integer. The split depends on nothing but the probe id and n, so every machine of a fleet
 * computes the same split, the shards are disjoint, their union is the whole sweep, and adding probes never moves
 * an existing probe to another shard.
 */
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new UserInputException("shard must be i/n with 1 <= i <= n (got " + index + "/" + count + ")");
        }
    }

    /** Parses "i/n". */
    public static Shard parse(String s) {
        String[] parts = s.strip().split("/", -1);
        if (parts.length != 2) {
            throw new UserInputException("shard must look like i/n, e.g. 2/4 (got '" + s + "')");
        }
        try {
            return new Shard(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new UserInputException("shard must look like i/n, e.g. 2/4 (got '" + s + "')");
        }
    }

    /** The 1-based shard a probe id belongs to when a sweep is split n ways. */
    public static int of(String probeId, int n) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(probeId.getBytes(StandardCharsets.UTF_8));
            long u = ByteBuffer.wrap(h, 0, 8).getLong();
            return 1 + (int) Long.remainderUnsigned(u, n);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean contains(String probeId) {
        return count == 1 || of(probeId, count) == index;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
