package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.results.VerdictKind;

/**
 * A probe's merged result on one chip/OS, from the point of view of "does it run on the ANE". Only ANE, NOT_ANE and
 * SPLIT verdicts are evidence; REJECTED, CRASHED, TIMEOUT, NO_ANE and INCONCLUSIVE say nothing about placement.
 */
public enum Outcome {
    /** Every evidential measurement said ANE. */
    ON_ANE("ANE"),
    /** Every evidential measurement said NOT_ANE. */
    OFF_ANE("not ANE"),
    /** Every evidential measurement said SPLIT: part ran on the ANE, part elsewhere. */
    SPLIT("split"),
    /** Evidential measurements disagree (e.g. ANE in one run, NOT_ANE in another). */
    DISPUTED("disputed"),
    /** No evidential measurement (only REJECTED, CRASHED, TIMEOUT, NO_ANE or INCONCLUSIVE, or nothing). */
    NO_EVIDENCE("no evidence");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** True for the verdicts that say where a probe ran. */
    public static boolean isEvidence(VerdictKind k) {
        return k == VerdictKind.ANE || k == VerdictKind.NOT_ANE || k == VerdictKind.SPLIT;
    }

    /** True when the layer did not run entirely on the ANE (NOT_ANE or SPLIT). */
    public boolean offAne() {
        return this == OFF_ANE || this == SPLIT;
    }
}
