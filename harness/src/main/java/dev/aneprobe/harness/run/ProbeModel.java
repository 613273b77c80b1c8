package dev.aneprobe.harness.run;

import dev.aneprobe.probes.manifest.ManifestEntry;
import java.nio.file.Path;

/**
 * A probe as the sweep runs it: its manifest entry, the model's absolute path and the sha256 the compiled-model
 * cache is keyed by (the manifest's, or computed when the manifest has none).
 */
public record ProbeModel(ManifestEntry entry, Path modelPath, String sha256) {
    public String id() {
        return entry.id();
    }
}
