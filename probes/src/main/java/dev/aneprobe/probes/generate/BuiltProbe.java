package dev.aneprobe.probes.generate;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.List;

/**
 * One probe, built, validated and serialized, ready to be written. It keeps only the bytes, not the in-memory
 * Model it was serialized from, so what waits for the writer is no larger than what will be written.
 *
 * @param format {@code mlmodel} or {@code mlpackage}
 * @param bytes the serialized Model
 * @param weights the package's weight file, or null (NeuralNetworks, and programs without large consts)
 * @param sha256 of {@code bytes} followed by {@code weights}
 */
public record BuiltProbe(ProbeSpec spec, String layerType, int specificationVersion, String format, byte[] bytes,
        byte[] weights, String sha256, List<FeatureInfo> inputs, List<FeatureInfo> outputs) {

    /** The Model exactly as written: parsed back from {@link #bytes}. */
    public Model model() {
        try {
            return Model.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("probe " + spec.id() + ": serialized model does not parse", e);
        }
    }

    public ManifestEntry entry(String relativePath) {
        return new ManifestEntry(spec.id(), spec.family(), layerType, spec.params(), specificationVersion, format,
                relativePath, inputs, outputs, sha256);
    }
}
