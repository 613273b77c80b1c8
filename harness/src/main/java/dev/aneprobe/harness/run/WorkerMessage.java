package dev.aneprobe.harness.run;

import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import java.util.List;

/**
 * One message line from a worker: {@link WorkerProtocol#PREFIX} followed by this record as JSON, on its stdout.
 * A probe request yields {@code begin}/{@code stage} pairs, one per stage, then {@code done}; a stage's results are
 * sent as soon as the stage ends, so a worker that dies later still leaves them behind.
 *
 * @param type {@code ready}, {@code host}, {@code begin}, {@code stage}, {@code done} or {@code error}
 */
public record WorkerMessage(String type, Long pid, HostInfo host, Integer osMajor, Integer osMinor, Integer osPatch,
        Boolean devicesInferred, Integer abi, String library, Stage stage, StageOutcome outcome,
        List<PlanEntry> plan, Double compileMs, Double loadMs, Long coldNs, List<Long> samplesNs, String message) {

    static WorkerMessage ready(long pid) {
        return new WorkerMessage("ready", pid, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    static WorkerMessage begin(Stage stage) {
        return new WorkerMessage("begin", null, null, null, null, null, null, null, null, stage, null, null, null, null,
                null, null, null);
    }

    static WorkerMessage stage(StageOutcome outcome) {
        return new WorkerMessage("stage", null, null, null, null, null, null, null, null, outcome.stage(), outcome, null,
                null, null, null, null, null);
    }

    WorkerMessage withPlan(List<PlanEntry> p) {
        return new WorkerMessage(type, pid, host, osMajor, osMinor, osPatch, devicesInferred, abi, library, stage,
                outcome, p, compileMs, loadMs, coldNs, samplesNs, message);
    }

    WorkerMessage withTimes(Double compile, Double load) {
        return new WorkerMessage(type, pid, host, osMajor, osMinor, osPatch, devicesInferred, abi, library, stage,
                outcome, plan, compile, load, coldNs, samplesNs, message);
    }

    WorkerMessage withSamples(long cold, List<Long> samples) {
        return new WorkerMessage(type, pid, host, osMajor, osMinor, osPatch, devicesInferred, abi, library, stage,
                outcome, plan, compileMs, loadMs, cold, samples, message);
    }

    static WorkerMessage done() {
        return new WorkerMessage("done", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    static WorkerMessage error(String message) {
        return new WorkerMessage("error", null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, message);
    }
}
