package dev.aneprobe.harness.analysis.claims;

import dev.aneprobe.harness.results.VerdictKind;
import java.util.List;
import java.util.Map;

/**
 * A claim's verdict over every chip/OS.
 *
 * @param claim the claim
 * @param status the overall verdict
 * @param summary one line: where it holds and where it fails
 * @param columns one entry per chip/OS measured, in column order
 */
public record ClaimResult(Claim claim, ClaimStatus status, String summary, List<Column> columns) {
    public ClaimResult {
        columns = List.copyOf(columns);
    }

    /**
     * A claim's verdict on one chip/OS.
     *
     * @param chipOs the column
     * @param status the verdict there
     * @param probes probes in the region (with or without evidence)
     * @param supporting probes whose evidence agrees with the prediction
     * @param contradicting probes whose evidence contradicts it
     * @param disputed probes whose repeated measurements disagree (they count against CONFIRMED and REFUTED)
     * @param evidence evidential observations (ANE, NOT_ANE, SPLIT lines) behind the verdict
     * @param split SPLIT observations among them (part on the ANE, part elsewhere: counted as "not on the ANE")
     * @param noEvidence observations in the region that say nothing about placement, by verdict
     * @param where where the claim fails (PARTIAL), or null
     * @param deciding the probe ids that decide the verdict: every contradicting and disputed probe first (up to a
     *     limit), then examples of supporting ones
     * @param more how many deciding probes were left out of {@code deciding}
     */
    public record Column(String chipOs, ClaimStatus status, int probes, int supporting, int contradicting,
            int disputed, long evidence, long split, Map<VerdictKind, Long> noEvidence, String where,
            List<String> deciding, int more) {
        public Column {
            noEvidence = Map.copyOf(noEvidence);
            deciding = List.copyOf(deciding);
        }

        /**
         * The column's verdict and counts as an ordered map, the part every output format shares (JSON for
         * {@code claims --json}, the HTML page's data); each format adds its own view of the rest.
         */
        public java.util.LinkedHashMap<String, Object> countsAsMap() {
            java.util.LinkedHashMap<String, Object> x = new java.util.LinkedHashMap<>();
            x.put("chipOs", chipOs);
            x.put("status", status.name());
            x.put("probes", probes);
            x.put("supporting", supporting);
            x.put("contradicting", contradicting);
            x.put("disputed", disputed);
            x.put("evidence", evidence);
            x.put("split", split);
            return x;
        }

        public long noEvidenceTotal() {
            long n = 0;
            for (long v : noEvidence.values()) {
                n += v;
            }
            return n;
        }
    }
}
