package dev.aneprobe.harness.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations: bit flips, byte values, truncation, deletion, insertion and duplication of ranges. */
public final class ByteMutator {
    private static final byte[] INTERESTING = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1, 0x08, 0x0A, 0x12, 0x1A};

    private ByteMutator() {
    }

    public static byte[] apply(byte[] in, Step s) {
        int n = in.length;
        int pos = Step.pick(s.a(), n + 1);
        int len = 1 + Step.pick(s.b(), Math.max(1, Math.min(64, n - pos)));
        switch (s.op() % 7) {
            case 0: { // flip one bit
                if (n == 0) {
                    return in;
                }
                byte[] out = in.clone();
                int at = Step.pick(s.a(), n);
                out[at] ^= (byte) (1 << (s.b() % 8));
                return out;
            }
            case 1: { // set one byte to an interesting or arbitrary value
                if (n == 0) {
                    return in;
                }
                byte[] out = in.clone();
                int v = s.c() % (INTERESTING.length + 256);
                out[Step.pick(s.a(), n)] = v < INTERESTING.length ? INTERESTING[v] : (byte) (v - INTERESTING.length);
                return out;
            }
            case 2: // truncate
                return Arrays.copyOf(in, pos);
            case 3: { // delete a range
                ByteArrayOutputStream out = new ByteArrayOutputStream(n);
                out.write(in, 0, pos);
                int end = Math.min(n, pos + len);
                out.write(in, end, n - end);
                return out.toByteArray();
            }
            case 4: { // insert random bytes
                byte[] extra = new byte[len];
                new Random(s.c()).nextBytes(extra);
                return splice(in, pos, extra);
            }
            case 5: { // duplicate a range right after itself
                int end = Math.min(n, pos + len);
                return splice(in, end, Arrays.copyOfRange(in, pos, end));
            }
            default: { // a maximal 10-byte varint (as a length or a value it is huge or negative)
                byte[] varint = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
                byte[] out = in.clone();
                for (int i = 0; i < varint.length && pos + i < n; i++) {
                    out[pos + i] = varint[i];
                }
                return out;
            }
        }
    }

    private static byte[] splice(byte[] in, int at, byte[] extra) {
        byte[] out = new byte[in.length + extra.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(in, at, out, at + extra.length, in.length - at);
        return out;
    }
}
