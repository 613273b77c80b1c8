package dev.aneprobe.harness.analysis.claims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One claim, as data: which layers it is about (its scope), which parameter region, and what it predicts there.
 *
 * @param id stable id, used in tables and links
 * @param text the claim in our words, one line
 * @param section {@code problematic} (predicted off the ANE) or {@code works} (predicted on it): where the report
 *     lists it, as the seed table does; {@code switching} for a claim about device switches in multi-layer models,
 *     judged on the chain probes
 * @param sources the documents (and versions or items) that make the claim
 * @param impliedBy for a claim a source only implies (the complement of a rule), the id of that rule; else null
 * @param families probe families in scope
 * @param familyPattern a regular expression over the family name (e.g. {@code mil\..*}: every ML Program family), or
 *     null
 * @param layerTypes layer types in scope
 * @param layerTypePattern a regular expression over the layer type, or null
 * @param region the parameter region within the scope
 * @param predicted the predicted outcome in the region
 * @param note anything a reader should know about how the claim was turned into data, or null
 */
public record Claim(String id, String text, String section, List<ClaimSource> sources, String impliedBy,
        Set<String> families, Pattern familyPattern, Set<String> layerTypes, Pattern layerTypePattern, Region region,
        Prediction predicted, String note) {
    /** The section of the claims about device switching (predictions {@link Prediction#aboutSwitching()}). */
    public static final String SWITCHING = "switching";

    public Claim {
        sources = List.copyOf(sources);
        families = Set.copyOf(families);
        layerTypes = Set.copyOf(layerTypes);
    }

    /** True when the probe's layer is one the claim talks about. */
    public boolean inScope(String family, String layerType) {
        return coversFamily(family)
                || (layerType != null && layerTypes.contains(layerType))
                || (layerType != null && layerTypePattern != null && layerTypePattern.matcher(layerType).matches());
    }

    /** True when the claim names the family, or the family matches its family pattern. */
    public boolean coversFamily(String family) {
        return family != null && (families.contains(family)
                || (familyPattern != null && familyPattern.matcher(family).matches()));
    }

    /** The family pattern as the tables print it ({@code /mil\..*\/}), or null. */
    public String familyPatternLabel() {
        return familyPattern == null ? null : "/" + familyPattern.pattern() + "/";
    }

    /**
     * The sources in a few characters, document by document: the versions of a versioned document ("v1, v2"), the
     * document and its items otherwise ("ane-field-notes #29, #32").
     */
    public String sourceLabel() {
        Map<String, List<ClaimSource>> byDocument = new LinkedHashMap<>();
        sources.forEach(s -> byDocument.computeIfAbsent(s.document(), k -> new ArrayList<>()).add(s));
        List<String> parts = new ArrayList<>();
        byDocument.forEach((document, list) -> {
            if (list.stream().allMatch(s -> s.version() != null)) {
                parts.add(String.join(", ", new TreeSet<>(list.stream().map(ClaimSource::label).toList())));
                return;
            }
            TreeSet<Integer> items = new TreeSet<>();
            list.forEach(s -> {
                if (s.item() != null) {
                    items.add(s.item());
                }
            });
            List<String> numbers = new ArrayList<>();
            items.forEach(i -> numbers.add("#" + i));
            parts.add(items.isEmpty() ? document : document + " " + String.join(", ", numbers));
        });
        return String.join("; ", parts);
    }

    /** The scope in words: "pooling", "families matching /mil\..*\/", "layer types matching /.*ND/". */
    public String describeScope() {
        TreeSet<String> names = new TreeSet<>(families);
        names.addAll(layerTypes);
        List<String> parts = new ArrayList<>(names);
        if (familyPattern != null) {
            parts.add("families matching " + familyPatternLabel());
        }
        if (layerTypePattern != null) {
            parts.add("layer types matching /" + layerTypePattern.pattern() + "/");
        }
        return String.join(", ", parts);
    }
}
