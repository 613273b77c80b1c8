package dev.aneprobe.harness.analysis.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The claims file ({@code results/claims/claims.json}): every claim of the seed table, in file order. See
 * {@code results/claims/README.md} for the format.
 */
public record ClaimSet(int schema, List<Claim> claims) {
    public static final int SCHEMA = 1;
    /** The copy of results/claims/claims.json bundled into the jar at build time. */
    public static final String BUNDLED = "/dev/aneprobe/harness/claims/claims.json";

    public ClaimSet {
        claims = List.copyOf(claims);
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
            throw new IllegalArgumentException(name + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("claims").isArray()) {
            throw new IllegalArgumentException(name + ": expected an object with a \"claims\" list");
        }
        int schema = root.path("schema").asInt(-1);
        if (schema != SCHEMA) {
            throw new IllegalArgumentException(name + ": schema " + schema + " is not supported (expected "
                    + SCHEMA + ")");
        }
        List<Claim> claims = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode c : root.get("claims")) {
            String where = name + ": claims[" + i++ + "]";
            Claim claim = parseClaim(c, where);
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
        return new ClaimSet(schema, claims);
    }

    private static Claim parseClaim(JsonNode c, String where) {
        String id = text(c, "id", where);
        where = where + " (" + id + ")";
        if (!id.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException(where + ": ids are lower-case words joined by '-'");
        }
        String section = text(c, "section", where);
        if (!section.equals("problematic") && !section.equals("works")) {
            throw new IllegalArgumentException(where + ": section must be 'problematic' or 'works'");
        }
        List<ClaimSource> sources = new ArrayList<>();
        for (JsonNode s : c.path("sources")) {
            sources.add(new ClaimSource(text(s, "document", where), text(s, "version", where),
                    text(s, "where", where)));
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException(where + ": needs at least one source");
        }
        Set<String> families = strings(c.path("families"));
        Set<String> layerTypes = strings(c.path("layerTypes"));
        Pattern pattern = null;
        if (c.hasNonNull("layerTypePattern")) {
            try {
                pattern = Pattern.compile(c.get("layerTypePattern").asText());
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(where + ": layerTypePattern: " + e.getDescription());
            }
        }
        if (families.isEmpty() && layerTypes.isEmpty() && pattern == null) {
            throw new IllegalArgumentException(where + ": needs families, layerTypes or layerTypePattern");
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
            throw new IllegalArgumentException(where + ": predicted must be ANE or NOT_ANE");
        }
        String impliedBy = c.hasNonNull("impliedBy") ? c.get("impliedBy").asText() : null;
        String note = c.hasNonNull("note") ? c.get("note").asText() : null;
        return new Claim(id, text(c, "claim", where), section, sources, impliedBy, families, layerTypes, pattern,
                region, predicted, note);
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
