package dev.aneprobe.harness.results;

/**
 * What one of the three independent signals said about a probe.
 *
 * @param signal {@code plan}, {@code dispatch} or {@code reason}
 * @param says ANE, NOT_ANE, SPLIT, or null when the signal was absent or undecided
 * @param detail human-readable evidence ("preferred=ane supported=[cpu, ane]", "ane median 0.41 ms vs cpu 2.3 ms",
 *     "kernel width = 28 > 13")
 * @param confidence for dispatch, the confidence of the latency comparison in [0,1]; null otherwise
 */
public record SignalReading(String signal, VerdictKind says, String detail, Double confidence) {
}
