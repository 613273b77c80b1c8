package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilElementwiseFamilies.auxCast;
import static dev.aneprobe.probes.catalog.MilElementwiseFamilies.count;
import static dev.aneprobe.probes.catalog.MilElementwiseFamilies.range;
import static dev.aneprobe.probes.catalog.MilElementwiseFamilies.rank4;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.Map;

/**
 * ML Program element-wise binary ops. The seed table's question for the NeuralNetwork broadcastable layers (not on
 * the Neural Engine, except perhaps a multiply of CxHxW by Cx1x1) is asked again of the MIL ops: every family sweeps
 * the shape of the second operand ({@code b}: CxHxW, Cx1x1, 1xHxW or 1x1x1, as a rank-4 [1, ...] tensor against the
 * input [N, C, H, W]) and whether it is a second model input or a constant. Comparisons and logical ops produce BOOL,
 * which a model output cannot be: a helper cast to the float type writes the model output {@code y_out}. The logical
 * ops take BOOL operands, made from the float inputs by helper casts (a constant operand is a BOOL constant).
 */
final class MilBinaryFamilies {
    /** Broadcast patterns of the second operand against [N, C, H, W]. */
    static final String[] PATTERNS = {"CxHxW", "Cx1x1", "1xHxW", "1x1x1"};

    static final String[] ARITHMETIC = {"sub", "real_div", "maximum", "minimum", "pow", "floor_div", "mod"};
    static final String[] COMPARISONS = {"equal", "not_equal", "greater", "greater_equal", "less", "less_equal"};
    static final String[] LOGICAL = {"logical_and", "logical_or", "logical_xor", "logical_not"};

