package dev.aneprobe.harness.results;

import java.util.List;

/**
 * The verdict on one probe under one Neural-Engine-allowing setting.
 *
 * @param kind the verdict
 * @param ranOn where it ran, when known (NOT_ANE: e.g. [cpu]; SPLIT: every device used)
 * @param signals every signal's reading, whether it agreed or not
 * @param agreed names of the signals whose reading matches {@code kind}
 * @param note one line of explanation (the refusal, the disagreement)
 */
public record Verdict(VerdictKind kind, List<Device> ranOn, List<SignalReading> signals, List<String> agreed,
        String note) {
    public Verdict {
        ranOn = ranOn == null ? List.of() : List.copyOf(ranOn);
        signals = signals == null ? List.of() : List.copyOf(signals);
        agreed = agreed == null ? List.of() : List.copyOf(agreed);
    }
}
