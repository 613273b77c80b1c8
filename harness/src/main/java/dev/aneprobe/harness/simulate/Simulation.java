package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Stage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * What the simulated Core ML does with one model under one compute-units setting: for every layer or op the rule
 * that decided it, the compute plan's word (preferred and supported devices, cost), where it really runs, and for
 * the model the stage that fails or dies (if any), the log lines, the stage times and the latency. A pure function
 * of the device model, the model's facts and the compute units.
 */
public final class Simulation {
    /**
     * One layer or op (or one part of a layer Core ML splits): its rule, its plan entry and where it ran. Constants
     * have no device (null).
     *
     * @param share the part of the op's work this entry does: 1, or 0.5 for each half of a split layer
     */
    public record OpPlan(OpFacts op, DeviceModel.Rule rule, Device preferred, Set<Device> supported, Device dispatched,
            Double cost, double share) {
        public OpPlan(OpFacts op, DeviceModel.Rule rule, Device preferred, Set<Device> supported, Device dispatched,
                Double cost) {
            this(op, rule, preferred, supported, dispatched, cost, 1.0);
        }
    }

    /** A refusal, crash or hang at a stage, and the op whose rule planted it. */
    public record Failure(Stage stage, DeviceModel.Rule rule, OpFacts op) {
        public boolean crash() {
            return rule.crash() != null && rule.crash().stage() == stage;
        }

        public boolean hang() {
            return rule.hang() != null && rule.hang().stage() == stage;
        }
    }

    private final DeviceModel device;
    private final ModelFacts model;
    private final ComputeUnits units;
    private final List<OpPlan> plan = new ArrayList<>();
    private final List<String> reasons = new ArrayList<>();

