package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.rewrite.SurgeryModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lint marks each layer a rewrite would move to the ANE, with the rule, in text and JSON. */
class LintRewriteTest {
    @TempDir
    Path tmp;

    @Test
    void layersARewriteMovesToTheAneAreMarked() throws IOException {
        Path model = Files.write(tmp.resolve("chain.mlmodel"), SurgeryModels.chain().toByteArray());
        String claims = Fixtures.repo().resolve("results/claims/claims.json").toString();
        CliRunner.Result r = CliRunner.run("lint", model.toString(), "--claims", claims);
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("layer 'aux_mul'  [multiplyBroadcastable b=Cx1x1,operand=constant,order=xFirst,"
                + "in=1x4x3x5]\n"
                + "             claim broadcastable-nd-not-ane (v1, v2), channel-broadcast-multiply-not-ane (v2)\n"
                + "             rewrite: multiply-broadcastable -> scale (scale [4]) (expected on the ANE: claimed, "
                + "untested)\n"), r.out());
        assertTrue(r.out().contains("             rewrite: folded into the replacement of layer 'aux_mul': "
                + "multiply-broadcastable -> scale (scale [4])"), r.out());
        assertTrue(r.out().contains("             rewrite: concat-nd -> concat (expected on the ANE: claimed, "
                + "untested)\n"), r.out());
        // The linear activation a subtract or an add becomes is covered by no claim: no promise is made.
        assertEquals(3, r.out().split("rewrite: ", -1).length - 1, r.out());
        CliRunner.Result j = CliRunner.run("lint", model.toString(), "--claims", claims, "--json");
        JsonNode layers = new ObjectMapper().readTree(j.out()).get("models").get(0).get("columns").get(0)
                .get("layers");
        assertEquals("multiply-broadcastable -> scale (scale [4]) (expected on the ANE: claimed, untested)",
                layers.get(1).get("rewrite").asText());
        assertTrue(!layers.get(2).has("rewrite"), layers.get(2).toString()); // absent when none
    }
}
