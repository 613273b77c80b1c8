package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.Opsets;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ML Program convolution, pooling and upsampling: the same questions as the NeuralNetwork spatial families (kernel
 * &gt; 13, stride &gt; 2, scale &gt; 2, dilation), asked of the MIL ops most models use today. Every ML Program
 * family has a {@code dtype} axis: fp16 (the baseline, FLOAT16 I/O from CoreML6) and fp32, because an fp32-typed op
 * is not eligible for the Neural Engine at all.
 */
final class MilSpatialFamilies {
    private MilSpatialFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(conv(), pool(), upsampleNearest(), upsampleBilinear());
    }

    /** fp16 (baseline) or fp32 tensors. */
    static Axis dtype() {
        return Axis.choice("dtype", "fp16", "fp32").allChoices(Profile.STANDARD);
    }

    /** [N, C, H, W] sizes: ANE-sized baseline; small, width 16384 and beyond in standard. */
    static Axis nchw() {
        return Sizes.nchw();
    }

    static DataType type(ProbeSpec s) {
        return s.text("dtype").equals("fp16") ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    /** The lowest opset for an op introduced in {@code opset}, raised to CoreML6 for fp16 I/O. */
    static String opset(ProbeSpec s, String opIntroducedIn) {
        return Opsets.forProbe(opIntroducedIn, s.text("dtype").equals("fp16"));
    }

    static Map<String, List<String>> inputs(String... nameValuePairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            m.put(nameValuePairs[i], List.of(nameValuePairs[i + 1]));
        }
        return m;
    }

    // ---- conv ----------------------------------------------------------------------------------------------

    static ProbeFamily conv() {
        return ProbeFamily.named("mil.conv")
                .layers("conv")
                .minSpec(6)
                .summary("ML Program conv: kernel, stride, dilation, groups, pad type, dtype")
                .axis(dtype().quick("fp32")) // both sides of claim mil-fp32-not-ane in a quick sweep
                .axis(Axis.pair("kernel", "3x3").standard("1", "5", "7", "13", "15", "1x7", "7x1"))
                .axis(Axis.pair("stride", "1x1").standard("2", "3", "4"))
                .axis(Axis.pair("dilation", "1x1").quick("2").standard("1..8"))
                .axis(Axis.choice("groups", "1", "2", "depthwise").allChoices(Profile.STANDARD))
                .axis(Axis.choice("pad", "valid", "same").allChoices(Profile.STANDARD))
                .axis(nchw().quick("1x" + Sizes.BEYOND)) // and of mil-width-gt16384-not-ane
                .grid(Profile.STANDARD, "kernel", "dilation")
                .grid(Profile.FULL, "dtype", "kernel", "stride")
                .admissible("the groups divide the input channels, and the dilated kernel fits within the input's "
                        + "height and width",
                        s -> {
                    long[] in = s.shape("in");
                    int[] k = s.pair("kernel");
                    int[] d = s.pair("dilation");
                    long g = s.text("groups").equals("depthwise") ? in[1] : Long.parseLong(s.text("groups"));
                    return in[1] % g == 0 && (long) (k[0] - 1) * d[0] + 1 <= in[2]
                            && (long) (k[1] - 1) * d[1] + 1 <= in[3];
                })
                .builds(MilSpatialFamilies::buildConv)
                .build();
    }

    private static MilNet buildConv(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        int[] d = s.pair("dilation");
        long cin = in[1];
        long g = s.text("groups").equals("depthwise") ? cin : Long.parseLong(s.text("groups"));
        long cout = cin;
        DataType t = type(s);
        Weights w = new Weights(s.seed());
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String weight = net.constFloats("c_weight", t, new long[] {cout, cin / g, k[0], k[1]},
                w.floats(cout * (cin / g) * k[0] * k[1], 1.0 / Math.sqrt(cin / g * k[0] * k[1])));
        String bias = net.constFloats("c_bias", t, new long[] {cout}, w.floats(cout, 0.1));
        boolean same = s.text("pad").equals("same");
        long h = same ? SpatialFamilies.ceilDiv(in[2], st[0]) : (in[2] - ((long) (k[0] - 1) * d[0] + 1)) / st[0] + 1;
        long wd = same ? SpatialFamilies.ceilDiv(in[3], st[1]) : (in[3] - ((long) (k[1] - 1) * d[1] + 1)) / st[1] + 1;
        Map<String, List<String>> ins = inputs("x", "x", "weight", weight, "bias", bias,
                "strides", net.constIntList("c_strides", st[0], st[1]),
                "pad_type", net.constString("c_pad_type", s.text("pad")),
                "pad", net.constIntList("c_pad", 0, 0, 0, 0),
                "dilations", net.constIntList("c_dilations", d[0], d[1]),
                "groups", net.constInt("c_groups", (int) g));
        return net.op("conv", ins, "y", t, in[0], cout, h, wd).output("y");
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    static ProbeFamily pool() {
        return ProbeFamily.named("mil.pool")
                .layers("max_pool", "avg_pool", "l2_pool")
                .minSpec(6)
                .summary("ML Program max_pool / avg_pool / l2_pool: kernel, stride, pad type, ceil mode, dtype")
                .axis(Axis.choice("layer", "max_pool", "avg_pool", "l2_pool").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.pair("kernel", "3x3").quick("13", "14")
                        .standard("1..16", "20", "24", "28", "32", "1x14", "14x1").full("1..32"))
                .axis(Axis.pair("stride", "1x1").quick("2", "3").standard("1..8"))
                .axis(Axis.choice("pad", "valid", "same").allChoices(Profile.STANDARD))
                .axis(Axis.bool("ceil", false).standard("true"))
                .axis(nchw())
                .grid(Profile.STANDARD, "kernel", "stride")
                .grid(Profile.FULL, "layer", "kernel", "stride")
                .admissible("ceil mode applies only to max and avg pool with valid padding, and the kernel fits "
                        + "within the input's height and width",
                        s -> {
                    long[] in = s.shape("in");
                    int[] k = s.pair("kernel");
                    // ceil_mode exists for max/avg pool and not with same padding.
                    boolean ceilOk = !s.bool("ceil")
                            || (!s.text("layer").equals("l2_pool") && s.text("pad").equals("valid"));
                    return ceilOk && k[0] <= in[2] && k[1] <= in[3];
                })
                .builds(MilSpatialFamilies::buildPool)
                .build();
    }

    private static MilNet buildPool(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        DataType t = type(s);
        String op = s.text("layer");
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x",
                "kernel_sizes", net.constIntList("c_kernel_sizes", k[0], k[1]),
                "strides", net.constIntList("c_strides", st[0], st[1]),
                "pad_type", net.constString("c_pad_type", s.text("pad")),
                "pad", net.constIntList("c_pad", 0, 0, 0, 0));
        if (!op.equals("l2_pool")) {
            ins.put("ceil_mode", List.of(net.constBool("c_ceil_mode", s.bool("ceil"))));
        }
        if (op.equals("avg_pool")) {
            ins.put("exclude_padding_from_average", List.of(net.constBool("c_exclude_padding", false)));
        }
        long h;
        long w;
        if (s.text("pad").equals("same")) {
            h = SpatialFamilies.ceilDiv(in[2], st[0]);
            w = SpatialFamilies.ceilDiv(in[3], st[1]);
        } else if (s.bool("ceil")) {
            h = SpatialFamilies.ceilDiv(in[2] - k[0], st[0]) + 1;
            w = SpatialFamilies.ceilDiv(in[3] - k[1], st[1]) + 1;
        } else {
            h = (in[2] - k[0]) / st[0] + 1;
            w = (in[3] - k[1]) / st[1] + 1;
        }
        return net.op(op, ins, "y", t, in[0], in[1], h, w).output("y");
    }

    // ---- upsampling ----------------------------------------------------------------------------------------

    static ProbeFamily upsampleNearest() {
        return ProbeFamily.named("mil.upsample_nearest_neighbor")
                .layers("upsample_nearest_neighbor")
                .minSpec(6)
                .summary("ML Program nearest-neighbour upsampling: integer and fractional scale per axis, dtype")
                .axis(dtype())
                .axis(Axis.decimalPair("scale", "2x2").quick("3x3")
                        .standard("1..8", "1x2", "2x1", "2x4", "4x2", "1.5x1.5", "2.5x2.5"))
                .axis(Axis.shape("in", "1x64x28x28").standard("1x4x8x8", "1x8x4x8192", "1x8x4x8224"))
                .grid(Profile.FULL, "dtype", "scale")
                .builds(s -> buildUpsample(s, "upsample_nearest_neighbor"))
                .build();
    }

    static ProbeFamily upsampleBilinear() {
        return ProbeFamily.named("mil.upsample_bilinear")
                .layers("upsample_bilinear")
                .minSpec(6)
                .summary("ML Program bilinear upsampling: scale per axis, align corners, dtype")
                .axis(dtype())
                .axis(Axis.decimalPair("scale", "2x2").quick("3x3")
                        .standard("1..8", "1x2", "2x1", "1.5x1.5", "2.5x2.5"))
                .axis(Axis.bool("align", false).standard("true"))
                .axis(Axis.shape("in", "1x64x28x28").standard("1x4x8x8", "1x8x4x8192", "1x8x4x8224"))
                .grid(Profile.FULL, "scale", "align")
                .builds(s -> buildUpsample(s, "upsample_bilinear"))
                .build();
    }

    private static MilNet buildUpsample(ProbeSpec s, String op) {
        long[] in = s.shape("in");
        double[] f = s.decimalPair("scale");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        Map<String, List<String>> ins = inputs("x", "x",
                "scale_factor_height", net.constFloat("c_scale_h", DataType.FLOAT32, (float) f[0]),
                "scale_factor_width", net.constFloat("c_scale_w", DataType.FLOAT32, (float) f[1]));
        if (op.equals("upsample_bilinear")) {
            ins.put("align_corners", List.of(net.constBool("c_align_corners", s.bool("align"))));
        }
        long h = (long) Math.floor(in[2] * f[0]);
        long w = (long) Math.floor(in[3] * f[1]);
        return net.op(op, ins, "y", t, in[0], in[1], h, w).output("y");
    }
}
