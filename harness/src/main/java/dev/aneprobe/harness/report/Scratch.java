package dev.aneprobe.harness.report;

/**
 * A StringBuilder per thread for rendering one cell or row: the row formats render one per observation line, and a
 * new builder each time (a kilobyte, zeroed) was a good part of a million-line report's garbage.
 */
final class Scratch {
    private static final int KEPT = 1 << 16;
    private static final ThreadLocal<StringBuilder> BUILDER = ThreadLocal.withInitial(() -> new StringBuilder(1024));

    private Scratch() {
    }

    /** This thread's builder, emptied; use it up (toString) before asking again. */
    static StringBuilder builder() {
        StringBuilder sb = BUILDER.get();
        if (sb.capacity() > KEPT) {
            // One huge cell (a long note) does not pin its buffer for the rest of the thread's life.
            sb = new StringBuilder(1024);
            BUILDER.set(sb);
        }
        sb.setLength(0);
        return sb;
    }
}
