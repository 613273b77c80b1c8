package dev.aneprobe.probes.mil.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.mil.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bundled MIL op registry: counts per opset, a few exact signatures, version lookup and parse errors. */
class OpRegistryTest {
    private final OpRegistry reg = OpRegistry.standard();

    private static final Set<DataType> FLOATS = Set.of(DataType.FLOAT16, DataType.FLOAT32);

    private InputSpec in(String op, String opset, String name) {
        return reg.signature(op, opset).orElseThrow().input(name).orElseThrow();
    }

    private List<String> names(String op, String opset) {
        return reg.signature(op, opset).orElseThrow().inputs().stream().map(InputSpec::name).toList();
    }

    @Test
    void opCountsPerOpset() {
        assertEquals(150, reg.opsIn("CoreML5").size());
        assertEquals(157, reg.opsIn("CoreML6").size());
        assertEquals(160, reg.opsIn("CoreML7").size());
        assertEquals(167, reg.opsIn("CoreML8").size());
        assertEquals(167, reg.opsIn("CoreML9").size(), "no op is new in CoreML9");
        assertTrue(reg.opsIn("CoreML4").isEmpty());
        List<String> sorted = new ArrayList<>(reg.opsIn("CoreML8"));
        sorted.sort(null);
        assertEquals(sorted, reg.opsIn("CoreML8"));
    }

    @Test
    void excludedAndAddedOps() {
        assertTrue(reg.signature("_const_symbolic", "CoreML8").isEmpty());
        assertTrue(reg.signature("conv_quantized", "CoreML8").isEmpty());
        assertTrue(reg.signature("coreml_update_state", "CoreML8").isEmpty());
        assertTrue(reg.signature("classify", "CoreML5").isPresent());
        OpSignature write = reg.signature("write_state", "CoreML8").orElseThrow();
        assertEquals(0, write.outputs());
        assertEquals(Kind.STATE, write.input("input").orElseThrow().kind());
        assertTrue(reg.signature("write_state", "CoreML7").isEmpty());
        OpSignature c = reg.signature("const", "CoreML5").orElseThrow();
        assertTrue(c.inputs().isEmpty());
        assertEquals(1, c.outputs());
    }

    @Test
    void opsetRank() {
        assertEquals(5, OpRegistry.opsetRank("CoreML5"));
        assertEquals(9, OpRegistry.opsetRank("CoreML9"));
        assertEquals(-1, OpRegistry.opsetRank("CoreML4"));
        assertEquals(-1, OpRegistry.opsetRank("CoreML10"));
        assertEquals(-1, OpRegistry.opsetRank("ios17"));
        assertEquals(-1, OpRegistry.opsetRank(null));
    }

    @Test
    void convSignatures() {
        OpSignature c5 = reg.signature("conv", "CoreML5").orElseThrow();
        assertEquals("CoreML5", c5.opset());
        assertEquals(1, c5.outputs());
        assertEquals(List.of("x", "weight", "bias", "strides", "pad_type", "pad", "dilations", "groups"),
                names("conv", "CoreML5"));
        assertEquals(new InputSpec("x", Kind.TENSOR, FLOATS, false, false, false, "T"), in("conv", "CoreML5", "x"));
        assertEquals(new InputSpec("weight", Kind.TENSOR, FLOATS, false, false, false, "T"),
                in("conv", "CoreML5", "weight"));
        assertEquals(new InputSpec("bias", Kind.TENSOR, FLOATS, true, true, false, "T"), in("conv", "CoreML5", "bias"));
        assertEquals(new InputSpec("pad_type", Kind.TENSOR, Set.of(DataType.STRING), true, true, false, "",
                new AllowedValues(List.of("valid", "same", "custom", "same_lower"), Map.of("same_lower", "CoreML6"),
                        false, "")),
                in("conv", "CoreML5", "pad_type"));
        assertEquals(new InputSpec("groups", Kind.TENSOR, Set.of(DataType.INT32), true, true, false),
                in("conv", "CoreML5", "groups"));
        // CoreML6 still uses the CoreML5 version; CoreML7 re-versions it (weight/bias own domain, bias not const)
        assertEquals("CoreML5", reg.signature("conv", "CoreML6").orElseThrow().opset());
        assertEquals("CoreML7", reg.signature("conv", "CoreML7").orElseThrow().opset());
        assertEquals("CoreML7", reg.signature("conv", "CoreML9").orElseThrow().opset());
        assertEquals("U", in("conv", "CoreML7", "weight").typeDomain());
        assertFalse(in("conv", "CoreML7", "bias").mustBeConst());
    }

