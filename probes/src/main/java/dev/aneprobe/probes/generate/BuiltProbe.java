package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.List;

/**
 * One probe, built, validated and serialized, ready to be written.
 *
 * @param format {@code mlmodel} or {@code mlpackage}
 * @param model the Model message (null once the probe only waits to be written)
 * @param bytes the serialized Model
 * @param weights the package's weight file, or null (NeuralNetworks, and programs without large consts)
 * @param sha256 of {@code bytes} followed by {@code weights}
 */
public record BuiltProbe(ProbeSpec spec, String layerType, int specificationVersion, String format, Model model,
        byte[] bytes, byte[] weights, String sha256, List<FeatureInfo> inputs, List<FeatureInfo> outputs) {

    /** The same probe without its in-memory Model: what waits for the writer needs only the bytes. */
    public BuiltProbe withoutModel() {
        return new BuiltProbe(spec, layerType, specificationVersion, format, null, bytes, weights, sha256, inputs,
                outputs);
    }

    public ManifestEntry entry(String relativePath) {
        return new ManifestEntry(spec.id(), spec.family(), layerType, spec.params(), specificationVersion, format,
                relativePath, inputs, outputs, sha256);
    }
}
