package dev.aneprobe.harness.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.testutil.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predicted placement before and after a rewrite, read from a SIMULATED sweep (seed-v2, which plants the seed
 * document's v2 table: broadcastable and ND layers off the ANE, the original layers on it): lint of the original
 * model and of the rewritten one over the same run. The quick probes measure other shapes than this model's, so
 * the placements come from the claims, in the simulated chip's column; the sweep is what gives lint that column.
 */
class RewritePlacementTest {
    @TempDir
    Path tmp;

    @Test
    void aSimulatedSweepShowsTheRewrittenLayersMoveToTheAne() throws Exception {
        Path model = Files.write(tmp.resolve("chain.mlmodel"), SurgeryModels.chain().toByteArray());
        Path rewritten = tmp.resolve("chain-ane.mlmodel");
        Cli.Run rewrite = Cli.run("rewrite", model.toString(), "--out", rewritten.toString());
        assertEquals(0, rewrite.exit(), rewrite.err());
        Path out = tmp.resolve("sim");
        Cli.Run sweep = Cli.run("sweep", "--simulate", "seed-v2", "--profile", "quick", "--family",
                "multiplyBroadcastable,addBroadcastable,binaryBroadcastable,concatND,loadConstantND,scaleBias,"
                        + "activation,add,concat", "--out", out.toString(), "--iterations", "8", "--warmup", "0",
                "--quiet");
        assertEquals(0, sweep.exit(), sweep.err());
        String claims = Fixtures.repo().resolve("results/claims/claims.json").toString();
        Cli.Run before = Cli.run("lint", model.toString(), "--runs", out.resolve("raw").toString(), "--claims",
                claims);
        Cli.Run after = Cli.run("lint", rewritten.toString(), "--runs", out.resolve("raw").toString(), "--claims",
                claims);
        assertEquals(0, before.exit(), before.err());
        assertEquals(0, after.exit(), after.err());
        String column = "  on SIMULATED Apple M2 [seed-v2] / macOS 14.5:\n";
        assertTrue(before.out().contains(column), before.out());
        assertTrue(after.out().contains(column), after.out());
        // Before: every broadcastable/ND layer is expected off the ANE; after: their replacements on it, and the
        // linear activations (covered by no claim or measured probe) unknown rather than promised.
        assertTrue(before.out().contains("summary: 7 layers: 0 on the ANE, 6 off it, 1 unknown;"), before.out());
        assertTrue(after.out().contains("summary: 6 layers: 3 on the ANE, 0 off it, 3 unknown;"), after.out());
        assertTrue(after.out().contains("ANE      claimed, untested            layer 'aux_cat'  [concat "),
                after.out());
    }
}
