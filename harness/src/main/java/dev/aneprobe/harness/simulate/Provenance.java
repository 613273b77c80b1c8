package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.read.RunDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps simulated runs apart from measurements: they never go into the repository's {@code results/} (where runs
 * are published), and they are never merged silently with runs from real Macs.
 */
public final class Provenance {
    /** The marker every output made from simulated runs carries (chip names, banners, JSON fields). */
    public static final String MARKER = "SIMULATED";

    private Provenance() {
    }

    /**
     * True when {@code path} is, or lies inside, a published results tree: {@code ./results}, or any directory
     * named {@code results} that holds {@code claims/claims.json} (a checkout's).
     */
    public static boolean inPublishedResults(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path cwdResults = Path.of("results").toAbsolutePath().normalize();
        for (Path p = abs; p != null; p = p.getParent()) {
            if (p.equals(cwdResults)) {
                return true;
            }
            if (p.getFileName() != null && p.getFileName().toString().equals("results")
                    && Files.isRegularFile(p.resolve("claims").resolve("claims.json"))) {
                return true;
            }
        }
        return false;
    }

    /** The simulated runs among these (with their device model), for messages. */
    public static List<String> simulated(List<RunDir> runs) {
        List<String> out = new ArrayList<>();
        for (RunDir r : runs) {
            EnvRecord e = r.env();
            if (e.simulated()) {
                out.add(r.runId() + " (device model " + e.simulation().deviceModel() + ")");
            }
        }
        return out;
    }

    /**
     * Refuses to read simulated runs together with real ones: they would share the claims and thresholds as if
     * both were measurements.
     */
    public static void refuseMixing(List<RunDir> runs) {
        List<String> sim = simulated(runs);
        if (!sim.isEmpty() && sim.size() < runs.size()) {
            throw new UserInputException("simulated runs (" + String.join(", ", sim) + ") cannot be read together "
                    + "with runs from real Macs: simulated results are calibration, never evidence; give them "
                    + "separately to --runs");
        }
    }

    /** Refuses to write a report of simulated runs into a published results tree. */
    public static void refusePublishing(List<RunDir> runs, Path out) {
        List<String> sim = simulated(runs);
        if (!sim.isEmpty() && inPublishedResults(out)) {
            throw new UserInputException("refusing to write a report of simulated runs (" + String.join(", ", sim)
                    + ") into " + out + ": results/ holds measurements only; give --out another directory");
        }
    }
}
