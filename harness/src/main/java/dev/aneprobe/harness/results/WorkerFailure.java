package dev.aneprobe.harness.results;

import java.util.List;

/**
 * Why the worker process did not return a result for a probe.
 *
 * @param kind CRASHED or TIMEOUT
 * @param signal the signal that killed the worker (6 = SIGABRT, 11 = SIGSEGV, 9 = SIGKILL), when known
 * @param exitCode the worker's exit code, when it exited instead
 * @param timeoutSeconds the per-probe timeout that was exceeded (TIMEOUT)
 * @param stderrTail the worker's last stderr lines
 */
public record WorkerFailure(VerdictKind kind, Integer signal, Integer exitCode, Double timeoutSeconds,
        List<String> stderrTail) {
    public WorkerFailure {
        stderrTail = stderrTail == null ? List.of() : List.copyOf(stderrTail);
    }
}
