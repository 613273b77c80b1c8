package dev.aneprobe.harness.analysis.claims;

import dev.aneprobe.harness.results.Device;

/** What a claim predicts for the probes in its region. */
public enum Prediction {
    /** The layer runs (entirely) on the Neural Engine. */
    ANE("runs on the ANE", null),
    /** The layer does not run (entirely) on the Neural Engine: Core ML places it, or part of it, elsewhere. */
    NOT_ANE("does not run on the ANE", null),
    /**
     * A chain (S → U → S → U ...) whose U layers go to the GPU leaves the Neural Engine for the GPU at most once:
     * judged on chain probes under the all setting ({@link dev.aneprobe.harness.analysis.chains.SwitchingJudge}).
     */
    ANE_GPU_AT_MOST_ONCE("leaves the ANE for the GPU at most once", Device.GPU),
    /** A chain whose U layers go to the CPU leaves the Neural Engine for the CPU again and again (twice or more). */
    ANE_CPU_REPEATS("leaves the ANE for the CPU again and again", Device.CPU);

    private final String words;
    private final Device switchesTo;

    Prediction(String words, Device switchesTo) {
        this.words = words;
        this.switchesTo = switchesTo;
    }

    public String words() {
        return words;
    }

    /** True for a prediction about device switches in chain probes rather than where one layer runs. */
    public boolean aboutSwitching() {
        return switchesTo != null;
    }

    /** The device a switching prediction is about (the GPU or the CPU); null for the others. */
    public Device switchesTo() {
        return switchesTo;
    }
}
