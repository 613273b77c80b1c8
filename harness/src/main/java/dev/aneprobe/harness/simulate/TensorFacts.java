package dev.aneprobe.harness.simulate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tensor as the model bytes describe it.
 *
 * @param name the blob or value name (for an ML Program op input: the value bound to it)
 * @param param for an ML Program op input, the parameter it is bound to ({@code x}, {@code weight}); else null
 * @param shape the dimensions, -1 for a dimension the model leaves open; null when the model does not say
 * @param dtype the element type ({@code fp16}, {@code fp32}, {@code int32}, ...), "" when the model does not say
 * @param constant true for a compile-time constant (an ML Program const, or an inline value)
 */
public record TensorFacts(String name, String param, List<Long> shape, String dtype, boolean constant) {
    public TensorFacts {
        shape = shape == null ? null : List.copyOf(shape);
        dtype = dtype == null ? "" : dtype;
    }

    /** The number of elements, or 0 when the shape is unknown or open. */
    public long elements() {
        if (shape == null) {
            return 0;
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                return 0;
            }
            n *= d;
        }
        return n;
    }

    public int rank() {
        return shape == null ? -1 : shape.size();
    }

    /** The value rules see: name, param, shape, rank, dtype, elements, const. */
    Map<String, Object> celValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name == null ? "" : name);
        m.put("param", param == null ? "" : param);
        m.put("shape", shape == null ? List.of() : shape);
        m.put("rank", (long) rank());
        m.put("dtype", dtype);
        m.put("elements", elements());
        m.put("const", constant);
        return m;
    }

    /** The keys of {@link #celValue}, for checking rules. */
    static final List<String> KEYS = List.of("name", "param", "shape", "rank", "dtype", "elements", "const");
}
