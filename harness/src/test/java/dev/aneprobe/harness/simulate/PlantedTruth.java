package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.VerdictKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict a device model plants for one probe under one compute-units setting, from the simulation's ground
 * truth (where every op really ran, which stage failed how), never from what the harness measured. The layer under
 * test is found as docs/sweep.md documents for the verdict: entries named {@code probe} or {@code y} with a device;
 * else entries of the probe's layer type that are not helpers; else every entry with a device that is neither a
 * helper nor a constant.
 */
final class PlantedTruth {
    private PlantedTruth() {
    }

    static VerdictKind verdict(DeviceModel device, ModelFacts facts, ComputeUnits units, String layerType) {
        Simulation sim = new Simulation(device, facts, units);
        List<Simulation.Failure> failures = new ArrayList<>();
        for (Stage s : List.of(Stage.COMPILE, Stage.LOAD, Stage.PLAN, Stage.PREDICT)) {
            Simulation.Failure f = sim.failure(s);
            if (f != null) {
                failures.add(f);
            }
        }
        // The harness's order of facts: a dead or hung worker, then no Neural Engine, then Core ML's refusal.
        Simulation.Failure first = failures.isEmpty() ? null : failures.get(0);
        if (first != null && (first.crash() || first.hang())) {
            return first.crash() ? VerdictKind.CRASHED : VerdictKind.TIMEOUT;
        }
        if (!device.host().hasNeuralEngine()) {
            return VerdictKind.NO_ANE;
        }
        if (first != null) {
            return VerdictKind.REJECTED;
        }
        List<Simulation.OpPlan> under = underTest(sim.plan(), layerType);
        long ane = under.stream().filter(p -> p.dispatched() == Device.ANE).count();
        return ane == under.size() ? VerdictKind.ANE : ane == 0 ? VerdictKind.NOT_ANE : VerdictKind.SPLIT;
    }

    static List<Simulation.OpPlan> underTest(List<Simulation.OpPlan> plan, String layerType) {
        List<Simulation.OpPlan> named = plan.stream().filter(p -> p.preferred() != null
                && (VerdictJudge.PROBE_LAYER.equals(p.op().name()) || VerdictJudge.PROBE_OUTPUT.equals(p.op().name())))
                .toList();
        if (!named.isEmpty()) {
            return named;
        }
        List<Simulation.OpPlan> byKind = plan.stream().filter(p -> p.preferred() != null
                && p.op().type().equals(layerType) && !p.op().name().startsWith(VerdictJudge.AUX_PREFIX)).toList();
        if (!byKind.isEmpty()) {
            return byKind;
        }
        return plan.stream().filter(p -> p.preferred() != null && !p.op().name().startsWith(VerdictJudge.AUX_PREFIX)
                && !p.op().name().startsWith(VerdictJudge.CONST_PREFIX)).toList();
    }

    /**
     * True when the plan splits the layers under test between the ANE and other devices while none of them really
     * runs on the ANE (field-notes' "plan is not dispatch" on a chain): the harness judges SPLIT, since for a split
     * plan the plan and the log outvote the latency, which cannot tell a chain mostly on one device from one entirely
     * there (docs/simulate.md, "What calibration found").
     */
    static boolean splitPlanNothingOnAne(DeviceModel device, ModelFacts facts, ComputeUnits units, String layerType) {
        List<Simulation.OpPlan> under = underTest(new Simulation(device, facts, units).plan(), layerType);
        boolean planSplit = under.stream().anyMatch(p -> p.preferred() == Device.ANE)
                && under.stream().anyMatch(p -> p.preferred() != Device.ANE);
        return planSplit && under.stream().noneMatch(p -> p.dispatched() == Device.ANE);
    }

}
