package dev.aneprobe.harness.analysis.claims;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A document claims come from: the seed table (in two versions) or the field notes (one text whose observations are
 * numbered). A document has either named versions, each with its own location, or a single location.
 *
 * @param name short name that sources refer to, e.g. {@code unsupported-layers}
 * @param title the document's title, in our words where it has none
 * @param versions version name to location and description, in file order; empty for a document without versions
 * @param path where the document is (relative to the repository's parent), for a document without versions; else
 *     null
 */
public record ClaimDocument(String name, String title, Map<String, String> versions, String path) {
    public ClaimDocument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(title, "title");
        versions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }

    /** True when sources must name one of the document's versions. */
    public boolean versioned() {
        return !versions.isEmpty();
    }
}
