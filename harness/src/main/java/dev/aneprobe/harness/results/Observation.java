package dev.aneprobe.harness.results;

import java.util.List;
import java.util.Map;

/**
 * One line of {@code observations.jsonl}: one probe run under one compute-unit setting. Append-only; the file is
 * the single source of truth for every published number.
 *
 * <p>Per probe the sweep runs the baselines first (cpu, then gpu), then the Neural-Engine settings (ane, all);
 * only lines whose {@link #units} allow the Neural Engine carry a {@link #verdict}, computed from this line's plan
 * and log and from the dispatch comparison with the same probe's cpu line. A line of an adaptive sweep also carries
 * its {@link #search} step (null on a grid sweep's lines).
 */
public record Observation(
        int schema,
        String runId,
        String probeId,
        String family,
        String layerType,
        Map<String, String> params,
        String modelSha256,
        ComputeUnits units,
        String startedAt,
        List<StageOutcome> stages,
        List<PlanEntry> plan,
        Timing timing,
        List<String> log,
        WorkerFailure failure,
        Verdict verdict,
        SearchStep search) {
    public static final int SCHEMA = 1;

    public Observation {
        params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        stages = stages == null ? List.of() : List.copyOf(stages);
        plan = plan == null ? List.of() : List.copyOf(plan);
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** A line of a grid sweep: no search step. */
    public Observation(int schema, String runId, String probeId, String family, String layerType,
            Map<String, String> params, String modelSha256, ComputeUnits units, String startedAt,
            List<StageOutcome> stages, List<PlanEntry> plan, Timing timing, List<String> log, WorkerFailure failure,
            Verdict verdict) {
        this(schema, runId, probeId, family, layerType, params, modelSha256, units, startedAt, stages, plan, timing,
                log, failure, verdict, null);
    }
}
