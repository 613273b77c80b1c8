package dev.aneprobe.harness.analysis.claims;

/** What a claim predicts for the probes in its region. */
public enum Prediction {
    /** The layer runs (entirely) on the Neural Engine. */
    ANE("runs on the ANE"),
    /** The layer does not run (entirely) on the Neural Engine: Core ML places it, or part of it, elsewhere. */
    NOT_ANE("does not run on the ANE");

    private final String words;

    Prediction(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
