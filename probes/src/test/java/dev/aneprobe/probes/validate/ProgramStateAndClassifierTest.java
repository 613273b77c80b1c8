package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Int64FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.MilNet.Out;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Models with states (spec 9) and ML Program classifiers: a valid one of each built with {@link MilNet}, then one
 * hand-broken copy per rule, each failing with the message that names the rule.
 */
class ProgramStateAndClassifierTest {
    private static final long[] SHAPE = {1, 4, 8, 8};
    private final ProgramValidator validator = new ProgramValidator();


    /** read_state -> add x -> write_state, output the sum. */
    static Model stateful() {
        MilNet net = MilNet.of("CoreML8").input("x", DataType.FLOAT16, SHAPE).state("state", SHAPE);
        net.op("read_state", in("input", "state"), "y", DataType.FLOAT16, SHAPE);
        net.op("add", in("x", "x", "y", "y"), "aux_out", DataType.FLOAT16, SHAPE);
        net.opWithoutOutputs("write_state", "aux_write", in("input", "state", "data", "aux_out"));
        return net.output("aux_out").toModel("test", (t, d, n) -> 64);
    }

    /** softmax over 3 classes -> classify with STRING labels. */
    static Model classifier() {
        long[] shape = {1, 3};
        MilNet net = MilNet.of("CoreML5").input("x", DataType.FLOAT32, shape);
        net.op("softmax", in("x", "x", "axis", net.constInt("c_axis", -1)), "aux_p", DataType.FLOAT32, shape);
        net.op("classify", in("probabilities", "aux_p"), Map.of("classes", MilNet.stringList(List.of("a", "b", "c"))),
                List.of(Out.scalar("y", DataType.STRING), Out.dictionary("y_probs", DataType.STRING, DataType.FLOAT64)));
        return net.classifierOutputs("y", "y_probs").toModel("test", (t, d, n) -> 64);
    }

