package dev.aneprobe.probes.model;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import java.util.List;

/** A multiarray model input or output of a probe: name, static shape and element type. */
public record Feature(String name, List<Long> shape, ArrayFeatureType.ArrayDataType dataType) {
    public Feature {
        shape = List.copyOf(shape);
    }

    public static Feature float32(String name, long... dims) {
        return new Feature(name, toList(dims), ArrayFeatureType.ArrayDataType.FLOAT32);
    }

    public static Feature of(String name, ArrayFeatureType.ArrayDataType type, long... dims) {
        return new Feature(name, toList(dims), type);
    }

    public int rank() {
        return shape.size();
    }

    public long[] dims() {
        long[] d = new long[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = shape.get(i);
        }
        return d;
    }

    static List<Long> toList(long... dims) {
        Long[] boxed = new Long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            boxed[i] = dims[i];
        }
        return List.of(boxed);
    }
}
