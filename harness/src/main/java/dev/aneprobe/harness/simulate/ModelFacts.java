package dev.aneprobe.harness.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the simulated Core ML knows about a model: what {@link ModelExtractor} read from its bytes. It is what a
 * simulated compile writes into the {@code .mlmodelc} bundle, and all that load, plan and predict read back.
 *
 * @param format {@code neuralNetwork} or {@code mlProgram}
 * @param specificationVersion the model's specification version
 * @param opset the ML Program function's opset ({@code CoreML7}), "" for a NeuralNetwork
 * @param inputs the model's inputs
 * @param outputs the model's outputs
 * @param flexibleShapes true when an input has a shape range, enumerated shapes or an open dimension
 * @param bytes the size of the model (with its weight files)
 * @param sha256 the sha256 of those bytes (seeds the latency noise)
 * @param ops every layer or op, nested ones included, in model order
 */
public record ModelFacts(String format, int specificationVersion, String opset, List<TensorFacts> inputs,
        List<TensorFacts> outputs, boolean flexibleShapes, long bytes, String sha256, List<OpFacts> ops) {
    public static final String NEURAL_NETWORK = "neuralNetwork";
    public static final String ML_PROGRAM = "mlProgram";

    public ModelFacts {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        ops = ops == null ? List.of() : List.copyOf(ops);
        opset = opset == null ? "" : opset;
    }

    /** Element types of the model's inputs and outputs. */
    public List<String> ioDtypes() {
        Set<String> s = new LinkedHashSet<>();
        for (TensorFacts t : inputs) {
            s.add(t.dtype());
        }
        for (TensorFacts t : outputs) {
            s.add(t.dtype());
        }
        s.remove("");
        return new ArrayList<>(s);
    }

    /** The {@code model} variable of a rule: format, specificationVersion, opset, inputs, outputs, dtypes, ... */
    Map<String, Object> celValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format);
        m.put("specificationVersion", (long) specificationVersion);
        m.put("opset", opset);
        m.put("inputs", OpFacts.celTensors(inputs));
        m.put("outputs", OpFacts.celTensors(outputs));
        m.put("dtypes", ioDtypes());
        m.put("flexibleShapes", flexibleShapes);
        m.put("ops", (long) ops.stream().filter(o -> !o.constant()).count());
        m.put("types", ops.stream().map(OpFacts::type).distinct().toList());
        return m;
    }

    static final List<String> KEYS = List.of("format", "specificationVersion", "opset", "inputs", "outputs",
            "dtypes", "flexibleShapes", "ops", "types");
}
