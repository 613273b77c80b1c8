package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import dev.aneprobe.harness.search.Outcome;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated sweep's decisions without worker processes or a journal, for benchmarks and tests of the adaptive
 * search: each probe is built by the generator and written (so the simulated compiler reads the very bytes a sweep
 * would), its facts extracted by {@link ModelExtractor}, and each setting decided by {@link Simulation} — refusals,
 * crashes and hangs as the worker would report them — and judged by {@link VerdictJudge} with the simulated plan,
 * samples and Core ML's reason lines. {@link #cost} gives the Core ML time the device model gives a line, counted as
 * {@link Forecast} counts it for a sweep. Calibration only: never evidence.
 */
public final class SimulatedOracle {
    private final DeviceModel device;
    private final Path workDir;
    private final int warmup;
    private final int iterations;
    private final Catalog catalog;
    private final ProbeGenerator generator;
    private final Map<String, ModelFacts> facts;
    private final Map<String, Map<ComputeUnits, Outcome>> outcomes = new HashMap<>();

    public SimulatedOracle(DeviceModel device, Path workDir, int warmup, int iterations) {
        this(device, workDir, warmup, iterations, new HashMap<>());
    }

    /**
     * @param facts what the simulated compiler read from each probe, by probe id, shared between oracles of several
     *     device models (a probe's bytes, and so its facts, do not depend on the device model)
     */
    public SimulatedOracle(DeviceModel device, Path workDir, int warmup, int iterations,
            Map<String, ModelFacts> facts) {
        this.facts = facts;
        this.device = device;
        this.workDir = workDir;
        this.warmup = warmup;
        this.iterations = iterations;
        this.catalog = Catalog.standard();
        this.generator = new ProbeGenerator(catalog);
    }

    /** The outcome of one probe under one Neural-Engine setting (each line decided once and remembered). */
    public Outcome outcome(ProbeSpec spec, ComputeUnits units) {
        return outcomes.computeIfAbsent(spec.id(), k -> new EnumMap<>(ComputeUnits.class))
                .computeIfAbsent(units, u -> decide(spec, u));
    }

    /**
     * What one line costs on the simulated Mac: Core ML's time for compile (the first line of a probe, a cold cache),
     * load, plan and every prediction, or a hang (which a sweep waits out to its timeout).
     */
    public record LineCost(double coreMlMs, boolean hung) {
    }

    public LineCost cost(ProbeSpec spec, ComputeUnits units, boolean firstLineOfProbe) {
        Line l = line(factsOf(spec), units);
        return new LineCost(l.ms() - (firstLineOfProbe ? 0 : l.compileMs()), l.failure() != null
                && l.failure().kind() == VerdictKind.TIMEOUT);
    }

    private ModelFacts factsOf(ProbeSpec spec) {
        ModelFacts f = facts.get(spec.id());
        if (f != null) {
            return f;
        }
        BuiltProbe built = generator.build(catalog.family(spec.family()), spec);
        String rel = ProbeGenerator.relativePath(built);
        Path path = workDir.resolve(rel);
        try {
            generator.write(built, workDir, rel);
            f = ModelExtractor.extract(path);
            deleteTree(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ModelExtractor.UnreadableModelException e) {
            throw new IllegalStateException("probe " + spec.id() + " unreadable: " + e.getMessage(), e);
        }
        facts.put(spec.id(), f);
        return f;
    }

    /** What the worker would report for one line: its stages, plan, samples, log and failure. */
    private record Line(List<StageOutcome> stages, List<PlanEntry> plan, List<Long> samples, List<String> log,
            WorkerFailure failure, double ms, double compileMs) {
    }

    private Line line(ModelFacts f, ComputeUnits units) {
        double total = 0;
        double compileMs = 0;
        List<StageOutcome> stages = new ArrayList<>();
        Simulation compile = new Simulation(device, f, ComputeUnits.CPU);
        Simulation sim = new Simulation(device, f, units);
        for (Stage stage : Stage.values()) {
            Simulation at = stage == Stage.COMPILE ? compile : sim;
            Simulation.Failure fail = at.failure(stage);
            if (fail != null) {
                if (fail.crash() || fail.hang()) {
                    stages.add(new StageOutcome(stage, StageOutcome.Status.FAILED, null, null));
                    return new Line(stages, List.of(), null, sim.reasons(), new WorkerFailure(fail.hang()
                            ? VerdictKind.TIMEOUT : VerdictKind.CRASHED, fail.crash() ? fail.rule().crash().signal()
                            : null, null, fail.hang() ? 120.0 : null, List.of()), total, compileMs);
                }
                stages.add(new StageOutcome(stage, StageOutcome.Status.FAILED, 0.0, null));
                if (stage != Stage.PLAN) {
                    return new Line(stages, List.of(), null, sim.reasons(), null, total, compileMs);
                }
                continue;
            }
            double ms = switch (stage) {
                case COMPILE -> compile.compileMs();
                case LOAD -> sim.loadMs();
                case PLAN -> sim.planMs();
                case PREDICT -> 0.0;
            };
            total += ms;
            compileMs += stage == Stage.COMPILE ? ms : 0;
            stages.add(new StageOutcome(stage, StageOutcome.Status.OK, ms, null));
        }
        long[] cold = new long[1];
        long[] samples = sim.samples(warmup, iterations, cold);
        double sum = cold[0];
        List<Long> list = new ArrayList<>();
        for (long s : samples) {
            sum += s;
            list.add(s);
        }
        total += (sum + warmup * sim.latencyNs()) / 1e6;
        List<PlanEntry> plan = new ArrayList<>();
        for (Simulation.OpPlan p : sim.plan()) {
            plan.add(new PlanEntry(p.op().name(), p.op().type(), p.preferred(), new ArrayList<>(p.supported()),
                    p.cost()));
        }
        return new Line(stages, plan, list, sim.reasons(), null, total, compileMs);
    }

    private Outcome decide(ProbeSpec spec, ComputeUnits units) {
        ModelFacts f = factsOf(spec);
        Line line = line(f, units);
        Line cpu = line(f, ComputeUnits.CPU);
        Line gpu = line(f, ComputeUnits.GPU);
        String layerType = catalog.family(spec.family()).layerTypeOf(spec);
        Verdict v = VerdictJudge.judge(new VerdictJudge.Input(spec.id(), layerType, units,
                device.host().hasNeuralEngine(), line.stages(), line.failure(), line.plan(), line.samples(),
                cpu.samples(), gpu.samples(), line.log(), null));
        return new Outcome(v.kind(), VerdictJudge.preferredDevices(line.plan(), layerType));
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
