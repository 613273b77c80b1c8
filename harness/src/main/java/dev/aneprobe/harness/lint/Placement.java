package dev.aneprobe.harness.lint;

import java.util.List;

/**
 * Where one layer is expected to run on one chip/OS, on what grounds, and why.
 *
 * @param where the expected placement
 * @param basis what the expectation rests on
 * @param reason the grounds in words: the deciding probe and run, or the claims and their sources
 * @param probes the deciding probe ids (measured, beyond a measured threshold), else empty
 * @param claims the deciding claim ids (claimed, or claims that disagree), else empty
 */
public record Placement(Where where, Basis basis, String reason, List<String> probes, List<String> claims) {
    public Placement {
        probes = List.copyOf(probes);
        claims = List.copyOf(claims);
    }

    /** The expected placement. */
    public enum Where {
        /** Entirely on the Neural Engine. */
        ANE,
        /** Not on the Neural Engine (CPU or GPU). */
        NOT_ANE,
        /** Partly on the Neural Engine, partly elsewhere. */
        SPLIT,
        /** Nothing says. */
        UNKNOWN;

        /** True for NOT_ANE and SPLIT: the layer leaves the Neural Engine, at least in part. */
        public boolean offAne() {
            return this == NOT_ANE || this == SPLIT;
        }
    }

    /** What the expectation rests on, from strongest to weakest. */
    public enum Basis {
        /** A probe with exactly these axis values was measured on this chip/OS. */
        MEASURED("measured"),
        /** The value lies on one side of a boundary measured on this chip/OS (the other axes equal). */
        BEYOND_THRESHOLD("beyond a measured threshold"),
        /** Not measured: what the claims say. */
        CLAIMED("claimed, untested"),
        /** Neither measured nor claimed. */
        UNKNOWN("unknown");

        private final String words;

        Basis(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }
}
