package dev.aneprobe.harness.analysis.claims;

/**
 * Where a claim comes from.
 *
 * @param document the seed document's name, e.g. {@code unsupported-layers}
 * @param version the document's version, e.g. {@code v1}
 * @param quote the words the claim paraphrases, as the document has them
 */
public record ClaimSource(String document, String version, String quote) {
}
