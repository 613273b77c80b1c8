package dev.aneprobe.harness.results.read;

import dev.aneprobe.harness.results.EnvRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One readable run directory: {@code env.json} (already read and checked) and its {@code observations.jsonl}.
 *
 * @param dir the run directory
 * @param env its environment header
 */
public record RunDir(Path dir, EnvRecord env) {
    public static final String ENV = "env.json";
    public static final String OBSERVATIONS = "observations.jsonl";

    public String runId() {
        return env.runId();
    }

    /** The chip/OS column this run belongs to, e.g. "Apple M1 / macOS 14.5". */
    public String chipOs() {
        return env.host().chipOsKey();
    }

    public Path observations() {
        return dir.resolve(OBSERVATIONS);
    }

    /** The subdirectories of a folder of runs that may be runs (hidden ones left out), in name order. */
    public static List<Path> candidates(Path folder) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path c : ds) {
                if (Files.isDirectory(c) && !c.getFileName().toString().startsWith(".")) {
                    children.add(c);
                }
            }
        }
        children.sort(null);
        return children;
    }
}
