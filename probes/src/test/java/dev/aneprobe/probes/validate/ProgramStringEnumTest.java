package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * String-enum parameters take only the values coremltools' op definitions accept (the registry's {@code values=}
 * lists): a typo is INVALID, every accepted spelling passes, and the quirks are kept — the pools read pad_type in any
 * letter case, conv and the pools take same_lower only from CoreML6, conv_transpose ignores pad_type when
 * output_shape is given.
 */
class ProgramStringEnumTest {
    private final ProgramValidator validator = new ProgramValidator();

    private static Model build(MilNet net) {
        return net.toModel("enum test", (type, data, count) -> {
            throw new AssertionError("no weight file here");
        });
    }

    /** x fp32 [1,2,4,4] -> conv with a 1x1 const weight and the given pad_type -> y. */
    private static Model conv(String opset, String padType) {
        MilNet net = MilNet.of(opset).input("x", DataType.FLOAT32, 1, 2, 4, 4);
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("x", List.of("x"));
        in.put("weight", List.of(net.constFloats("c_w", DataType.FLOAT32, new long[] {2, 2, 1, 1},
                new float[] {1, 0, 0, 1})));
        in.put("pad_type", List.of(net.constString("c_pad_type", padType)));
        return build(net.op("conv", in, "y", DataType.FLOAT32, 1, 2, 4, 4).output("y"));
    }

    private static Model convTranspose(String padType, boolean outputShape) {
        MilNet net = MilNet.of("CoreML5").input("x", DataType.FLOAT32, 1, 2, 4, 4);
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("x", List.of("x"));
        in.put("weight", List.of(net.constFloats("c_w", DataType.FLOAT32, new long[] {2, 2, 1, 1},
                new float[] {1, 0, 0, 1})));
        in.put("pad_type", List.of(net.constString("c_pad_type", padType)));
        if (outputShape) {
            in.put("output_shape", List.of(net.constIntList("c_output_shape", 1, 2, 4, 4)));
        }
        return build(net.op("conv_transpose", in, "y", DataType.FLOAT32, 1, 2, 4, 4).output("y"));
    }

    private static Model maxPool(String opset, String padType) {
        MilNet net = MilNet.of(opset).input("x", DataType.FLOAT32, 1, 2, 4, 4);
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("x", List.of("x"));
        in.put("kernel_sizes", List.of(net.constIntList("c_kernel_sizes", 1, 1)));
        in.put("pad_type", List.of(net.constString("c_pad_type", padType)));
        return build(net.op("max_pool", in, "y", DataType.FLOAT32, 1, 2, 4, 4).output("y"));
    }

    private void assertValid(Model m) {
        assertEquals(List.of(), validator.validate(m).problems());
    }

    @Test
    void convPadTypeTypoIsInvalid() {
        assertProblem(validator.validate(conv("CoreML6", "Oalid")), "op 'y' (conv) input 'pad_type' is \"Oalid\", "
                + "which conv (CoreML5) does not take (allowed: valid, same, custom, same_lower)");
        assertProblem(validator.validate(conv("CoreML7", "VALID")), "is \"VALID\", which conv (CoreML7) does not take");
        for (String ok : List.of("valid", "same", "custom", "same_lower")) {
            assertValid(conv("CoreML6", ok));
            assertValid(conv("CoreML7", ok));
        }
    }

    @Test
    void sameLowerNeedsCoreML6() {
        assertProblem(validator.validate(conv("CoreML5", "same_lower")),
                "does not take (\"same_lower\" needs opset CoreML6, the function uses CoreML5)");
        assertProblem(validator.validate(conv("CoreML5", "Oalid")), "(allowed: valid, same, custom)");
        assertValid(conv("CoreML5", "same"));
        assertProblem(validator.validate(maxPool("CoreML5", "same_lower")), "needs opset CoreML6");
        assertValid(maxPool("CoreML6", "same_lower"));
    }

    @Test
    void poolsReadPadTypeInAnyCase() {
        assertValid(maxPool("CoreML6", "VALID"));
        assertValid(maxPool("CoreML6", "Same"));
        // coremltools checks the CoreML5 restriction against the exact spelling only
        assertValid(maxPool("CoreML5", "SAME_LOWER"));
        assertProblem(validator.validate(maxPool("CoreML6", "Oalid")),
                "(allowed: valid, same, custom, same_lower (in any letter case))");
    }

