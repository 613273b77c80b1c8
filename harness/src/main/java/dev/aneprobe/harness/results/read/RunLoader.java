package dev.aneprobe.harness.results.read;

import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.text.Counted;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the runs named on the command line. Each path is either a run directory (it holds {@code env.json}) or a
 * parent of run directories such as {@code results/raw}. A directory that looks like a run but has no usable
 * {@code env.json} is refused with a warning: without its environment a run cannot be placed in the matrix.
 */
public final class RunLoader {
    private RunLoader() {
    }

    /**
     * Resolves paths to runs, sorted by run id then path.
     *
     * @param paths directories named by the user
     * @param emptyIsFine true when a parent with no runs in it is a valid answer (the default results/raw of a
     *     repository nobody has contributed to yet); otherwise finding no run at all is an error
     * @throws NoRunsException when nothing readable was named
     */
    public static List<RunDir> discover(List<Path> paths, boolean emptyIsFine, Warnings warnings) {
        List<RunDir> runs = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        List<String> problems = new ArrayList<>(); // about the paths named, in a few words each
        int[] refused = new int[1];
        boolean one = paths.size() == 1;
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                String why = Files.exists(p) ? "is not a directory" : "does not exist";
                problems.add((one ? "it" : p.toString()) + " " + why);
                warnings.accept(p + ": " + why + "; skipped");
                continue;
            }
            if (looksLikeRun(p)) {
                addRun(p, runs, seen, warnings, refused);
                continue;
            }
            List<Path> children;
            try {
                children = RunDir.candidates(p);
            } catch (IOException e) {
                problems.add((one ? "it" : p.toString()) + " cannot be listed");
                warnings.accept(p + ": cannot be listed (" + e.getClass().getSimpleName() + "); skipped");
                continue;
            }
            if (children.isEmpty() && !emptyIsFine) {
                problems.add((one ? "it" : p.toString()) + " holds no run directories");
            }
            for (Path c : children) {
                addRun(c, runs, seen, warnings, refused);
            }
        }
        if (refused[0] > 0) {
            problems.add(Counted.of(refused[0], "run") + " refused (see above)");
        }
        if (runs.isEmpty() && !(emptyIsFine && problems.isEmpty())) {
            String named = one ? paths.get(0).toString() : String.join(", ", paths.stream().map(Path::toString)
                    .toList());
            throw new NoRunsException("no readable run in " + named + ": " + String.join("; ", problems)
                    + (refused[0] > 0 ? "" : " (a run directory holds env.json and observations.jsonl)"));
        }
        runs.sort(Comparator.comparing(RunDir::runId).thenComparing(r -> r.dir().toString()));
        Map<String, Path> byId = new HashMap<>();
        for (RunDir r : runs) {
            Path other = byId.putIfAbsent(r.runId(), r.dir());
            if (other != null) {
                warnings.accept(r.dir() + ": run id " + r.runId() + " is also in " + other
                        + "; both are read, and identical measurements simply agree");
            }
        }
        return runs;
    }

    private static boolean looksLikeRun(Path dir) {
        return Files.exists(dir.resolve(RunDir.ENV)) || Files.exists(dir.resolve(RunDir.OBSERVATIONS));
    }

    private static void addRun(Path dir, List<RunDir> runs, Set<Path> seen, Warnings warnings, int[] refused) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            real = dir.toAbsolutePath().normalize();
        }
        if (!seen.add(real)) {
            return;
        }
        try {
            runs.add(new RunDir(dir, readEnv(dir)));
        } catch (IllegalArgumentException e) {
            refused[0]++;
            warnings.accept(e.getMessage());
        }
    }

    /** The largest env.json read: a real one is about a kilobyte. */
    static final long MAX_ENV_BYTES = 1 << 20;

    /**
     * Reads and checks a run's env.json (see {@link EnvParser}); refuses the run with an
     * {@link IllegalArgumentException} whose message is one plain line if it is unusable.
     */
    public static EnvRecord readEnv(Path dir) {
        Path env = dir.resolve(RunDir.ENV);
        if (!Files.exists(env)) {
            throw new IllegalArgumentException(dir + ": refused: no " + RunDir.ENV
                    + " (a run without its environment cannot be placed in the chip/OS matrix)");
        }
        if (!Files.isRegularFile(env)) {
            throw new IllegalArgumentException(env + ": refused: not a regular file");
        }
        byte[] bytes;
        try {
            if (Files.size(env) > MAX_ENV_BYTES) {
                throw new IllegalArgumentException(env + ": refused: larger than " + (MAX_ENV_BYTES >> 20)
                        + " MB, so not an env record");
            }
            bytes = Files.readAllBytes(env);
        } catch (IOException e) {
            throw new IllegalArgumentException(env + ": refused: cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
        try {
            return EnvParser.parse(bytes);
        } catch (EnvParser.Problem e) {
            throw new IllegalArgumentException(env + ": refused: " + e.getMessage());
        }
    }

    /** Nothing readable was named. The CLI turns this into one line and exit code 2. */
    public static final class NoRunsException extends RuntimeException {
        public NoRunsException(String message) {
            super(message);
        }
    }
}
