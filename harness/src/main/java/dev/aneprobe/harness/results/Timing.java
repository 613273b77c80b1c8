package dev.aneprobe.harness.results;

import java.util.List;

/**
 * Timings of one probe under one compute-unit setting, all measured in native code.
 *
 * @param compileMs model compile time (null when the compiled model came from the cache)
 * @param loadMs model load time; the first load includes the device-specific (ANE) compile
 * @param coldNs the first prediction after load
 * @param samplesNs every timed steady-state prediction, in order
 * @param summary summary of {@code samplesNs}
 */
public record Timing(Double compileMs, Double loadMs, Long coldNs, List<Long> samplesNs, TimingSummary summary) {
    public Timing {
        samplesNs = samplesNs == null ? List.of() : List.copyOf(samplesNs);
    }
}