    public Simulation(DeviceModel device, ModelFacts model, ComputeUnits units) {
        this.device = device;
        this.model = model;
        this.units = units;
        List<DeviceModel.Rule> rules = new ArrayList<>();
        for (OpFacts op : model.ops()) {
            rules.add(op.constant() && "const".equals(op.type()) ? null : device.decide(op, model));
        }
        boolean aneAllowed = units.allowsNeuralEngine() && device.host().hasNeuralEngine();
        Set<Device> allowed = EnumSet.of(Device.CPU);
        if (units == ComputeUnits.GPU || units == ComputeUnits.ALL) {
            allowed.add(Device.GPU);
        }
        if (aneAllowed) {
            allowed.add(Device.ANE);
        }
        // The whole model leaves the ANE when an op that cannot run there takes it along.
        DeviceModel.Rule culprit = null;
        if (aneAllowed) {
            for (int i = 0; i < rules.size(); i++) {
                DeviceModel.Rule r = rules.get(i);
                if (r != null && r.wholeModel() && !runsOnAne(r)) {
                    culprit = r;
                    break;
                }
            }
        }
        double totalFlops = 0;
        for (int i = 0; i < rules.size(); i++) {
            if (rules.get(i) != null && !model.ops().get(i).constant()) {
                totalFlops += Math.max(1, model.ops().get(i).flops());
            }
        }
        boolean mlProgram = ModelFacts.ML_PROGRAM.equals(model.format());
        // Where the model went when it last left the ANE for good (the device model's "switching: once"), if it did.
        Device stuck = null;
        Device last = null;
        for (int i = 0; i < rules.size(); i++) {
            OpFacts op = model.ops().get(i);
            DeviceModel.Rule r = rules.get(i);
            if (r == null) {
                plan.add(new OpPlan(op, null, null, Set.of(), null, null));
                continue;
            }
            Set<Device> supported = EnumSet.noneOf(Device.class);
            for (Device d : r.supported()) {
                if (allowed.contains(d)) {
                    supported.add(d);
                }
            }
            supported.add(Device.CPU);
            Device preferred;
            if (r.placement() == Device.ANE && supported.contains(Device.ANE) && culprit == null) {
                preferred = Device.ANE;
            } else if (r.placement() != Device.CPU && supported.contains(Device.GPU)) {
                preferred = Device.GPU;
            } else {
                preferred = Device.CPU;
            }
            if (preferred == Device.ANE && stuck != null) {
                preferred = stuck;
            } else if (last == Device.ANE && preferred != Device.ANE && device.switching().once(preferred)) {
                stuck = preferred;
            }
            last = preferred;
            Device dispatched = preferred;
            if (preferred == Device.ANE && r.dispatch() != null) {
                dispatched = allowed.contains(r.dispatch()) ? r.dispatch() : Device.CPU;
            }
            boolean split = preferred == Device.ANE && r.split() != null;
            if (aneAllowed && (preferred != Device.ANE || split) && r.reason() != null
                    && (culprit == null || culprit == r)) {
                // Core ML's lines name the layer or op they are about.
                reasons.add(r.reason() + " [" + op.type() + (op.name().isEmpty() ? "" : " '" + op.name() + "'") + "]");
            }
            Double cost = mlProgram && !op.constant() ? Math.max(1, op.flops()) / totalFlops : null;
            if (split) {
                // Core ML splits the layer itself: two plan entries of its name, half the work on each device.
                Device rest = allowed.contains(r.split()) ? r.split() : Device.CPU;
                Double half = cost == null ? null : cost / 2;
                plan.add(new OpPlan(op, r, Device.ANE, supported, Device.ANE, half, 0.5));
                plan.add(new OpPlan(op, r, rest, supported, rest, half, 0.5));
                continue;
            }
            plan.add(new OpPlan(op, r, preferred, supported, dispatched, cost));
        }
        if (culprit != null) {
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i) != null && rules.get(i) != culprit && rules.get(i).placement() == Device.ANE) {
                    reasons.add("whole model off the Neural Engine: " + (culprit.reason() == null
                            ? "an operation cannot run there (rule " + culprit.id() + ")" : culprit.reason()));
                    break;
                }
            }
        }
    }

    private static boolean runsOnAne(DeviceModel.Rule r) {
        return r.placement() == Device.ANE && r.supported().contains(Device.ANE);
    }

    private Failure failureAt(Stage stage) {
        for (OpPlan p : plan) {
            DeviceModel.Rule r = p.rule();
            if (r == null) {
                continue;
            }
            if (r.reject() != null && r.reject().stage() == stage && (stage == Stage.COMPILE
                    || r.reject().units().contains(units))) {
                return new Failure(stage, r, p.op());
            }
            DeviceModel.Fault f = r.crash() != null ? r.crash() : r.hang();
            if (f != null && f.stage() == stage && (stage == Stage.COMPILE || f.units().contains(units))) {
                return new Failure(stage, r, p.op());
            }
        }
        return null;
    }

    /** The refusal, crash or hang planted at this stage, if any (compile ignores the compute units). */
    public Failure failure(Stage stage) {
        return failureAt(stage);
    }

    public List<OpPlan> plan() {
        return plan;
    }

    /** The log lines Core ML would print while loading the model for these compute units. */
    public List<String> reasons() {
        return reasons;
    }

    public ModelFacts model() {
        return model;
    }

    public ComputeUnits units() {
        return units;
    }

    /** Whether any op is planned on the Neural Engine. */
    public boolean anyOnAne() {
        return plan.stream().anyMatch(p -> p.preferred() == Device.ANE);
    }

    // ------------------------------------------------------------------ times

    private double megabytes() {
        return model.bytes() / (1024.0 * 1024.0);
    }

    private long opCount() {
        return model.ops().stream().filter(o -> !o.constant()).count();
    }

    /** Simulated compile time of the model (ms). */
    public double compileMs() {
        DeviceModel.StageCost c = device.stages().compile();
        return c.fixedMs() + c.perMegabyteMs() * megabytes() + c.perOpMs() * opCount();
    }

    /** Simulated load time (ms): the ANE's own compile is added when the plan gives it work. */
    public double loadMs() {
        DeviceModel.StageCost c = device.stages().load();
        return c.fixedMs() + c.perMegabyteMs() * megabytes() + c.perOpMs() * opCount() + (anyOnAne() ? c.aneMs() : 0);
    }

    public double planMs() {
        DeviceModel.StageCost c = device.stages().plan();
        return c.fixedMs() + c.perMegabyteMs() * megabytes() + c.perOpMs() * opCount();
    }

    /** The noiseless latency of one warm prediction (ns): every op on the device it ran on, plus device switches. */
    public double latencyNs() {
        DeviceModel.Latency l = device.latency();
        double ns = 0;
        Device last = null;
        int switches = 0;
        for (OpPlan p : plan) {
            if (p.dispatched() == null || p.op().constant()) {
                continue;
            }
            ns += l.on(p.dispatched()).of(p.op()) * p.share();
            if (last != null && last != p.dispatched()) {
                switches++;
            }
            last = p.dispatched();
        }
        return Math.max(1000, ns + switches * l.transitionNs());
    }

    /**
     * The predictions: the cold one, {@code warmup} untimed ones and {@code iterations} timed ones, with seeded
     * log-normal noise (the same model, compute units and device model always give the same samples).
     */
    public long[] samples(int warmup, int iterations, long[] cold) {
        DeviceModel.Latency l = device.latency();
        long seed = l.seed() * 0x9E3779B97F4A7C15L ^ model.sha256().hashCode() ^ ((long) units.ordinal() << 40);
        SplittableRandom rnd = new SplittableRandom(seed);
        double base = latencyNs();
        cold[0] = Math.round(base * l.coldFactor() * Math.exp(l.noise() * gaussian(rnd)));
        for (int i = 0; i < warmup; i++) {
            gaussian(rnd);
        }
        long[] out = new long[iterations];
        for (int i = 0; i < iterations; i++) {
            out[i] = Math.max(1, Math.round(base * Math.exp(l.noise() * gaussian(rnd))));
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
