package dev.aneprobe.harness.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The harness version and the git commit it was built from, as the build recorded them in
 * {@code dev/aneprobe/harness/build.properties} (harness/pom.xml, execution build-info). Classes compiled outside
 * Maven have no such file: the version is then "dev" and the commit unknown.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {
    private static final Properties BUILD = load();

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/dev/aneprobe/harness/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: "dev", commit unknown
        }
        return p;
    }

    public static String version() {
        String v = BUILD.getProperty("version");
        if (v == null || v.isBlank()) {
            v = AneprobeCommand.class.getPackage().getImplementationVersion();
        }
        return v == null || v.isBlank() ? "dev" : v;
    }

    /**
     * The 40-hex commit the harness was built from, with "-dirty" when the checkout had uncommitted changes to
     * tracked files; null when unknown. The system property {@code aneprobe.git.commit} overrides it.
     */
    public static String gitCommit() {
        String c = System.getProperty("aneprobe.git.commit");
        if (c == null || c.isBlank()) {
            c = BUILD.getProperty("gitCommit");
        }
        return c == null || c.isBlank() ? null : c.strip();
    }

    @Override
    public String[] getVersion() {
        String commit = gitCommit();
        return new String[] {"aneprobe " + version() + (commit == null ? "" : " (commit " + commit + ")")};
    }
}
