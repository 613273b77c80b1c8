package dev.aneprobe.harness.results.read;

import java.util.function.Consumer;

/**
 * Where the reader reports what it skipped. Each warning is one line naming the file (and line number); the reader
 * carries on with the rest. Per file, only the first {@link #PER_FILE} line warnings are passed on, then a count.
 */
public interface Warnings extends Consumer<String> {
    int PER_FILE = 20;

    /** Warnings that are dropped (tests that expect malformed input, benchmarks). */
    Warnings IGNORE = w -> { };
}
