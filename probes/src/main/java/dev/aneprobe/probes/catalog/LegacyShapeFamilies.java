package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.LegacyFamilies.product;
import static dev.aneprobe.probes.catalog.LegacyFamilies.single;

import dev.aneprobe.probes.coreml.BorderAmounts;
import dev.aneprobe.probes.coreml.BoxCoordinatesMode;
import dev.aneprobe.probes.coreml.ConcatLayerParams;
import dev.aneprobe.probes.coreml.CropLayerParams;
import dev.aneprobe.probes.coreml.CropResizeLayerParams;
import dev.aneprobe.probes.coreml.FlattenLayerParams;
import dev.aneprobe.probes.coreml.PaddingLayerParams;
import dev.aneprobe.probes.coreml.PermuteLayerParams;
import dev.aneprobe.probes.coreml.ReorganizeDataLayerParams;
import dev.aneprobe.probes.coreml.ReshapeLayerParams;
import dev.aneprobe.probes.coreml.ResizeBilinearLayerParams;
import dev.aneprobe.probes.coreml.SamplingMode;
import dev.aneprobe.probes.coreml.SequenceRepeatLayerParams;
import dev.aneprobe.probes.coreml.SliceLayerParams;
import dev.aneprobe.probes.coreml.SplitLayerParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;

/**
 * The original (specification 1–3) layers that move, cut or resize data rather than compute on it: crop,
 * padding, bilinear resize, ROI crop-and-resize, reshape / flatten / permute, concat, split, sequence repeat,
 * space/depth reorganization and slice. Output shapes follow Core ML's rank-5 shape propagator (see
 * {@link LegacyFamilies}).
 */
