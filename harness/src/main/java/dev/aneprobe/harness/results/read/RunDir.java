package dev.aneprobe.harness.results.read;

import dev.aneprobe.harness.results.EnvRecord;
import java.nio.file.Path;

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
}
