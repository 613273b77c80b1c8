package dev.aneprobe.harness.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A Core ML compute device, as the compute plan names it (MLCPUComputeDevice, MLGPUComputeDevice, ...). */
public enum Device {
    CPU("cpu"),
    GPU("gpu"),
    ANE("ane"),
    /** A device class this harness does not know (a future SDK). */
    OTHER("other");

    private final String label;

    Device(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static Device fromLabel(String label) {
        String l = label.toLowerCase(Locale.ROOT);
        for (Device d : values()) {
            if (d.label.equals(l)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + label + "'");
    }
}
