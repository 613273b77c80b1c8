package dev.aneprobe.harness.analysis.chains;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.probes.catalog.ChainFamilies;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hand-built FIXTURE observations of chain probes (run ids and chip say so): none was measured. */
public final class ChainFixtures {
    private static final String CHIP = "FIXTURE Apple M1";

    /** A FIXTURE observation of a chain probe: the plan gives {@code devices} to the chain's layers in order. */
    public static Observation line(String family, String order, int alternations, ComputeUnits units,
            VerdictKind verdict, Device... devices) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("order", order);
        params.put("alternations", String.valueOf(alternations));
        List<String> names = ChainFamilies.layerNames(params);
        List<PlanEntry> plan = new ArrayList<>();
        plan.add(new PlanEntry("c_s1_y", "const", null, List.of(), null)); // constants have no device
        for (int i = 0; names != null && i < names.size() && i < devices.length; i++) {
            plan.add(new PlanEntry(names.get(i), "k", devices[i], List.of(Device.CPU, devices[i]), null));
        }
        String id = family + "/order=" + order + ",alternations=" + alternations;
        Verdict v = verdict == null ? null : new Verdict(verdict, List.of(), List.of(), List.of(), null);
        return new Observation(1, "FIXTURE-run", id, family, "convolution", params, "0".repeat(64), units,
                "2026-01-01T00:00:00Z", List.of(), plan, null, List.of(), null, v);
    }

    public static RunDir run(String id) {
        HostInfo host = new HostInfo(CHIP, "FIXTURE", "macOS", "14.5", "23F79", true, 16, List.of("cpu", "gpu", "ane"));
        return new RunDir(Path.of(id), new EnvRecord(1, id, "2026-01-01T00:00:00Z", host, "0", null, null, "quick",
                List.of(), null));
    }

    private ChainFixtures() {
    }
}