    private MilBinaryFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(addOrMul("add"), addOrMul("mul"), arithmetic(), comparison(), logical());
    }

    static Axis broadcast() {
        return Axis.choice("b", PATTERNS).allChoices(Profile.STANDARD);
    }

    static Axis operand() {
        return Axis.choice("operand", "input", "constant").allChoices(Profile.STANDARD);
    }

    /** Which side the second operand is bound to: converters emit either order. */
    static Axis order() {
        return Axis.choice("order", "xFirst", "bFirst").allChoices(Profile.STANDARD);
    }

    /** The second operand's shape for {@code pattern} against the input {@code in}. */
    static long[] operandShape(long[] in, String pattern) {
        switch (pattern) {
            case "CxHxW":
                return new long[] {1, in[1], in[2], in[3]};
            case "Cx1x1":
                return new long[] {1, in[1], 1, 1};
            case "1xHxW":
                return new long[] {1, 1, in[2], in[3]};
            case "1x1x1":
                return new long[] {1, 1, 1, 1};
            default:
                throw new IllegalArgumentException("unknown broadcast pattern " + pattern);
        }
    }

    // ---- add, mul ------------------------------------------------------------------------------------------

    /**
     * add and mul each get a family: quick asks the seed's question directly, CxHxW and Cx1x1 second operands as a
     * model input and as a constant.
     */
    static ProbeFamily addOrMul(String op) {
        return ProbeFamily.named("mil." + op)
                .layers(op)
                .minSpec(6)
                .summary("ML Program " + op + ": second operand broadcast from CxHxW / Cx1x1 / 1xHxW / 1x1x1, input"
                        + " or constant, either order; dtype, size")
                .axis(Axis.choice("b", PATTERNS).quick("Cx1x1").allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant").quick("constant"))
                .axis(order())
                .axis(dtype())
                .axis(rank4())
                .grid(Profile.QUICK, "b", "operand")
                .grid(Profile.FULL, "b", "operand", "in")
                .grid(Profile.FULL, "b", "operand", "order")
                .grid(Profile.FULL, "b", "dtype")
                .builds(s -> buildArithmetic(s, op))
                .build();
    }

    static ProbeFamily arithmetic() {
        return ProbeFamily.named("mil.binary")
                .layers(ARITHMETIC)
                .minSpec(6)
                .summary("ML Program sub, real_div, maximum, minimum, pow, floor_div, mod: broadcast second operand,"
                        + " input or constant, order; dtype, size")
                .axis(Axis.choice("layer", ARITHMETIC).allChoices(Profile.STANDARD))
                .axis(broadcast())
                .axis(operand())
                .axis(order())
                .axis(dtype())
                .axis(rank4())
                .grid(Profile.FULL, "layer", "b", "operand")
                .grid(Profile.FULL, "layer", "order")
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                .builds(s -> buildArithmetic(s, s.text("layer")))
                .build();
    }

    /** The second operand: a model input {@code b} or a constant {@code c_b}, positive (a safe divisor/exponent). */
    private static String secondOperand(MilNet net, ProbeSpec s, long[] shape, DataType t) {
        if (s.text("operand").equals("input")) {
            net.input("b", t, shape);
            return "b";
        }
        Weights w = new Weights(s.seed());
        return net.constFloats("c_b", t, shape, range(w, count(shape), 0.5, 1.5));
    }

    private static Map<String, List<String>> bind(ProbeSpec s, String x, String other) {
        return s.has("order") && s.text("order").equals("bFirst") ? inputs("x", other, "y", x)
                : inputs("x", x, "y", other);
    }

    private static MilNet buildArithmetic(ProbeSpec s, String op) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String other = secondOperand(net, s, operandShape(in, s.text("b")), t);
        return net.op(op, bind(s, "x", other), "y", t, in).output("y");
    }

    // ---- comparisons ---------------------------------------------------------------------------------------

    static ProbeFamily comparison() {
        return ProbeFamily.named("mil.compare")
                .layers(COMPARISONS)
                .minSpec(6)
                .summary("ML Program equal, not_equal, greater(_equal), less(_equal) (BOOL result cast back to the"
                        + " float type): broadcast second operand, input or constant; dtype, size")
                .axis(Axis.choice("layer", COMPARISONS).allChoices(Profile.STANDARD))
                .axis(broadcast())
                .axis(operand())
                .axis(dtype())
                .axis(rank4())
                .grid(Profile.FULL, "layer", "b", "operand")
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                .builds(MilBinaryFamilies::buildComparison)
                .build();
    }

    private static MilNet buildComparison(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String other = secondOperand(net, s, operandShape(in, s.text("b")), t);
        net.op(s.text("layer"), inputs("x", "x", "y", other), "y", DataType.BOOL, in);
        return net.output(auxCast(net, "y", "y_out", t, in));
    }

    // ---- logical -------------------------------------------------------------------------------------------

    /**
     * logical_and / or / xor / not on BOOL tensors cast from the float inputs; logical_not has no second operand
     * and is swept over dtype and size only.
     */
    static ProbeFamily logical() {
        return ProbeFamily.named("mil.logical")
                .layers(LOGICAL)
                .minSpec(6)
                .summary("ML Program logical_and / or / xor / not on BOOL tensors cast from float inputs (result cast"
                        + " back): broadcast second operand, input or constant; dtype, size")
                .axis(Axis.choice("layer", LOGICAL).allChoices(Profile.STANDARD))
                .axis(broadcast())
                .axis(operand())
                .axis(dtype())
                .axis(rank4())
                .grid(Profile.FULL, "layer", "b", "operand")
                .grid(Profile.FULL, "layer", "dtype")
                .grid(Profile.FULL, "layer", "in")
                .admissible("logical_not takes one input, so operand stays input and b stays the input's shape",
                        s -> !s.text("layer").equals("logical_not")
                        || (s.text("b").equals(PATTERNS[0]) && s.text("operand").equals("input")))
                .builds(MilBinaryFamilies::buildLogical)
                .build();
    }

    private static MilNet buildLogical(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        String op = s.text("layer");
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        if (op.equals("logical_not")) {
            String x = auxCast(net, "x", "aux_x", DataType.BOOL, in);
            net.op(op, inputs("x", x), "y", DataType.BOOL, in);
            return net.output(auxCast(net, "y", "y_out", t, in));
        }
        long[] shape = operandShape(in, s.text("b"));
        String other;
        if (s.text("operand").equals("input")) {
            net.input("b", t, shape);
            other = null;
        } else {
            Weights w = new Weights(s.seed());
            float[] v = w.floats(count(shape), 1.0);
            boolean[] bools = new boolean[v.length];
            for (int i = 0; i < v.length; i++) {
                bools[i] = v[i] > 0;
            }
            other = net.constBools("c_b", shape, bools);
        }
        String x = auxCast(net, "x", "aux_x", DataType.BOOL, in);
        if (other == null) {
            other = auxCast(net, "b", "aux_b", DataType.BOOL, shape);
        }
        net.op(op, inputs("x", x, "y", other), "y", DataType.BOOL, in);
        return net.output(auxCast(net, "y", "y_out", t, in));
    }
}
