package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.nio.file.DirectoryStream;
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
        List<String> problems = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                String why = Files.exists(p) ? "is not a directory" : "does not exist";
                problems.add(p + " " + why);
                warnings.accept(p + ": " + why + "; skipped");
                continue;
            }
            if (looksLikeRun(p)) {
                addRun(p, runs, seen, warnings, problems);
                continue;
            }
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path c : ds) {
                    if (Files.isDirectory(c) && !c.getFileName().toString().startsWith(".")) {
                        children.add(c);
                    }
                }
            } catch (IOException e) {
                problems.add(p + " cannot be listed");
                warnings.accept(p + ": cannot be listed (" + e.getMessage() + "); skipped");
                continue;
            }
            children.sort(Comparator.naturalOrder());
            if (children.isEmpty() && !emptyIsFine) {
                problems.add(p + " holds no run directories");
            }
            for (Path c : children) {
                addRun(c, runs, seen, warnings, problems);
            }
        }
        if (runs.isEmpty() && !(emptyIsFine && problems.isEmpty())) {
            throw new NoRunsException("no readable run in " + String.join(", ", paths.stream().map(Path::toString)
                    .toList()) + (problems.isEmpty() ? "" : ": " + String.join("; ", problems))
                    + " (a run directory holds env.json and observations.jsonl)");
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

    private static void addRun(Path dir, List<RunDir> runs, Set<Path> seen, Warnings warnings,
            List<String> problems) {
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
            problems.add(e.getMessage());
            warnings.accept(e.getMessage());
        }
    }

    /** Reads and checks a run's env.json; refuses the run with an {@link IllegalArgumentException} if unusable. */
    public static EnvRecord readEnv(Path dir) {
        Path env = dir.resolve(RunDir.ENV);
        if (!Files.exists(env)) {
            throw new IllegalArgumentException(dir + ": refused: no " + RunDir.ENV
                    + " (a run without its environment cannot be placed in the chip/OS matrix)");
        }
        EnvRecord rec;
        try {
            rec = Json.mapper().readValue(env.toFile(), EnvRecord.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(env + ": refused: not a valid env record (" + e.getOriginalMessage()
                    + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException(env + ": refused: cannot be read (" + e.getMessage() + ")");
        }
        if (rec == null) {
            throw new IllegalArgumentException(env + ": refused: empty");
        }
        HostInfo h = rec.host();
        List<String> missing = new ArrayList<>();
        if (rec.runId() == null || rec.runId().isBlank()) {
            missing.add("runId");
        }
        if (h == null) {
            missing.add("host");
        } else {
            if (h.chip() == null || h.chip().isBlank()) {
                missing.add("host.chip");
            }
            if (h.osName() == null || h.osName().isBlank()) {
                missing.add("host.osName");
            }
            if (h.osVersion() == null || h.osVersion().isBlank()) {
                missing.add("host.osVersion");
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(env + ": refused: missing " + String.join(", ", missing));
        }
        return rec;
    }

    /** Nothing readable was named. The CLI turns this into one line and exit code 2. */
    public static final class NoRunsException extends RuntimeException {
        public NoRunsException(String message) {
            super(message);
        }
    }
}
