package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.testutil.ChildJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** macOS older than 13 (the double reporting 12.7) is refused after the worker read the host. */
class OldMacOsTest {
    @TempDir
    Path dir;

    @Test
    void devicesAndSweepRefuseMacOs12() throws Exception {
        for (String[] args : new String[][] {{"devices"}, {"sweep", "--probes", "."}}) {
            ProcessBuilder pb = ChildJvm.cli(true, dir, args);
            pb.environment().put("ANEPROBE_DOUBLE_OS", "12.7");
            if (args.length > 1) {
                new dev.aneprobe.harness.testutil.Probes().add("pooling/a").write(dir);
            }
            ChildJvm.Done d = ChildJvm.run(pb);
            assertEquals(2, d.exit(), d.err());
            assertTrue(d.err().contains("this Mac runs macOS 12.7"), d.err());
            assertEquals(1, d.err().strip().lines().count(), d.err());
        }
    }
}
