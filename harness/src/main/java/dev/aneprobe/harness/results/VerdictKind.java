package dev.aneprobe.harness.results;

/** Where a probe's layer ran, as decided from the plan, dispatch and reason signals. */
public enum VerdictKind {
    /** It ran on the Neural Engine. */
    ANE,
    /** It ran, but not on the Neural Engine ({@link Verdict#ranOn} says where). */
    NOT_ANE,
    /** Part of the probe ran on the Neural Engine and part elsewhere. */
    SPLIT,
    /** Core ML refused the model (compile or load error). */
    REJECTED,
    /** The probe killed the worker process. */
    CRASHED,
    /** The probe did not finish within the per-probe timeout. */
    TIMEOUT,
    /** The host has no Neural Engine (Intel Mac, VM): nothing can be said about the ANE. */
    NO_ANE,
    /** The signals were missing or disagreed too much to decide. */
    INCONCLUSIVE
}
