package dev.aneprobe.harness.analysis.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.JsonProblems;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The claims file ({@code results/claims/claims.json}): the documents claims come from, and every claim, in file
 * order. See {@code results/claims/README.md} for the format.
 */
public record ClaimSet(int schema, List<ClaimDocument> documents, List<Claim> claims) {
    public static final int SCHEMA = 2;
    /** The copy of results/claims/claims.json bundled into the jar at build time. */
    public static final String BUNDLED = "/dev/aneprobe/harness/claims/claims.json";

    public ClaimSet {
        documents = List.copyOf(documents);
        claims = List.copyOf(claims);
    }

    /** The document of that name, or null. */
    public ClaimDocument document(String name) {
        for (ClaimDocument d : documents) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    public static ClaimSet load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** The claims bundled into the jar (a copy of results/claims/claims.json made at build time). */
    public static ClaimSet bundled() {
        try (InputStream in = ClaimSet.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the jar has no bundled " + BUNDLED);
            }
            return parse(in, "bundled claims.json");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled claims.json", e);
        }
    }

    /** Parses and checks a claims file; any mistake is an {@link IllegalArgumentException} naming the claim. */
    public static ClaimSet parse(InputStream in, String name) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(in);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": " + JsonProblems.notJson(e, true));
        }
        if (root == null || !root.isObject() || !root.path("claims").isArray()) {
            throw new IllegalArgumentException(name + ": expected an object with a \"claims\" list");
        }
        int schema = root.path("schema").asInt(-1);
        if (schema != SCHEMA) {
            throw new IllegalArgumentException(name + ": schema " + schema + " is not supported (expected "
                    + SCHEMA + ")");
        }
        List<ClaimDocument> documents = parseDocuments(root.get("documents"), name);
        Map<String, ClaimDocument> byName = new HashMap<>();
        documents.forEach(d -> byName.put(d.name(), d));
        List<Claim> claims = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode c : root.get("claims")) {
            String where = name + ": claims[" + i++ + "]";
            Claim claim = parseClaim(c, where, byName);
            if (!ids.add(claim.id())) {
                throw new IllegalArgumentException(where + ": duplicate id '" + claim.id() + "'");
            }
            claims.add(claim);
        }
        for (Claim c : claims) {
            if (c.impliedBy() != null && !ids.contains(c.impliedBy())) {
                throw new IllegalArgumentException(name + ": claim '" + c.id() + "' is impliedBy unknown claim '"
                        + c.impliedBy() + "'");
            }
        }
        return new ClaimSet(schema, documents, claims);
    }

    /** The "documents" list: each has a name, a title and either "versions" (name to location) or a "path". */
    private static List<ClaimDocument> parseDocuments(JsonNode node, String name) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(name + ": expected a non-empty \"documents\" list");
        }
        List<ClaimDocument> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode d : node) {
            String where = name + ": documents[" + i++ + "]";
            String docName = text(d, "name", where);
            where = where + " (" + docName + ")";
            if (!names.add(docName)) {
                throw new IllegalArgumentException(where + ": duplicate document name");
            }
            Map<String, String> versions = new LinkedHashMap<>();
            JsonNode v = d.get("versions");
            if (v != null && !v.isNull()) {
                if (!v.isObject() || v.isEmpty()) {
                    throw new IllegalArgumentException(where + ": \"versions\" must map version names to locations");
                }
                v.fields().forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asText()));
            }
            String path = d.hasNonNull("path") ? text(d, "path", where) : null;
            if (versions.isEmpty() == (path == null)) {
                throw new IllegalArgumentException(where + ": needs either \"versions\" or \"path\", not both");
            }
            out.add(new ClaimDocument(docName, text(d, "title", where), versions, path));
        }
        return out;
    }

    private static ClaimSource parseSource(JsonNode s, String where, Map<String, ClaimDocument> documents) {
        String document = text(s, "document", where);
        ClaimDocument d = documents.get(document);
        if (d == null) {
            throw new IllegalArgumentException(where + ": source names unknown document '" + document + "'");
        }
        String version = s.hasNonNull("version") ? text(s, "version", where) : null;
        if (d.versioned() && (version == null || !d.versions().containsKey(version))) {
            throw new IllegalArgumentException(where + ": a source in " + document + " needs one of its versions "
                    + d.versions().keySet());
        }
        if (!d.versioned() && version != null) {
            throw new IllegalArgumentException(where + ": " + document + " has no versions (version '" + version
                    + "')");
        }
        Integer item = null;
        if (s.has("item")) {
            JsonNode n = s.get("item");
            if (!n.isInt() || n.asInt() < 1) {
                throw new IllegalArgumentException(where + ": \"item\" must be a positive whole number");
            }
            item = n.asInt();
        }
        return new ClaimSource(document, version, item, text(s, "where", where));
    }

    private static Claim parseClaim(JsonNode c, String where, Map<String, ClaimDocument> documents) {
        String id = text(c, "id", where);
        where = where + " (" + id + ")";
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(where + ": ids are lower-case words joined by '-'");
        }
        String section = text(c, "section", where);
        if (!section.equals("problematic") && !section.equals("works") && !section.equals(Claim.SWITCHING)) {
            throw new IllegalArgumentException(where + ": section must be 'problematic', 'works' or 'switching'");
        }
        List<ClaimSource> sources = new ArrayList<>();
        for (JsonNode s : c.path("sources")) {
            sources.add(parseSource(s, where, documents));
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(where + ": needs at least one source");
        }
        Set<String> families = strings(c.path("families"));
        Pattern familyPattern = pattern(c, "familyPattern", where);
        Set<String> layerTypes = strings(c.path("layerTypes"));
        Pattern pattern = pattern(c, "layerTypePattern", where);
        if (families.isEmpty() && familyPattern == null && layerTypes.isEmpty() && pattern == null) {
            throw new IllegalArgumentException(where
                    + ": needs families, familyPattern, layerTypes or layerTypePattern");
        }
        Region region;
        try {
            region = Region.parse(c.get("region"), where + ": region");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage()
                    : where + ": region: " + e.getMessage());
        }
        Prediction predicted;
        try {
            predicted = Prediction.valueOf(text(c, "predicted", where).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": predicted must be ANE, NOT_ANE, ANE_GPU_AT_MOST_ONCE or "
                    + "ANE_CPU_REPEATS");
        }
        // A switching prediction is judged on chain probes only, and a chain is judged on switching claims only.
        if (predicted.aboutSwitching() != section.equals(Claim.SWITCHING)) {
            throw new IllegalArgumentException(where + ": predicted " + predicted + " goes with section '"
                    + (predicted.aboutSwitching() ? Claim.SWITCHING : "problematic' or 'works") + "'");
        }
        String impliedBy = c.hasNonNull("impliedBy") ? c.get("impliedBy").asText() : null;
        String note = c.hasNonNull("note") ? c.get("note").asText() : null;
        return new Claim(id, text(c, "claim", where), section, sources, impliedBy, families, familyPattern,
                layerTypes, pattern, region, predicted, note);
    }

    private static Pattern pattern(JsonNode c, String field, String where) {
        if (!c.hasNonNull(field)) {
            return null;
        }
        try {
            return Pattern.compile(c.get(field).asText());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(where + ": " + field + ": " + e.getDescription());
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": missing \"" + field + "\"");
        }
        return v.asText();
    }

    private static Set<String> strings(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }
}
