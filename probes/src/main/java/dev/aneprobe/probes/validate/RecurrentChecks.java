package dev.aneprobe.probes.validate;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.BiDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.GRULayerParams;
import dev.aneprobe.probes.coreml.LSTMParams;
import dev.aneprobe.probes.coreml.LSTMWeightParams;
import dev.aneprobe.probes.coreml.QuantizationParams;
import dev.aneprobe.probes.coreml.SimpleRecurrentLayerParams;
import dev.aneprobe.probes.coreml.UniDirectionalLSTMLayerParams;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Weights;
import java.util.List;
import java.util.Set;

/**
 * The parameter rules of the four recurrent layers (simpleRecurrent, gru, uniDirectionalLSTM, biDirectionalLSTM),
 * as Core ML's validator states them:
 * <ul>
 * <li>every activation is one of the kinds a recurrent layer can run: linear, sigmoid, tanh, scaledTanh,
 * sigmoidHard or ReLU (anything else, or no kind at all, is refused);</li>
 * <li>a uniDirectionalLSTM has 3 activations, a biDirectionalLSTM 3 for each direction (and 2 weight sets,
 * forward then backward);</li>
 * <li>each weight field holds exactly one kind of values: float32 or float16 with exactly the expected count
 * (input matrices h·x, recursion matrices h·h, bias and peephole vectors h, where x is inputVectorSize and h is
 * outputVectorSize), or quantized codes with enough bytes and usable quantization parameters. Bias vectors are
 * checked only when the layer says it has them, peephole vectors likewise.</li>
 * </ul>
 * That float32 and float16 are not mixed within one layer is the general precision rule of {@link LayerChecks}.
 */
final class RecurrentChecks {
    /** The activation kinds (ActivationParams oneof field names) a recurrent layer accepts. */
    private static final Set<String> RECURRENT_KINDS = Set.of("linear", "sigmoid", "tanh", "scaledTanh",
            "sigmoidHard", "ReLU");
    private static final String KINDS_TEXT = "linear, sigmoid, tanh, scaledTanh, sigmoidHard or ReLU";

    private static final String MATRIX = "outputVectorSize × inputVectorSize";
    private static final String SQUARE = "outputVectorSize²";
    private static final String VECTOR = "outputVectorSize";

    private RecurrentChecks() {
    }

    static void simpleRecurrent(SimpleRecurrentLayerParams p, String who, List<String> problems) {
        long x = p.getInputVectorSize();
        long h = p.getOutputVectorSize();
        weights(p.getWeightMatrix(), h * x, h, "weightMatrix", MATRIX, who, problems);
        weights(p.getRecursionMatrix(), h * h, h, "recursionMatrix", SQUARE, who, problems);
        if (p.getHasBiasVector()) {
            weights(p.getBiasVector(), h, 1, "biasVector", VECTOR, who, problems);
        }
        activationKind(p.getActivation(), "activation", who, problems);
    }

    static void gru(GRULayerParams p, String who, List<String> problems) {
        long x = p.getInputVectorSize();
        long h = p.getOutputVectorSize();
        weights(p.getUpdateGateWeightMatrix(), h * x, h, "updateGateWeightMatrix", MATRIX, who, problems);
        weights(p.getResetGateWeightMatrix(), h * x, h, "resetGateWeightMatrix", MATRIX, who, problems);
        weights(p.getOutputGateWeightMatrix(), h * x, h, "outputGateWeightMatrix", MATRIX, who, problems);
        weights(p.getUpdateGateRecursionMatrix(), h * h, h, "updateGateRecursionMatrix", SQUARE, who, problems);
        weights(p.getResetGateRecursionMatrix(), h * h, h, "resetGateRecursionMatrix", SQUARE, who, problems);
        weights(p.getOutputGateRecursionMatrix(), h * h, h, "outputGateRecursionMatrix", SQUARE, who, problems);
        if (p.getHasBiasVectors()) {
            weights(p.getUpdateGateBiasVector(), h, 1, "updateGateBiasVector", VECTOR, who, problems);
            weights(p.getResetGateBiasVector(), h, 1, "resetGateBiasVector", VECTOR, who, problems);
            weights(p.getOutputGateBiasVector(), h, 1, "outputGateBiasVector", VECTOR, who, problems);
        }
        activationKinds(p.getActivationsList(), "activation", who, problems);
        // Core ML's validator checks only the kinds here, not how many there are; the layer computes with exactly
        // two (the gate activation, then the output activation), so aneprobe insists on two.
        if (p.getActivationsCount() != 2) {
            problems.add(who + " needs 2 activations (has " + p.getActivationsCount() + ")");
        }
    }

