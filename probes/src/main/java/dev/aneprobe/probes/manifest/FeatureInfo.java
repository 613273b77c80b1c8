package dev.aneprobe.probes.manifest;

import java.util.List;

/**
 * One model input or output as the sweep needs it to allocate buffers: the feature name, its static shape and
 * its Core ML multiarray data type name ({@code FLOAT32}, {@code FLOAT16}, {@code INT32}, {@code DOUBLE}).
 */
public record FeatureInfo(String name, List<Long> shape, String dataType) {
    public FeatureInfo {
        shape = List.copyOf(shape);
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
