package dev.aneprobe.harness.results;

/** Robust summary of the timed prediction samples, in nanoseconds. MAD is the median absolute deviation. */
public record TimingSummary(int n, long minNs, double medianNs, double p90Ns, double madNs) {
}
