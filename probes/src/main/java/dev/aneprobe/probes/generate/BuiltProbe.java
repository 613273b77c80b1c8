package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.List;

/** One probe, built, validated and serialized, ready to be written. */
public record BuiltProbe(ProbeSpec spec, String layerType, int specificationVersion, Model model, byte[] bytes,
        String sha256, List<FeatureInfo> inputs, List<FeatureInfo> outputs) {

    public ManifestEntry entry(String relativePath) {
        return new ManifestEntry(spec.id(), spec.family(), layerType, spec.params(), specificationVersion, "mlmodel",
                relativePath, inputs, outputs, sha256);
    }
}
