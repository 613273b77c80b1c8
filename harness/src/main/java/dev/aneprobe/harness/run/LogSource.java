package dev.aneprobe.harness.run;

import java.time.Instant;
import java.util.List;

/** Where the reason signal's log lines come from. */
public interface LogSource {
    /**
     * The time window of one probe line and the worker that ran it.
     *
     * @param pid the worker's process id (lines from other processes that use Core ML are ignored)
     */
    record Window(Instant start, Instant end, long pid) {
    }

    /**
     * The lines of each window, in window order, or, when the log could not be read, null lines and the problem.
     */
    record Capture(List<List<String>> perWindow, String problem) {
        public List<String> lines(int window) {
            return perWindow == null ? null : perWindow.get(window);
        }
    }

    /** Reads the lines of consecutive windows (one probe's lines), at once. */
    Capture read(List<Window> windows);

    /** No log reading: the reason signal stays silent. */
    LogSource OFF = windows -> new Capture(null, "log reading is off (--log off)");
}
