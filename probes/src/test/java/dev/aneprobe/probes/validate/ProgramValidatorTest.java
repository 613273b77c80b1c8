package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * ML Program validation: one valid hand-made program, and one hand-made invalid program per rule, each built from
 * the valid one by breaking one thing and failing with the message that names the rule.
 */
class ProgramValidatorTest {
    private final ProgramValidator validator = new ProgramValidator();

    // ------------------------------------------------------------ builders

    static ValueType tensor(DataType t, long... dims) {
        TensorType.Builder b = TensorType.newBuilder().setDataType(t).setRank(dims.length);
        for (long d : dims) {
            b.addDimensions(Dimension.newBuilder().setConstant(Dimension.ConstantDimension.newBuilder().setSize(d)));
        }
        return ValueType.newBuilder().setTensorType(b).build();
    }

    static NamedValueType nvt(String name, ValueType t) {
        return NamedValueType.newBuilder().setName(name).setType(t).build();
    }

    static Argument ref(String... names) {
        Argument.Builder a = Argument.newBuilder();
        for (String n : names) {
            a.addArguments(Argument.Binding.newBuilder().setName(n));
        }
        return a.build();
    }

    static Value scalarString(String s) {
        return Value.newBuilder().setType(tensor(DataType.STRING)).setImmediateValue(Value.ImmediateValue.newBuilder()
                .setTensor(TensorValue.newBuilder().setStrings(TensorValue.RepeatedStrings.newBuilder().addValues(s))))
                .build();
    }

