package dev.aneprobe.probes.model;

import java.util.List;

/**
 * What a family builds for one probe: a NeuralNetwork ({@link Net}, written as {@code .mlmodel}) or an ML Program
 * ({@code dev.aneprobe.probes.mil.MilNet}, written as {@code .mlpackage}).
 */
public interface ProbeNetwork {
    /** {@code mlmodel} or {@code mlpackage}. */
    String format();

    List<Feature> inputs();

    List<Feature> outputs();
}