    private static Model editBlock(Model m, UnaryOperator<Block.Builder> edit) {
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        String opset = main.getOpset();
        Block b = edit.apply(main.getBlockSpecializationsOrThrow(opset).toBuilder()).build();
        return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                main.toBuilder().putBlockSpecializations(opset, b).build())).build();
    }

    private static int indexOf(Block.Builder b, String type) {
        for (int i = 0; i < b.getOperationsCount(); i++) {
            if (b.getOperations(i).getType().equals(type)) {
                return i;
            }
        }
        throw new AssertionError("no " + type);
    }

    private void assertInvalid(Model m, String expected) {
        ProgramTesting.assertProblem(new ModelValidator().validate(m), expected);
    }

    // ------------------------------------------------------------ states

    @Test
    void statefulModelIsValidAndNeedsSpec9() {
        Model m = stateful();
        assertEquals(List.of(), validator.validate(m).problems());
        assertEquals(9, SpecificationVersions.required(m));
        assertEquals(List.of("x"), m.getDescription().getInputList().stream().map(f -> f.getName()).toList());
        assertEquals("state", m.getDescription().getState(0).getName());
        Operation write = m.getMlProgram().getFunctionsOrThrow("main").getBlockSpecializationsOrThrow("CoreML8")
                .getOperationsList().stream().filter(o -> o.getType().equals("write_state")).findFirst().orElseThrow();
        assertEquals(0, write.getOutputsCount(), "write_state writes nothing");
    }

    @Test
    void stateMissingFromDescription() {
        assertInvalid(stateful().toBuilder().setDescription(stateful().getDescription().toBuilder().clearState())
                .build(), "description states [] do not match function 'main' state inputs [state]");
    }

    @Test
    void stateDescribedAsInput() {
        Model m = stateful();
        assertInvalid(m.toBuilder().setDescription(m.getDescription().toBuilder()
                .addInput(m.getDescription().getState(0)).clearState()).build(),
                "description inputs [x, state] do not match function 'main' inputs [x]");
    }

    @Test
    void stateNotFp16() {
        Model m = stateful();
        var d = m.getDescription().toBuilder();
        d.getStateBuilder(0).getTypeBuilder().getStateTypeBuilder().getArrayTypeBuilder()
                .setDataType(ArrayFeatureType.ArrayDataType.FLOAT32);
        assertInvalid(m.toBuilder().setDescription(d).build(),
                "state 'state' is FLOAT32 (Core ML keeps states in FLOAT16 only)");
    }

    @Test
    void stateShapeMismatch() {
        Model m = stateful();
        var d = m.getDescription().toBuilder();
        d.getStateBuilder(0).getTypeBuilder().getStateTypeBuilder().getArrayTypeBuilder().setShape(3, 9);
        assertInvalid(m.toBuilder().setDescription(d).build(),
                "state 'state' has shape [1, 4, 8, 9] in the description but [1, 4, 8, 8] in function 'main'");
    }

    @Test
    void statesNeedSpec9() {
        Model m = stateful().toBuilder().setSpecificationVersion(8).build();
        assertFalse(new ModelValidator().validate(m).valid());
        assertEquals(9, SpecificationVersions.requirement(m).version());
        assertTrue(SpecificationVersions.requirement(m).reason().contains("state"),
                SpecificationVersions.requirement(m).reason());
    }

    @Test
    void readStateOfATensor() {
        assertInvalid(editBlock(stateful(), b -> {
            int i = indexOf(b, "read_state");
            return b.setOperations(i, b.getOperations(i).toBuilder().putInputs("input",
                    Argument.newBuilder().addArguments(Argument.Binding.newBuilder().setName("x")).build()));
        }), "input 'input' must be a state");
    }

    // ------------------------------------------------------------ classifiers

    @Test
    void classifierIsValid() {
        Model m = classifier();
        assertEquals(List.of(), validator.validate(m).problems());
        assertEquals("y", m.getDescription().getPredictedFeatureName());
        assertTrue(m.getDescription().getOutput(0).getType().hasStringType());
        assertTrue(m.getDescription().getOutput(1).getType().getDictionaryType().hasStringKeyType());
    }

    @Test
    void int64ClassifierIsValid() {
        long[] shape = {1, 2};
        MilNet net = MilNet.of("CoreML5").input("x", DataType.FLOAT32, shape);
        net.op("classify", in("probabilities", "x"), Map.of("classes", MilNet.int64List(7, 9)),
                List.of(Out.scalar("y", DataType.INT64), Out.dictionary("y_probs", DataType.INT64, DataType.FLOAT64)));
        Model m = net.classifierOutputs("y", "y_probs").toModel("test", (t, d, n) -> 64);
        assertEquals(List.of(), validator.validate(m).problems());
        assertTrue(m.getDescription().getOutput(0).getType().hasInt64Type());
    }

    @Test
    void classCountDiffersFromProbabilities() {
        assertInvalid(editBlock(classifier(), b -> {
            int i = indexOf(b, "classify");
            Value four = MilNet.stringList(List.of("a", "b", "c", "d"));
            return b.setOperations(i, b.getOperations(i).toBuilder().putInputs("classes", Argument.newBuilder()
                    .addArguments(Argument.Binding.newBuilder().setValue(four)).build()));
        }), "has 4 classes for 3 probabilities");
    }

    @Test
    void classListLengthDiffersFromItsElements() {
        assertInvalid(editBlock(classifier(), b -> {
            int i = indexOf(b, "classify");
            Value.Builder broken = MilNet.stringList(List.of("a", "b", "c")).toBuilder();
            broken.getTypeBuilder().getListTypeBuilder().setLength(Dimension.newBuilder()
                    .setConstant(Dimension.ConstantDimension.newBuilder().setSize(5)));
            return b.setOperations(i, b.getOperations(i).toBuilder().putInputs("classes", Argument.newBuilder()
                    .addArguments(Argument.Binding.newBuilder().setValue(broken)).build()));
        }), "declares a list of 5 but holds 3 elements");
    }

    @Test
    void classifyWithFp16Probabilities() {
        long[] shape = {1, 3};
        MilNet net = MilNet.of("CoreML6").input("x", DataType.FLOAT16, shape);
        net.op("classify", in("probabilities", "x"), Map.of("classes", MilNet.stringList(List.of("a", "b", "c"))),
                List.of(Out.scalar("y", DataType.STRING), Out.dictionary("y_probs", DataType.STRING, DataType.FLOAT64)));
        assertInvalid(net.classifierOutputs("y", "y_probs").toModel("test", (t, d, n) -> 64),
                "input 'probabilities' has data type FLOAT16, allowed: [FLOAT32]");
    }

    @Test
    void labelDescribedWithTheWrongType() {
        Model m = classifier();
        var d = m.getDescription().toBuilder();
        d.getOutputBuilder(0).setType(FeatureType.newBuilder().setInt64Type(Int64FeatureType.getDefaultInstance()));
        assertInvalid(m.toBuilder().setDescription(d).build(),
                "output 'y' is described as INT64 but produced as tensor<STRING,[]>");
    }

    @Test
    void labelOutputWithoutPredictedFeatureName() {
        Model m = classifier();
        assertInvalid(m.toBuilder().setDescription(m.getDescription().toBuilder().clearPredictedFeatureName()).build(),
                "output 'y' is a STRING feature but not the predicted feature");
    }

    @Test
    void predictedProbabilitiesNameNoOutput() {
        Model m = classifier();
        assertInvalid(m.toBuilder().setDescription(m.getDescription().toBuilder()
                .setPredictedProbabilitiesName("nope")).build(), "the predicted probabilities 'nope' are not a model output");
    }

    @Test
    void dictionaryOutputOfWrongKeyType() {
        Model m = classifier();
        var d = m.getDescription().toBuilder();
        d.getOutputBuilder(1).getTypeBuilder().getDictionaryTypeBuilder()
                .setInt64KeyType(Int64FeatureType.getDefaultInstance());
        assertInvalid(m.toBuilder().setDescription(d).build(),
                "output 'y_probs' is described as a dictionary with INT64 keys");
    }

    @Test
    void classifyLabelOutputTypeDiffersFromClasses() {
        assertInvalid(editBlock(classifier(), b -> {
            int i = indexOf(b, "classify");
            Operation.Builder op = b.getOperations(i).toBuilder();
            op.getOutputsBuilder(0).setType(ProgramValidatorTest.tensor(DataType.INT64));
            return b.setOperations(i, op);
        }), "label output is tensor<INT64,[]>, the classes are tensor<STRING,[]>");
    }

    // ------------------------------------------------------------ lists

    @Test
    void listOutputCannotBeAModelOutput() {
        MilNet net = MilNet.of("CoreML5").input("x", DataType.FLOAT32, SHAPE);
        List<String> dims = new ArrayList<>();
        for (int i = 0; i < SHAPE.length; i++) {
            dims.add(net.constInt("c_d" + i, (int) SHAPE[i]));
        }
        Map<String, List<String>> make = in("init_length", net.constInt("c_len", 2));
        make.put("elem_shape", dims);
        net.op("make_list", make, List.of(Out.list("aux_list", DataType.FLOAT32, SHAPE, 2)));
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> net.output("aux_list"));
        assertTrue(e.getMessage().contains("not a tensor"), e.getMessage());
    }

    @Test
    void listOpOnATensor() {
        MilNet net = MilNet.of("CoreML5").input("x", DataType.FLOAT32, SHAPE);
        net.op("list_length", in("ls", "x"), "y", DataType.INT32);
        net.op("reshape", in("x", "y", "shape", net.constIntList("c_shape", 1)), "aux_out", DataType.INT32, 1);
        assertInvalid(net.output("aux_out").toModel("test", (t, d, n) -> 64), "input 'ls' must be a list");
    }
}
