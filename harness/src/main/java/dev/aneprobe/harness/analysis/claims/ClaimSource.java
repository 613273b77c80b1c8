package dev.aneprobe.harness.analysis.claims;

/**
 * Where a claim comes from.
 *
 * @param document the name of a document in the claims file, e.g. {@code unsupported-layers}
 * @param version the document's version, e.g. {@code v1}; null for a document without versions
 * @param item the number of the item the claim rests on (e.g. a row of the field notes' observation table), or
 *     null
 * @param where where in the document the claim is made (section and list item or row, in our words)
 */
public record ClaimSource(String document, String version, Integer item, String where) {
    /** The source in a few characters: the version ({@code v2}), else the document and item ({@code ane-field-notes #29}). */
    public String label() {
        if (version != null) {
            return item == null ? version : version + " #" + item;
        }
        return item == null ? document : document + " #" + item;
    }
}
