package dev.aneprobe.harness.analysis.chains;

import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.probes.catalog.ChainFamilies;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain probe's compute plan read layer by layer: the device Core ML planned for each of its layers, in the
 * chain's order ({@link ChainFamilies#layerNames}), and what follows from it — how often the model switches device
 * and how often it leaves the Neural Engine for another device.
 *
 * <p>A layer the plan does not name, or names without a device, is unknown ({@code null}); switches are counted
 * between consecutive layers of known placement, skipping unknown ones (as {@code lint} does), and
 * {@link #complete()} says whether any was skipped.
 *
 * @param layers the layer names in chain order
 * @param devices the planned device of each layer (null when unknown), in the same order
 */
public record DeviceSequence(List<String> layers, List<Device> devices) {
    public DeviceSequence {
        layers = List.copyOf(layers);
        devices = Collections.unmodifiableList(new ArrayList<>(devices));
        if (layers.size() != devices.size()) {
            throw new IllegalArgumentException(layers.size() + " layers but " + devices.size() + " devices");
        }
    }

    /**
     * The sequence of one observation line of a chain probe, from its params and compute plan; null when the line is
     * not a chain probe's (another family, or params that name no chain).
     */
    public static DeviceSequence of(Observation o) {
        if (!ChainFamilies.isChain(o.family())) {
            return null;
        }
        List<String> layers = ChainFamilies.layerNames(o.params());
        return layers == null ? null : of(layers, o.plan());
    }

    /** The planned device of each of {@code layers}, looked up by name in {@code plan}. */
    public static DeviceSequence of(List<String> layers, List<PlanEntry> plan) {
        Map<String, Device> byName = new HashMap<>();
        for (PlanEntry e : plan) {
            if (e.name() != null && e.preferred() != null) {
                byName.putIfAbsent(e.name(), e.preferred());
            }
        }
        List<Device> devices = new ArrayList<>(layers.size());
        for (String l : layers) {
            devices.add(byName.get(l));
        }
        return new DeviceSequence(layers, devices);
    }

    /** True when every layer's device is known. */
    public boolean complete() {
        return !devices.contains(null);
    }

    /** True when no layer's device is known (no compute plan: an older macOS, a failed line). */
    public boolean empty() {
        for (Device d : devices) {
            if (d != null) {
                return false;
            }
        }
        return true;
    }

    private List<Device> known() {
        List<Device> out = new ArrayList<>(devices.size());
        for (Device d : devices) {
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    /** Device switches: consecutive layers (of known placement) on different devices. */
    public int switches() {
        List<Device> k = known();
        int n = 0;
        for (int i = 1; i < k.size(); i++) {
            if (k.get(i) != k.get(i - 1)) {
                n++;
            }
        }
        return n;
    }

    /** How often the model leaves the Neural Engine for {@code to}: a layer on the ANE followed by one on {@code to}. */
    public int leaves(Device to) {
        List<Device> k = known();
        int n = 0;
        for (int i = 1; i < k.size(); i++) {
            if (k.get(i - 1) == Device.ANE && k.get(i) == to) {
                n++;
            }
        }
        return n;
    }

    /** True when every known layer is on {@code a} or {@code b}, and each of them has at least one. */
    public boolean onlyAndBoth(Device a, Device b) {
        List<Device> k = known();
        return k.contains(a) && k.contains(b) && k.stream().allMatch(d -> d == a || d == b);
    }

    /**
     * How many times the chain's design lets it leave the ANE at most: the S layers directly followed by a U layer
     * (S first: one per alternation; U first: one fewer).
     */
    public int chancesToLeave() {
        int n = 0;
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i - 1).startsWith("s") && layers.get(i).startsWith("u")) {
                n++;
            }
        }
        return n;
    }

    /** The devices in order, e.g. {@code ane gpu gpu gpu}; {@code ?} for an unknown layer. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (Device d : devices) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(d == null ? "?" : d.label());
        }
        return sb.toString();
    }

    /** The devices in order with the switch count, e.g. {@code ane → gpu → gpu → gpu (1 switch)}. */
    public String describe() {
        int s = switches();
        return text().replace(" ", " \u2192 ") + " (" + s + (s == 1 ? " switch" : " switches") + ")";
    }
}
