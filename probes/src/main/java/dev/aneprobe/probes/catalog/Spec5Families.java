package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.coreml.ArgSortLayerParams;
import dev.aneprobe.probes.coreml.Convolution3DLayerParams;
import dev.aneprobe.probes.coreml.CumSumLayerParams;
import dev.aneprobe.probes.coreml.GlobalPooling3DLayerParams;
import dev.aneprobe.probes.coreml.OneHotLayerParams;
import dev.aneprobe.probes.coreml.Pooling3DLayerParams;
import dev.aneprobe.probes.coreml.SliceBySizeLayerParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer types added by specification 5 (iOS 14): oneHot, cumSum, argSort, sliceBySize and the 3-D layers
 * pooling3d, globalPooling3d and convolution3d. The 3-D sweeps mirror the 2-D pooling and convolution families,
 * since the seed's 2-D rules (pooling kernel &gt; 13 or stride &gt; 2, dilated convolutions) plausibly carry over.
 * Registered through {@link MiscNdFamilies#all()}.
 */
final class Spec5Families {
    /** The 3-D input [1, C, D, H, W]: ANE-sized baseline (~400k elements), depth 16 so kernels up to 16 fit. */
    static final String ANE_3D = "1x32x16x28x28";
    static final String SMALL_3D = "1x4x4x8x8";
    static final String WIDE_3D = "1x4x4x4x16384";
    static final String BEYOND_3D = "1x4x4x4x16448";
    /** Amount of CUSTOM padding on every edge, when the pad axis says custom. */
    static final int CUSTOM_PAD = 1;

    private Spec5Families() {
    }

    static List<ProbeFamily> all() {
        return List.of(oneHot(), cumSum(), argSort(), sliceBySize(), pooling3d(), globalPooling3d(),
                convolution3d());
    }

    // ---- oneHot --------------------------------------------------------------------------------------------

    static ProbeFamily oneHot() {
        return ProbeFamily.named("oneHot")
                .layers("oneHot")
                .minSpec(5)
                .summary("one-hot encoding: depth (up to and past 16384), position of the new axis, index shape")
                // The output gains an axis of length depth, so the indices are one rank below the usual input:
                // [1, 64, 56] with depth 64 gives an ANE-sized [1, 64, 56, 64].
                .axis(Axis.integer("depth", 64).standard("2", "16", "256", "1024", "16384", "16448")
                        .full("4", "8", "32", "128", "512", "2048", "4096", "8192"))
                // Where the new axis goes, counted in the output (negative from the end).
                .axis(Axis.dimension("axis", -1).range(-6, 5).standard("0", "1", "2", "3", "-2", "-3", "-4"))
                .axis(Axis.shape("in", "1x64x56").standard("1x4x8", "1x8x16384", "1x8x16448", "1x16x56x56")
                        .full("3584", "1x64x56x56"))
                .grid(Profile.FULL, "depth", "axis")
                .admissible("the axis is within the output's rank and the output has at most 67,108,864 elements",
                        s -> {
                    int rank = s.shape("in").length;
                    int axis = s.integer("axis");
                    return axis >= -(rank + 1) && axis <= rank
                            // keep the output below 64M elements
                            && MiscNdFamilies.numel(s.shape("in")) * s.integer("depth") <= (1L << 26);
                })
                .builds(Spec5Families::buildOneHot)
                .build();
    }

    private static Net buildOneHot(ProbeSpec s) {
        long[] in = s.shape("in");
        int depth = s.integer("depth");
        int axis = s.integer("axis");
        int at = axis < 0 ? axis + in.length + 1 : axis;
        List<Long> out = new ArrayList<>();
        for (long d : in) {
            out.add(d);
        }
        out.add(at, (long) depth);
        OneHotLayerParams p = OneHotLayerParams.newBuilder()
                .setOneHotVectorSize(depth).setAxis(axis).setOnValue(1f).setOffValue(0f).build();
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", MiscNdFamilies.toArray(out)).with(b -> b.setOneHot(p)))
                .output("y");
    }

    // ---- cumSum --------------------------------------------------------------------------------------------

    static ProbeFamily cumSum() {
        return ProbeFamily.named("cumSum")
                .layers("cumSum")
                .minSpec(5)
                .summary("running sum along an axis: axis, exclusive, reverse")
                // The scan axis: along width (the long axis of the wide inputs), height, channels or batch.
                .axis(Axis.dimension("axis", -1).range(-5, 4).standard("0", "1", "2", "3", "-2", "-3", "-4"))
                .axis(Axis.bool("exclusive", false).standard("true"))
                .axis(Axis.bool("reverse", false).standard("true"))
                .axis(Sizes.nchw().full("1x16384", "64x56x56"))
                .grid(Profile.FULL, "axis", "in")
                .grid(Profile.FULL, "exclusive", "reverse")
                .admissible("the axis is within the input's rank",
                        s -> inRange(s.integer("axis"), s.shape("in").length))
                .builds(Spec5Families::buildCumSum)
                .build();
    }

    private static Net buildCumSum(ProbeSpec s) {
        long[] in = s.shape("in");
        CumSumLayerParams p = CumSumLayerParams.newBuilder().setAxis(s.integer("axis"))
                .setExcludeFinalSum(s.bool("exclusive")).setReverse(s.bool("reverse")).build();
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", in).with(b -> b.setCumSum(p)))
                .output("y");
    }

    // ---- argSort -------------------------------------------------------------------------------------------

    static ProbeFamily argSort() {
        return ProbeFamily.named("argSort")
                .layers("argSort")
                .minSpec(5)
                .summary("indices that sort along an axis: axis, direction, sort length up to and past 16384")
                // argSort takes only non-negative axes; "last" is rank - 1 whatever the rank.
                .axis(Axis.choice("axis", "last", "0", "1", "2").allChoices(Profile.STANDARD))
                .axis(Axis.bool("descending", false).standard("true"))
                .axis(Sizes.nchw().full("1x16384", "1x16448", "64x56x56"))
                .grid(Profile.FULL, "axis", "in")
                .admissible("the axis is within the input's rank",
                        s -> axisIndex(s, s.shape("in").length) < s.shape("in").length)
                .builds(Spec5Families::buildArgSort)
                .build();
    }

    /** A "last" / index choice axis as an index in [0, rank). */
    private static int axisIndex(ProbeSpec s, int rank) {
        return s.text("axis").equals("last") ? rank - 1 : Integer.parseInt(s.text("axis"));
    }

    private static Net buildArgSort(ProbeSpec s) {
        long[] in = s.shape("in");
        ArgSortLayerParams p = ArgSortLayerParams.newBuilder().setAxis(axisIndex(s, in.length))
                .setDescending(s.bool("descending")).build();
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", in).with(b -> b.setArgSort(p)))
                .output("y");
    }

    // ---- sliceBySize ---------------------------------------------------------------------------------------

    static ProbeFamily sliceBySize() {
        return ProbeFamily.named("sliceBySize")
                .layers("sliceBySize")
                .minSpec(5)
                .summary("slice of a static size from a start index given as a tensor: axis, size, start")
                .axis(Axis.choice("axis", "last", "1", "2").allChoices(Profile.STANDARD))
                // Slice length: half the axis, a single element, 8, or the whole axis (an identity slice).
                .axis(Axis.choice("size", "half", "1", "8", "all").allChoices(Profile.STANDARD))
                // Start index: the second input, from an aux constant (a harness-fed value could fall outside
                // the axis); start, middle or end of the axis.
                .axis(Axis.choice("begin", "start", "middle", "end").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw().full("1x16384"))
                .grid(Profile.FULL, "axis", "size")
                .grid(Profile.FULL, "size", "begin")
                .admissible("the axis is within the input's rank and the slice fits along it", s -> {
                    long[] in = s.shape("in");
                    int axis = axisIndex(s, in.length);
                    return axis < in.length && sliceSize(s, in[axis]) <= in[axis];
                })
                .builds(Spec5Families::buildSliceBySize)
                .build();
    }

    private static long sliceSize(ProbeSpec s, long dim) {
        switch (s.text("size")) {
            case "half":
                return Math.max(1, dim / 2);
            case "all":
                return dim;
            default:
                return Long.parseLong(s.text("size"));
        }
    }

    private static Net buildSliceBySize(ProbeSpec s) {
        long[] in = s.shape("in");
        int axis = axisIndex(s, in.length);
        long size = sliceSize(s, in[axis]);
        long begin;
        switch (s.text("begin")) {
            case "middle":
                begin = (in[axis] - size) / 2;
                break;
            case "end":
                begin = in[axis] - size;
                break;
            default:
                begin = 0;
        }
        long[] out = in.clone();
        out[axis] = size;
        SliceBySizeLayerParams p = SliceBySizeLayerParams.newBuilder().setAxis(axis).setSize(size).build();
        return Net.nd().input("x", in)
                .layer(MiscNdFamilies.constant("begin", begin))
                .layer(Layer.probe().in("x", "aux_begin").out("y", out).with(b -> b.setSliceBySize(p)))
                .output("y");
    }

    // ---- pooling3d -----------------------------------------------------------------------------------------

    static ProbeFamily pooling3d() {
        return ProbeFamily.named("pooling3d")
                .layers("pooling3d")
                .minSpec(5)
                .summary("3-D max / average pooling: kernel, stride, padding (D x H x W)")
                // averageExcludePadding: average pooling that leaves padded zeros out of the divisor.
                .axis(Axis.choice("type", "max", "average", "averageExcludePadding").allChoices(Profile.STANDARD))
                // Seed rule (2-D): kernel > 13 is not on the ANE. Quick brackets it with cubes; standard separates
                // the depth extent from the spatial ones.
                .axis(Axis.shape("kernel", "3x3x3").quick("13x13x13", "14x14x14")
                        .standard(cubes(1, 16))
                        .standard("1x3x3", "3x1x1", "1x13x13", "1x14x14", "13x1x1", "14x1x1", "3x14x14", "14x3x3")
                        .full("1x20x20", "1x28x28", "2x28x28", "16x28x28", "1x5x27", "1x27x5"))
                // Seed rule (2-D): stride > 2 is not on the ANE.
                .axis(Axis.shape("stride", "1x1x1").quick("2x2x2", "3x3x3").standard(cubes(1, 8))
                        .standard("1x2x2", "2x1x1", "1x3x3", "3x1x1"))
                .axis(Axis.choice("pad", "valid", "same", "custom").allChoices(Profile.STANDARD))
                .axis(in3d())
                .grid(Profile.STANDARD, "type", "pad")
                .grid(Profile.FULL, "kernel", "stride")
                .grid(Profile.FULL, "type", "kernel")
                .admissible("the kernel fits within the input's depth, height and width",
                        s -> fits3d(s.shape("in"), dhw(s, "kernel"), new int[] {1, 1, 1}, s.text("pad")))
                .builds(Spec5Families::buildPooling3d)
                .build();
    }

    private static Net buildPooling3d(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = dhw(s, "kernel");
        int[] st = dhw(s, "stride");
        String pad = s.text("pad");
        Pooling3DLayerParams.Builder p = Pooling3DLayerParams.newBuilder()
                .setType(s.text("type").equals("max")
                        ? Pooling3DLayerParams.PoolingType3D.MAX : Pooling3DLayerParams.PoolingType3D.AVERAGE)
                .setCountExcludePadding(s.text("type").equals("averageExcludePadding"))
                .setKernelDepth(k[0]).setKernelHeight(k[1]).setKernelWidth(k[2])
                .setStrideDepth(st[0]).setStrideHeight(st[1]).setStrideWidth(st[2]);
        switch (pad) {
            case "same":
                p.setPaddingType(Pooling3DLayerParams.Pooling3DPaddingType.SAME);
                break;
            case "custom":
                p.setPaddingType(Pooling3DLayerParams.Pooling3DPaddingType.CUSTOM)
                        .setCustomPaddingFront(CUSTOM_PAD).setCustomPaddingBack(CUSTOM_PAD)
                        .setCustomPaddingTop(CUSTOM_PAD).setCustomPaddingBottom(CUSTOM_PAD)
                        .setCustomPaddingLeft(CUSTOM_PAD).setCustomPaddingRight(CUSTOM_PAD);
                break;
            default:
                p.setPaddingType(Pooling3DLayerParams.Pooling3DPaddingType.VALID);
        }
        long[] out = out3d(in, in[1], k, st, new int[] {1, 1, 1}, pad);
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", out).with(b -> b.setPooling3D(p)))
                .output("y");
    }

    // ---- globalPooling3d -----------------------------------------------------------------------------------

    static ProbeFamily globalPooling3d() {
        return ProbeFamily.named("globalPooling3d")
                .layers("globalPooling3d")
                .minSpec(5)
                .summary("3-D global max / average pooling over D x H x W")
                .axis(Axis.choice("type", "max", "average").allChoices(Profile.STANDARD))
                .axis(in3d().full("1x64x1x56x56", "1x256x4x14x14"))
                .grid(Profile.FULL, "type", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    GlobalPooling3DLayerParams p = GlobalPooling3DLayerParams.newBuilder()
                            .setType(s.text("type").equals("max") ? GlobalPooling3DLayerParams.GlobalPoolingType3D.MAX
                                    : GlobalPooling3DLayerParams.GlobalPoolingType3D.AVERAGE)
                            .build();
                    return Net.nd().input("x", in)
                            .layer(Layer.probe().in("x").out("y", in[0], in[1], 1, 1, 1)
                                    .with(b -> b.setGlobalPooling3D(p)))
                            .output("y");
                })
                .build();
    }

    // ---- convolution3d -------------------------------------------------------------------------------------

    static ProbeFamily convolution3d() {
        return ProbeFamily.named("convolution3d")
                .layers("convolution3d")
                .minSpec(5)
                .summary("3-D convolution and transposed convolution: kernel, stride, dilation, groups / "
                        + "depthwise, padding, fp16 weights")
                .axis(Axis.shape("kernel", "3x3x3").standard("1x1x1", "2x2x2", "5x5x5", "7x7x7")
                        .standard("1x3x3", "3x1x1", "1x7x7", "7x1x1")
                        .full("9x9x9", "11x11x11", "13x13x13", "1x13x13", "1x14x14"))
                .axis(Axis.shape("stride", "1x1x1").standard("2x2x2", "3x3x3", "4x4x4", "1x2x2", "2x1x1"))
                // Seed rule (2-D): dilated convolutions are not on the ANE. Quick has dilation 1 (baseline) and 2.
                .axis(Axis.shape("dilation", "1x1x1").quick("2x2x2").standard(cubes(1, 4))
                        .standard("1x2x2", "2x1x1").full(cubes(5, 8)))
                .axis(Axis.choice("groups", "1", "2", "4", "depthwise").allChoices(Profile.STANDARD))
                .axis(Axis.integer("cout", 32).standard("16", "256"))
                .axis(Axis.choice("pad", "valid", "same", "custom").allChoices(Profile.STANDARD))
                .axis(Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD))
                // Transposed 3-D convolution (isDeconvolution), with valid padding and no dilation.
                .axis(Axis.bool("deconv", false).standard("true"))
                .axis(in3d())
                .grid(Profile.STANDARD, "kernel", "dilation")
                .grid(Profile.FULL, "kernel", "stride")
                .grid(Profile.FULL, "dilation", "stride")
                .grid(Profile.FULL, "groups", "kernel")
                .admissible("depthwise keeps cout at its baseline, deconvolution takes valid padding and no dilation, "
                        + "the groups divide the channels, and the dilated kernel fits within the input",
                        Spec5Families::convolution3dFits)
                .builds(Spec5Families::buildConvolution3d)
                .build();
    }

    private static long groups3d(ProbeSpec s, long inChannels) {
        return s.text("groups").equals("depthwise") ? inChannels : Long.parseLong(s.text("groups"));
    }

    private static long cout3d(ProbeSpec s, long inChannels) {
        return s.text("groups").equals("depthwise") ? inChannels : s.integer("cout");
    }

    private static boolean convolution3dFits(ProbeSpec s) {
        long[] in = s.shape("in");
        if (s.text("groups").equals("depthwise") && !s.text("cout").equals("32")) {
            return false; // depthwise fixes the output channels to the input channels
        }
        if (s.bool("deconv") && (!s.text("pad").equals("valid") || !s.text("dilation").equals("1x1x1"))) {
            return false;
        }
        long g = groups3d(s, in[1]);
        return in[1] % g == 0 && cout3d(s, in[1]) % g == 0
                && fits3d(in, dhw(s, "kernel"), dhw(s, "dilation"), s.text("pad"));
    }

    private static Net buildConvolution3d(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = dhw(s, "kernel");
        int[] st = dhw(s, "stride");
        int[] d = dhw(s, "dilation");
        String pad = s.text("pad");
        long cin = in[1];
        long g = groups3d(s, cin);
        long cout = cout3d(s, cin);
        boolean deconv = s.bool("deconv");
        boolean fp16 = s.text("weights").equals("fp16");
        long kernelVolume = (long) k[0] * k[1] * k[2];
        // Convolution weights are [Cout, Cin / groups, kD, kH, kW]; deconvolution weights [Cout / groups, Cin, ...].
        long weightCount = deconv ? (cout / g) * cin * kernelVolume : cout * (cin / g) * kernelVolume;
        Weights weights = new Weights(s.seed());
        Convolution3DLayerParams.Builder p = Convolution3DLayerParams.newBuilder()
                .setInputChannels(Math.toIntExact(cin)).setOutputChannels(Math.toIntExact(cout))
                .setNGroups(Math.toIntExact(g))
                .setKernelDepth(k[0]).setKernelHeight(k[1]).setKernelWidth(k[2])
                .setStrideDepth(st[0]).setStrideHeight(st[1]).setStrideWidth(st[2])
                // Core ML rejects a zero dilation, so the default must be spelt out.
                .setDilationDepth(d[0]).setDilationHeight(d[1]).setDilationWidth(d[2])
                .setIsDeconvolution(deconv)
                .setHasBias(true)
                .setWeights(weights.params(weightCount, cin / g * kernelVolume, fp16))
                .setBias(weights.params(cout, 1, fp16));
        switch (pad) {
            case "same":
                p.setPaddingType(Convolution3DLayerParams.PaddingType.SAME);
                break;
            case "custom":
                p.setPaddingType(Convolution3DLayerParams.PaddingType.CUSTOM)
                        .setCustomPaddingFront(CUSTOM_PAD).setCustomPaddingBack(CUSTOM_PAD)
                        .setCustomPaddingTop(CUSTOM_PAD).setCustomPaddingBottom(CUSTOM_PAD)
                        .setCustomPaddingLeft(CUSTOM_PAD).setCustomPaddingRight(CUSTOM_PAD);
                break;
            default:
                p.setPaddingType(Convolution3DLayerParams.PaddingType.VALID);
        }
        long[] out;
        if (deconv) {
            // Valid transposed convolution, dilation 1: (in - 1) * stride + kernel.
            out = new long[] {in[0], cout, 0, 0, 0};
            for (int i = 0; i < 3; i++) {
                out[2 + i] = (in[2 + i] - 1) * st[i] + k[i];
            }
        } else {
            out = out3d(in, cout, k, st, d, pad);
        }
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", out).with(b -> b.setConvolution3D(p)))
                .output("y");
    }

    // ---- 3-D helpers ---------------------------------------------------------------------------------------

    /** The 3-D tensor-size axis [1, C, D, H, W]: ANE-sized baseline; tiny, wide and beyond-wide in standard. */
    private static Axis in3d() {
        return Axis.shape("in", ANE_3D).standard(SMALL_3D, WIDE_3D, BEYOND_3D);
    }

    /** Cubes {@code nxnxn} for n from {@code from} to {@code to}. */
    private static String[] cubes(int from, int to) {
        String[] out = new String[to - from + 1];
        for (int n = from; n <= to; n++) {
            out[n - from] = n + "x" + n + "x" + n;
        }
        return out;
    }

    /** A D x H x W shape axis as {d, h, w}. */
    private static int[] dhw(ProbeSpec s, String axis) {
        long[] v = s.shape(axis);
        return new int[] {Math.toIntExact(v[0]), Math.toIntExact(v[1]), Math.toIntExact(v[2])};
    }

    private static long effective(int k, int d) {
        return (long) (k - 1) * d + 1;
    }

    /** Whether the (dilated) kernel fits the (padded) input on every spatial axis. */
    private static boolean fits3d(long[] in, int[] k, int[] d, String pad) {
        long extra = pad.equals("custom") ? 2L * CUSTOM_PAD : 0;
        for (int i = 0; i < 3; i++) {
            if (effective(k[i], d[i]) > in[2 + i] + extra) {
                return false;
            }
        }
        return true;
    }

    /** Output [B, channels, D', H', W'] of a 3-D pooling or convolution. */
    private static long[] out3d(long[] in, long channels, int[] k, int[] st, int[] d, String pad) {
        long[] out = {in[0], channels, 0, 0, 0};
        for (int i = 0; i < 3; i++) {
            long size = in[2 + i];
            switch (pad) {
                case "same":
                    out[2 + i] = SpatialFamilies.ceilDiv(size, st[i]);
                    break;
                case "custom":
                    out[2 + i] = (size + 2L * CUSTOM_PAD - effective(k[i], d[i])) / st[i] + 1;
                    break;
                default:
                    out[2 + i] = (size - effective(k[i], d[i])) / st[i] + 1;
            }
        }
        return out;
    }

    private static boolean inRange(int axis, int rank) {
        return axis >= -rank && axis < rank;
    }
}
