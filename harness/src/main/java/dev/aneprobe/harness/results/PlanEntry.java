package dev.aneprobe.harness.results;

import java.util.List;

/**
 * The compute plan's word on one NeuralNetwork layer or ML Program operation.
 *
 * @param name the layer name or the op's output name (what matches it to the probe)
 * @param kind Core ML's runtime layer kind ("pooling", "elementwise") or MIL operator name ("conv")
 * @param preferred the device Core ML chose, or null when it could not say (const ops, unknown)
 * @param supported the devices that could run it
 * @param cost the estimated share of the model's work (ML Programs only), or null
 */
public record PlanEntry(String name, String kind, Device preferred, List<Device> supported, Double cost) {
    public PlanEntry {
        supported = supported == null ? List.of() : List.copyOf(supported);
    }
}