    @Test
    void maxPool() {
        assertEquals(List.of("x", "kernel_sizes", "strides", "pad_type", "pad", "ceil_mode"),
                names("max_pool", "CoreML5"));
        assertEquals(new InputSpec("kernel_sizes", Kind.TENSOR, Set.of(DataType.INT32), false, true, false),
                in("max_pool", "CoreML5", "kernel_sizes"));
        assertEquals(new InputSpec("pad_type", Kind.TENSOR, Set.of(DataType.STRING), false, true, false, "",
                new AllowedValues(List.of("valid", "same", "custom", "same_lower"), Map.of("same_lower", "CoreML6"),
                        true, "")),
                in("max_pool", "CoreML5", "pad_type"));
        assertEquals(new InputSpec("ceil_mode", Kind.TENSOR, Set.of(DataType.BOOL), true, true, false),
                in("max_pool", "CoreML5", "ceil_mode"));
        assertEquals(1, reg.versions("max_pool").size());
    }

    @Test
    void upsampleBilinearGainsHalfPixelCentersInCoreML6() {
        assertEquals(List.of("x", "scale_factor_height", "scale_factor_width", "align_corners"),
                names("upsample_bilinear", "CoreML5"));
        assertEquals(List.of("x", "scale_factor_height", "scale_factor_width", "align_corners", "half_pixel_centers"),
                names("upsample_bilinear", "CoreML6"));
        assertEquals(new InputSpec("half_pixel_centers", Kind.TENSOR, Set.of(DataType.BOOL), true, true, false),
                in("upsample_bilinear", "CoreML6", "half_pixel_centers"));
        assertEquals(Set.of(DataType.FLOAT32, DataType.INT32),
                in("upsample_bilinear", "CoreML5", "scale_factor_height").types());
    }

