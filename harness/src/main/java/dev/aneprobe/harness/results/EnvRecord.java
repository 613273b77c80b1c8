package dev.aneprobe.harness.results;

import java.util.List;

/**
 * {@code results/raw/<run-id>/env.json}: the environment header of a run.
 *
 * @param schema record schema version
 * @param runId the run's id (also its directory name)
 * @param startedAt ISO-8601 instant
 * @param host the machine
 * @param harnessVersion aneprobe's version
 * @param gitCommit the commit the harness was built from, when known
 * @param jvm e.g. "Eclipse Adoptium 17.0.15 (aarch64)"
 * @param profile the probe profile swept
 * @param arguments the sweep's command-line arguments
 * @param shard "i/n" when the run is one shard of a sweep
 */
public record EnvRecord(int schema, String runId, String startedAt, HostInfo host, String harnessVersion,
        String gitCommit, String jvm, String profile, List<String> arguments, String shard) {
    public static final int SCHEMA = 1;

    public EnvRecord {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
    }
}
