package dev.aneprobe.harness.run;

import dev.aneprobe.harness.cli.UserInputException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one seam between {@code sweep} and the probe generator: when {@code sweep} is run without {@code --probes},
 * it asks this class for a probes directory (a {@code generate} output: {@code manifest.jsonl} plus models) for a
 * profile and a set of families.
 *
 * <p>MERGE NOTE: the generator API is written concurrently in the probes module. Until it is wired in here, this
 * refuses with a message telling the user to generate probes first.
 */
public class ProbeSource {

    /**
     * Generates (or finds already generated) probes for a profile and families and returns their directory.
     *
     * @param profile the sweep profile (e.g. "quick"), or null for the generator's default
     * @param families the families to generate, empty for all
     * @param workDir a directory the implementation may write the probes into
     * @return a directory holding {@code manifest.jsonl} and the models it lists
     */
    public Path probesDir(String profile, List<String> families, Path workDir) {
        throw new UserInputException("give --probes DIR (from 'aneprobe generate')");
    }
}
