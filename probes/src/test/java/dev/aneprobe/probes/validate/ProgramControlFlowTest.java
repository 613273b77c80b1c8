package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.MilNet.Out;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * cond and while_loop against their nested blocks: a valid program of each built with {@link MilNet} (the shape of
 * the catalog's mil.cond and mil.while_loop probes), then one hand-broken copy per rule, each failing with the
 * message that names the rule.
 */
class ProgramControlFlowTest {
    private static final long[] SHAPE = {1, 4, 8, 8};
    private static final DataType T = DataType.FLOAT16;
    private final ProgramValidator validator = new ProgramValidator();


    /** pred = mean(x) > 0; cond: relu(x) if pred, else x * 0.5. */
    static Model cond() {
        MilNet net = MilNet.of("CoreML6").input("x", T, SHAPE);
        net.op("reduce_mean", in("x", "x", "keep_dims", net.constBool("c_keep_dims", false)), "aux_mean", T);
        net.op("greater", in("x", "aux_mean", "y", net.constFloat("c_zero", T, 0f)), "aux_pred", DataType.BOOL);
        MilNet.Block whenTrue = net.block();
        whenTrue.op("relu", in("x", "x"), "aux_true", T, SHAPE).output("aux_true");
        MilNet.Block whenFalse = net.block();
        String half = whenFalse.constFloat("c_half", T, 0.5f);
        whenFalse.op("mul", in("x", "x", "y", half), "aux_false", T, SHAPE).output("aux_false");
        return net.op("cond", in("pred", "aux_pred"), List.of(new Out("y", T, SHAPE)), List.of(whenTrue, whenFalse))
                .output("y").toModel("test", (t, d, n) -> 64);
    }

    /** Loop variables (x, counter): while counter < 3, x = tanh(x) and counter = counter + 1. */
    static Model whileLoop() {
        return whileLoop(SHAPE);
    }

    /** The loop with the blocks' view of x declared with {@code blockDims} (an unknown size stays open). */
    static Model whileLoop(long[] blockDims) {
        MilNet net = MilNet.of("CoreML6").input("x", T, SHAPE);
        String start = net.constInt("c_start", 0);
        String limit = net.constInt("c_limit", 3);
        MilNet.Block condition = net.block();
        condition.input("aux_cond_x", T, blockDims);
        String counter = condition.input("aux_cond_counter", DataType.INT32);
        condition.op("less", in("x", counter, "y", limit), "aux_continue", DataType.BOOL).output("aux_continue");
        MilNet.Block body = net.block();
        String bodyX = body.input("aux_body_x", T, blockDims);
        String bodyCounter = body.input("aux_body_counter", DataType.INT32);
        body.op("add", in("x", bodyCounter, "y", body.constInt("c_step", 1)), "aux_next", DataType.INT32);
        body.op("tanh", in("x", bodyX), "aux_tanh", T, blockDims);
        body.output("aux_tanh").output("aux_next");
        return net.op("while_loop", Map.of("loop_vars", List.of("x", start)),
                List.of(new Out("y", T, SHAPE), new Out("aux_counter", DataType.INT32)), List.of(condition, body))
                .output("y").toModel("test", (t, d, n) -> 64);
    }

    /** The model with the op named {@code name} of the main block edited. */
    private static Model editOp(Model m, String name, UnaryOperator<Operation.Builder> edit) {
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        String opset = main.getOpset();
        Block.Builder b = main.getBlockSpecializationsOrThrow(opset).toBuilder();
        for (int i = 0; i < b.getOperationsCount(); i++) {
            Operation op = b.getOperations(i);
            if (op.getOutputsCount() > 0 && op.getOutputs(0).getName().equals(name)) {
                b.setOperations(i, edit.apply(op.toBuilder()));
                return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                        main.toBuilder().putBlockSpecializations(opset, b.build()).build())).build();
            }
        }
        throw new AssertionError("no op " + name);
    }

    /** The model with nested block {@code index} of op {@code name} edited. */
    private static Model editBlock(Model m, String name, int index, UnaryOperator<Block.Builder> edit) {
        return editOp(m, name, op -> op.setBlocks(index, edit.apply(op.getBlocks(index).toBuilder())));
    }

    private static NamedValueType nvt(String name, DataType t, long... dims) {
        return NamedValueType.newBuilder().setName(name).setType(ProgramValidatorTest.tensor(t, dims)).build();
    }

    private void assertInvalid(Model m, String expected) {
        ProgramTesting.assertProblem(validator.validate(m), expected);
    }

    // ------------------------------------------------------------ cond

    @Test
    void condIsValid() {
        assertEquals(List.of(), validator.validate(cond()).problems());
    }

    @Test
    void condPredicateNotAScalar() {
        assertInvalid(editOp(cond(), "aux_pred", op -> op.setOutputs(0, nvt("aux_pred", DataType.BOOL, 1))),
                "op 'y' (cond) input 'pred' must be a BOOL scalar, got tensor<BOOL,[1]>");
    }

    @Test
    void condBranchWithExtraOutput() {
        assertInvalid(editBlock(cond(), "y", 0, b -> b.addOutputs("x")),
                "op 'y' (cond) true branch has 2 outputs, the op has 1 (they must match)");
    }

    @Test
    void condBranchOutputOfAnotherType() {
        assertInvalid(editBlock(cond(), "y", 1, b -> b.setOutputs(0, "aux_mean")),
                "op 'y' (cond) false branch output 0 'aux_mean' is tensor<FLOAT16,[]>, the op's output 0 'y' is "
                        + "tensor<FLOAT16,[1,4,8,8]>");
    }

    @Test
    void condBranchWithBlockInputs() {
        assertInvalid(editBlock(cond(), "y", 0, b -> b.addInputs(nvt("aux_true_in", T, SHAPE))),
                "op 'y' (cond) true branch has 1 block input (a cond branch takes none)");
    }

    @Test
    void condWithOneBlock() {
        assertInvalid(editOp(cond(), "y", op -> op.removeBlocks(1)),
                "op 'y' (cond) has 1 nested block (cond takes 2: the true and the false branch)");
    }

    // ------------------------------------------------------------ while_loop

    @Test
    void whileLoopIsValid() {
        assertEquals(List.of(), validator.validate(whileLoop()).problems());
    }

    @Test
    void whileLoopBlockInputsMayLeaveADimensionOpen() {
        assertEquals(List.of(), validator.validate(whileLoop(new long[] {1, MilNet.UNKNOWN, 8, 8})).problems());
    }

    @Test
    void whileLoopBlockWithAnExtraInput() {
        assertInvalid(editBlock(whileLoop(), "y", 1, b -> b.addInputs(nvt("aux_body_extra", T, SHAPE))),
                "op 'y' (while_loop) body block has 3 inputs, loop_vars has 2 (one block input per loop variable)");
        assertInvalid(editBlock(whileLoop(), "y", 0, b -> b.removeInputs(0)),
                "op 'y' (while_loop) condition block has 1 input, loop_vars has 2 (one block input per loop "
                        + "variable)");
    }

    @Test
    void whileLoopBlockInputOfAnotherType() {
        assertInvalid(editBlock(whileLoop(), "y", 1, b -> b.setInputs(1, nvt("aux_body_counter", DataType.FLOAT32))),
                "op 'y' (while_loop) body block input 1 'aux_body_counter' is tensor<FLOAT32,[]>, loop_vars 1 "
                        + "'c_start' is tensor<INT32,[]>");
        assertInvalid(editBlock(whileLoop(), "y", 0, b -> b.setInputs(0, nvt("aux_cond_x", T, 1, 4, 8, 9))),
                "op 'y' (while_loop) condition block input 0 'aux_cond_x' is tensor<FLOAT16,[1,4,8,9]>, loop_vars 0 "
                        + "'x' is tensor<FLOAT16,[1,4,8,8]>");
    }

    @Test
    void whileLoopConditionNotOneBoolScalar() {
        assertInvalid(editBlock(whileLoop(), "y", 0, b -> b.setOutputs(0, "aux_cond_counter")),
                "op 'y' (while_loop) condition block output 'aux_cond_counter' is tensor<INT32,[]> (it must be a "
                        + "BOOL scalar)");
        assertInvalid(editBlock(whileLoop(), "y", 0, b -> b.addOutputs("aux_continue")),
                "op 'y' (while_loop) condition block has 2 outputs (it must output one BOOL scalar)");
    }

    @Test
    void whileLoopBodyOutputsWrongCountOrType() {
        assertInvalid(editBlock(whileLoop(), "y", 1, b -> b.clearOutputs().addOutputs("aux_tanh")),
                "op 'y' (while_loop) body block has 1 output, loop_vars has 2 (one per loop variable)");
        assertInvalid(editBlock(whileLoop(), "y", 1, b -> b.clearOutputs().addOutputs("aux_next")
                .addOutputs("aux_tanh")),
                "op 'y' (while_loop) body block output 0 'aux_next' is tensor<INT32,[]>, loop variable 0 is "
                        + "tensor<FLOAT16,[1,4,8,8]>");
    }

    @Test
    void whileLoopOutputsWrongCountOrType() {
        assertInvalid(editOp(whileLoop(), "y", op -> op.removeOutputs(1)),
                "op 'y' (while_loop) has 1 output, loop_vars has 2 (one per loop variable)");
        assertInvalid(editOp(whileLoop(), "y", op -> op.setOutputs(1, nvt("aux_counter", DataType.FLOAT32))),
                "op 'y' (while_loop) output 1 'aux_counter' is tensor<FLOAT32,[]>, loop_vars 1 'c_start' is "
                        + "tensor<INT32,[]>");
    }

    @Test
    void whileLoopWithOneBlock() {
        assertInvalid(editOp(whileLoop(), "y", op -> op.removeBlocks(1)),
                "op 'y' (while_loop) has 1 nested block (while_loop takes 2: the condition and the body)");
    }
}