    @Test
    void gatherVersions() {
        assertEquals(List.of("x", "indices", "axis"), names("gather", "CoreML5"));
        assertEquals(Set.of(DataType.INT32), in("gather", "CoreML5", "indices").types());
        assertEquals(List.of("x", "indices", "axis", "batch_dims"), names("gather", "CoreML6"));
        assertEquals(List.of("x", "indices", "axis", "batch_dims", "validate_indices"), names("gather", "CoreML7"));
        assertEquals(Set.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT8, DataType.UINT16),
                in("gather", "CoreML7", "indices").types());
        assertEquals(List.of("CoreML5", "CoreML6", "CoreML7"),
                reg.versions("gather").stream().map(OpSignature::opset).toList());
    }

    @Test
    void scaledDotProductAttentionOnlyFromCoreML8() {
        assertTrue(reg.signature("scaled_dot_product_attention", "CoreML7").isEmpty());
        assertEquals(List.of("query", "key", "value", "attn_mask"), names("scaled_dot_product_attention", "CoreML8"));
        InputSpec mask = in("scaled_dot_product_attention", "CoreML8", "attn_mask");
        assertTrue(mask.optional());
        assertEquals(Set.of(DataType.BOOL, DataType.FLOAT16, DataType.FLOAT32), mask.types());
        assertEquals("CoreML8", reg.firstOpset("scaled_dot_product_attention").orElseThrow());
    }

    @Test
    void sliceUpdate() {
        assertTrue(reg.signature("slice_update", "CoreML7").isEmpty());
        assertEquals(List.of("x", "update", "begin", "end", "stride", "begin_mask", "end_mask", "squeeze_mask"),
                names("slice_update", "CoreML8"));
        InputSpec begin = in("slice_update", "CoreML8", "begin");
        assertFalse(begin.mustBeConst());
        assertEquals(Set.of(DataType.INT8, DataType.INT16, DataType.INT32), begin.types());
        assertTrue(in("slice_update", "CoreML8", "stride").mustBeConst());
    }

    @Test
    void variadicAndMultiOutputOps() {
        InputSpec values = in("concat", "CoreML5", "values");
        assertEquals(Kind.TUPLE, values.kind());
        assertTrue(values.variadic());
        assertEquals(-1, reg.signature("split", "CoreML5").orElseThrow().outputs());
        assertEquals(3, reg.signature("lstm", "CoreML5").orElseThrow().outputs());
        OpSignature topk7 = reg.signature("topk", "CoreML7").orElseThrow();
        assertTrue(topk7.acceptsOutputCount(1) && topk7.acceptsOutputCount(2) && !topk7.acceptsOutputCount(3));
        assertFalse(reg.signature("topk", "CoreML6").orElseThrow().acceptsOutputCount(1));
        assertTrue(reg.signature("constexpr_lut_to_dense", "CoreML6").orElseThrow().paramsAsAttributes());
        assertFalse(reg.signature("constexpr_lut_to_dense", "CoreML8").orElseThrow().paramsAsAttributes());
        assertEquals(List.of("reset_after", "input_bias"), names("gru", "CoreML8").subList(9, 11));
    }

    @Test
    void malformedLinesFailWithTheirLineNumber() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(List.of(
                "# comment", "op relu opset=CoreML5 outputs=1", "  x tensor T=FLOAT16|FLOAT99 required"), "t"));
        assertTrue(e.getMessage().startsWith("t line 3: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OpRegistry.parse(List.of("", "op relu opset=CoreML4 outputs=1"), "t"));
        assertTrue(e.getMessage().startsWith("t line 2: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(List.of(
                "op relu opset=CoreML5 outputs=1", "  x tensor FLOAT16 mandatory"), "t"));
        assertTrue(e.getMessage().startsWith("t line 2: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(List.of(
                "op relu opset=CoreML6 outputs=1", "op relu opset=CoreML5 outputs=1"), "t"));
        assertTrue(e.getMessage().startsWith("t line 2: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(List.of("  x tensor * required"), "t"));
        assertTrue(e.getMessage().startsWith("t line 1: "), e.getMessage());
    }

    @Test
    void stringEnumsHaveTheirValues() {
        AllowedValues conv5 = in("conv", "CoreML5", "pad_type").allowed();
        assertEquals(null, conv5.rejection("same", "CoreML5"));
        assertEquals("\"same_lower\" needs opset CoreML6, the function uses CoreML5",
                conv5.rejection("same_lower", "CoreML5"));
        assertEquals(null, conv5.rejection("same_lower", "CoreML6"));
        assertEquals("allowed: valid, same, custom", conv5.rejection("Oalid", "CoreML5"));
        assertEquals(null, in("conv", "CoreML7", "pad_type").allowed().rejection("same_lower", "CoreML7"));
        assertEquals("output_shape", in("conv_transpose", "CoreML7", "pad_type").allowed().unlessBound());
        assertEquals(List.of("fp16", "fp32", "int32", "bool"), in("cast", "CoreML5", "dtype").allowed().values());
        assertEquals(List.of("fp16", "fp32", "int8", "uint8", "int16", "uint16", "int32", "bool"),
                in("cast", "CoreML7", "dtype").allowed().values());
        assertTrue(in("reduce_argmax", "CoreML7", "output_dtype").allowed().ignoreCase());
        assertEquals(null, in("reduce_argmax", "CoreML5", "x").allowed());
    }

    /**
     * Every STRING parameter either lists its values or is one coremltools never checks (its op definition reads
     * the value without rejecting any): those are named here, so a new one is a decision, not an oversight.
     */
    @Test
    void everyStringParameterIsEnumeratedOrKnownUnchecked() {
        Set<String> unchecked = Set.of("einsum.equation", "random_categorical.mode", "resample.sampling_mode",
                "resample.padding_mode", "resample.coordinates_mode", "scatter.mode", "scatter_along_axis.mode",
                "scatter_nd.mode", "gru.activation", "gru.recurrent_activation", "rnn.activation");
        Set<String> seen = new java.util.TreeSet<>();
        for (String op : reg.opsIn("CoreML9")) {
            for (OpSignature sig : reg.versions(op)) {
                for (InputSpec spec : sig.inputs()) {
                    if (!spec.types().equals(Set.of(DataType.STRING))) {
                        continue;
                    }
                    String key = op + "." + spec.name();
                    if (spec.allowed() == null) {
                        seen.add(key);
                    } else {
                        assertFalse(unchecked.contains(key), key + " is listed as unchecked but has values");
                    }
                }
            }
        }
        assertEquals(new java.util.TreeSet<>(unchecked), seen);
    }

    @Test
    void malformedValueListsFailWithTheirLineNumber() {
        for (List<String> bad : List.of(
                List.of("op f opset=CoreML5 outputs=1", "  m tensor INT32 optional const values=a|b"),
                List.of("op f opset=CoreML5 outputs=1", "  m tensor STRING optional const nocase"),
                List.of("op f opset=CoreML5 outputs=1", "  m tensor STRING optional const values=a|A@CoreML6 nocase"),
                List.of("op f opset=CoreML5 outputs=1", "  m tensor STRING optional const values=a|b@CoreML4"),
                List.of("op f opset=CoreML5 outputs=1", "  m tensor STRING optional const values=a||b"),
                List.of("op f opset=CoreML5 outputs=1", "  m tensor STRING optional const values=a|a"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(bad, "t"));
            assertTrue(e.getMessage().startsWith("t line 2: "), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpRegistry.parse(List.of(
                "op f opset=CoreML5 outputs=1", "  m tensor STRING optional const values=a unless=shape"), "t"));
        assertTrue(e.getMessage().startsWith("t line 1: ") && e.getMessage().contains("unless=shape"),
                e.getMessage());
        OpSignature ok = OpRegistry.parse(List.of("op f opset=CoreML5 outputs=1",
                "  m tensor STRING optional const values=a|b@CoreML7 nocase unless=s",
                "  s tensor INT32 optional const"), "t").signature("f", "CoreML5").orElseThrow();
        AllowedValues v = ok.input("m").orElseThrow().allowed();
        assertEquals(new AllowedValues(List.of("a", "b"), Map.of("b", "CoreML7"), true, "s"), v);
    }
}
