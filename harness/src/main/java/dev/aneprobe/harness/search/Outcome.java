package dev.aneprobe.harness.search;

import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.VerdictKind;
import java.util.List;
import java.util.TreeSet;

/**
 * What an adaptive search compares between two probes: the verdict under one compute-units setting and the devices
 * the compute plan prefers for the layer under test. Two probes have the same outcome when both are equal; latency,
 * the signals that agreed, notes and log lines do not count (they vary from run to run without the rule changing).
 *
 * @param kind the verdict
 * @param preferred the preferred devices of the plan entries under test, in {@link Device} order (empty when there is
 *     no plan: refused, crashed, hung, or an OS without compute plans)
 */
public record Outcome(VerdictKind kind, List<Device> preferred) {
    public Outcome {
        preferred = preferred == null ? List.of() : List.copyOf(new TreeSet<>(preferred));
    }

    /** {@code NOT_ANE/cpu}, {@code ANE/ane}, {@code REJECTED/-}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name()).append('/');
        if (preferred.isEmpty()) {
            return sb.append('-').toString();
        }
        for (int i = 0; i < preferred.size(); i++) {
            sb.append(i == 0 ? "" : "+").append(preferred.get(i).name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.toString();
    }
}
