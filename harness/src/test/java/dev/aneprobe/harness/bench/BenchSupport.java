package dev.aneprobe.harness.bench;

import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the C test double for benchmarks (run from the harness module directory by the bench profile). */
final class BenchSupport {
    private BenchSupport() {
    }

    static String doubleLibrary() {
        String p = System.getProperty(NativeLibraryLocator.PROPERTY);
        if (p == null || p.isBlank()) {
            p = Path.of("target", "native-test", "libaneprobe-double.so").toAbsolutePath().toString();
        }
        if (!Files.exists(Path.of(p))) {
            throw new IllegalStateException("test double not built at " + p + "; run the bench profile with test-compile");
        }
        return p;
    }
}
