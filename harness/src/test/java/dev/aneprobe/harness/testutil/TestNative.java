package dev.aneprobe.harness.testutil;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test access to the C test double and to this process's environment (which the double reads at every call). */
public final class TestNative {
    private TestNative() {
    }

    /** Path of the compiled test double (set by surefire from harness/pom.xml). */
    public static String doubleLibrary() {
        String p = System.getProperty(NativeLibraryLocator.PROPERTY);
        if (p == null || !Files.exists(Path.of(p))) {
            throw new IllegalStateException("the test double is not built: " + p + " (run the tests through Maven)");
        }
        return p;
    }

    interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    private static final LibC LIBC = Native.load("c", LibC.class);

    /** Sets an environment variable of this very process (for the double's getenv), until the returned handle closes. */
    public static AutoCloseable env(String name, String value) {
        LIBC.setenv(name, value, 1);
        return () -> LIBC.unsetenv(name);
    }

    /** Writes a double "model": directives, one per line. */
    public static Path model(Path dir, String name, String... directives) throws java.io.IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, String.join("\n", directives) + "\n");
        return p;
    }
}
