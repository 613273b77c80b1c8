package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimDocument;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.claims.Prediction;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClaimSetTest {
    @Test
    void everySeedClaimOfBothVersionsIsThere() throws Exception {
        ClaimSet set = Fixtures.claims();
        Map<String, Claim> byId = new HashMap<>();
        set.claims().forEach(c -> byId.put(c.id(), c));
        // v1's problematic list and layers that work, and what v2 adds.
        Map<String, Set<String>> expected = Map.ofEntries(
                Map.entry("custom-not-ane", Set.of("v1", "v2")),
                Map.entry("rnn-not-ane", Set.of("v1", "v2")),
                Map.entry("gather-not-ane", Set.of("v1", "v2")),
                Map.entry("dilated-conv-not-ane", Set.of("v1", "v2")),
                Map.entry("broadcastable-nd-not-ane", Set.of("v1", "v2")),
                Map.entry("older-layers-ane", Set.of("v1", "v2")),
                Map.entry("deconvolution-ane", Set.of("v1", "v2")),
                Map.entry("upsample-ane", Set.of("v1")),
                Map.entry("channel-broadcast-multiply-not-ane", Set.of("v2")),
                Map.entry("pooling-kernel-gt13-not-ane", Set.of("v2")),
                Map.entry("pooling-stride-gt2-not-ane", Set.of("v2")),
                Map.entry("upsample-scale-gt2-not-ane", Set.of("v2")),
                Map.entry("upsample-scale-le2-ane", Set.of("v2")),
                Map.entry("loadconstantnd-not-ane", Set.of("v2")),
                Map.entry("loadconstant-ane", Set.of("v2")));
        expected.forEach((id, versions) -> {
            Claim c = byId.get(id);
            assertTrue(c != null, "missing claim " + id);
            assertEquals(versions, c.sources().stream().map(s -> s.version()).collect(Collectors.toSet()), id);
            c.sources().forEach(s -> assertEquals("unsupported-layers", s.document()));
        });
        assertEquals("v1, v2", byId.get("rnn-not-ane").sourceLabel());
        for (Claim c : set.claims()) {
            assertFalse(c.text().isBlank());
            if (c.impliedBy() != null) {
                Claim rule = byId.get(c.impliedBy());
                assertTrue(rule.predicted() != c.predicted(), c.id() + " is the complement of " + rule.id());
            }
        }
    }

    @Test
    void fieldNotesClaimsCiteTheirObservationRows() throws Exception {
        ClaimSet set = Fixtures.claims();
        assertEquals(List.of("unsupported-layers", "ane-field-notes"),
                set.documents().stream().map(ClaimDocument::name).toList());
        assertTrue(set.document("unsupported-layers").versioned());
        assertEquals(List.of("v1", "v2"), List.copyOf(set.document("unsupported-layers").versions().keySet()));
        ClaimDocument notes = set.document("ane-field-notes");
        assertFalse(notes.versioned());
        assertTrue(notes.path().startsWith("shared/reference/ane-field-notes.md"), notes.path());
        // Each field-notes claim and the observation rows (section 3 of the notes) it rests on.
        Map<String, Set<Integer>> expected = Map.ofEntries(
                Map.entry("mil-fp32-not-ane", Set.of(29, 32, 34)),
                Map.entry("mil-width-gt16384-not-ane", Set.of(13)),
                Map.entry("mil-matmul-small-not-ane", Set.of(29, 30)),
                Map.entry("mil-matmul-large-ane", Set.of(29)),
                Map.entry("mil-sdpa-small-not-ane", Set.of(32)),
                Map.entry("mil-sdpa-large-ane", Set.of(32)),
                Map.entry("mil-gather-embedding-not-ane", Set.of(18)),
                Map.entry("mil-gather-along-axis-not-ane", Set.of(19, 20)),
                Map.entry("mil-topk-not-ane", Set.of(20)),
                Map.entry("mil-lstm-not-ane", Set.of(26, 27)),
                Map.entry("mil-gru-rnn-not-ane", Set.of(26)),
                Map.entry("mil-scatter-not-ane", Set.of(22)),
                Map.entry("mil-slice-update-not-ane", Set.of(35)),
                Map.entry("mil-int32-cast-not-ane", Set.of(35)),
                Map.entry("mil-resample-not-ane", Set.of(12)),
                Map.entry("mil-select-greater-equal-while-loop-not-ane", Set.of(36)));
        Map<String, Set<Integer>> actual = new HashMap<>();
        for (Claim c : set.claims()) {
            if (c.sources().stream().noneMatch(s -> s.document().equals("ane-field-notes"))) {
                continue;
            }
            Set<Integer> rows = new java.util.TreeSet<>();
            for (var s : c.sources()) {
                assertEquals("ane-field-notes", s.document(), c.id());
                assertEquals(null, s.version(), c.id());
                if (s.item() != null) {
                    rows.add(s.item());
                    assertTrue(s.where().contains("row " + s.item()), c.id() + ": " + s.where());
                }
            }
            actual.put(c.id(), rows);
            assertTrue(c.id().startsWith("mil-"), c.id());
            assertEquals(c.section().equals("works") ? Prediction.ANE : Prediction.NOT_ANE, c.predicted(), c.id());
        }
        assertEquals(expected, actual);
        assertEquals("ane-field-notes #29, #32, #34", byId(set, "mil-fp32-not-ane").sourceLabel());
        // 17 layer claims and 2 device-switching claims of the seed table, and the field-notes ones.
        assertEquals(set.claims().size(), 17 + 2 + expected.size());
        for (String id : List.of("chain-ane-gpu-switch-once", "chain-ane-cpu-switch-repeats")) {
            Claim c = byId(set, id);
            assertEquals("switching", c.section(), id);
            assertTrue(c.predicted().aboutSwitching(), id);
            assertEquals("v1, v2", c.sourceLabel(), id);
        }
    }

    private static Claim byId(ClaimSet set, String id) {
        return set.claims().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aFamilyPatternPutsEveryMatchingFamilyInScope() throws Exception {
        Claim fp32 = byId(Fixtures.claims(), "mil-fp32-not-ane");
        assertTrue(fp32.inScope("mil.conv", "conv"));
        assertTrue(fp32.inScope("mil.scaled_dot_product_attention", "scaled_dot_product_attention"));
        assertTrue(fp32.coversFamily("mil.cast"));
        assertFalse(fp32.inScope("convolution", "convolution"), "a NeuralNetwork family");
        assertFalse(fp32.inScope("milder", "conv"), "the pattern must match the whole name");
        assertEquals("families matching /mil\\..*/", fp32.describeScope());
        ClaimSet one = parse("{\"schema\":2," + DOCS + ",\"claims\":[" + claim("p")
                .replace("\"families\":[\"x\"]", "\"familyPattern\":\"a|b\"") + "]}");
        Claim p = one.claims().get(0);
        assertTrue(p.inScope("a", null) && p.inScope("b", "t"));
        assertFalse(p.inScope("ab", "t"));
        assertThrows(IllegalArgumentException.class, () -> parse("{\"schema\":2," + DOCS + ",\"claims\":["
                + claim("q").replace("\"families\":[\"x\"]", "\"familyPattern\":\"(\"") + "]}"));
    }

    @Test
    void scopesUseFamiliesAndLayerTypePatterns() throws Exception {
        Map<String, Claim> byId = new HashMap<>();
        Fixtures.claims().claims().forEach(c -> byId.put(c.id(), c));
        Claim nd = byId.get("broadcastable-nd-not-ane");
        for (String lt : List.of("addBroadcastable", "multiplyBroadcastable", "concatND", "loadConstantND",
                "softmaxND", "gatherND")) {
            assertTrue(nd.inScope(lt, lt), lt);
        }
        assertFalse(nd.inScope("add", "add"));
        assertFalse(nd.inScope("concat", "concat"));
        assertTrue(byId.get("deconvolution-ane").inScope("deconvolution", "convolution"));
        assertFalse(byId.get("dilated-conv-not-ane").inScope("deconvolution", "convolution"),
                "deconvolution is its own family");
        assertEquals(Prediction.ANE, byId.get("pooling-within-limits-ane").predicted());
    }

    @Test
    void badClaimFilesAreRefusedWithTheClaimNamed() {
        String dup = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("a") + "," + claim("a") + "]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(dup));
        assertTrue(e.getMessage().contains("duplicate id 'a'"), e.getMessage());
        String noScope = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("b").replace("\"families\":[\"x\"],", "")
                + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(noScope));
        assertTrue(e.getMessage().contains("(b)") && e.getMessage().contains("families"), e.getMessage());
        String badPrediction = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("c").replace("NOT_ANE", "SOMETIMES")
                + "]}";
        assertThrows(IllegalArgumentException.class, () -> parse(badPrediction));
        // A switching prediction belongs to the switching section, and that section to switching predictions.
        String switchingElsewhere = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("s1").replace("NOT_ANE",
                "ANE_GPU_AT_MOST_ONCE") + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(switchingElsewhere));
        assertTrue(e.getMessage().contains("(s1): predicted ANE_GPU_AT_MOST_ONCE goes with section 'switching'"),
                e.getMessage());
        String layerInSwitching = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("s2").replace("problematic",
                "switching") + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(layerInSwitching));
        assertTrue(e.getMessage().contains("(s2): predicted NOT_ANE goes with section 'problematic' or 'works'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("{\"schema\":1,\"claims\":[]}"));
        assertTrue(e.getMessage().contains("schema 1 is not supported (expected 2)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> parse("not json"));
    }

    @Test
    void sourcesMustNameAKnownDocumentAndFitItsVersions() throws Exception {
        String unknown = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("a").replace("\"d\"", "\"nope\"") + "]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(unknown));
        assertTrue(e.getMessage().contains("(a)") && e.getMessage().contains("unknown document 'nope'"),
                e.getMessage());
        String badVersion = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("b").replace("\"v1\"", "\"v3\"") + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(badVersion));
        assertTrue(e.getMessage().contains("needs one of its versions [v1, v2]"), e.getMessage());
        String notesSource = "{\"document\":\"n\",\"item\":7,\"where\":\"row 7\"}";
        ClaimSet ok = parse("{\"schema\":2," + DOCS + ",\"claims\":[" + claim("c").replaceFirst(
                "\\{\"document\":\"d\",\"version\":\"v1\",\"where\":\"q\"}", notesSource) + "]}");
        assertEquals(7, ok.claims().get(0).sources().get(0).item());
        assertEquals("n #7", ok.claims().get(0).sourceLabel());
        String versionedNotes = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("d").replaceFirst(
                "\\{\"document\":\"d\",\"version\":\"v1\",", "{\"document\":\"n\",\"version\":\"v1\",") + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(versionedNotes));
        assertTrue(e.getMessage().contains("n has no versions"), e.getMessage());
        String badItem = "{\"schema\":2," + DOCS + ",\"claims\":[" + claim("e").replaceFirst(
                "\\{\"document\":\"d\",\"version\":\"v1\",\"where\":\"q\"}", notesSource.replace("7", "0")) + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(badItem));
        assertTrue(e.getMessage().contains("\"item\" must be a positive whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("{\"schema\":2,\"claims\":[]}"));
        assertTrue(e.getMessage().contains("\"documents\""), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> parse("{\"schema\":2,\"documents\":[{\"name\":\"x\","
                + "\"title\":\"t\"}],\"claims\":[]}"));
        assertTrue(e.getMessage().contains("either \"versions\" or \"path\""), e.getMessage());
    }

    /** A versioned document {@code d} (v1, v2) and an unversioned one {@code n}. */
    private static final String DOCS = "\"documents\":[{\"name\":\"d\",\"title\":\"D\",\"versions\":{\"v1\":\"a\","
            + "\"v2\":\"b\"}},{\"name\":\"n\",\"title\":\"N\",\"path\":\"notes.md\"}]";

    private static String claim(String id) {
        return "{\"id\":\"" + id + "\",\"claim\":\"t\",\"section\":\"problematic\",\"sources\":[{\"document\":\"d\","
                + "\"version\":\"v1\",\"where\":\"q\"}],\"families\":[\"x\"],\"predicted\":\"NOT_ANE\"}";
    }

    private static ClaimSet parse(String s) throws Exception {
        return ClaimSet.parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
