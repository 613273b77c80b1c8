package dev.aneprobe.harness.simulate;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A device-model file as written (YAML or JSON; format in docs/simulate.md). Bound strictly: an unknown field or a
 * value of the wrong type is an error. {@link DeviceModel} checks the meaning and compiles the rules.
 */
record DeviceModelSpec(
        String format,
        String name,
        String description,
        Host host,
        Latency latency,
        Stages stages,
        @JsonProperty("default") Outcome fallback,
        Switching switching,
        List<JsonNode> rules) {

    static final String FORMAT = "aneprobe-device-model/1";

    /**
     * The simulated Mac.
     *
     * @param neuralEngineCores 0 for a Mac without a Neural Engine (an Intel Mac, a VM)
     */
    record Host(String chip, String machine, String macos, String build, Integer neuralEngineCores) {
    }

    /** Cost of one layer or op on a device: fixed + per output element + per FLOP. */
    record DeviceCost(Double fixedUs, Double perElementNs, Double perFlopNs) {
    }

    /**
     * The latency model.
     *
     * @param seed seeds the noise (with the model's sha256 and the compute units)
     * @param noise sigma of the multiplicative log-normal noise on every prediction
     * @param coldFactor the first prediction's cost relative to a warm one
     * @param transitionUs cost of each switch between devices from one op to the next
     */
    record Latency(Long seed, Double noise, Double coldFactor, Double transitionUs, DeviceCost cpu, DeviceCost gpu,
            DeviceCost ane) {
    }

    /** Time of one stage: fixed + per megabyte of model + per op; aneMs is added at load when the ANE gets work. */
    record StageCost(Double fixedMs, Double perMegabyteMs, Double perOpMs, Double aneMs) {
    }

    record Stages(StageCost compile, StageCost load, StageCost plan) {
    }

    /**
     * How Core ML partitions a model whose ops want different devices, when the Neural Engine is allowed: per device
     * an op falls back to, {@code repeat} (every op placed on its own: back and forth) or {@code once} (after the
     * model has left the ANE for that device, ops that would go back to the ANE stay there).
     */
    record Switching(String gpu, String cpu) {
    }

    /** Core ML refusing the model at compile or load. */
    record Reject(String stage, List<String> units, String domain, Long code, String message) {
    }

    /** The worker crashing (with a signal) or hanging, at a stage, under some compute units. */
    record Fault(String stage, List<String> units, String signal) {
    }

    /**
     * A rule: which layers or ops (types, and the predicate {@code when}), and what Core ML does with them. In the
     * {@code default} section id, types and when are not allowed.
     */
    record Outcome(String id, List<String> types, String when, String placement, List<String> supported,
            String dispatch, String split, Boolean wholeModel, String reason, Reject reject, Fault crash, Fault hang) {
    }
}