    @Test
    void convTransposeIgnoresPadTypeWithAnOutputShape() {
        assertProblem(validator.validate(convTranspose("same_lower", false)),
                "op 'y' (conv_transpose) input 'pad_type' is \"same_lower\", which conv_transpose (CoreML5) does not "
                        + "take (allowed: valid, same, custom)");
        assertValid(convTranspose("custom", false));
        assertValid(convTranspose("same_lower", true));
    }

    // ------------------------------------------------------------ real probes with one string changed

    private static Model probe(String family, String idPart) {
        Catalog catalog = Catalog.standard();
        ProbeFamily f = catalog.family(family);
        ProbeSpec spec = f.probes(Profile.FULL, List.of()).stream().filter(s -> s.id().contains(idPart))
                .findFirst().orElseThrow(() -> new AssertionError("no " + family + " probe with " + idPart));
        return new ProbeGenerator(catalog).build(f, spec).model();
    }

    private static Value string(Value like, String text) {
        return like.toBuilder().setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder()
                .setStrings(TensorValue.RepeatedStrings.newBuilder().addValues(text)))).build();
    }

    /**
     * The probe with op y's string parameter {@code param} set to {@code text}: the const it is bound to, or (for
     * the CoreML6 constexpr ops) the attribute itself.
     */
    private static Model withString(Model m, String param, String text) {
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        String opset = main.getOpset();
        Block.Builder block = main.getBlockSpecializationsOrThrow(opset).toBuilder();
        Operation y = block.getOperationsList().stream()
                .filter(o -> o.getOutputsCount() > 0 && o.getOutputs(0).getName().equals("y")).findFirst()
                .orElseThrow();
        String target = y.getInputsMap().containsKey(param) ? y.getInputsOrThrow(param).getArguments(0).getName() : "y";
        boolean changed = false;
        for (int i = 0; i < block.getOperationsCount(); i++) {
            Operation op = block.getOperations(i);
            if (op.getOutputsCount() > 0 && op.getOutputs(0).getName().equals(target)) {
                String key = target.equals("y") ? param : "val";
                block.setOperations(i, op.toBuilder().putAttributes(key, string(op.getAttributesOrThrow(key), text)));
                changed = true;
            }
        }
        assertEquals(true, changed, "probe binds " + param);
        return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                main.toBuilder().putBlockSpecializations(opset, block.build()).build())).build();
    }

    @Test
    void realProbesWithAWrongModeAreInvalid() {
        Model lstm = probe("mil.lstm", "activation=tanh");
        assertValid(lstm);
        assertValid(withString(lstm, "activation", "TANH"));
        assertProblem(validator.validate(withString(lstm, "activation", "swish")),
                "input 'activation' is \"swish\", which lstm (CoreML7) does not take (allowed: tanh, scaled_tanh, "
                        + "sigmoid, hard_sigmoid, relu, linear (in any letter case))");

        Model gelu = probe("mil.gelu", "mode=EXACT");
        assertProblem(validator.validate(withString(gelu, "mode", "exact")),
                "(allowed: EXACT, TANH_APPROXIMATION, SIGMOID_APPROXIMATION)");
        assertValid(withString(gelu, "mode", "SIGMOID_APPROXIMATION"));

        Model resize = probe("mil.resize", "interpolation=LINEAR");
        assertProblem(validator.validate(withString(resize, "interpolation_mode", "BICUBIC")),
                "input 'interpolation_mode' is \"BICUBIC\", which resize (CoreML7) does not take");
        assertProblem(validator.validate(withString(resize, "sampling_mode", "HALF_PIXEL")),
                "(allowed: STRICT_ALIGN_CORNERS, ALIGN_CORNERS, UNALIGN_CORNERS, DEFAULT, OFFSET_CORNERS)");

        Model cast = probe("mil.constexpr", "layer=constexpr_cast,dtype=fp32");
        assertValid(cast);
        assertProblem(validator.validate(withString(cast, "output_dtype", "fp16")),
                "attribute 'output_dtype' is \"fp16\", which constexpr_cast (CoreML6) does not take (allowed: fp32)");
    }
}
