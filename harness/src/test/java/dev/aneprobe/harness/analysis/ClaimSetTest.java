package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.Claim;
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
        for (Claim c : set.claims()) {
            assertFalse(c.text().isBlank());
            if (c.impliedBy() != null) {
                Claim rule = byId.get(c.impliedBy());
                assertTrue(rule.predicted() != c.predicted(), c.id() + " is the complement of " + rule.id());
            }
        }
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
        String dup = "{\"schema\":1,\"claims\":[" + claim("a") + "," + claim("a") + "]}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(dup));
        assertTrue(e.getMessage().contains("duplicate id 'a'"), e.getMessage());
        String noScope = "{\"schema\":1,\"claims\":[" + claim("b").replace("\"families\":[\"x\"],", "") + "]}";
        e = assertThrows(IllegalArgumentException.class, () -> parse(noScope));
        assertTrue(e.getMessage().contains("(b)") && e.getMessage().contains("families"), e.getMessage());
        String badPrediction = "{\"schema\":1,\"claims\":[" + claim("c").replace("NOT_ANE", "SOMETIMES") + "]}";
        assertThrows(IllegalArgumentException.class, () -> parse(badPrediction));
        assertThrows(IllegalArgumentException.class, () -> parse("{\"schema\":2,\"claims\":[]}"));
        assertThrows(IllegalArgumentException.class, () -> parse("not json"));
    }

    private static String claim(String id) {
        return "{\"id\":\"" + id + "\",\"claim\":\"t\",\"section\":\"problematic\",\"sources\":[{\"document\":\"d\","
                + "\"version\":\"v1\",\"where\":\"q\"}],\"families\":[\"x\"],\"predicted\":\"NOT_ANE\"}";
    }

    private static ClaimSet parse(String s) throws Exception {
        return ClaimSet.parse(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
