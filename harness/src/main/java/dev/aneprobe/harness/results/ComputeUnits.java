package dev.aneprobe.harness.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The compute-unit settings a probe is run with. {@link #mlComputeUnits} is Core ML's {@code MLComputeUnits} raw
 * value (NSInteger), passed unchanged through the native shim.
 */
public enum ComputeUnits {
    /** MLComputeUnitsCPUOnly: the baseline every other setting is compared with. */
    CPU("cpu", 0),
    /** MLComputeUnitsCPUAndGPU. */
    GPU("gpu", 1),
    /** MLComputeUnitsAll. */
    ALL("all", 2),
    /** MLComputeUnitsCPUAndNeuralEngine (macOS 13+): the closest Core ML has to "ANE only". */
    ANE("ane", 3);

    private final String label;
    private final long mlComputeUnits;

    ComputeUnits(String label, long mlComputeUnits) {
        this.label = label;
        this.mlComputeUnits = mlComputeUnits;
    }

    @JsonValue
    public String label() {
        return label;
    }

    public long mlComputeUnits() {
        return mlComputeUnits;
    }

    /** True for the settings that allow the Neural Engine, whose lines carry a verdict. */
    public boolean allowsNeuralEngine() {
        return this == ANE || this == ALL;
    }

    @JsonCreator
    public static ComputeUnits fromLabel(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        for (ComputeUnits u : values()) {
            if (u.label.equals(l)) {
                return u;
            }
        }
        throw new IllegalArgumentException("unknown compute units '" + label + "' (expected cpu, gpu, ane or all)");
    }
}
