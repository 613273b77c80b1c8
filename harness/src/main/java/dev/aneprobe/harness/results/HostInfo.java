package dev.aneprobe.harness.results;

import java.util.List;

/**
 * The machine a run was made on, as the native shim reports it.
 *
 * @param chip e.g. "Apple M1" (machdep.cpu.brand_string)
 * @param machineModel e.g. "MacBookPro17,1" (hw.model)
 * @param osName "macOS"
 * @param osVersion e.g. "14.5"
 * @param osBuild e.g. "23F79"
 * @param hasNeuralEngine whether Core ML lists a Neural Engine compute device
 * @param neuralEngineCores the Neural Engine's core count, when known
 * @param computeDevices Core ML's compute devices, e.g. [cpu, gpu, ane]
 */
public record HostInfo(String chip, String machineModel, String osName, String osVersion, String osBuild,
        boolean hasNeuralEngine, Integer neuralEngineCores, List<String> computeDevices) {
    public HostInfo {
        computeDevices = computeDevices == null ? List.of() : List.copyOf(computeDevices);
    }

    /** The column key results are grouped by: "Apple M1 / macOS 14.5". */
    public String chipOsKey() {
        return chip + " / " + osName + " " + osVersion;
    }
}
