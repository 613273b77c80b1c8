package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.manifest.ManifestEntry;

/** Told about each probe as it is written (the CLI uses it for progress). */
@FunctionalInterface
public interface GenerationListener {
    GenerationListener NONE = (entry, done, total) -> { };

    void written(ManifestEntry entry, int done, int total);
}
