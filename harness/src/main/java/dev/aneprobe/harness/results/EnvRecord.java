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
 * @param gitCommit the commit the harness was built from ("-dirty" appended when the checkout had uncommitted
 *     changes), when known
 * @param jvm e.g. "Eclipse Adoptium 17.0.15 (aarch64)"
 * @param profile the probe profile swept
 * @param arguments the sweep's command-line arguments, path values replaced by {@code <path>}
 * @param shard "i/n" when the run is one shard of a sweep
 * @param catalogHash {@code CatalogHash} of the aneprobe that ran the sweep: which catalog version made the probes
 * @param units the compute-units settings the run measures, in run order
 * @param simulation set when the run was made against a simulated Core ML ({@code sweep --simulate}): such a run is
 *     calibration, never evidence; null for a run on a real Mac
 */
public record EnvRecord(int schema, String runId, String startedAt, HostInfo host, String harnessVersion,
        String gitCommit, String jvm, String profile, List<String> arguments, String shard, String catalogHash,
        List<ComputeUnits> units, Simulation simulation) {
    public static final int SCHEMA = 1;

    public EnvRecord {
        arguments = arguments == null ? List.of() : List.copyOf(arguments);
        units = units == null ? List.of() : List.copyOf(units);
    }

    /** A run on a real Mac without catalog hash and units (runs made before they were recorded, tests). */
    public EnvRecord(int schema, String runId, String startedAt, HostInfo host, String harnessVersion,
            String gitCommit, String jvm, String profile, List<String> arguments, String shard) {
        this(schema, runId, startedAt, host, harnessVersion, gitCommit, jvm, profile, arguments, shard, null, null,
                null);
    }

    /** The sweep option that makes a run adaptive (it searches for boundaries instead of walking the grid). */
    public static final String ADAPTIVE_OPTION = "--adaptive";

    /**
     * True for a run of {@code sweep --adaptive}: its arguments say so. Its lines are ordinary measurements; their
     * search steps say which axes it searched, and the report shows which grid cells it measured and which it inferred.
     */
    public boolean adaptive() {
        return arguments.contains(ADAPTIVE_OPTION);
    }

    /** True for a run made against a simulated Core ML. */
    public boolean simulated() {
        return simulation != null;
    }

    /**
     * What simulated the device.
     *
     * @param simulated always true (so a reader that sees only this object cannot mistake it)
     * @param deviceModel the device model's name
     * @param sha256 the sha256 of the device-model file
     * @param shipped true for a device model shipped with aneprobe
     */
    public record Simulation(boolean simulated, String deviceModel, String sha256, boolean shipped) {
    }
}
