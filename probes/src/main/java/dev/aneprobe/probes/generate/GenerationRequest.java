package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.List;

/**
 * What to generate: a profile, optionally restricted to some families, with axis overrides, into {@code out}.
 * {@code force} allows replacing an earlier generate output there (and nothing else: see OutputDirectory).
 */
public record GenerationRequest(Profile profile, List<String> families, List<ParamOverride> overrides, Path out,
        boolean force) {
    /** Defaults in one place: the quick profile into ./probes-out. */
    public static final Profile DEFAULT_PROFILE = Profile.QUICK;
    public static final String DEFAULT_OUT = "probes-out";

    public GenerationRequest {
        families = families == null ? List.of() : List.copyOf(families);
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
    }
}
