package dev.aneprobe.harness.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One NeuralNetwork layer or ML Program operation, as extracted from the model bytes.
 *
 * @param name the layer name, or the op's first output name ("" when it has none): what the compute plan calls it.
 *     Rules never see it (a name says nothing Core ML decides placement by).
 * @param type the NeuralNetworkLayer field ({@code pooling}) or the MIL op type ({@code max_pool})
 * @param depth 0 at the top level, 1 inside a branch, loop or control-flow block, ...
 * @param params the parameters as stored: for a layer, its parameter message field by field (enums by name,
 *     weights summarised); for an op, each input resolved (a const's value, or the bound tensor's description)
 * @param inputs the tensors the op reads
 * @param outputs the tensors it writes
 * @param weights its stored weights
 * @param flops an estimate of its arithmetic (multiply-adds count 2)
 * @param constant true for a value Core ML folds at compile time (ML Program const; NeuralNetwork loadConstant):
 *     it has no device in the plan and costs nothing at prediction
 */
public record OpFacts(String name, String type, int depth, Map<String, Object> params, List<TensorFacts> inputs,
        List<TensorFacts> outputs, List<WeightFacts> weights, long flops, boolean constant) {
    public OpFacts {
        params = params == null ? Map.of() : params;
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        weights = weights == null ? List.of() : List.copyOf(weights);
    }

    /** The largest output's element count (the input's when there is no known output). */
    public long elements() {
        long n = 0;
        for (TensorFacts t : outputs) {
            n = Math.max(n, t.elements());
        }
        if (n == 0) {
            for (TensorFacts t : inputs) {
                n = Math.max(n, t.elements());
            }
        }
        return n;
    }

    /** Element types of everything the op touches: inputs, outputs and weights, in that order, without repeats. */
    public List<String> dtypes() {
        Set<String> s = new LinkedHashSet<>();
        for (TensorFacts t : inputs) {
            if (!t.dtype().isEmpty()) {
                s.add(t.dtype());
            }
        }
        for (TensorFacts t : outputs) {
            if (!t.dtype().isEmpty()) {
                s.add(t.dtype());
            }
        }
        for (WeightFacts w : weights) {
            s.add(w.dtype());
        }
        return new ArrayList<>(s);
    }

    /** The first tensor input that is not a constant (what the op consumes), or null. */
    TensorFacts firstVariableInput() {
        for (TensorFacts t : inputs) {
            if (!t.constant()) {
                return t;
            }
        }
        return inputs.isEmpty() ? null : inputs.get(0);
    }

    static List<Map<String, Object>> celTensors(List<TensorFacts> ts) {
        List<Map<String, Object>> out = new ArrayList<>(ts.size());
        for (TensorFacts t : ts) {
            out.add(t.celValue());
        }
        return out;
    }

    /** The variables a rule's predicate sees for this op in this model (see docs/simulate.md). */
    Map<String, Object> celVariables(ModelFacts model) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", type);
        v.put("format", model.format());
        v.put("params", params);
        v.put("inputs", celTensors(inputs));
        v.put("outputs", celTensors(outputs));
        TensorFacts in = firstVariableInput();
        v.put("input", in == null ? Map.of() : in.celValue());
        v.put("output", outputs.isEmpty() ? Map.of() : outputs.get(0).celValue());
        List<Map<String, Object>> ws = new ArrayList<>();
        for (WeightFacts w : weights) {
            ws.add(w.celValue());
        }
        v.put("weights", ws);
        v.put("dtypes", dtypes());
        v.put("elements", elements());
        v.put("flops", flops);
        v.put("depth", (long) depth);
        v.put("model", model.celValue());
        return v;
    }
}
