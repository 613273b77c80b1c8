package dev.aneprobe.harness.run;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A ring buffer of the last lines a worker wrote to stderr (and any non-protocol stdout), for crash reports. */
final class StderrTail {
    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    StderrTail(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String line) {
        String bare = line.startsWith("[stdout] ") ? line.substring(9) : line;
        if (bare.strip().equals("#") || bare.isBlank()) {
            return; // the blank separator lines of a JVM crash banner carry nothing
        }
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > 1000 ? line.substring(0, 1000) + "..." : line);
    }

    /** Forgets everything so far (called when a new request starts). */
    synchronized void clear() {
        lines.clear();
    }

    /** The last {@code max} lines, oldest first. */
    synchronized List<String> last(int max) {
        List<String> all = new ArrayList<>(lines);
        return List.copyOf(all.subList(Math.max(0, all.size() - max), all.size()));
    }
}