    static void uniDirectionalLstm(UniDirectionalLSTMLayerParams p, String who, List<String> problems) {
        activationKinds(p.getActivationsList(), "activation", who, problems);
        if (p.getActivationsCount() != 3) {
            problems.add(who + " needs 3 activations (has " + p.getActivationsCount() + ")");
        }
        lstmWeights(p.getWeightParams(), p.getParams(), p.getInputVectorSize(), p.getOutputVectorSize(), "", who,
                problems);
    }

    static void biDirectionalLstm(BiDirectionalLSTMLayerParams p, String who, List<String> problems) {
        activationKinds(p.getActivationsForwardLSTMList(), "forward activation", who, problems);
        activationKinds(p.getActivationsBackwardLSTMList(), "backward activation", who, problems);
        if (p.getActivationsForwardLSTMCount() != 3) {
            problems.add(who + " needs 3 forward activations (has " + p.getActivationsForwardLSTMCount() + ")");
        }
        if (p.getActivationsBackwardLSTMCount() != 3) {
            problems.add(who + " needs 3 backward activations (has " + p.getActivationsBackwardLSTMCount() + ")");
        }
        // Core ML reads weightParams[0] (forward) and weightParams[1] (backward) without looking at the count.
        if (p.getWeightParamsCount() != 2) {
            problems.add(who + " needs 2 weightParams, forward then backward (has " + p.getWeightParamsCount()
                    + ")");
            return;
        }
        long x = p.getInputVectorSize();
        long h = p.getOutputVectorSize();
        lstmWeights(p.getWeightParams(0), p.getParams(), x, h, "forward ", who, problems);
        lstmWeights(p.getWeightParams(1), p.getParams(), x, h, "backward ", who, problems);
    }

    /** One direction's LSTM weights; {@code direction} prefixes the field names ("forward ", or ""). */
    private static void lstmWeights(LSTMWeightParams w, LSTMParams params, long x, long h, String direction,
            String who, List<String> problems) {
        String d = direction;
        weights(w.getInputGateWeightMatrix(), h * x, h, d + "inputGateWeightMatrix", MATRIX, who, problems);
        weights(w.getForgetGateWeightMatrix(), h * x, h, d + "forgetGateWeightMatrix", MATRIX, who, problems);
        weights(w.getBlockInputWeightMatrix(), h * x, h, d + "blockInputWeightMatrix", MATRIX, who, problems);
        weights(w.getOutputGateWeightMatrix(), h * x, h, d + "outputGateWeightMatrix", MATRIX, who, problems);
        weights(w.getInputGateRecursionMatrix(), h * h, h, d + "inputGateRecursionMatrix", SQUARE, who, problems);
        weights(w.getForgetGateRecursionMatrix(), h * h, h, d + "forgetGateRecursionMatrix", SQUARE, who,
                problems);
        weights(w.getBlockInputRecursionMatrix(), h * h, h, d + "blockInputRecursionMatrix", SQUARE, who,
                problems);
        weights(w.getOutputGateRecursionMatrix(), h * h, h, d + "outputGateRecursionMatrix", SQUARE, who,
                problems);
        if (params.getHasBiasVectors()) {
            weights(w.getInputGateBiasVector(), h, 1, d + "inputGateBiasVector", VECTOR, who, problems);
            weights(w.getForgetGateBiasVector(), h, 1, d + "forgetGateBiasVector", VECTOR, who, problems);
            weights(w.getBlockInputBiasVector(), h, 1, d + "blockInputBiasVector", VECTOR, who, problems);
            weights(w.getOutputGateBiasVector(), h, 1, d + "outputGateBiasVector", VECTOR, who, problems);
        }
        if (params.getHasPeepholeVectors()) {
            weights(w.getInputGatePeepholeVector(), h, 1, d + "inputGatePeepholeVector", VECTOR, who, problems);
            weights(w.getForgetGatePeepholeVector(), h, 1, d + "forgetGatePeepholeVector", VECTOR, who, problems);
            weights(w.getOutputGatePeepholeVector(), h, 1, d + "outputGatePeepholeVector", VECTOR, who, problems);
        }
    }

