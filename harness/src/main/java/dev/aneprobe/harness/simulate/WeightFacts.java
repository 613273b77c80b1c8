package dev.aneprobe.harness.simulate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stored weights of a layer or op.
 *
 * @param name the field (NeuralNetwork: {@code weights}, {@code bias}, ...) or parameter (ML Program) they are in
 * @param dtype {@code fp32}, {@code fp16}, {@code int8}, {@code uint8}, ... ({@code quantized<bits>} for
 *     NeuralNetwork quantized codes)
 * @param elements how many values
 */
public record WeightFacts(String name, String dtype, long elements) {
    Map<String, Object> celValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("dtype", dtype);
        m.put("elements", elements);
        return m;
    }

    static final java.util.List<String> KEYS = java.util.List.of("name", "dtype", "elements");
}