final class LegacyShapeFamilies {
    private LegacyShapeFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(crop(), padding(), resizeBilinear(), cropResize(), layout(), concat(), split(),
                sequenceRepeat(), reorganizeData(), slice());
    }

    // ---- crop ------------------------------------------------------------------------------------------------

    static ProbeFamily crop() {
        return ProbeFamily.named("crop")
                .layers("crop")
                .summary("crop H and W by fixed border amounts, or to the size of a second input at an offset")
                .axis(Axis.choice("form", "amounts", "reference").allChoices(Profile.STANDARD))
                // Rows x columns removed in total (split as evenly as possible between the two edges).
                .axis(Axis.pair("removed", "2x2").standard("1", "4", "8", "16", "28", "1x8", "8x1")
                        .full("3", "32", "48"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "form", "removed")
                .grid(Profile.FULL, "form", "in")
                .admissible("less is removed than the input's height and width", s -> {
                    long[] in = s.shape("in");
                    int[] r = s.pair("removed");
                    return r[0] < in[1] && r[1] < in[2];
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    int[] r = s.pair("removed");
                    long[] out = {in[0], in[1] - r[0], in[2] - r[1]};
                    if (s.text("form").equals("reference")) {
                        CropLayerParams p = CropLayerParams.newBuilder()
                                .addOffset(r[0] / 2).addOffset(r[1] / 2).build();
                        return Net.legacy().input("x", in).input("x2", out)
                                .layer(Layer.probe().in("x", "x2").out("y", out).with(b -> b.setCrop(p)))
                                .output("y");
                    }
                    CropLayerParams p = CropLayerParams.newBuilder().setCropAmounts(border(r)).build();
                    return single(in, out, b -> b.setCrop(p));
                })
                .build();
    }

    /** Border amounts removing or adding r[0] rows and r[1] columns, the odd one at the end. */
    private static BorderAmounts border(int[] r) {
        return BorderAmounts.newBuilder()
                .addBorderAmounts(BorderAmounts.EdgeSizes.newBuilder()
                        .setStartEdgeSize(r[0] / 2).setEndEdgeSize(r[0] - r[0] / 2))
                .addBorderAmounts(BorderAmounts.EdgeSizes.newBuilder()
                        .setStartEdgeSize(r[1] / 2).setEndEdgeSize(r[1] - r[1] / 2))
                .build();
    }

    // ---- padding ---------------------------------------------------------------------------------------------

    static ProbeFamily padding() {
        return ProbeFamily.named("padding")
                .layers("padding")
                .summary("constant / reflection / replication padding of H and W by various amounts")
                .axis(Axis.choice("type", "constant", "reflection", "replication").allChoices(Profile.STANDARD))
                // Rows x columns added in total.
                .axis(Axis.pair("added", "2x2").standard("1", "4", "6", "14", "32", "1x2", "2x1")
                        .full("3", "8", "64", "110"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "type", "added")
                .grid(Profile.FULL, "type", "in")
                .admissible("reflection pads each edge by less than the input's height and width", s -> {
                    if (!s.text("type").equals("reflection")) {
                        return true;
                    }
                    // Reflection cannot pad an edge by as much as the axis is long.
                    long[] in = s.shape("in");
                    int[] a = s.pair("added");
                    return a[0] - a[0] / 2 < in[1] && a[1] - a[1] / 2 < in[2];
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    int[] a = s.pair("added");
                    PaddingLayerParams.Builder p = PaddingLayerParams.newBuilder().setPaddingAmounts(border(a));
                    switch (s.text("type")) {
                        case "reflection":
                            p.setReflection(PaddingLayerParams.PaddingReflection.getDefaultInstance());
                            break;
                        case "replication":
                            p.setReplication(PaddingLayerParams.PaddingReplication.getDefaultInstance());
                            break;
                        default:
                            p.setConstant(PaddingLayerParams.PaddingConstant.newBuilder().setValue(0.5f));
                    }
                    return single(in, new long[] {in[0], in[1] + a[0], in[2] + a[1]}, b -> b.setPadding(p));
                })
                .build();
    }

    // ---- resizeBilinear --------------------------------------------------------------------------------------

    private static SamplingMode sampling(String mode) {
        SamplingMode.Method m;
        switch (mode) {
            case "alignEndpoints":
                m = SamplingMode.Method.ALIGN_ENDPOINTS_MODE;
                break;
            case "upsample":
                m = SamplingMode.Method.UPSAMPLE_MODE;
                break;
            case "roiAlign":
                m = SamplingMode.Method.ROI_ALIGN_MODE;
                break;
            default:
                m = SamplingMode.Method.STRICT_ALIGN_ENDPOINTS_MODE;
        }
        return SamplingMode.newBuilder().setSamplingMethod(m).build();
    }

    private static Axis samplingAxis(String baseline) {
        return Axis.choice("mode", "strictAlignEndpoints", "alignEndpoints", "upsample", "roiAlign")
                .baseline(baseline).allChoices(Profile.STANDARD);
    }

    static ProbeFamily resizeBilinear() {
        return ProbeFamily.named("resizeBilinear")
                .layers("resizeBilinear")
                .summary("bilinear resize to a target size (x2, x3, fractional, down) in each sampling mode")
                .minSpec(3)
                // Target size as a factor of the input's H and W (rounded to whole pixels).
                .axis(Axis.decimalPair("factor", "2x2").quick("3x3")
                        .standard("1", "3", "4", "0.5", "1.5", "2.5", "1x2", "2x1")
                        .full("5", "6", "8", "0.25", "1.25", "3x1", "1x3", "2x4", "4x2"))
                .axis(samplingAxis("strictAlignEndpoints"))
                .axis(Axis.shape("in", "64x28x28").standard(Sizes.SMALL, "8x4x8192", "8x4x8224"))
                .grid(Profile.STANDARD, "factor", "mode")
                .grid(Profile.FULL, "factor", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    double[] f = s.decimalPair("factor");
                    long h = Math.max(1, Math.round(in[1] * f[0]));
                    long w = Math.max(1, Math.round(in[2] * f[1]));
                    ResizeBilinearLayerParams p = ResizeBilinearLayerParams.newBuilder()
                            .addTargetSize(h).addTargetSize(w).setMode(sampling(s.text("mode"))).build();
                    return single(in, new long[] {in[0], h, w}, b -> b.setResizeBilinear(p));
                })
                .build();
    }

    // ---- cropResize ------------------------------------------------------------------------------------------

    /**
     * ROI crop-and-resize. With one box it is a legacy network: the box is a [4] (or [5] with a batch index) input
     * that the rank-5 mapping turns into [1, 1, 4, 1, 1]. Several boxes need the sequence axis, so those probes are
     * ND networks with rank-5 inputs [1, 1, C, H, W] and [N, 1, 4, 1, 1].
     */
    static ProbeFamily cropResize() {
        return ProbeFamily.named("cropResize")
                .layers("cropResize")
                .summary("ROI crop-and-resize: boxes, target size, sampling mode, box layout, normalized coordinates")
                .minSpec(3)
                .axis(Axis.integer("boxes", 1).standard("4", "32").full("2", "128"))
                .axis(Axis.pair("target", "14x14").standard("7", "1", "28", "56", "7x14").full("3", "112"))
                .axis(samplingAxis("roiAlign"))
                .axis(Axis.choice("boxMode", "cornersHeightFirst", "cornersWidthFirst", "centerSizeHeightFirst",
                        "centerSizeWidthFirst").allChoices(Profile.STANDARD))
                .axis(Axis.bool("normalized", true).standard("false"))
                // A fifth box value naming the batch item each box is cut from.
                .axis(Axis.bool("boxIndex", false).standard("true"))
                .axis(Sizes.chw())
                .grid(Profile.FULL, "boxes", "target")
                .grid(Profile.FULL, "mode", "target")
                .builds(LegacyShapeFamilies::buildCropResize)
                .build();
    }

    private static Net buildCropResize(ProbeSpec s) {
        long[] in = s.shape("in");
        int[] t = s.pair("target");
        long n = s.integer("boxes");
        long boxValues = s.bool("boxIndex") ? 5 : 4;
        BoxCoordinatesMode.Coordinates coords;
        switch (s.text("boxMode")) {
            case "cornersWidthFirst":
                coords = BoxCoordinatesMode.Coordinates.CORNERS_WIDTH_FIRST;
                break;
            case "centerSizeHeightFirst":
                coords = BoxCoordinatesMode.Coordinates.CENTER_SIZE_HEIGHT_FIRST;
                break;
            case "centerSizeWidthFirst":
                coords = BoxCoordinatesMode.Coordinates.CENTER_SIZE_WIDTH_FIRST;
                break;
            default:
                coords = BoxCoordinatesMode.Coordinates.CORNERS_HEIGHT_FIRST;
        }
        CropResizeLayerParams p = CropResizeLayerParams.newBuilder()
                .addTargetSize(t[0]).addTargetSize(t[1])
                .setNormalizedCoordinates(s.bool("normalized"))
                .setMode(sampling(s.text("mode")))
                .setBoxIndicesMode(BoxCoordinatesMode.newBuilder().setBoxMode(coords))
                .setSpatialScale(1f)
                .build();
        if (n == 1) {
            return Net.legacy().input("x", in).input("x2", boxValues)
                    .layer(Layer.probe().in("x", "x2").out("y", in[0], t[0], t[1]).with(b -> b.setCropResize(p)))
                    .output("y");
        }
        return Net.nd().input("x", 1, 1, in[0], in[1], in[2]).input("x2", n, 1, boxValues, 1, 1)
                .layer(Layer.probe().in("x", "x2").out("y", n, 1, in[0], t[0], t[1]).with(b -> b.setCropResize(p)))
                .output("y");
    }

    // ---- reshape / flatten / permute -------------------------------------------------------------------------

    static ProbeFamily layout() {
        return ProbeFamily.named("layout")
                .layers("reshape", "flatten", "permute")
                .summary("legacy reshape (targets, channel-first/last order), flatten (order), permute (axis orders)")
                .axis(Axis.choice("layer", "reshape", "flatten", "permute").allChoices(Profile.STANDARD))
                // reshape targets over [C,H,W]: [C,H*W,1], [C*H*W,1,1], [C,W,H], [2C,H/2,W], and the 4-entry
                // form [1,C,H*W,1] (sequence length 1).
                .axis(Axis.choice("target", "rows", "flat", "swapHW", "fold", "seq4d").allChoices(Profile.STANDARD))
                .axis(Axis.choice("order", "channelFirst", "channelLast").allChoices(Profile.STANDARD))
                // permute of [Seq, C, H, W] keeping the sequence axis first.
                .axis(Axis.choice("axes", "0231", "0213", "0312", "0321", "0132", "0123")
                        .allChoices(Profile.STANDARD))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "layer", "order")
                .grid(Profile.STANDARD, "layer", "axes")
                .grid(Profile.FULL, "target", "order")
                .grid(Profile.FULL, "layer", "in")
                .grid(Profile.FULL, "axes", "in")
                .admissible("each layout layer varies only its own options (and fold needs an even height)", s -> {
                    String layer = s.text("layer");
                    boolean baseTarget = s.text("target").equals("rows");
                    boolean baseOrder = s.text("order").equals("channelFirst");
                    boolean baseAxes = s.text("axes").equals("0231");
                    if (s.text("target").equals("fold") && s.shape("in")[1] % 2 != 0) {
                        return false;
                    }
                    switch (layer) {
                        case "reshape":
                            return baseAxes;
                        case "flatten":
                            return baseTarget && baseAxes;
                        default:
                            return baseTarget && baseOrder;
                    }
                })
                .builds(LegacyShapeFamilies::buildLayout)
                .build();
    }

    private static Net buildLayout(ProbeSpec s) {
        long[] in = s.shape("in");
        boolean channelLast = s.text("order").equals("channelLast");
        switch (s.text("layer")) {
            case "flatten": {
                FlattenLayerParams p = FlattenLayerParams.newBuilder()
                        .setMode(channelLast ? FlattenLayerParams.FlattenOrder.CHANNEL_LAST
                                : FlattenLayerParams.FlattenOrder.CHANNEL_FIRST)
                        .build();
                return single(in, new long[] {product(in), 1, 1}, b -> b.setFlatten(p));
            }
            case "permute": {
                String axes = s.text("axes");
                long[] seqChw = {1, in[0], in[1], in[2]};
                PermuteLayerParams.Builder p = PermuteLayerParams.newBuilder();
                long[] out = new long[3];
                for (int i = 0; i < 4; i++) {
                    int a = axes.charAt(i) - '0';
                    p.addAxis(a);
                    if (i > 0) {
                        out[i - 1] = seqChw[a];
                    }
                }
                return single(in, out, b -> b.setPermute(p));
            }
            default: {
                long[] out;
                ReshapeLayerParams.Builder p = ReshapeLayerParams.newBuilder()
                        .setMode(channelLast ? ReshapeLayerParams.ReshapeOrder.CHANNEL_LAST
                                : ReshapeLayerParams.ReshapeOrder.CHANNEL_FIRST);
                switch (s.text("target")) {
                    case "flat":
                        out = new long[] {product(in), 1, 1};
                        break;
                    case "swapHW":
                        out = new long[] {in[0], in[2], in[1]};
                        break;
                    case "fold":
                        out = new long[] {in[0] * 2, in[1] / 2, in[2]};
                        break;
                    case "seq4d":
                        out = new long[] {in[0], in[1] * in[2], 1};
                        p.addTargetShape(1);
                        break;
                    default:
                        out = new long[] {in[0], in[1] * in[2], 1};
                }
                for (long d : out) {
                    p.addTargetShape(d);
                }
                return single(in, out, b -> b.setReshape(p));
            }
        }
    }

    // ---- concat ----------------------------------------------------------------------------------------------

    /** The legacy twin of concatND: along channels (or along the sequence axis), 2 to 8 inputs. */
    static ProbeFamily concat() {
        return ProbeFamily.named("concat")
                .layers("concat")
                .summary("legacy concat of 2..8 inputs along channels or along the sequence axis")
                .axis(Axis.integer("inputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8").full("16"))
                .axis(Axis.bool("sequenceConcat", false).standard("true"))
                .axis(Sizes.chw())
                .grid(Profile.FULL, "inputs", "in")
                .grid(Profile.FULL, "sequenceConcat", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    int n = s.integer("inputs");
                    boolean seq = s.bool("sequenceConcat");
                    Net net = Net.legacy();
                    Layer probe = Layer.probe();
                    for (int i = 1; i <= n; i++) {
                        String name = i == 1 ? "x" : "x" + i;
                        net.input(name, in);
                        probe.in(name);
                    }
                    // Sequence concat grows the (undeclared) sequence axis; C, H, W stay.
                    long[] out = seq ? in : new long[] {in[0] * n, in[1], in[2]};
                    ConcatLayerParams p = ConcatLayerParams.newBuilder().setSequenceConcat(seq).build();
                    return net.layer(probe.out("y", out).with(b -> b.setConcat(p))).output("y");
                })
                .build();
    }

    // ---- split -----------------------------------------------------------------------------------------------

    /** The legacy twin of splitND: equal parts along channels. */
    static ProbeFamily split() {
        return ProbeFamily.named("split")
                .layers("split")
                .summary("legacy split into 2..64 equal parts along channels")
                .axis(Axis.integer("outputs", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("4", "8").full("16", "64"))
                .axis(Sizes.chw())
                .grid(Profile.FULL, "outputs", "in")
                .admissible("outputs divides the input's channels", s -> s.shape("in")[0] % s.integer("outputs") == 0)
                .builds(s -> {
                    long[] in = s.shape("in");
                    int n = s.integer("outputs");
                    long[] part = {in[0] / n, in[1], in[2]};
                    Layer probe = Layer.probe().in("x")
                            .with(b -> b.setSplit(SplitLayerParams.newBuilder().setNOutputs(n)));
                    for (int i = 1; i <= n; i++) {
                        probe.out(i == 1 ? "y" : "y" + i, part);
                    }
                    Net net = Net.legacy().input("x", in).layer(probe);
                    for (int i = 1; i <= n; i++) {
                        net.output(i == 1 ? "y" : "y" + i);
                    }
                    return net;
                })
                .build();
    }

    // ---- sequenceRepeat --------------------------------------------------------------------------------------

    static ProbeFamily sequenceRepeat() {
        return ProbeFamily.named("sequenceRepeat")
                .layers("sequenceRepeat")
                .summary("repeat along the sequence axis (C, H, W unchanged)")
                .axis(Axis.integer("repetitions", 2).standard("1", "3", "4", "16").full("64"))
                .axis(Sizes.chw())
                .grid(Profile.FULL, "repetitions", "in")
                .builds(s -> single(s.shape("in"), s.shape("in"), b -> b.setSequenceRepeat(
                        SequenceRepeatLayerParams.newBuilder().setNRepetitions(s.integer("repetitions")))))
                .build();
    }

    // ---- reorganizeData --------------------------------------------------------------------------------------

    static ProbeFamily reorganizeData() {
        return ProbeFamily.named("reorganizeData")
                .layers("reorganizeData")
                .summary("space-to-depth, depth-to-space and pixel shuffle (an ND option) by block sizes 2..14")
                .axis(Axis.choice("mode", "spaceToDepth", "depthToSpace", "pixelShuffle")
                        .allChoices(Profile.STANDARD))
                // No 3 or 16: neither divides any declared input's planes, nor its channels by the square; 7 and
                // 14 probe odd and large blocks.
                .axis(Axis.integer("block", 2).standard("4", "7", "8").full("14"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "mode", "block")
                .grid(Profile.FULL, "mode", "in")
                .admissible("the block divides the input (height and width for spaceToDepth, channels by block "
                        + "squared otherwise)",
                        s -> {
                    long[] in = s.shape("in");
                    long b = s.integer("block");
                    return s.text("mode").equals("spaceToDepth")
                            ? in[1] % b == 0 && in[2] % b == 0
                            : in[0] % (b * b) == 0;
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    long bs = s.integer("block");
                    String mode = s.text("mode");
                    long[] out = mode.equals("spaceToDepth")
                            ? new long[] {in[0] * bs * bs, in[1] / bs, in[2] / bs}
                            : new long[] {in[0] / (bs * bs), in[1] * bs, in[2] * bs};
                    ReorganizeDataLayerParams p = ReorganizeDataLayerParams.newBuilder()
                            .setMode(mode.equals("spaceToDepth") ? ReorganizeDataLayerParams.ReorganizationType
                                    .SPACE_TO_DEPTH : mode.equals("depthToSpace")
                                    ? ReorganizeDataLayerParams.ReorganizationType.DEPTH_TO_SPACE
                                    : ReorganizeDataLayerParams.ReorganizationType.PIXEL_SHUFFLE)
                            .setBlockSize(bs)
                            .build();
                    if (!mode.equals("pixelShuffle")) {
                        return single(in, out, b -> b.setReorganizeData(p));
                    }
                    // PIXEL_SHUFFLE is a specification-5 option: ND network, [1, C, H, W].
                    return Net.nd().input("x", 1, in[0], in[1], in[2])
                            .layer(Layer.probe().in("x").out("y", 1, out[0], out[1], out[2])
                                    .with(b -> b.setReorganizeData(p)))
                            .output("y");
                })
                .build();
    }

    // ---- slice -----------------------------------------------------------------------------------------------

    static ProbeFamily slice() {
        return ProbeFamily.named("slice")
                .layers("slice")
                .summary("legacy slice of C, H or W: which part, stride")
                .axis(Axis.choice("axis", "width", "height", "channel").allChoices(Profile.STANDARD))
                // [0, n/2), [n/2, n) or [1, n-1).
                .axis(Axis.choice("part", "firstHalf", "secondHalf", "interior").allChoices(Profile.STANDARD))
                .axis(Axis.integer("stride", 1).standard("2", "3", "4").full("8"))
                .axis(Sizes.chw())
                .grid(Profile.STANDARD, "axis", "stride")
                .grid(Profile.FULL, "axis", "part")
                .grid(Profile.FULL, "axis", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    int index = s.text("axis").equals("channel") ? 0 : s.text("axis").equals("height") ? 1 : 2;
                    long n = in[index];
                    long start;
                    long end;
                    switch (s.text("part")) {
                        case "secondHalf":
                            start = n / 2;
                            end = n;
                            break;
                        case "interior":
                            start = 1;
                            end = n - 1;
                            break;
                        default:
                            start = 0;
                            end = n / 2;
                    }
                    long stride = s.integer("stride");
                    long[] out = in.clone();
                    out[index] = (end - 1 - start) / stride + 1;
                    SliceLayerParams p = SliceLayerParams.newBuilder()
                            .setStartIndex(start).setEndIndex(end).setStride(stride)
                            .setAxis(SliceLayerParams.SliceAxis.forNumber(index))
                            .build();
                    return single(in, out, b -> b.setSlice(p));
                })
                .build();
    }
}
