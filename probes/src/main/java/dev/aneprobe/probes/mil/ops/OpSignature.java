package dev.aneprobe.probes.mil.ops;

import java.util.List;
import java.util.Optional;

/**
 * One version of a MIL op: the opset it first appears in, its parameters and how many outputs it produces.
 *
 * @param op                 the op type, e.g. "conv"
 * @param opset              the first opset of this version, e.g. "CoreML7"
 * @param inputs             the parameters, in registry order
 * @param outputs            the largest number of outputs, -1 for any number
 * @param minOutputs         the smallest number of outputs (equals outputs unless a range is declared; 0 for any)
 * @param paramsAsAttributes true when the parameters are serialized as op attributes (constexpr ops before CoreML8)
 */
public record OpSignature(String op, String opset, List<InputSpec> inputs, int outputs, int minOutputs,
        boolean paramsAsAttributes) {

    public OpSignature {
        inputs = List.copyOf(inputs);
    }

    public OpSignature(String op, String opset, List<InputSpec> inputs, int outputs) {
        this(op, opset, inputs, outputs, outputs < 0 ? 0 : outputs, false);
    }

    public Optional<InputSpec> input(String name) {
        return inputs.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    public boolean acceptsOutputCount(int n) {
        return outputs < 0 ? n >= minOutputs : n >= minOutputs && n <= outputs;
    }

    /** The accepted output count for messages: "1", "1..2" or "any number of". */
    public String outputCountText() {
        if (outputs < 0) {
            return minOutputs == 0 ? "any number of" : "at least " + minOutputs;
        }
        return minOutputs == outputs ? Integer.toString(outputs) : minOutputs + ".." + outputs;
    }
}
