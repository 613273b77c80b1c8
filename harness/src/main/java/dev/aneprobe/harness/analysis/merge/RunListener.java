package dev.aneprobe.harness.analysis.merge;

import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.read.RunDir;

/** Something else that wants to see the observations while the matrix is built (the report's row writer). */
public interface RunListener {
    RunListener NONE = new RunListener() { };

    default void beginRun(RunDir run) {
    }

    /**
     * Work on one observation that can run on a parser thread, before {@link #observation}: it must not touch
     * shared state. Whatever it returns is passed to {@code observation} as {@code prepared}.
     */
    default Object prepare(Observation o) {
        return null;
    }

    /** One observation, in file order, on the reading thread. */
    default void observation(RunDir run, Observation o, Object prepared) {
    }

    default void endRun(RunDir run) {
    }
}
