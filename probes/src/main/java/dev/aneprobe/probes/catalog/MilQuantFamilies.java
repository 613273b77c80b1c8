package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ML Program quantization: the iOS17 activation quantize / dequantize pair, and the compile-time weight
 * decompression ops (constexpr_*). A model interface cannot carry int8, so quantize and dequantize are probed as a
 * round trip, the op under test writing {@code y}. A constexpr op only makes sense feeding a weight: it writes the
 * decompressed weight {@code y}, which a helper linear ({@code aux_out}, the model output) applies to x.
 */
final class MilQuantFamilies {
    private MilQuantFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(quantize(), constexpr(), constexprSparse());
    }

    // ---- quantize / dequantize ----------------------------------------------------------------------------

    static ProbeFamily quantize() {
        return ProbeFamily.named("mil.quantize")
                .layers("quantize", "dequantize")
                .minSpec(8)
                .summary("ML Program quantize / dequantize (iOS17), probed as a round trip: int8 or uint8, "
                        + "per-tensor or per-channel, zero point, size, dtype")
                .axis(Axis.choice("layer", "quantize", "dequantize").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.choice("qtype", "int8", "uint8").allChoices(Profile.STANDARD))
                .axis(Axis.choice("granularity", "tensor", "channel").allChoices(Profile.STANDARD))
                .axis(Axis.bool("zero_point", true).standard("false"))
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "layer", "qtype", "granularity", "zero_point")
                .grid(Profile.FULL, "layer", "in")
                .builds(MilQuantFamilies::buildQuantize)
                .build();
    }

    private static MilNet buildQuantize(ProbeSpec s) {
        long[] in = s.shape("in");
        long c = in[1];
        DataType t = type(s);
        boolean u8 = s.text("qtype").equals("uint8");
        DataType q = u8 ? DataType.UINT8 : DataType.INT8;
        boolean channel = s.text("granularity").equals("channel");
        boolean underTest = s.text("layer").equals("quantize");
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of("CoreML7").input("x", t, in);
        String scale;
        String zp = null;
        if (channel) {
            scale = net.constFloats("c_scale", t, new long[] {c}, MilLinearFamilies.range(w, c, 0.01, 0.05));
            if (s.bool("zero_point")) {
                int[] z = new int[(int) c];
                java.util.Arrays.fill(z, u8 ? 128 : 0);
                zp = net.constInts("c_zero_point", q, new long[] {c}, z);
            }
        } else {
            scale = net.constFloat("c_scale", t, 0.02f);
            if (s.bool("zero_point")) {
                zp = net.constInts("c_zero_point", q, new long[0], new int[] {u8 ? 128 : 0});
            }
        }
        String axis = channel ? net.constInt("c_axis", 1) : null;
        Map<String, List<String>> qin = inputs("input", "x", "scale", scale);
        if (zp != null) {
            qin.put("zero_point", List.of(zp));
        }
        if (axis != null) {
            qin.put("axis", List.of(axis));
        }
        qin.put("output_dtype", List.of(net.constString("c_output_dtype", s.text("qtype"))));
        String quantized = underTest ? "y" : "aux_q";
        net.op("quantize", qin, quantized, q, in);
        Map<String, List<String>> din = inputs("input", quantized, "scale", scale);
        if (zp != null) {
            din.put("zero_point", List.of(zp));
        }
        if (axis != null) {
            din.put("axis", List.of(axis));
        }
        String out = underTest ? "aux_out" : "y";
        return net.op("dequantize", din, out, t, in).output(out);
    }

    // ---- constexpr ----------------------------------------------------------------------------------------

    /** Weight [out, in] of the helper linear: 512 output features, input features from x's last dimension. */
    static final long OUT_FEATURES = 512;

    static ProbeFamily constexpr() {
        return ProbeFamily.named("mil.constexpr")
                .layers("constexpr_affine_dequantize", "constexpr_cast", "constexpr_lut_to_dense",
                        "constexpr_sparse_to_dense", "constexpr_blockwise_shift_scale")
                .minSpec(7)
                .summary("ML Program compile-time weight decompression feeding a linear: affine dequantize, fp16 "
                        + "to fp32 cast, palettization (1-8 bits), sparsity, blockwise int8 (iOS18); "
                        + "granularity, weight size, dtype")
                .axis(Axis.choice("layer", "constexpr_affine_dequantize", "constexpr_cast",
                        "constexpr_lut_to_dense", "constexpr_sparse_to_dense", "constexpr_blockwise_shift_scale")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.integer("bits", 8).range(1, 8).standard("1", "2", "4", "6"))
                .axis(Axis.choice("granularity", "channel", "tensor", "block32").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "1x64x512").standard("1x4x64", "1x64x4096", "1x8x16384"))
                .grid(Profile.STANDARD, "layer", "granularity")
                .grid(Profile.STANDARD, "layer", "bits")
                .grid(Profile.FULL, "layer", "dtype", "in")
                .admissible("each constexpr op varies only the bits and granularity it supports, and the input width "
                        + "is a multiple of 32",
                        s -> {
                    String op = s.text("layer");
                    boolean lut = op.equals("constexpr_lut_to_dense");
                    boolean quant = op.equals("constexpr_affine_dequantize")
                            || op.equals("constexpr_blockwise_shift_scale");
                    boolean bitsOk = lut || s.integer("bits") == 8;
                    String g = s.text("granularity");
                    boolean granularityOk = g.equals("channel") || (quant && g.equals("tensor"))
                            || (g.equals("block32") && op.equals("constexpr_blockwise_shift_scale"));
                    long din = s.shape("in")[s.shape("in").length - 1];
                    return bitsOk && granularityOk && din % 32 == 0;
                })
                .builds(MilQuantFamilies::buildConstexpr)
                .build();
    }

    private static MilNet.ConstValue floats(DataType t, float[] v, long... dims) {
        return new MilNet.ConstValue(t, dimList(dims), v, null, null, null);
    }

    private static MilNet.ConstValue ints(DataType t, int[] v, long... dims) {
        return new MilNet.ConstValue(t, dimList(dims), null, v, null, null);
    }

    private static List<Long> dimList(long... dims) {
        List<Long> out = new java.util.ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    /** Values packed least-significant bit first, {@code bits} per value, as unsigned bytes (UINT8 consts). */
    static int[] pack(int[] values, int bits) {
        byte[] packed = MilNet.packBits(values, bits);
        int[] out = new int[packed.length];
        for (int i = 0; i < packed.length; i++) {
            out[i] = packed[i] & 0xff;
        }
        return out;
    }

    private static MilNet buildConstexpr(ProbeSpec s) {
        long[] in = s.shape("in");
        long din = in[in.length - 1];
        long dout = OUT_FEATURES;
        long count = dout * din;
        String op = s.text("layer");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        boolean castOp = op.equals("constexpr_cast");
        // constexpr_cast always yields fp32: an fp16 x then needs CoreML7's linear (weight type may differ).
        DataType weightType = castOp ? DataType.FLOAT32 : t;
        String opset = op.equals("constexpr_blockwise_shift_scale") ? "CoreML8"
                : castOp && t == DataType.FLOAT16 ? "CoreML7" : "CoreML6";
        MilNet net = MilNet.of(opset).input("x", t, in);
        float[] r = w.floats(count, 1.0);
        Map<String, MilNet.ConstValue> attrs = new LinkedHashMap<>();
        switch (op) {
            case "constexpr_affine_dequantize" -> {
                int[] data = new int[(int) count];
                for (int i = 0; i < data.length; i++) {
                    data[i] = Math.round(r[i] * 127);
                }
                attrs.put("quantized_data", ints(DataType.INT8, data, dout, din));
                if (s.text("granularity").equals("channel")) {
                    attrs.put("zero_point", ints(DataType.INT8, new int[(int) dout], dout));
                    attrs.put("scale", floats(t, MilLinearFamilies.range(w, dout, 0.001, 0.01), dout));
                } else {
                    attrs.put("zero_point", ints(DataType.INT8, new int[] {0}));
                    attrs.put("scale", floats(t, new float[] {0.005f}));
                }
                attrs.put("axis", ints(DataType.INT32, new int[] {0}));
                net.opWithAttributes(op, attrs, "y", weightType, dout, din);
            }
            case "constexpr_cast" -> {
                float[] v = new float[(int) count];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r[i] / (float) Math.sqrt(din);
                }
                attrs.put("source_val", floats(DataType.FLOAT16, v, dout, din));
                attrs.put("output_dtype", new MilNet.ConstValue(DataType.STRING, List.of(), null, null, null, "fp32"));
                net.opWithAttributes(op, attrs, "y", weightType, dout, din);
            }
            case "constexpr_lut_to_dense" -> {
                int bits = s.integer("bits");
                int entries = 1 << bits;
                int[] idx = new int[(int) count];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = (int) Math.min(entries - 1, Math.floor((r[i] + 1) / 2 * entries));
                }
                int[] packed = pack(idx, bits);
                attrs.put("indices", ints(DataType.UINT8, packed, packed.length));
                attrs.put("lut", floats(t, w.floats(entries, 1.0 / Math.sqrt(din)), entries));
                attrs.put("shape", ints(DataType.UINT32, new int[] {(int) dout, (int) din}, 2));
                net.opWithAttributes(op, attrs, "y", weightType, dout, din);
            }
            case "constexpr_sparse_to_dense" -> {
                // every other element kept: mask bytes 0b01010101, count is a multiple of 8
                int[] mask = new int[(int) (count / 8)];
                java.util.Arrays.fill(mask, 0x55);
                attrs.put("nonzero_data", floats(t, w.floats(count / 2, 1.0 / Math.sqrt(din)), count / 2));
                attrs.put("mask", ints(DataType.UINT8, mask, mask.length));
                attrs.put("shape", ints(DataType.UINT32, new int[] {(int) dout, (int) din}, 2));
                net.opWithAttributes(op, attrs, "y", weightType, dout, din);
            }
            default -> {
                int[] data = new int[(int) count];
                for (int i = 0; i < data.length; i++) {
                    data[i] = Math.round(r[i] * 127);
                }
                long blocks = switch (s.text("granularity")) {
                    case "block32" -> din / 32;
                    case "tensor" -> 1;
                    default -> 1;
                };
                long rows = s.text("granularity").equals("tensor") ? 1 : dout;
                String dataConst = net.constInts("c_data", DataType.INT8, new long[] {dout, din}, data);
                String scale = net.constFloats("c_scale", t, new long[] {rows, blocks},
                        MilLinearFamilies.range(w, rows * blocks, 0.001, 0.01));
                net.op(op, inputs("data", dataConst, "scale", scale), "y", weightType, dout, din);
            }
        }
        Map<String, List<String>> lin = inputs("x", "x", "weight", "y");
        lin.put("bias", List.of(net.constFloats("c_bias", weightType, new long[] {dout}, w.floats(dout, 0.1))));
        long[] out = in.clone();
        out[out.length - 1] = dout;
        return net.op("linear", lin, "aux_out", t, out).output("aux_out");
    }

    // ---- iOS18 sparse-to-sparse constexpr ------------------------------------------------------------------

    static ProbeFamily constexprSparse() {
        return ProbeFamily.named("mil.constexpr_sparse")
                .layers("constexpr_lut_to_sparse", "constexpr_sparse_blockwise_shift_scale")
                .minSpec(9)
                .summary("ML Program iOS18 sparse-to-sparse weight decompression (4-bit palettized or int8 "
                        + "per-channel nonzeros, UINT1 mask, half the elements kept), densified by "
                        + "constexpr_sparse_to_dense and feeding a linear: weight size, dtype")
                .axis(Axis.choice("layer", "constexpr_lut_to_sparse", "constexpr_sparse_blockwise_shift_scale")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.shape("in", "1x64x512").standard("1x4x64", "1x64x4096", "1x8x16384"))
                .grid(Profile.FULL, "layer", "dtype", "in")
                .builds(MilQuantFamilies::buildConstexprSparse)
                .build();
    }

    /**
     * The op under test writes its two sparse outputs, the UINT1 mask ({@code y}) and the decompressed nonzero
     * values; constexpr_sparse_to_dense rebuilds the [512, in] weight of the helper linear from them.
     */
    private static MilNet buildConstexprSparse(ProbeSpec s) {
        long[] in = s.shape("in");
        long din = in[in.length - 1];
        long dout = OUT_FEATURES;
        long count = dout * din;
        long nonzero = count / 2;
        String op = s.text("layer");
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of("CoreML8").input("x", t, in);
        int[] mask = new int[(int) count];
        for (int i = 0; i < mask.length; i += 2) {
            mask[i] = 1;
        }
        String maskConst = net.constInts("c_mask", DataType.UINT1, new long[] {dout, din}, mask);
        float[] r = w.floats(nonzero, 1.0);
        Map<String, List<String>> ins;
        if (op.equals("constexpr_lut_to_sparse")) {
            int entries = 16;
            int[] idx = new int[(int) nonzero];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = (int) Math.min(entries - 1, Math.floor((r[i] + 1) / 2 * entries));
            }
            String indices = net.constInts("c_indices", DataType.UINT4, new long[] {nonzero}, idx);
            String lut = net.constFloats("c_lut", t, new long[] {1, 1, entries, 1},
                    w.floats(entries, 1.0 / Math.sqrt(din)));
            ins = inputs("indices_mask", maskConst, "indices_nonzero_data", indices, "lut", lut);
        } else {
            int[] data = new int[(int) nonzero];
            for (int i = 0; i < data.length; i++) {
                data[i] = Math.round(r[i] * 127);
            }
            String dataConst = net.constInts("c_nonzero_data", DataType.INT8, new long[] {nonzero}, data);
            String scale = net.constFloats("c_scale", t, new long[] {dout, 1},
                    MilLinearFamilies.range(w, dout, 0.001, 0.01));
            ins = inputs("data_mask", maskConst, "nonzero_data", dataConst, "scale", scale);
        }
        net.op(op, ins, List.of(new MilNet.Out("y", DataType.UINT1, dout, din),
                new MilNet.Out("aux_nonzero", t, nonzero)));
        net.op("constexpr_sparse_to_dense", inputs("nonzero_data", "aux_nonzero", "mask", "y"), "aux_weight", t,
                dout, din);
        Map<String, List<String>> lin = inputs("x", "x", "weight", "aux_weight");
        lin.put("bias", List.of(net.constFloats("c_bias", t, new long[] {dout}, w.floats(dout, 0.1))));
        long[] out = in.clone();
        out[out.length - 1] = dout;
        return net.op("linear", lin, "aux_out", t, out).output("aux_out");
    }
}
