package dev.aneprobe.harness.run;

import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationException;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.List;

/**
 * The one seam between {@code sweep} and the probe generator: when {@code sweep} is run without {@code --probes},
 * it generates the probes it needs. Generation is byte-for-byte reproducible, so regenerating on every sweep (and
 * on {@code --resume}) yields the same models and hashes; the directory is replaced each time.
 */
public class ProbeSource {

    /**
     * Generates probes for a profile and families into {@code workDir/<profile>} and returns that directory.
     *
     * @param profile the sweep profile (e.g. "quick"), or null for the generator's default
     * @param families the families to generate, empty for all
     * @param workDir the directory generated probe sets live under
     * @return a directory holding {@code manifest.jsonl} and the models it lists
     */
    public Path probesDir(String profile, List<String> families, Path workDir) {
        try {
            Profile p = profile == null ? GenerationRequest.DEFAULT_PROFILE : Profile.parse(profile);
            Path dir = workDir.resolve(p.label());
            new ProbeGenerator(Catalog.standard()).generate(
                    new GenerationRequest(p, families, List.of(), dir, true), GenerationListener.NONE);
            return dir;
        } catch (GenerationException | IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }
}
