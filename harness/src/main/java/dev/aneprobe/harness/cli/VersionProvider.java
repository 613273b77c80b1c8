package dev.aneprobe.harness.cli;

import picocli.CommandLine;

/** Reports the harness version from the jar manifest (falls back to "dev" when run from classes). */
public final class VersionProvider implements CommandLine.IVersionProvider {
    public static String version() {
        String v = AneprobeCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"aneprobe " + version()};
    }
}
