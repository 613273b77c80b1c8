package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.ops.OpRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Output shapes inferred from inputs ({@link OutputShapes}): one valid chain through every kind of rule, then one
 * program per rule whose op {@code y} declares a shape its inputs cannot give (or whose inputs admit no shape), each
 * failing with the message that names the rule.
 */
class ProgramShapeTest {
    private static final long[] X = {1, 4, 8, 8};
    private static final DataType T = DataType.FLOAT16;
    private final ProgramValidator validator = new ProgramValidator();


    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i / (float) n;
        }
        return v;
    }

    /** x [1,4,8,8] + bias [4,1,1] -> relu -> softmax -> reshape [1,4,-1] -> transpose -> concat twice -> reshape. */
    static Model chain() {
        MilNet net = MilNet.of("CoreML6").input("x", T, X);
        net.op("add", in("x", "x", "y", net.constFloats("c_bias", T, new long[] {4, 1, 1}, ramp(4))), "aux_sum", T, X);
        net.op("relu", in("x", "aux_sum"), "aux_relu", T, X);
        net.op("softmax", in("x", "aux_relu", "axis", net.constInt("c_softmax_axis", -1)), "aux_soft", T, X);
        net.op("reshape", in("x", "aux_soft", "shape", net.constIntList("c_flat", 1, 4, -1)), "aux_flat", T, 1, 4, 64);
        net.op("transpose", in("x", "aux_flat", "perm", net.constIntList("c_perm", 0, 2, 1)), "aux_t", T, 1, 64, 4);
        Map<String, List<String>> cat = in("axis", net.constInt("c_cat_axis", -1));
        cat.put("values", List.of("aux_t", "aux_t"));
        net.op("concat", cat, "aux_cat", T, 1, 64, 8);
        net.op("reshape", in("x", "aux_cat", "shape", net.constIntList("c_out", 1, 8, 8, 8)), "y", T, 1, 8, 8, 8);
        return net.output("y").toModel("test", (t, d, n) -> 64);
    }

    /**
     * One op {@code type} writing {@code y} of shape {@code yDims} from an input x of shape {@code xDims} in
     * {@code opset}; {@code inputs} adds the op's consts to the net and returns its bindings.
     */
    private static Model single(String opset, long[] xDims, String type, Function<MilNet, Map<String, List<String>>> inputs,
            long... yDims) {
        MilNet net = MilNet.of(opset).input("x", T, xDims);
        net.op(type, inputs.apply(net), "y", T, yDims);
        return net.output("y").toModel("test", (t, d, n) -> 64);
    }

    private static Model single(String type, Function<MilNet, Map<String, List<String>>> inputs, long... yDims) {
        return single("CoreML6", X, type, inputs, yDims);
    }

    private void assertInvalid(Model m, String expected) {
        ProgramTesting.assertProblem(validator.validate(m), expected);
    }

    private void assertValid(Model m) {
        assertEquals(List.of(), validator.validate(m).problems());
    }

    @Test
    void chainIsValid() {
        assertValid(chain());
    }

    @Test
    void everyRuleNamesARegisteredOp() {
        OpRegistry registry = OpRegistry.standard();
        for (String op : OutputShapes.RULES.keySet()) {
            assertTrue(registry.firstOpset(op).isPresent(), op);
        }
    }

    // ------------------------------------------------------------ same shape as x

    @Test
    void unaryOutputShapeDiffers() {
        assertInvalid(single("relu", net -> in("x", "x"), 1, 4, 8, 9),
                "op 'y' (relu) output shape [1, 4, 8, 9] does not match the shape inferred from its inputs "
                        + "[1, 4, 8, 8]");
        assertInvalid(single("softmax", net -> in("x", "x", "axis", net.constInt("c_axis", 1)), 1, 4, 64),
                "op 'y' (softmax) output shape [1, 4, 64] does not match the shape inferred from its inputs "
                        + "[1, 4, 8, 8]");
        assertInvalid(single("layer_norm", net -> in("x", "x", "axes", net.constIntList("c_axes", -1)), 4, 8, 8),
                "op 'y' (layer_norm) output shape [4, 8, 8] does not match the shape inferred from its inputs "
                        + "[1, 4, 8, 8]");
    }

    @Test
    void shapesAreComparedOnlyWhenStatic() {
        MilNet net = MilNet.of("CoreML6").input("x", T, X);
        net.op("relu", in("x", "x"), "aux_open", T, 1, MilNet.UNKNOWN, 8, 8);
        net.op("relu", in("x", "aux_open"), "y", T, 1, 4, 8, 9);
        assertValid(net.output("y").toModel("test", (t, d, n) -> 64));
    }

    // ------------------------------------------------------------ broadcasting

    @Test
    void broadcastOutputShapeDiffers() {
        assertInvalid(single("add", net -> in("x", "x", "y", net.constFloats("c_b", T, new long[] {4, 1, 1},
                ramp(4))), 1, 4, 8, 1),
                "op 'y' (add) output shape [1, 4, 8, 1] does not match the shape inferred from its inputs "
                        + "[1, 4, 8, 8]");
        assertInvalid(single("mul", net -> in("x", "x", "y", net.constFloats("c_b", T, new long[] {2, 1, 1, 1, 1},
                ramp(2))), 1, 4, 8, 8),
                "op 'y' (mul) output shape [1, 4, 8, 8] does not match the shape inferred from its inputs "
                        + "[2, 1, 4, 8, 8]");
    }

    @Test
    void inputsThatDoNotBroadcast() {
        assertInvalid(single("add", net -> in("x", "x", "y", net.constFloats("c_b", T, new long[] {3}, ramp(3))),
                1, 4, 8, 8), "op 'y' (add) input shapes [1, 4, 8, 8] and [3] do not broadcast");
    }

    @Test
    void broadcastingFollowsNumpy() {
        assertEquals(List.of(4L, 3L), OutputShapes.broadcast(List.of(4L, 1L), List.of(1L, 3L)).shape());
        assertEquals(List.of(2L, 5L, 3L), OutputShapes.broadcast(List.of(5L, 1L), List.of(2L, 1L, 3L)).shape());
        assertEquals(List.of(0L, 3L), OutputShapes.broadcast(List.of(0L, 3L), List.of(1L, 3L)).shape());
        assertEquals(List.of(1L, 3L), OutputShapes.broadcast(List.of(), List.of(1L, 3L)).shape());
        assertEquals("input shapes [0] and [2] do not broadcast",
                OutputShapes.broadcast(List.of(0L), List.of(2L)).problem());
    }

    // ------------------------------------------------------------ reshape

    @Test
    void reshapeChangesTheElementCount() {
        assertInvalid(single("reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", 2, 3)), 2, 3),
                "op 'y' (reshape) shape [2, 3] makes 6 elements of x's 256 (x is [1, 4, 8, 8])");
        assertInvalid(single("reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", 3, -1)), 3, 85),
                "op 'y' (reshape) shape [3, -1] makes 255 elements of x's 256 (x is [1, 4, 8, 8])");
    }

    @Test
    void reshapeWithTwoUnknownSizes() {
        assertInvalid(single("reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", -1, -1)), 16, 16),
                "op 'y' (reshape) shape [-1, -1] has more than one -1");
    }

    @Test
    void reshapeOutputShapeDiffers() {
        assertInvalid(single("reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", 1, -1)), 1, 255),
                "op 'y' (reshape) output shape [1, 255] does not match the shape inferred from its inputs [1, 256]");
    }

    @Test
    void reshapeZerosBeforeCoreML7CopyTheSamePosition() {
        assertValid(single("CoreML6", X, "reshape", net -> in("x", "x", "shape",
                net.constIntList("c_shape", 0, 0, -1, 1)), 1, 4, 64, 1));
        assertInvalid(single("CoreML6", X, "reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", 0, -1)),
                8, 32),
                "op 'y' (reshape) shape [0, -1] has a 0 (copy x's dimension), but its length 2 differs from the rank "
                        + "of x [1, 4, 8, 8] (needed before CoreML7)");
    }

    @Test
    void reshapeZerosFromCoreML7CountFromTheRight() {
        assertValid(single("CoreML7", X, "reshape", net -> in("x", "x", "shape", net.constIntList("c_shape", 0, -1)),
                8, 32));
        // coremltools' own example: x [2, 50] with shape [1, 0, -1, 0] gives [1, 1, 2, 50]
        assertValid(single("CoreML7", new long[] {2, 50}, "reshape", net -> in("x", "x", "shape",
                net.constIntList("c_shape", 1, 0, -1, 0)), 1, 1, 2, 50));
        assertInvalid(single("CoreML7", new long[] {2, 50}, "reshape", net -> in("x", "x", "shape",
                net.constIntList("c_shape", 1, 0, -1, 0)), 1, 2, 1, 50),
                "op 'y' (reshape) output shape [1, 2, 1, 50] does not match the shape inferred from its inputs "
                        + "[1, 1, 2, 50]");
    }

    // ------------------------------------------------------------ transpose

    @Test
    void transposeOutputShapeDiffers() {
        assertValid(single("transpose", net -> in("x", "x", "perm", net.constIntList("c_perm", 0, -1, 1, 2)),
                1, 8, 4, 8));
        assertInvalid(single("transpose", net -> in("x", "x", "perm", net.constIntList("c_perm", 0, 2, 3, 1)),
                1, 4, 8, 8),
                "op 'y' (transpose) output shape [1, 4, 8, 8] does not match the shape inferred from its inputs "
                        + "[1, 8, 8, 4]");
    }

    @Test
    void transposePermNotAPermutation() {
        assertInvalid(single("transpose", net -> in("x", "x", "perm", net.constIntList("c_perm", 0, 2, 1)), X),
                "op 'y' (transpose) perm [0, 2, 1] has 3 entries for x of rank 4");
        assertInvalid(single("transpose", net -> in("x", "x", "perm", net.constIntList("c_perm", 0, 1, 1, 2)), X),
                "op 'y' (transpose) perm [0, 1, 1, 2] is not a permutation of x's 4 axes");
        assertInvalid(single("transpose", net -> in("x", "x", "perm", net.constIntList("c_perm", 0, 1, 2, 4)), X),
                "op 'y' (transpose) perm [0, 1, 2, 4] is not a permutation of x's 4 axes");
    }

    // ------------------------------------------------------------ concat

    private static Function<MilNet, Map<String, List<String>>> concat(long[] otherDims, int axis, boolean interleave) {
        return net -> {
            int n = (int) java.util.Arrays.stream(otherDims).reduce(1, (a, b) -> a * b);
            Map<String, List<String>> m = in("axis", net.constInt("c_axis", axis));
            if (interleave) {
                m.put("interleave", List.of(net.constBool("c_interleave", true)));
            }
            m.put("values", List.of("x", net.constFloats("c_other", T, otherDims, ramp(n))));
            return m;
        };
    }

    @Test
    void concatOutputShapeDiffers() {
        assertValid(single("concat", concat(new long[] {1, 3, 8, 8}, 1, false), 1, 7, 8, 8));
        assertValid(single("concat", concat(X, -1, true), 1, 4, 8, 16));
        assertInvalid(single("concat", concat(new long[] {1, 3, 8, 8}, 1, false), 1, 8, 8, 8),
                "op 'y' (concat) output shape [1, 8, 8, 8] does not match the shape inferred from its inputs "
                        + "[1, 7, 8, 8]");
    }

    @Test
    void concatValuesThatDoNotJoin() {
        assertInvalid(single("concat", concat(new long[] {1, 3, 8, 8}, 3, false), 1, 4, 8, 16),
                "op 'y' (concat) values' shapes [1, 4, 8, 8] and [1, 3, 8, 8] differ outside axis 3");
        assertInvalid(single("concat", concat(new long[] {1, 3, 8, 8}, 1, true), 1, 7, 8, 8),
                "op 'y' (concat) values' shapes [1, 4, 8, 8] and [1, 3, 8, 8] differ (interleave needs equal shapes)");
        assertInvalid(single("concat", concat(new long[] {4, 8, 8}, 0, false), 5, 8, 8),
                "op 'y' (concat) values have ranks [4, 3] (they must be equal)");
        assertInvalid(single("concat", concat(X, 4, false), 1, 4, 8, 16),
                "op 'y' (concat) axis 4 is out of range for values of rank 4");
    }
}