    private static void activationKinds(List<ActivationParams> activations, String role, String who,
            List<String> problems) {
        for (int i = 0; i < activations.size(); i++) {
            activationKind(activations.get(i), role + " " + i, who, problems);
        }
    }

    private static void activationKind(ActivationParams a, String role, String who, List<String> problems) {
        FieldDescriptor kind = a.getOneofFieldDescriptor(ActivationParams.getDescriptor().getOneofs().get(0));
        if (kind == null) {
            problems.add(who + " " + role + " has no kind set; a recurrent layer takes " + KINDS_TEXT);
        } else if (!RECURRENT_KINDS.contains(kind.getName())) {
            problems.add(who + " " + role + " is " + kind.getName() + "; a recurrent layer takes " + KINDS_TEXT);
        }
    }

    /**
     * One weight field of a recurrent layer: exactly one value field set; float32 or float16 values numbering
     * {@code expected}; or quantized codes (rawValue with quantization parameters) of at least
     * ⌈bits · expected / 8⌉ bytes, with 1 to 8 bits, and either a linear quantization whose scale has 1 or
     * {@code channels} values and whose bias is empty or as long as the scale, or a lookup table of 2^bits values.
     */
    private static void weights(WeightParams w, long expected, long channels, String field, String formula,
            String who, List<String> problems) {
        int kinds = (Weights.float32Count(w) > 0 ? 1 : 0) + (w.getFloat16Value().isEmpty() ? 0 : 1)
                + (w.getRawValue().isEmpty() ? 0 : 1) + (w.getInt8RawValue().isEmpty() ? 0 : 1);
        if (kinds > 1) {
            problems.add(who + " " + field + " sets more than one of floatValue, float16Value, rawValue and "
                    + "int8RawValue");
            return;
        }
        if (Weights.float32Count(w) > 0 || !w.getFloat16Value().isEmpty()) {
            long actual = Messages.count(w);
            if (actual != expected) {
                problems.add(who + " " + field + " holds " + actual + " values but " + formula + " = " + expected);
            }
            return;
        }
        if (w.getRawValue().isEmpty() || !w.hasQuantization()) {
            problems.add(who + " " + field + " holds no float32, float16 or quantized rawValue values (needs "
                    + formula + " = " + expected + ")");
            return;
        }
        QuantizationParams q = w.getQuantization();
        long bits = q.getNumberOfBits();
        long needed = (bits * expected + 7) / 8;
        if (w.getRawValue().size() < needed) {
            problems.add(who + " " + field + " holds " + w.getRawValue().size() + " bytes of quantized codes but "
                    + formula + " = " + expected + " codes of " + bits + " bits need " + needed);
            return;
        }
        String bad = null;
        if (bits < 1 || bits > 8) {
            bad = "numberOfBits " + bits + " is outside 1..8";
        } else if (q.hasLinearQuantization()) {
            int scales = q.getLinearQuantization().getScaleCount();
            int biases = q.getLinearQuantization().getBiasCount();
            if (scales != 1 && scales != channels) {
                bad = "linear scale has " + scales + " values, not 1 or " + channels;
            } else if (biases != 0 && biases != scales) {
                bad = "linear bias has " + biases + " values, not 0 or " + scales;
            }
        } else if (q.hasLookupTableQuantization()) {
            int entries = q.getLookupTableQuantization().getFloatValueCount();
            if (entries != 1L << bits) {
                bad = "lookup table has " + entries + " values, not 2^" + bits + " = " + (1L << bits);
            }
        } else {
            bad = "neither linear nor lookup-table quantization is set";
        }
        if (bad != null) {
            problems.add(who + " " + field + " has unusable quantization parameters: " + bad);
        }
    }
}