    static Value ints(long[] dims, int... values) {
        TensorValue.RepeatedInts.Builder r = TensorValue.RepeatedInts.newBuilder();
        for (int v : values) {
            r.addValues(v);
        }
        return Value.newBuilder().setType(tensor(DataType.INT32, dims))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder().setInts(r)))
                .build();
    }

    static Value floats(long[] dims, float... values) {
        TensorValue.RepeatedFloats.Builder r = TensorValue.RepeatedFloats.newBuilder();
        for (float v : values) {
            r.addValues(v);
        }
        return Value.newBuilder().setType(tensor(DataType.FLOAT32, dims))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder().setFloats(r)))
                .build();
    }

    static Operation constOp(String name, Value val) {
        return Operation.newBuilder().setType("const").putAttributes("name", scalarString(name))
                .putAttributes("val", val).addOutputs(nvt(name, val.getType())).build();
    }

    static Operation op(String type, String out, ValueType outType, Object... inputs) {
        Operation.Builder b = Operation.newBuilder().setType(type).putAttributes("name", scalarString(out));
        for (int i = 0; i < inputs.length; i += 2) {
            b.putInputs((String) inputs[i], (Argument) inputs[i + 1]);
        }
        return b.addOutputs(nvt(out, outType)).build();
    }

    static final ValueType X = tensor(DataType.FLOAT16, 1, 64, 56, 56);

    static FeatureDescription array(String name, ArrayFeatureType.ArrayDataType t, long... dims) {
        ArrayFeatureType.Builder a = ArrayFeatureType.newBuilder().setDataType(t);
        for (long d : dims) {
            a.addShape(d);
        }
        return FeatureDescription.newBuilder().setName(name).setType(FeatureType.newBuilder().setMultiArrayType(a))
                .build();
    }

    /** x fp16 [1,64,56,56] -> relu -> y, spec 7, opset CoreML6. */
    static Model valid() {
        return program(7, "CoreML6", List.of(op("relu", "y", X, "x", ref("x"))), "y");
    }

    static Model program(int spec, String opset, List<Operation> ops, String... outputs) {
        Block.Builder block = Block.newBuilder().addAllOperations(ops);
        ModelDescription.Builder d = ModelDescription.newBuilder()
                .addInput(array("x", ArrayFeatureType.ArrayDataType.FLOAT16, 1, 64, 56, 56));
        for (String o : outputs) {
            block.addOutputs(o);
            d.addOutput(array(o, ArrayFeatureType.ArrayDataType.FLOAT16, 1, 64, 56, 56));
        }
        Function main = Function.newBuilder().addInputs(nvt("x", X)).setOpset(opset)
                .putBlockSpecializations(opset, block.build()).build();
        return Model.newBuilder().setSpecificationVersion(spec).setDescription(d)
                .setMlProgram(Program.newBuilder().setVersion(1).putFunctions("main", main)).build();
    }

    /** The valid model with the main block's operations replaced. */
    static Model withOps(Operation... ops) {
        Model m = valid();
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        Block b = main.getBlockSpecializationsOrThrow("CoreML6").toBuilder().clearOperations()
                .addAllOperations(List.of(ops)).build();
        return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                main.toBuilder().putBlockSpecializations("CoreML6", b).build())).build();
    }

    static Model with(UnaryOperator<Model.Builder> edit) {
        return edit.apply(valid().toBuilder()).build();
    }

    private void assertInvalid(Model m, String expected) {
        ProgramTesting.assertProblem(validator.validate(m), expected);
    }

    // ------------------------------------------------------------ valid

    @Test
    void validProgramPasses() {
        assertEquals(List.of(), validator.validate(valid()).problems());
        assertTrue(new ModelValidator().validate(valid()).valid(), "ModelValidator delegates ML Programs");
        assertEquals(7, SpecificationVersions.required(valid()));
    }

    @Test
    void validConvWithConstsPasses() {
        Model m = withOps(
                constOp("w", Value.newBuilder().setType(tensor(DataType.FLOAT16, 64, 64, 1, 1))
                        .setBlobFileValue(Value.BlobFileValue.newBuilder()
                                .setFileName("@model_path/weights/weight.bin").setOffset(64)).build()),
                constOp("pad_type", scalarString("valid")),
                constOp("strides", ints(new long[] {2}, 1, 1)),
                op("conv", "y", X, "x", ref("x"), "weight", ref("w"), "pad_type", ref("pad_type"),
                        "strides", ref("strides")));
        assertEquals(List.of(), validator.validate(m).problems());
    }

    @Test
    void specVersionFollowsOpset() {
        assertEquals(8, SpecificationVersions.required(program(8, "CoreML7", valid().getMlProgram()
                .getFunctionsOrThrow("main").getBlockSpecializationsOrThrow("CoreML6").getOperationsList(), "y")));
        Model fp16Io = program(6, "CoreML5", List.of(), "y");
        assertEquals(7, SpecificationVersions.required(fp16Io), "FLOAT16 I/O");
    }

    // ------------------------------------------------------------ program level

    @Test
    void opsetNewerThanTheDeclaredVersionIsInvalidAnOlderOneIsNot() {
        Model coreml7 = program(7, "CoreML7", valid().getMlProgram().getFunctionsOrThrow("main")
                .getBlockSpecializationsOrThrow("CoreML6").getOperationsList(), "y");
        assertInvalid(coreml7,
                "function 'main' uses opset CoreML7, which belongs to specification version 8, but the model declares 7");
        // A CoreML6 program declared as specification 8, 9 or 10: every Core ML of those versions reads CoreML6.
        for (int spec = 8; spec <= 10; spec++) {
            int s = spec;
            assertEquals(List.of(), validator.validate(with(m -> m.setSpecificationVersion(s))).problems(), "spec " + s);
        }
    }

    @Test
    void specOutsideProgramRange() {
        assertInvalid(with(m -> m.setSpecificationVersion(5)), "specification version 5 is outside 6..10");
    }

    @Test
    void noMainFunction() {
        assertInvalid(with(m -> m.setMlProgram(m.getMlProgram().toBuilder().clearFunctions()
                .putFunctions("other", m.getMlProgram().getFunctionsOrThrow("main")))),
                "the ML Program has no function 'main'");
    }

    @Test
    void opsetWithoutBlock() {
        assertInvalid(with(m -> m.setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                m.getMlProgram().getFunctionsOrThrow("main").toBuilder().setOpset("CoreML7").build()))
                .setSpecificationVersion(8)), "function 'main' has no block for its opset CoreML7");
    }

    @Test
    void fp16InputsAtSpec6() {
        Model m = program(6, "CoreML5", List.of(op("relu", "y", X, "x", ref("x"))), "y");
        assertInvalid(m, "specification version 6 is too low: input 'x' is FLOAT16, which needs 7");
    }

    // ------------------------------------------------------------ interface

    @Test
    void inputNameMismatch() {
        assertInvalid(with(m -> m.setDescription(m.getDescription().toBuilder().setInput(0,
                array("a", ArrayFeatureType.ArrayDataType.FLOAT16, 1, 64, 56, 56)))),
                "description inputs [a] do not match function 'main' inputs [x]");
    }

    @Test
    void inputTypeAndShapeMismatch() {
        assertInvalid(with(m -> m.setDescription(m.getDescription().toBuilder().setInput(0,
                array("x", ArrayFeatureType.ArrayDataType.FLOAT32, 1, 64, 56, 56)))),
                "input 'x' is FLOAT32 in the description but FLOAT16 in function 'main'");
        assertInvalid(with(m -> m.setDescription(m.getDescription().toBuilder().setInput(0,
                array("x", ArrayFeatureType.ArrayDataType.FLOAT16, 1, 64, 28, 28)))),
                "input 'x' has shape [1, 64, 28, 28] in the description but [1, 64, 56, 56] in function 'main'");
    }

    @Test
    void outputNameMismatch() {
        assertInvalid(with(m -> m.setDescription(m.getDescription().toBuilder().setOutput(0,
                array("z", ArrayFeatureType.ArrayDataType.FLOAT16)))),
                "description outputs [z] do not match the block outputs [y]");
    }

    @Test
    void outputTypeMismatch() {
        assertInvalid(with(m -> m.setDescription(m.getDescription().toBuilder().setOutput(0,
                array("y", ArrayFeatureType.ArrayDataType.FLOAT32)))),
                "output 'y' is FLOAT32 in the description but FLOAT16 where it is produced");
    }

    @Test
    void blockOutputNotProduced() {
        assertInvalid(program(7, "CoreML6", List.of(op("relu", "y", X, "x", ref("x"))), "z"),
                "block output 'z' is not produced by any op");
        assertInvalid(program(7, "CoreML6", List.of(), "x"), "block output 'x' is not produced by any op");
    }

    @Test
    void badIdentifier() {
        assertInvalid(program(7, "CoreML6", List.of(op("relu", "y-1", X, "x", ref("x"))), "y-1"),
                "op 'y-1' (relu) output 'y-1' is not an identifier");
    }

    // ------------------------------------------------------------ operations

    @Test
    void unknownOp() {
        assertInvalid(withOps(op("frobnicate", "y", X, "x", ref("x"))), "op 'y' (frobnicate): unknown op type 'frobnicate'");
    }

    @Test
    void opNotYetInTheOpset() {
        assertInvalid(withOps(op("scaled_dot_product_attention", "y", X, "query", ref("x"), "key", ref("x"),
                "value", ref("x"))), "op type 'scaled_dot_product_attention' needs opset CoreML8, the function uses CoreML6");
    }

    @Test
    void missingRequiredInput() {
        assertInvalid(withOps(op("relu", "y", X)), "op 'y' (relu) is missing required input 'x'");
    }

    @Test
    void unknownInputName() {
        assertInvalid(withOps(op("relu", "y", X, "x", ref("x"), "alpha", ref("x"))),
                "op 'y' (relu) has input 'alpha', which relu (CoreML5) does not take");
    }

    @Test
    void wrongDtype() {
        assertInvalid(withOps(constOp("i", ints(new long[] {2}, 1, 2)), op("relu", "y", X, "x", ref("i"))),
                "op 'y' (relu) input 'x' has data type INT32, allowed: [FLOAT16, FLOAT32]");
    }

    @Test
    void typeDomainMismatch() {
        assertInvalid(withOps(constOp("b", floats(new long[0], 1f)), op("add", "y", X, "x", ref("x"), "y", ref("b"))),
                "op 'y' (add) input 'y' has data type FLOAT32 but input 'x' has FLOAT16 (they must match)");
    }

    @Test
    void nonConstWhereConstRequired() {
        assertInvalid(withOps(
                op("shape", "s", tensor(DataType.INT32, 4), "x", ref("x")),
                constOp("k", ints(new long[] {2}, 2, 2)),
                constOp("pad_type", scalarString("valid")),
                op("max_pool", "y", X, "x", ref("x"), "kernel_sizes", ref("s"), "pad_type", ref("pad_type"))),
                "op 'y' (max_pool) input 'kernel_sizes' must be const, but 's' is computed at run time");
    }

    @Test
    void useBeforeDefinition() {
        assertInvalid(withOps(op("relu", "y", X, "x", ref("z")), op("relu", "z", X, "x", ref("x"))),
                "op 'y' (relu) input 'x' refers to 'z', which is not defined before it");
    }

    @Test
    void duplicateOutputName() {
        assertInvalid(withOps(op("relu", "x", X, "x", ref("x")), op("relu", "y", X, "x", ref("x"))),
                "op 'x' (relu) output 'x' redefines an existing value");
        assertInvalid(withOps(op("relu", "y", X, "x", ref("x")), op("relu", "y", X, "x", ref("x"))),
                "op 'y' (relu) output 'y' redefines an existing value");
    }

    @Test
    void constValueCountMismatch() {
        assertInvalid(withOps(constOp("c", floats(new long[] {2}, 1f, 2f, 3f)), op("relu", "y", X, "x", ref("x"))),
                "op 'c' (const) 'val' holds 3 elements but its type tensor<FLOAT32,[2]> needs 2 elements");
        Value fp16 = Value.newBuilder().setType(tensor(DataType.FLOAT16, 3)).setImmediateValue(Value.ImmediateValue
                .newBuilder().setTensor(TensorValue.newBuilder().setBytes(TensorValue.RepeatedBytes.newBuilder()
                        .setValues(ByteString.copyFrom(new byte[4]))))).build();
        assertInvalid(withOps(constOp("h", fp16), op("relu", "y", X, "x", ref("x"))),
                "op 'h' (const) 'val' holds 4 bytes (FLOAT16 needs 6)");
    }

    @Test
    void constTypeMismatchAndInputs() {
        Operation c = constOp("c", floats(new long[] {2}, 1f, 2f)).toBuilder()
                .setOutputs(0, nvt("c", tensor(DataType.FLOAT16, 2))).build();
        assertInvalid(withOps(c, op("relu", "y", X, "x", ref("x"))),
                "op 'c' (const) 'val' has type tensor<FLOAT32,[2]> but its output is declared tensor<FLOAT16,[2]>");
        Operation withInput = constOp("c", floats(new long[] {2}, 1f, 2f)).toBuilder().putInputs("x", ref("x")).build();
        assertInvalid(withOps(withInput, op("relu", "y", X, "x", ref("x"))), "op 'c' (const) has inputs [x]");
        Operation noVal = constOp("c", floats(new long[] {2}, 1f, 2f)).toBuilder().removeAttributes("val").build();
        assertInvalid(withOps(noVal, op("relu", "y", X, "x", ref("x"))), "op 'c' (const) has no 'val' attribute");
    }

    @Test
    void outputCount() {
        Operation two = op("relu", "y", X, "x", ref("x")).toBuilder().addOutputs(nvt("y2", X)).build();
        assertInvalid(withOps(two), "op 'y' (relu) has 2 outputs, relu (CoreML5) produces 1");
    }

    @Test
    void twoBindingsForASingleInput() {
        assertInvalid(withOps(op("relu", "y", X, "x", ref("x", "x"))),
                "op 'y' (relu) input 'x' has 2 bindings (it takes exactly 1)");
    }

    @Test
    void variadicInputTakesSeveralBindings() {
        ValueType cat = tensor(DataType.FLOAT16, 1, 128, 56, 56);
        Model m = withOps(constOp("axis", ints(new long[0], 1)),
                op("concat", "c", cat, "values", ref("x", "x"), "axis", ref("axis")),
                op("slice_by_size", "y", X, "x", ref("c"),
                        "begin", Argument.newBuilder().addArguments(Argument.Binding.newBuilder()
                                .setValue(ints(new long[] {4}, 0, 0, 0, 0))).build(),
                        "size", Argument.newBuilder().addArguments(Argument.Binding.newBuilder()
                                .setValue(ints(new long[] {4}, 1, 64, 56, 56))).build()));
        assertEquals(List.of(), validator.validate(m).problems());
    }

    @Test
    void nestedBlocksHaveTheirOwnScope() {
        ValueType b = tensor(DataType.BOOL);
        Block thenBlock = Block.newBuilder().addOperations(op("relu", "t", X, "x", ref("x"))).addOutputs("t").build();
        Block elseBlock = Block.newBuilder().addOperations(op("sigmoid", "e", X, "x", ref("x"))).addOutputs("e")
                .build();
        Operation cond = Operation.newBuilder().setType("cond").putInputs("pred", ref("p"))
                .putAttributes("name", scalarString("y")).addBlocks(thenBlock).addBlocks(elseBlock)
                .addOutputs(nvt("y", X)).build();
        Operation pred = constOp("p", Value.newBuilder().setType(b).setImmediateValue(Value.ImmediateValue
                .newBuilder().setTensor(TensorValue.newBuilder().setBools(TensorValue.RepeatedBools.newBuilder()
                        .addValues(true)))).build());
        assertEquals(List.of(), validator.validate(withOps(pred, cond)).problems());

        // a value made inside a branch is not visible after the cond
        Model leak = program(7, "CoreML6", List.of(pred, cond, op("relu", "z", X, "x", ref("t"))), "z");
        assertInvalid(leak, "op 'z' (relu) input 'x' refers to 't', which is not defined before it");
        // and a branch may not use a name the other defines
        Block badElse = Block.newBuilder().addOperations(op("sigmoid", "e", X, "x", ref("t"))).addOutputs("e").build();
        assertInvalid(withOps(pred, cond.toBuilder().setBlocks(1, badElse).build()),
                "op 'e' (sigmoid) input 'x' refers to 't', which is not defined before it");
    }

    @Test
    void constexprBeforeCoreML8TakesAttributes() {
        Value lut = Value.newBuilder().setType(tensor(DataType.FLOAT16, 2)).setImmediateValue(Value.ImmediateValue
                .newBuilder().setTensor(TensorValue.newBuilder().setBytes(TensorValue.RepeatedBytes.newBuilder()
                        .setValues(ByteString.copyFrom(new byte[4]))))).build();
        Operation cast = Operation.newBuilder().setType("constexpr_cast").putAttributes("name", scalarString("w"))
                .putAttributes("source_val", lut).putAttributes("output_dtype", scalarString("fp32"))
                .addOutputs(nvt("w", tensor(DataType.FLOAT32, 2))).build();
        assertEquals(List.of(), validator.validate(withOps(cast, op("relu", "y", X, "x", ref("x")))).problems());
        Operation asInput = cast.toBuilder().removeAttributes("source_val").putInputs("source_val", ref("x")).build();
        assertInvalid(withOps(asInput, op("relu", "y", X, "x", ref("x"))),
                "op 'w' (constexpr_cast) is missing required attribute 'source_val'");
    }

    @Test
    void notAProgram() {
        assertInvalid(with(Model.Builder::clearMlProgram), "not an ML Program model");
    }
}
