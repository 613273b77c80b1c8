package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import dev.aneprobe.harness.run.WorkerMessage;
import java.util.Locale;

/**
 * What {@code sweep} and {@code devices} need from the host, and the one-line refusals when it is missing: Core ML
 * (macOS 13 or later) through the native shim, which is bundled for Apple silicon. Tests and other builds of the
 * shim bypass the platform check with {@code -Daneprobe.native.library=PATH} (or {@code ANEPROBE_NATIVE_LIBRARY}).
 */
final class CoreMlHost {
    static final int MIN_MACOS = 13;
    static final String BUNDLED_RESOURCE = "darwin-aarch64/libaneprobe.dylib";

    private CoreMlHost() {
    }

    private static String needs(String command, String what) {
        return "'aneprobe " + command + "' needs Core ML: macOS " + MIN_MACOS
                + " or later on a Mac (Apple silicon for the Neural Engine); " + what
                + ". 'generate', 'check' and 'report' work here.";
    }

    /** Refuses before starting anything when this JVM cannot have the shim. */
    static void requireShim(String command) {
        if (NativeLibraryLocator.override().isPresent()) {
            return;
        }
        if (!NativeLibraryLocator.isMacOs()) {
            throw new UserInputException(needs(command, "this host is " + NativeLibraryLocator.hostDescription()));
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        boolean arm = arch.equals("aarch64") || arch.equals("arm64");
        if (!arm || CoreMlHost.class.getClassLoader().getResource(BUNDLED_RESOURCE) == null) {
            throw new UserInputException(needs(command, "this jar has no native shim for "
                    + NativeLibraryLocator.hostDescription() + " (build it on an Apple silicon Mac with Xcode's "
                    + "command line tools, see docs/sweep.md)"));
        }
    }

    /** Refuses a host whose macOS is too old, from the worker's host answer. */
    static void requireMacOs(String command, WorkerMessage host) {
        if (host.osMajor() != null && host.osMajor() < MIN_MACOS) {
            throw new UserInputException(needs(command, "this Mac runs macOS " + host.host().osVersion()));
        }
    }
}
