package dev.aneprobe.harness.analysis.claims;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One claim of the seed table, as data: which layers it is about (its scope), which parameter region, and what it
 * predicts there.
 *
 * @param id stable id, used in tables and links
 * @param text the claim in our words, one line
 * @param section {@code problematic} or {@code works}: where the seed table lists it
 * @param sources the document versions that make the claim
 * @param impliedBy for a claim the table only implies (the complement of a rule), the id of that rule; else null
 * @param families probe families in scope
 * @param layerTypes layer types in scope
 * @param layerTypePattern a regular expression over the layer type, or null
 * @param region the parameter region within the scope
 * @param predicted the predicted outcome in the region
 * @param note anything a reader should know about how the claim was turned into data, or null
 */
public record Claim(String id, String text, String section, List<ClaimSource> sources, String impliedBy,
        Set<String> families, Set<String> layerTypes, Pattern layerTypePattern, Region region,
        Prediction predicted, String note) {
    public Claim {
        sources = List.copyOf(sources);
        families = Set.copyOf(families);
        layerTypes = Set.copyOf(layerTypes);
    }

    /** True when the probe's layer is one the claim talks about. */
    public boolean inScope(String family, String layerType) {
        return families.contains(family)
                || (layerType != null && layerTypes.contains(layerType))
                || (layerType != null && layerTypePattern != null && layerTypePattern.matcher(layerType).matches());
    }

    /** The versions that make the claim, e.g. "v1, v2". */
    public String versions() {
        return String.join(", ", sources.stream().map(ClaimSource::version).distinct().sorted().toList());
    }

    /** The scope in words: "pooling", "layer types matching /.*ND/". */
    public String describeScope() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>(families);
        names.addAll(layerTypes);
        List<String> parts = new java.util.ArrayList<>(names);
        if (layerTypePattern != null) {
            parts.add("layer types matching /" + layerTypePattern.pattern() + "/");
        }
        return String.join(", ", parts);
    }
}
