package dev.aneprobe.probes.generate;

import java.nio.file.Path;

/** What a generation wrote. */
public record GenerationSummary(Path out, int probes, int families, long bytes) {
}
