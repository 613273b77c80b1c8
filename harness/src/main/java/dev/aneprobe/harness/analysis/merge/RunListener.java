package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.read.RunDir;

/** Something else that wants to see the observations while the matrix is built (the report's row writer). */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    default void beginRun(RunDir run) {
    }

    default void observation(RunDir run, Observation o) {
    }

    default void endRun(RunDir run) {
    }
}
