package dev.aneprobe.harness.analysis.claims;

/** A claim's verdict, per chip/OS or over all of them. */
public enum ClaimStatus {
    /** Every probe in the region that gave evidence agrees with the prediction (on every chip/OS tested). */
    CONFIRMED,
    /** Every probe in the region that gave evidence contradicts the prediction (on every chip/OS tested). */
    REFUTED,
    /** It holds in part of the region, or on some chips/OS only; the result says where it fails. */
    PARTIAL,
    /** No probe in the region gave evidence. */
    UNTESTED
}
