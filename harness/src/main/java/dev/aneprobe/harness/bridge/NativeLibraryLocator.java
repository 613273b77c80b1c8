package dev.aneprobe.harness.bridge;

import java.util.Locale;
import java.util.Optional;

/**
 * Decides which native library implements {@code aneprobe.h}.
 *
 * <ol>
 *   <li>The system property {@value #PROPERTY}, else the environment variable {@value #ENV}: a path to a library
 *       (the tests point it at {@code harness/target/native-test/libaneprobe-double.so}, the C test double). The
 *       sweep passes it on to its worker JVMs, so they load the same library.</li>
 *   <li>Otherwise, on macOS, the shim bundled in the jar at {@code darwin-aarch64/libaneprobe.dylib}, found by JNA
 *       under the name {@value #BUNDLED_NAME}.</li>
 *   <li>Otherwise nothing: this host has no Core ML.</li>
 * </ol>
 */
public final class NativeLibraryLocator {
    public static final String PROPERTY = "aneprobe.native.library";
    public static final String ENV = "ANEPROBE_NATIVE_LIBRARY";
    public static final String BUNDLED_NAME = "aneprobe";

    private NativeLibraryLocator() {
    }

    /** The explicit override, when one is set. */
    public static Optional<String> override() {
        String p = System.getProperty(PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv(ENV);
        }
        return p == null || p.isBlank() ? Optional.empty() : Optional.of(p);
    }

    /** True on macOS (where Core ML can exist). */
    public static boolean isMacOs() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac");
    }

    /** What to hand to JNA, or empty when this host has no implementation of the shim. */
    public static Optional<String> locate() {
        Optional<String> o = override();
        if (o.isPresent()) {
            return o;
        }
        return isMacOs() ? Optional.of(BUNDLED_NAME) : Optional.empty();
    }

    /** A one-line description of this host, for messages: "Linux 6.1 (amd64)". */
    public static String hostDescription() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
    }
}
