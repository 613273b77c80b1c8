package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.SamePadding;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;

/**
 * Pooling, convolution, deconvolution and upsampling: the layers whose Neural Engine limits the seed table guesses
 * (pooling kernel &gt; 13 or stride &gt; 2, upsampling &gt; 2, dilated convolutions, deconvolution works).
 */
final class SpatialFamilies {
    private SpatialFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(pooling(), convolution(), deconvolution(), upsample());
    }

    // ---- pooling -------------------------------------------------------------------------------------------

    static ProbeFamily pooling() {
        return ProbeFamily.named("pooling")
                .layers("pooling")
                .summary("2-D max / average / L2 pooling: kernel, stride, padding, global")
                .axis(Axis.choice("type", "max", "average", "l2").allChoices(Profile.STANDARD))
                // Seed rule: kernel > 13 is not on the ANE. Quick brackets it; standard sweeps 1..16 and beyond.
                .axis(Axis.pair("kernel", "3x3").quick("13", "14")
                        .standard("1..16", "20", "24", "28", "32", "1x13", "13x1", "1x14", "14x1", "3x14", "14x3")
                        .full("1..32", "2x28", "28x2", "5x31", "31x5"))
                // Seed rule: stride > 2 is not on the ANE.
                .axis(Axis.pair("stride", "1x1").quick("2", "3").standard("1..8", "1x2", "2x1", "1x3", "3x1"))
                .axis(Axis.choice("pad", "valid", "same", "includeLastPixel").allChoices(Profile.STANDARD))
                .axis(Axis.bool("global", false).standard("true"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "kernel", "stride")
                .grid(Profile.FULL, "type", "kernel", "stride")
                .grid(Profile.FULL, "pad", "kernel")
                // Global pooling ignores kernel and stride: only the baseline values, so no duplicate probes.
                .admissible("global pooling keeps the baseline kernel and stride (it ignores both)",
                        s -> !s.bool("global") || (s.text("kernel").equals("3x3") && s.text("stride").equals("1x1")))
                .admissible("the kernel fits within the input's height and width",
                        s -> s.bool("global") || kernelFits(s.shape("in"), s.pair("kernel"), new int[] {1, 1}))
                .builds(SpatialFamilies::buildPooling)
                .build();
    }

    /** The (dilated) kernel fits within a [C, H, W] input's height and width. */
    private static boolean kernelFits(long[] in, int[] k, int[] d) {
        return effective(k[0], d[0]) <= in[1] && effective(k[1], d[1]) <= in[2];
    }

    private static Net buildPooling(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        PoolingLayerParams.Builder p = PoolingLayerParams.newBuilder()
                .setType(PoolingLayerParams.PoolingType.valueOf(
                        s.text("type").equals("average") ? "AVERAGE" : s.text("type").toUpperCase()))
                .addKernelSize(k[0]).addKernelSize(k[1])
                .addStride(st[0]).addStride(st[1]);
        long h;
        long w;
        switch (s.text("pad")) {
            case "same":
                p.setSame(SamePadding.getDefaultInstance());
                h = ceilDiv(in[1], st[0]);
                w = ceilDiv(in[2], st[1]);
                break;
            case "includeLastPixel":
                p.setIncludeLastPixel(PoolingLayerParams.ValidCompletePadding.getDefaultInstance());
                h = ceilDiv(in[1] - k[0], st[0]) + 1;
                w = ceilDiv(in[2] - k[1], st[1]) + 1;
                break;
            default:
                p.setValid(ValidPadding.getDefaultInstance());
                h = (in[1] - k[0]) / st[0] + 1;
                w = (in[2] - k[1]) / st[1] + 1;
        }
        if (s.bool("global")) {
            p.setGlobalPooling(true);
            h = 1;
            w = 1;
        }
        return Net.legacy().input("x", in)
                .layer(Layer.probe().in("x").out("y", in[0], h, w).with(b -> b.setPooling(p)))
                .output("y");
    }

    // ---- convolution ---------------------------------------------------------------------------------------

    static ProbeFamily convolution() {
        return ProbeFamily.named("convolution")
                .layers("convolution")
                .summary("2-D convolution: kernel, stride, dilation, groups / depthwise, padding, fp16 weights")
                .axis(Axis.pair("kernel", "3x3").standard("1", "5", "7", "9", "11", "13", "15", "1x7", "7x1")
                        .full("17", "21", "25", "29"))
                .axis(Axis.pair("stride", "1x1").standard("2", "3", "4", "1x2", "2x1"))
                // Seed rule: dilated convolutions are not on the ANE. Quick has dilation 1 (baseline) and 2.
                .axis(Axis.pair("dilation", "1x1").quick("2").standard("1..8", "1x2", "2x1"))
                .axis(Axis.choice("groups", "1", "2", "4", "depthwise").allChoices(Profile.STANDARD))
                .axis(Axis.integer("cout", 64).standard("16", "256"))
                .axis(Axis.choice("pad", "valid", "same").allChoices(Profile.STANDARD))
                .axis(Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "kernel", "dilation")
                .grid(Profile.FULL, "kernel", "stride")
                .grid(Profile.FULL, "dilation", "stride")
                .grid(Profile.FULL, "groups", "kernel")
                .admissible(DEPTHWISE_COUT, SpatialFamilies::depthwiseKeepsCout)
                .admissible("the groups divide the input and output channels", SpatialFamilies::groupsDivide)
                .admissible("the dilated kernel fits within the input's height and width",
                        s -> kernelFits(s.shape("in"), s.pair("kernel"), s.pair("dilation")))
                .builds(SpatialFamilies::buildConvolution)
                .build();
    }

    private static long groups(ProbeSpec s, long inChannels) {
        return s.text("groups").equals("depthwise") ? inChannels : Long.parseLong(s.text("groups"));
    }

    private static long effective(int k, int d) {
        return (long) (k - 1) * d + 1;
    }

    private static final String DEPTHWISE_COUT =
            "depthwise keeps cout at its baseline (its output channels are its input channels)";

    /** Depthwise fixes the output channels to the input channels, so cout does not vary with it. */
    private static boolean depthwiseKeepsCout(ProbeSpec s) {
        return !s.text("groups").equals("depthwise") || s.text("cout").equals("64");
    }

    private static boolean groupsDivide(ProbeSpec s) {
        long[] in = s.shape("in");
        long g = groups(s, in[0]);
        long cout = s.text("groups").equals("depthwise") ? in[0] : s.integer("cout");
        return in[0] % g == 0 && cout % g == 0;
    }

    private static Net buildConvolution(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        int[] d = s.pair("dilation");
        long g = groups(s, in[0]);
        long cout = s.text("groups").equals("depthwise") ? in[0] : s.integer("cout");
        long kernelChannels = in[0] / g;
        boolean fp16 = s.text("weights").equals("fp16");
        Weights weights = new Weights(s.seed());
        ConvolutionLayerParams.Builder p = ConvolutionLayerParams.newBuilder()
                .setOutputChannels(cout).setKernelChannels(kernelChannels).setNGroups(g)
                .addKernelSize(k[0]).addKernelSize(k[1])
                .addStride(st[0]).addStride(st[1])
                .addDilationFactor(d[0]).addDilationFactor(d[1])
                .setHasBias(true)
                .setWeights(weights.params(cout * kernelChannels * k[0] * k[1], kernelChannels * k[0] * k[1], fp16))
                .setBias(weights.params(cout, 1, fp16));
        long h;
        long w;
        if (s.text("pad").equals("same")) {
            p.setSame(SamePadding.getDefaultInstance());
            h = ceilDiv(in[1], st[0]);
            w = ceilDiv(in[2], st[1]);
        } else {
            p.setValid(ValidPadding.getDefaultInstance());
            h = (in[1] - effective(k[0], d[0])) / st[0] + 1;
            w = (in[2] - effective(k[1], d[1])) / st[1] + 1;
        }
        return Net.legacy().input("x", in)
                .layer(Layer.probe().in("x").out("y", cout, h, w).with(b -> b.setConvolution(p)))
                .output("y");
    }

    // ---- deconvolution -------------------------------------------------------------------------------------

    static ProbeFamily deconvolution() {
        return ProbeFamily.named("deconvolution")
                .layers("convolution")
                .summary("2-D transposed convolution (convolution with isDeconvolution): kernel, stride, groups")
                .axis(Axis.pair("kernel", "2x2").standard("1", "3", "4", "5", "7", "13", "14", "1x4", "4x1"))
                .axis(Axis.pair("stride", "2x2").quick("3").standard("1", "4", "8", "1x2", "2x1"))
                .axis(Axis.choice("groups", "1", "2", "depthwise").allChoices(Profile.STANDARD))
                .axis(Axis.integer("cout", 64).standard("16", "256"))
                .axis(Axis.choice("pad", "valid", "same").allChoices(Profile.STANDARD))
                .axis(Axis.choice("weights", "fp32", "fp16").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "64x28x28").standard(Sizes.SMALL, "8x4x8192", "8x4x8224"))
                .grid(Profile.STANDARD, "kernel", "stride")
                .admissible(DEPTHWISE_COUT, SpatialFamilies::depthwiseKeepsCout)
                .admissible("the groups divide the input and output channels", SpatialFamilies::groupsDivide)
                .builds(SpatialFamilies::buildDeconvolution)
                .build();
    }

    private static Net buildDeconvolution(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] k = s.pair("kernel");
        int[] st = s.pair("stride");
        long g = groups(s, in[0]);
        long cout = s.text("groups").equals("depthwise") ? in[0] : s.integer("cout");
        boolean fp16 = s.text("weights").equals("fp16");
        Weights weights = new Weights(s.seed());
        // Deconvolution weights are laid out [Cin, Cout / groups, kH, kW]; kernelChannels is Cin.
        ConvolutionLayerParams.Builder p = ConvolutionLayerParams.newBuilder()
                .setIsDeconvolution(true)
                .setOutputChannels(cout).setKernelChannels(in[0]).setNGroups(g)
                .addKernelSize(k[0]).addKernelSize(k[1])
                .addStride(st[0]).addStride(st[1])
                .setHasBias(true)
                .setWeights(weights.params(in[0] * (cout / g) * k[0] * k[1], in[0] / g * k[0] * k[1], fp16))
                .setBias(weights.params(cout, 1, fp16));
        long h;
        long w;
        if (s.text("pad").equals("same")) {
            p.setSame(SamePadding.getDefaultInstance());
            h = in[1] * st[0];
            w = in[2] * st[1];
        } else {
            p.setValid(ValidPadding.getDefaultInstance());
            h = (in[1] - 1) * st[0] + k[0];
            w = (in[2] - 1) * st[1] + k[1];
        }
        return Net.legacy().input("x", in)
                .layer(Layer.probe().in("x").out("y", cout, h, w).with(b -> b.setConvolution(p)))
                .output("y");
    }

    // ---- upsample ------------------------------------------------------------------------------------------

    static ProbeFamily upsample() {
        List<String> grid = new ArrayList<>();
        for (int y = 1; y <= 8; y++) {
            for (int x = 1; x <= 8; x++) {
                grid.add(y + "x" + x);
            }
        }
        return ProbeFamily.named("upsample")
                .layers("upsample")
                .summary("upsampling by integer or fractional factors, nearest or bilinear, align-corners modes")
                // Seed rule: only a scaling factor of 2 runs on the ANE. Quick brackets it with 3.
                .axis(Axis.decimalPair("scale", "2x2").quick("3x3")
                        .standard("1..8", "1x2", "2x1", "2x4", "4x2", "1x4", "4x1", "1.5x1.5", "2.5x2.5", "1.5x2")
                        .full(grid.toArray(new String[0])).full("1.25", "1.75", "3.5"))
                .axis(Axis.choice("mode", "nn", "bilinear").allChoices(Profile.STANDARD))
                .axis(Axis.choice("align", "default", "true", "false").allChoices(Profile.STANDARD))
                .axis(Axis.shape("in", "64x28x28").standard(Sizes.SMALL, "8x4x8192", "8x4x8224"))
                .grid(Profile.STANDARD, "mode", "align")
                .grid(Profile.FULL, "scale", "mode")
                // Core ML's rules (NeuralNetworkValidator): an align-corners mode needs bilinear mode; fractional
                // factors need bilinear mode with ALIGN_CORNERS_TRUE or ALIGN_CORNERS_FALSE.
                .admissible("an align-corners mode (align true or false) needs mode bilinear",
                        s -> s.text("align").equals("default") || s.text("mode").equals("bilinear"))
                .admissible("a fractional scale needs mode bilinear with align true or false",
                        s -> !fractional(s.decimalPair("scale"))
                                || (s.text("mode").equals("bilinear") && !s.text("align").equals("default")))
                .admissible("the output is at least 1x1", s -> {
                    long[] out = upsampled(s.shape("in"), s.decimalPair("scale"));
                    return out[0] >= 1 && out[1] >= 1;
                })
                // So that a fractional scale is a probe of its own (bilinear, with each align-corners mode), and an
                // align-corners mode asked for alone is probed with bilinear.
                .companions("scale", "mode", "align")
                .companions("align", "mode")
                .builds(SpatialFamilies::buildUpsample)
                .build();
    }

    private static boolean fractional(double[] f) {
        return f[0] != Math.rint(f[0]) || f[1] != Math.rint(f[1]);
    }

    /**
     * The output height and width: floor(size × factor), the factor taken as the float32 the layer stores (as
     * coremltools' upsample_bilinear type inference does).
     */
    private static long[] upsampled(long[] in, double[] f) {
        return new long[] {(long) Math.floor(in[1] * (double) (float) f[0]),
            (long) Math.floor(in[2] * (double) (float) f[1])};
    }

    private static Net buildUpsample(ProbeSpec s) {
        long[] in = s.shape("in");
        double[] f = s.decimalPair("scale");
        boolean fractional = fractional(f);
        UpsampleLayerParams.Builder p = UpsampleLayerParams.newBuilder()
                .setMode(s.text("mode").equals("nn")
                        ? UpsampleLayerParams.InterpolationMode.NN : UpsampleLayerParams.InterpolationMode.BILINEAR);
        switch (s.text("align")) {
            case "true":
                p.setLinearUpsampleMode(UpsampleLayerParams.LinearUpsampleMode.ALIGN_CORNERS_TRUE);
                break;
            case "false":
                p.setLinearUpsampleMode(UpsampleLayerParams.LinearUpsampleMode.ALIGN_CORNERS_FALSE);
                break;
            default:
                break;
        }
        if (fractional) {
            p.addFractionalScalingFactor((float) f[0]).addFractionalScalingFactor((float) f[1]);
        } else {
            p.addScalingFactor((long) f[0]).addScalingFactor((long) f[1]);
        }
        long[] hw = upsampled(in, f);
        long h = hw[0];
        long w = hw[1];
        // Spec-5 options (fractional factors, align-corners modes) make this an ND network: use exact mapping.
        Net net = (fractional || !s.text("align").equals("default")) ? Net.nd() : Net.legacy();
        long[] x = net.isNd() ? new long[] {1, in[0], in[1], in[2]} : in;
        long[] y = net.isNd() ? new long[] {1, in[0], h, w} : new long[] {in[0], h, w};
        return net.input("x", x)
                .layer(Layer.probe().in("x").out("y", y).with(b -> b.setUpsample(p)))
                .output("y");
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
