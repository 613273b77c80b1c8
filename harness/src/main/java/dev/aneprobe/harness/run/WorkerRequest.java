package dev.aneprobe.harness.run;

import dev.aneprobe.harness.results.ComputeUnits;

/**
 * One request line to a worker (JSON on its stdin).
 *
 * @param op {@code host}, {@code probe} or {@code exit}
 * @param probeId the probe (for messages)
 * @param model absolute path of the .mlmodel / .mlpackage
 * @param sha256 the model's sha256 (the compiled-model cache key)
 * @param units the compute-units setting
 * @param warmup untimed predictions after the cold one
 * @param iterations timed predictions
 * @param cacheDir root of the compiled-model cache
 */
public record WorkerRequest(String op, String probeId, String model, String sha256, ComputeUnits units,
        Integer warmup, Integer iterations, String cacheDir) {
    public static WorkerRequest host() {
        return new WorkerRequest("host", null, null, null, null, null, null, null);
    }

    public static WorkerRequest exit() {
        return new WorkerRequest("exit", null, null, null, null, null, null, null);
    }
}
