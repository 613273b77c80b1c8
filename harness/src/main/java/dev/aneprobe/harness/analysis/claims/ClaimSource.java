package dev.aneprobe.harness.analysis.claims;

/**
 * Where a claim comes from.
 *
 * @param document the seed document's name, e.g. {@code unsupported-layers}
 * @param version the document's version, e.g. {@code v1}
 * @param where where in the document the claim is made (section and list item, in our words)
 */
public record ClaimSource(String document, String version, String where) {
}
