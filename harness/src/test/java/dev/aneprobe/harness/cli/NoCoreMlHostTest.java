package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import dev.aneprobe.harness.testutil.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** On a host without Core ML, sweep and devices refuse with one line and exit 2 (a real child JVM, no override). */
@DisabledOnOs(OS.MAC)
class NoCoreMlHostTest {
    @TempDir
    Path dir;

    private void refuses(String... args) throws Exception {
        ChildJvm.Done d = ChildJvm.run(ChildJvm.cli(false, dir, args));
        assertEquals(ExitCodes.BAD_INPUT, d.exit(), d.err());
        assertEquals("", d.out());
        String err = d.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("aneprobe: 'aneprobe " + args[0] + "' needs Core ML: macOS 13 or later"), err);
        assertTrue(err.contains(System.getProperty("os.name")), err);
        assertTrue(err.endsWith("'generate', 'check' and 'report' work here."), err);
    }

    @Test
    void sweepExplainsWhatItNeeds() throws Exception {
        refuses("sweep", "--probes", dir.toString());
    }

    @Test
    void devicesExplainsWhatItNeeds() throws Exception {
        refuses("devices");
    }

    @Test
    void theTestsThemselvesUseTheOverride() {
        assertTrue(NativeLibraryLocator.override().isPresent());
    }
}
