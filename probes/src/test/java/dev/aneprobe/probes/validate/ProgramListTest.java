package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.in;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.constOp;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.floats;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.ints;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.ref;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.scalarString;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.tensor;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.ListType;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.MilNet.Out;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Tensor lists past their element types: one valid list program built with {@link MilNet} (the chain of the
 * catalog's mil.list probes: make a list, write x, scatter two copies, gather and read back), then one hand-broken
 * copy per rule, each failing with the message that names the rule.
 */
class ProgramListTest {
    private static final long[] ELEM = {2, 3};
    private static final DataType T = DataType.FLOAT16;
    private final ProgramValidator validator = new ProgramValidator();


    /** make_list (fp16 [2,3], 4 slots) -> list_write x -> list_scatter 2 copies -> list_gather 2, list_read 1. */
    static Model lists() {
        MilNet net = MilNet.of("CoreML6").input("x", T, ELEM);
        Map<String, List<String>> make = in("init_length", net.constInt("c_init_length", 4),
                "dynamic_length", net.constBool("c_dynamic_length", false), "dtype", net.constString("c_dtype", "fp16"));
        make.put("elem_shape", List.of(net.constInt("c_elem_shape_0", 2), net.constInt("c_elem_shape_1", 3)));
        net.op("make_list", make, List.of(Out.list("aux_list", T, ELEM, 4)));
        net.op("list_write", in("ls", "aux_list", "index", net.constInt("c_write_index", 0), "value", "x"),
                List.of(Out.list("aux_written", T, ELEM, 4)));
        Map<String, List<String>> stack = in("axis", net.constInt("c_stack_axis", 0));
        stack.put("values", List.of("x", "x"));
        net.op("stack", stack, "aux_rows", T, 2, 2, 3);
        net.op("list_scatter", in("ls", "aux_written", "indices", net.constIntList("c_scatter_indices", 2, 3),
                "value", "aux_rows"), List.of(Out.list("aux_scattered", T, ELEM, 4)));
        net.op("list_gather", in("ls", "aux_scattered", "indices", net.constIntList("c_gather_indices", 0, 1)),
                "aux_gathered", T, 2, 2, 3);
        net.op("list_read", in("ls", "aux_scattered", "index", net.constInt("c_read_index", 0)), "y", T, ELEM);
        return net.output("y").output("aux_gathered").toModel("test", (t, d, n) -> 64);
    }

    private static Model editBlock(Model m, UnaryOperator<Block.Builder> edit) {
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        String opset = main.getOpset();
        Block b = edit.apply(main.getBlockSpecializationsOrThrow(opset).toBuilder()).build();
        return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                main.toBuilder().putBlockSpecializations(opset, b).build())).build();
    }

    /** The model with the op writing {@code name} edited. */
    private static Model editOp(Model m, String name, UnaryOperator<Operation.Builder> edit) {
        return editBlock(m, b -> {
            for (int i = 0; i < b.getOperationsCount(); i++) {
                if (b.getOperations(i).getOutputs(0).getName().equals(name)) {
                    return b.setOperations(i, edit.apply(b.getOperations(i).toBuilder()));
                }
            }
            throw new AssertionError("no op " + name);
        });
    }

    /** The model with the const of the same name replaced by {@code replacement}. */
    private static Model replaceConst(Model m, Operation replacement) {
        return editOp(m, replacement.getOutputs(0).getName(), op -> replacement.toBuilder());
    }

    private static ValueType listOf(DataType t, long... dims) {
        return ValueType.newBuilder().setListType(ListType.newBuilder().setType(tensor(t, dims))
                .setLength(Dimension.newBuilder().setConstant(Dimension.ConstantDimension.newBuilder().setSize(4))))
                .build();
    }

    private static NamedValueType nvt(String name, ValueType t) {
        return NamedValueType.newBuilder().setName(name).setType(t).build();
    }

    private void assertInvalid(Model m, String expected) {
        ProgramTesting.assertProblem(validator.validate(m), expected);
    }

    @Test
    void listProgramIsValid() {
        assertEquals(List.of(), validator.validate(lists()).problems());
    }

    // ------------------------------------------------------------ make_list

    @Test
    void makeListDtypeDiffersFromTheList() {
        assertInvalid(replaceConst(lists(), constOp("c_dtype", scalarString("fp32"))),
                "op 'aux_list' (make_list) output holds tensor<FLOAT16,[2,3]>, but dtype 'fp32' and elem_shape [2,3] "
                        + "make tensor<FLOAT32,[2,3]>");
    }

    @Test
    void makeListWithoutDtypeMakesFp32() {
        assertInvalid(editOp(lists(), "aux_list", op -> op.removeInputs("dtype")),
                "op 'aux_list' (make_list) output holds tensor<FLOAT16,[2,3]>, but dtype 'fp32' and elem_shape [2,3] "
                        + "make tensor<FLOAT32,[2,3]>");
    }

    @Test
    void makeListDtypeNamesNoType() {
        assertInvalid(replaceConst(lists(), constOp("c_dtype", scalarString("fp8"))),
                "op 'aux_list' (make_list) dtype 'fp8' names no element type");
    }

    @Test
    void makeListElemShapeDiffersFromTheList() {
        assertInvalid(replaceConst(lists(), constOp("c_elem_shape_1", ints(new long[0], 4))),
                "op 'aux_list' (make_list) output holds tensor<FLOAT16,[2,3]>, but dtype 'fp16' and elem_shape [2,4] "
                        + "make tensor<FLOAT16,[2,4]>");
    }

    @Test
    void makeListNamedDimensionIsOpen() {
        assertEquals(List.of(), validator.validate(replaceConst(lists(), constOp("c_elem_shape_1",
                scalarString("width")))).problems());
    }

    // ------------------------------------------------------------ list_write, list_scatter

    @Test
    void listWriteValueOfAnotherType() {
        Operation fp32 = constOp("c_x32", floats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6));
        Model m = editBlock(lists(), b -> b.addOperations(0, fp32));
        assertInvalid(editOp(m, "aux_written", op -> op.putInputs("value", ref("c_x32"))),
                "op 'aux_written' (list_write) value is tensor<FLOAT32,[2,3]>, the list holds tensor<FLOAT16,[2,3]>");
    }

    @Test
    void listWriteOutputOfAnotherList() {
        assertInvalid(editOp(lists(), "aux_written", op -> op.setOutputs(0, nvt("aux_written", listOf(T, 3, 2)))),
                "op 'aux_written' (list_write) output is a list of tensor<FLOAT16,[3,2]>, its input list holds "
                        + "tensor<FLOAT16,[2,3]>");
    }

    @Test
    void listScatterRowsAndIndicesDiffer() {
        assertInvalid(replaceConst(lists(), constOp("c_scatter_indices", ints(new long[] {3}, 1, 2, 3))),
                "op 'aux_scattered' (list_scatter) scatters 2 rows of value to 3 indices (they must match)");
    }

    @Test
    void listScatterRowsOfAnotherShape() {
        assertInvalid(editOp(lists(), "aux_scattered", op -> op.putInputs("value", ref("x"))),
                "op 'aux_scattered' (list_scatter) value rows are tensor<FLOAT16,[3]>, the list holds "
                        + "tensor<FLOAT16,[2,3]>");
    }

    /** Found by fuzzing: malformed row types gave IllegalArgumentException (exit 3) instead of a verdict. */
    @Test
    void listScatterRowsOfAMalformedType() {
        // Rank 3 with no dimensions: nothing certain about its rows (the rule on such types is not this test's).
        ValueType rankWithoutDims = ValueType.newBuilder().setTensorType(TensorType.newBuilder().setDataType(T)
                .setRank(3)).build();
        assertDoesNotThrow(() -> validator.validate(editOp(lists(), "aux_rows",
                op -> op.setOutputs(0, nvt("aux_rows", rankWithoutDims)))));
        // An element type number the format does not have.
        ValueType unknownElement = ValueType.newBuilder().setTensorType(tensor(T, 2, 2, 3).getTensorType().toBuilder()
                .setDataTypeValue(999)).build();
        assertEquals(List.of("op 'aux_scattered' (list_scatter) input 'value' has data type UNRECOGNIZED, allowed: "
                        + "[BOOL, FLOAT16, FLOAT32, INT32]",
                "op 'aux_scattered' (list_scatter) value rows are tensor<UNRECOGNIZED,[2,3]>, the list holds "
                        + "tensor<FLOAT16,[2,3]>"),
                validator.validate(editOp(lists(), "aux_rows", op -> op.setOutputs(0, nvt("aux_rows", unknownElement))))
                        .problems());
    }

    // ------------------------------------------------------------ list_read, list_gather

    @Test
    void listReadOutputOfAnotherType() {
        assertInvalid(editOp(lists(), "y", op -> op.setOutputs(0, nvt("y", tensor(DataType.FLOAT32, 2, 3)))),
                "op 'y' (list_read) output is tensor<FLOAT32,[2,3]>, the list holds tensor<FLOAT16,[2,3]>");
        assertInvalid(editOp(lists(), "y", op -> op.setOutputs(0, nvt("y", tensor(T, 3, 2)))),
                "op 'y' (list_read) output is tensor<FLOAT16,[3,2]>, the list holds tensor<FLOAT16,[2,3]>");
    }

    @Test
    void listGatherOutputOfAnotherShape() {
        assertInvalid(editOp(lists(), "aux_gathered", op -> op.setOutputs(0, nvt("aux_gathered", tensor(T, 3, 2, 3)))),
                "op 'aux_gathered' (list_gather) output is tensor<FLOAT16,[3,2,3]>, gathering 2 elements of "
                        + "tensor<FLOAT16,[2,3]> gives tensor<FLOAT16,[2,2,3]>");
    }
}
