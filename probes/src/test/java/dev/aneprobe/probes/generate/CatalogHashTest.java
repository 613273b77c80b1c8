package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CatalogHashTest {
    /** The hash the build stored is the hash of these very classes: the build step ran after the last compile. */
    @Test
    void theBuildStoresTheHashOfTheseClasses() throws IOException {
        String stored;
        try (InputStream in = CatalogHash.class.getClassLoader().getResourceAsStream(CatalogHash.RESOURCE)) {
            assertNotNull(in, CatalogHash.RESOURCE + " is missing: probes/pom.xml's catalog-hash step did not run");
            stored = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
        }
        assertTrue(CatalogHash.isHash(stored), stored);
        assertEquals(CatalogHash.compute(Catalog.standard()), stored);
        assertEquals(stored, CatalogHash.current());
    }

    @Test
    void onlyLowerCaseSha256HexIsAHash() {
        assertTrue(CatalogHash.isHash("0123456789abcdef".repeat(4)));
        assertFalse(CatalogHash.isHash("0123456789ABCDEF".repeat(4)));
        assertFalse(CatalogHash.isHash("0123456789abcdef".repeat(4) + "0"));
        assertFalse(CatalogHash.isHash(null));
        assertNotEquals("", CatalogHash.current());
    }
}
