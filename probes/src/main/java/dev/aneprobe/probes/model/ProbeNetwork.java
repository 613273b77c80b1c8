package dev.aneprobe.probes.model;

import dev.aneprobe.probes.manifest.FeatureInfo;
import java.util.List;

/**
 * What a family builds for one probe: a NeuralNetwork ({@link Net}, written as {@code .mlmodel}) or an ML Program
 * ({@code dev.aneprobe.probes.mil.MilNet}, written as {@code .mlpackage}).
 */
public interface ProbeNetwork {
    /** {@code mlmodel} or {@code mlpackage}. */
    String format();

    List<Feature> inputs();

    /** The multiarray outputs. */
    List<Feature> outputs();

    /**
     * Every output as the manifest records it, in model order: the multiarray outputs, and for an ML Program
     * classifier also its label ({@code STRING}/{@code INT64}, no shape) and probabilities
     * ({@code DICTIONARY<key,value>}).
     */
    default List<FeatureInfo> outputInfo() {
        return outputs().stream().map(f -> new FeatureInfo(f.name(), f.shape(), f.dataType().name())).toList();
    }
}
