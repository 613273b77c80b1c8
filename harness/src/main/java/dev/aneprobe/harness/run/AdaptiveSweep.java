package dev.aneprobe.harness.run;

import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.search.BoundarySearch;
import dev.aneprobe.harness.search.Outcome;
import dev.aneprobe.harness.search.SearchPlan;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.GenerationException;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sweep --adaptive}: instead of every probe of the profile, each family's boundaries are searched
 * ({@link BoundarySearch}) once per Neural-Engine setting of the run (ane, all), over the very probes the grid sweep
 * would run ({@link ProbeGenerator#plan}); each probe a search picks is generated then, by the same generator, so it
 * is byte-identical to the grid's. A probe runs its baselines (cpu, gpu, when the run has them) before the setting
 * searched, and every line carries its {@link SearchStep}.
 *
 * <p>Resume: the searches are deterministic given the outcomes they are told, so a resumed run replays them against
 * the journal — a recorded line answers without running — and they continue where the killed session stopped.
 * Shards split the families (by the same hash as probe ids, over the family name), so a search never spans shards.
 */
public final class AdaptiveSweep {
    /** The settings a search follows: those that carry a verdict. */
    public static final List<ComputeUnits> SEARCHED = List.of(ComputeUnits.ANE, ComputeUnits.ALL);
    /** The baselines a probe's verdict is compared with. */
    private static final List<ComputeUnits> BASELINES = List.of(ComputeUnits.CPU, ComputeUnits.GPU);

    /**
     * What to search.
     *
     * @param families the selected families (empty: all, of the kind asked for already resolved by the caller)
     */
    public record Request(Profile profile, List<String> families, List<ParamOverride> overrides) {
    }

    /** One family under one setting: what its searches found. */
    public record Searched(ComputeUnits units, BoundarySearch.FamilyResult result) {
    }

    /**
     * What the run did, per family of this shard.
     *
     * @param gridProbes the grid sweep's probes of the same ranges
     * @param searchedCells of those, the probes some search covers
     * @param probes the probes this run has lines for
     * @param searchedProbes of those, the ones some search covers
     * @param lines the run's lines of the family
     */
    public record FamilyReport(String family, List<String> unordered, List<SearchPlan.Unsearched> unsearched,
            List<Searched> searched, int gridProbes, int searchedCells, int probes, int searchedProbes, int lines) {
    }

    /** The whole run. */
    public record Report(Sweep.Result result, List<FamilyReport> families, List<ComputeUnits> units) {
        public int lines() {
            return families.stream().mapToInt(FamilyReport::lines).sum();
        }

        public int gridLines() {
            return families.stream().mapToInt(FamilyReport::gridProbes).sum() * units.size();
        }
    }

    private final Catalog catalog;
    private final ProbeGenerator generator;

    public AdaptiveSweep(Catalog catalog) {
        this.catalog = catalog;
        this.generator = new ProbeGenerator(catalog);
    }

    /** The settings searched: the run's ane and all; none is a bad request. */
    public static List<ComputeUnits> searchedUnits(List<ComputeUnits> units) {
        List<ComputeUnits> out = SEARCHED.stream().filter(units::contains).toList();
        if (out.isEmpty()) {
            throw new UserInputException("--adaptive searches by verdict, which only the ane and all settings carry: "
                    + "--units must include ane or all");
        }
        return out;
    }

    /** The grid probes of the request, by family in catalog order (the planner's checks and errors included). */
    public Map<String, List<ProbeSpec>> universe(Request request) {
        List<ProbeSpec> all;
        try {
            all = generator.plan(new GenerationRequest(request.profile(), request.families(), request.overrides(),
                    Path.of("unused"), false));
        } catch (GenerationException | IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Map<String, List<ProbeSpec>> byFamily = new LinkedHashMap<>();
        for (ProbeSpec s : all) {
            byFamily.computeIfAbsent(s.family(), k -> new ArrayList<>()).add(s);
        }
        return byFamily;
    }

    public Report run(Sweep sweep, Sweep.Plan plan, Request request, Sweep.Listener listener) {
        List<ComputeUnits> searchedUnits = searchedUnits(plan.units());
        Map<String, List<ProbeSpec>> universe = new LinkedHashMap<>();
        universe(request).forEach((family, specs) -> {
            if (plan.shard().count() == 1 || Shard.of(family, plan.shard().count()) == plan.shard().index()) {
                universe.put(family, specs);
            }
        });
        Path models;
        try {
            models = Files.createTempDirectory("aneprobe-adaptive");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a directory for the probes: " + e.getMessage(), e);
        }
        try (Sweep.Session session = sweep.open(plan, listener)) {
            if (plan.resume() && !session.env().arguments().contains("--adaptive")) {
                throw new UserInputException("run " + plan.runId() + " is a grid sweep: resume it without --adaptive");
            }
            int gridLines = universe.values().stream().mapToInt(List::size).sum() * plan.units().size();
            int already = session.existing().size();
            listener.started(session.runDir(), session.host(), Math.max(0, gridLines - already), already,
                    session.truncatedBytes());
            Map<String, ProbeModel> written = new HashMap<>();
            List<FamilyReport> reports = new ArrayList<>();
            for (Map.Entry<String, List<ProbeSpec>> e : universe.entrySet()) {
                ProbeFamily family = catalog.family(e.getKey());
                SearchPlan searchPlan = SearchPlan.of(family, request.profile(), e.getValue());
                List<Searched> searched = new ArrayList<>();
                for (ComputeUnits u : searchedUnits) {
                    List<ComputeUnits> lineUnits = new ArrayList<>(BASELINES.stream()
                            .filter(plan.units()::contains).toList());
                    lineUnits.add(u);
                    BoundarySearch engine = new BoundarySearch((spec, step) -> {
                        if (lineUnits.stream().anyMatch(x -> !session.isDone(spec.id(), x))) {
                            session.run(written.computeIfAbsent(spec.id(), id -> write(family, spec, models)),
                                    lineUnits, step, listener);
                        }
                        return outcome(session.line(spec.id(), u));
                    });
                    searched.add(new Searched(u, engine.run(searchPlan)));
                }
                reports.add(report(family, searchPlan, e.getValue(), searched, session));
            }
            return new Report(session.result(already), reports, plan.units());
        } finally {
            deleteTree(models);
        }
    }

    private static FamilyReport report(ProbeFamily family, SearchPlan plan, List<ProbeSpec> universe,
            List<Searched> searched, Sweep.Session session) {
        Set<ProbeSpec> covered = new HashSet<>();
        plan.searches().forEach(s -> s.rows().forEach(covered::addAll));
        int probes = 0;
        int searchedProbes = 0;
        int lines = 0;
        for (ProbeSpec s : universe) {
            int n = 0;
            for (ComputeUnits u : session.plan().units()) {
                n += session.line(s.id(), u) != null ? 1 : 0;
            }
            lines += n;
            if (n > 0) {
                probes++;
                searchedProbes += covered.contains(s) ? 1 : 0;
            }
        }
        return new FamilyReport(family.name(), plan.unordered(), plan.unsearched(), searched, universe.size(), covered.size(), probes,
                searchedProbes, lines);
    }

    /** The outcome a search compares: the line's verdict and the plan's preferred devices for the probed layer. */
    public static Outcome outcome(Observation o) {
        if (o == null || o.verdict() == null) {
            throw new IllegalStateException("no verdict line for " + (o == null ? "a probe" : o.probeId()));
        }
        return new Outcome(o.verdict().kind(), VerdictJudge.preferredDevices(o.plan(), o.layerType()));
    }

    /** Builds a grid probe with the generator and writes it where the worker reads it. */
    private ProbeModel write(ProbeFamily family, ProbeSpec spec, Path root) {
        BuiltProbe built = generator.build(family, spec);
        String rel = ProbeGenerator.relativePath(built);
        try {
            generator.write(built, root, rel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write probe " + spec.id() + ": " + e.getMessage(), e);
        }
        return new ProbeModel(built.entry(rel), root.resolve(rel).toAbsolutePath(), built.sha256());
    }

    /** Removes the temporary directory of probes this run wrote (only that). */
    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("aneprobe: could not remove the temporary probes in " + dir + ": " + e.getMessage());
        }
    }
}
