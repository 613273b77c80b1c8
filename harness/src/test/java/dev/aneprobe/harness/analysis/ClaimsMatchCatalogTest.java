package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import org.junit.jupiter.api.Test;

/** Every claim is about probes the catalog actually generates: its families exist and some probe is in scope. */
class ClaimsMatchCatalogTest {
    @Test
    void everyClaimNamesRealFamiliesAndCoversSomeProbe() {
        Catalog catalog = Catalog.standard();
        for (Claim c : ClaimSet.bundled().claims()) {
            for (String f : c.families()) {
                assertTrue(catalog.family(f) != null, c.id() + " names unknown family " + f);
            }
            boolean covered = false;
            for (ProbeFamily f : catalog.families()) {
                for (String t : f.layerTypes()) {
                    covered |= c.inScope(f.name(), t);
                }
            }
            assertTrue(covered, c.id() + " is about no layer the catalog probes");
        }
    }
}
