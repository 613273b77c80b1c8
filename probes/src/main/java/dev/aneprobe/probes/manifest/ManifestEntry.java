package dev.aneprobe.probes.manifest;

import java.util.List;
import java.util.Map;

/**
 * One line of {@code manifest.jsonl}: everything a sweep needs to run a probe without the catalog code that made it.
 *
 * @param id canonical probe id, e.g. {@code pooling/type=max,kernel=15x15,stride=2x2,pad=valid,in=64x56x56}
 * @param family the catalog family that made it
 * @param layerType the NeuralNetworkLayer oneof field name (or the MIL op name) the probe exercises
 * @param params the probe's axis values, in the family's axis order, as canonical strings
 * @param specificationVersion the Core ML specification version written into the model
 * @param format {@code mlmodel} (a single file) or {@code mlpackage} (a directory)
 * @param path the model's path relative to the manifest's directory, always with '/' separators
 * @param inputs the model inputs, in declaration order
 * @param outputs the model outputs, in declaration order
 * @param sha256 hex sha256 of the model bytes (for a package: of model.mlmodel, then each weight file, in order)
 */
public record ManifestEntry(
        String id,
        String family,
        String layerType,
        Map<String, String> params,
        int specificationVersion,
        String format,
        String path,
        List<FeatureInfo> inputs,
        List<FeatureInfo> outputs,
        String sha256) {
    public ManifestEntry {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
