package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.nchw;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.Profile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * ML Program tensor transformations (coremltools' tensor_transformation group, plus iOS16 pixel_unshuffle and
 * reshape_like and iOS18 slice_update): layout moves whose placement depends on which axes they touch, above all
 * the last (width) axis, which the Neural Engine lays out specially.
 */
final class MilTransformFamilies {
    private MilTransformFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(spaceDepth(), spaceBatch(), reshape(), expandSqueeze(), reshapeLike(), reverse(),
                reverseSequence(), slices(), transpose(), slidingWindows(), sliceUpdate());
    }

    // ---- depth_to_space, space_to_depth, pixel_shuffle, pixel_unshuffle ------------------------------------

    private static boolean toDepth(String op) {
        return op.equals("space_to_depth") || op.equals("pixel_unshuffle");
    }

    static ProbeFamily spaceDepth() {
        return ProbeFamily.named("mil.space_depth")
                .layers("depth_to_space", "space_to_depth", "pixel_shuffle", "pixel_unshuffle")
                .minSpec(6)
                .summary("ML Program depth_to_space / space_to_depth / pixel_shuffle / pixel_unshuffle (iOS16): "
                        + "block size, dtype, size")
                .axis(Axis.choice("layer", "depth_to_space", "space_to_depth", "pixel_shuffle", "pixel_unshuffle")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                // No 3: it divides no declared input's planes, nor its channels by the square.
                .axis(Axis.integer("block", 2).standard("4", "8"))
                .axis(nchw())
                .grid(Profile.STANDARD, "layer", "block")
                .grid(Profile.FULL, "layer", "dtype", "in")
                .admissible("the block divides the input (height and width for space_to_depth and pixel_unshuffle, "
                        + "channels by block squared otherwise)",
                        s -> {
                    long[] in = s.shape("in");
                    long b = s.integer("block");
                    return toDepth(s.text("layer")) ? in[2] % b == 0 && in[3] % b == 0 : in[1] % (b * b) == 0;
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    int b = s.integer("block");
                    String op = s.text("layer");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, op.equals("pixel_unshuffle") ? "CoreML6" : "CoreML5"))
                            .input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x");
                    switch (op) {
                        case "pixel_shuffle" -> ins.put("upscale_factor", List.of(net.constInt("c_factor", b)));
                        case "pixel_unshuffle" -> ins.put("downscale_factor", List.of(net.constInts("c_factor",
                                DataType.UINT32, new long[0], new int[] {b})));
                        default -> ins.put("block_size", List.of(net.constInt("c_block_size", b)));
                    }
                    long[] out = toDepth(op)
                            ? new long[] {in[0], in[1] * b * b, in[2] / b, in[3] / b}
                            : new long[] {in[0], in[1] / (b * b), in[2] * b, in[3] * b};
                    return net.op(op, ins, "y", t, out).output("y");
                })
                .build();
    }

    // ---- space_to_batch, batch_to_space --------------------------------------------------------------------

    static ProbeFamily spaceBatch() {
        return ProbeFamily.named("mil.space_batch")
                .layers("space_to_batch", "batch_to_space")
                .minSpec(6)
                .summary("ML Program space_to_batch / batch_to_space (no padding or crops): block shape, dtype; "
                        + "'in' is the spatial-side shape")
                .axis(Axis.choice("layer", "space_to_batch", "batch_to_space").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.pair("block", "2x2").standard("1x2", "2x1", "4x4"))
                .axis(nchw())
                .grid(Profile.STANDARD, "layer", "block")
                .grid(Profile.FULL, "layer", "block", "in")
                .admissible("the block divides the input's height and width", s -> {
                    long[] in = s.shape("in");
                    int[] b = s.pair("block");
                    return in[2] % b[0] == 0 && in[3] % b[1] == 0;
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    int[] b = s.pair("block");
                    String op = s.text("layer");
                    DataType t = type(s);
                    long[] batched = {in[0] * b[0] * b[1], in[1], in[2] / b[0], in[3] / b[1]};
                    boolean toBatch = op.equals("space_to_batch");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, toBatch ? in : batched);
                    String zeros = net.constInts(toBatch ? "c_paddings" : "c_crops", DataType.INT32,
                            new long[] {2, 2}, new int[4]);
                    Map<String, List<String>> ins = inputs("x", "x",
                            "block_shape", net.constIntList("c_block_shape", b[0], b[1]),
                            toBatch ? "paddings" : "crops", zeros);
                    return net.op(op, ins, "y", t, toBatch ? batched : in).output("y");
                })
                .build();
    }

    // ---- reshape, expand_dims, squeeze, reshape_like -------------------------------------------------------

    /** The reshape target for {@code in} [N, C, H, W], or null when it does not divide. */
    static long[] reshapeTarget(String to, long[] in) {
        long n = in[0];
        long c = in[1];
        long h = in[2];
        long w = in[3];
        return switch (to) {
            case "c_hw" -> new long[] {n, c, h * w};
            case "flat" -> new long[] {n, c * h * w};
            case "nc_h_w" -> new long[] {n * c, h, w};
            case "w_half" -> w % 2 == 0 ? new long[] {n, c, h * 2, w / 2} : null;
            case "w_double" -> h % 2 == 0 ? new long[] {n, c, h / 2, w * 2} : null;
            case "rank5" -> c % 2 == 0 ? new long[] {n, 2, c / 2, h, w} : null;
            case "rank6" -> c % 2 == 0 && h % 2 == 0 ? new long[] {n, 2, c / 2, 2, h / 2, w} : null;
            default -> throw new IllegalArgumentException("reshape target " + to);
        };
    }

    static ProbeFamily reshape() {
        return ProbeFamily.named("mil.reshape")
                .layers("reshape")
                .minSpec(6)
                .summary("ML Program reshape of [N, C, H, W]: target (merging/splitting the width axis, rank 2..6), "
                        + "dtype, size")
                .axis(dtype())
                .axis(Axis.choice("to", "c_hw", "flat", "nc_h_w", "w_half", "w_double", "rank5", "rank6")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "to", "in")
                .admissible("the target shape fits the input", s -> reshapeTarget(s.text("to"), s.shape("in")) != null)
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] out = reshapeTarget(s.text("to"), in);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    int[] shape = new int[out.length];
                    for (int i = 0; i < out.length; i++) {
                        shape[i] = (int) out[i];
                    }
                    return net.op("reshape", inputs("x", "x", "shape", net.constIntList("c_shape", shape)),
                            "y", t, out).output("y");
                })
                .build();
    }

    static ProbeFamily expandSqueeze() {
        return ProbeFamily.named("mil.expand_squeeze")
                .layers("expand_dims", "squeeze")
                .minSpec(6)
                .summary("ML Program expand_dims / squeeze of a unit axis in front of or behind [N, C, H, W] "
                        + "(squeeze reads the expanded shape back): dtype, size")
                .axis(Axis.choice("layer", "expand_dims", "squeeze").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.choice("where", "first", "last").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.STANDARD, "layer", "where")
                .grid(Profile.FULL, "layer", "where", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    boolean first = s.text("where").equals("first");
                    long[] expanded = new long[in.length + 1];
                    for (int i = 0; i < in.length; i++) {
                        expanded[first ? i + 1 : i] = in[i];
                    }
                    expanded[first ? 0 : in.length] = 1;
                    DataType t = type(s);
                    boolean expand = s.text("layer").equals("expand_dims");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, expand ? in : expanded);
                    return net.op(s.text("layer"), inputs("x", "x",
                            "axes", net.constIntList("c_axes", first ? 0 : -1)),
                            "y", t, expand ? expanded : in).output("y");
                })
                .build();
    }

    static ProbeFamily reshapeLike() {
        return ProbeFamily.named("mil.reshape_like")
                .layers("reshape_like")
                .minSpec(7)
                .summary("ML Program reshape_like (iOS16): x reshaped to the whole shape of a second input ref; "
                        + "target, dtype, size")
                .axis(dtype())
                .axis(Axis.choice("to", "c_hw", "flat", "w_half").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "to", "in")
                .admissible("the target shape fits the input", s -> reshapeTarget(s.text("to"), s.shape("in")) != null)
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] out = reshapeTarget(s.text("to"), in);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML6")).input("x", t, in).input("ref", t, out);
                    return net.op("reshape_like", inputs("x", "x", "ref_tensors", "ref",
                            "begins", net.constInt("c_begin", 0),
                            "ends", net.constInt("c_end", out.length),
                            "end_masks", net.constBool("c_end_mask", true)), "y", t, out).output("y");
                })
                .build();
    }

    // ---- reverse, reverse_sequence -------------------------------------------------------------------------

    private static int[] reverseAxes(String which) {
        return switch (which) {
            case "w" -> new int[] {3};
            case "h" -> new int[] {2};
            case "c" -> new int[] {1};
            case "hw" -> new int[] {2, 3};
            case "chw" -> new int[] {1, 2, 3};
            default -> throw new IllegalArgumentException("reverse axes " + which);
        };
    }

    static ProbeFamily reverse() {
        return ProbeFamily.named("mil.reverse")
                .layers("reverse")
                .minSpec(6)
                .summary("ML Program reverse: axes (width, height, channels, several), dtype, size")
                .axis(dtype())
                .axis(Axis.choice("axes", "w", "h", "c", "hw", "chw").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "axes", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("reverse", inputs("x", "x",
                            "axes", net.constIntList("c_axes", reverseAxes(s.text("axes")))), "y", t, in)
                            .output("y");
                })
                .build();
    }

    static ProbeFamily reverseSequence() {
        return ProbeFamily.named("mil.reverse_sequence")
                .layers("reverse_sequence")
                .minSpec(6)
                .summary("ML Program reverse_sequence with channels as the batch axis (lengths [C], const): "
                        + "sequence axis, full or mixed lengths, dtype, size")
                .axis(dtype())
                .axis(Axis.integer("seq_axis", 3).range(0, 3).standard("2"))
                .axis(Axis.choice("lengths", "full", "mixed").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "seq_axis", "lengths", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    int seq = s.integer("seq_axis");
                    long len = in[seq];
                    int[] lengths = new int[(int) in[1]];
                    int[] mixed = MilTensorFamilies.indexValues(new Weights(s.seed()), lengths.length, len);
                    for (int i = 0; i < lengths.length; i++) {
                        lengths[i] = s.text("lengths").equals("full") ? (int) len : mixed[i] + 1;
                    }
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("reverse_sequence", inputs("x", "x",
                            "lengths", net.constIntList("c_lengths", lengths),
                            "seq_axis", net.constInt("c_seq_axis", seq),
                            "batch_axis", net.constInt("c_batch_axis", 1)), "y", t, in).output("y");
                })
                .build();
    }

    // ---- slice_by_index, slice_by_size, slice_update -------------------------------------------------------

    /** A slice of [N, C, H, W]: begin, end (exclusive) and stride per axis. */
    record Slice(int[] begin, int[] end, int[] stride) {
        long[] shape() {
            long[] out = new long[begin.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (end[i] - begin[i] + stride[i] - 1) / stride[i];
            }
            return out;
        }

        boolean strided() {
            for (int st : stride) {
                if (st != 1) {
                    return true;
                }
            }
            return false;
        }

        int[] size() {
            int[] out = new int[begin.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = end[i] - begin[i];
            }
            return out;
        }
    }

    /** Named slices: halves of one axis, an inner window of the width, one column, every other H/W element. */
    static Slice slice(String name, long[] in) {
        int[] b = new int[4];
        int[] e = {(int) in[0], (int) in[1], (int) in[2], (int) in[3]};
        int[] st = {1, 1, 1, 1};
        switch (name) {
            case "w_half" -> e[3] = (int) in[3] / 2;
            case "w_second_half" -> b[3] = (int) in[3] / 2;
            case "h_half" -> e[2] = (int) in[2] / 2;
            case "c_half" -> e[1] = (int) in[1] / 2;
            case "w_inner" -> {
                b[3] = 1;
                e[3] = (int) in[3] - 1;
            }
            case "w_one" -> e[3] = 1;
            case "stride2" -> {
                st[2] = 2;
                st[3] = 2;
            }
            default -> throw new IllegalArgumentException("slice " + name);
        }
        return new Slice(b, e, st);
    }

    static ProbeFamily slices() {
        return ProbeFamily.named("mil.slices")
                .layers("slice_by_index", "slice_by_size")
                .minSpec(6)
                .summary("ML Program slice_by_index / slice_by_size: which part (halves of W, H or C, inner "
                        + "window, one column, stride 2), dtype, size")
                .axis(Axis.choice("layer", "slice_by_index", "slice_by_size").allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.choice("slice", "w_half", "w_second_half", "h_half", "c_half", "w_inner", "w_one",
                        "stride2").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.STANDARD, "layer", "slice")
                .grid(Profile.FULL, "slice", "in")
                .admissible("slice_by_size takes no strides",
                        s -> s.text("layer").equals("slice_by_index") || !s.text("slice").equals("stride2"))
                .admissible("the slice keeps at least one element along every axis",
                        s -> Arrays.stream(slice(s.text("slice"), s.shape("in")).shape()).allMatch(d -> d >= 1))
                .builds(s -> {
                    long[] in = s.shape("in");
                    Slice sl = slice(s.text("slice"), in);
                    DataType t = type(s);
                    String op = s.text("layer");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x", "begin", net.constIntList("c_begin", sl.begin()));
                    if (op.equals("slice_by_index")) {
                        ins.put("end", List.of(net.constIntList("c_end", sl.end())));
                        ins.put("stride", List.of(net.constIntList("c_stride", sl.stride())));
                    } else {
                        ins.put("size", List.of(net.constIntList("c_size", sl.size())));
                    }
                    return net.op(op, ins, "y", t, sl.shape()).output("y");
                })
                .build();
    }

    static ProbeFamily sliceUpdate() {
        return ProbeFamily.named("mil.slice_update")
                .layers("slice_update")
                .minSpec(9)
                .summary("ML Program slice_update (iOS18; the KV-cache write): x with a slice replaced by the "
                        + "second input; which part, dtype, size")
                .axis(dtype())
                .axis(Axis.choice("slice", "w_half", "w_second_half", "h_half", "c_half", "w_one", "stride2")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "slice", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    Slice sl = slice(s.text("slice"), in);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML8")).input("x", t, in).input("update", t, sl.shape());
                    Map<String, List<String>> ins = inputs("x", "x", "update", "update",
                            "begin", net.constIntList("c_begin", sl.begin()),
                            "end", net.constIntList("c_end", sl.end()));
                    if (sl.strided()) {
                        ins.put("stride", List.of(net.constIntList("c_stride", sl.stride())));
                    }
                    return net.op("slice_update", ins, "y", t, in).output("y");
                })
                .build();
    }

    // ---- transpose -----------------------------------------------------------------------------------------

    static ProbeFamily transpose() {
        return ProbeFamily.named("mil.transpose")
                .layers("transpose")
                .minSpec(6)
                .summary("ML Program transpose: permutation (digits = perm; 0231 is NCHW to NHWC), dtype, size")
                .axis(dtype())
                .axis(Axis.choice("perm", "0132", "0231", "0312", "0213", "1023", "3210", "0123")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "perm", "in")
                .grid(Profile.FULL, "perm", "dtype")
                .builds(s -> {
                    long[] in = s.shape("in");
                    String p = s.text("perm");
                    int[] perm = new int[p.length()];
                    long[] out = new long[perm.length];
                    for (int i = 0; i < perm.length; i++) {
                        perm[i] = p.charAt(i) - '0';
                        out[i] = in[perm[i]];
                    }
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("transpose", inputs("x", "x", "perm", net.constIntList("c_perm", perm)),
                            "y", t, out).output("y");
                })
                .build();
    }

    // ---- sliding_windows -----------------------------------------------------------------------------------

    static ProbeFamily slidingWindows() {
        return ProbeFamily.named("mil.sliding_windows")
                .layers("sliding_windows")
                .minSpec(6)
                .summary("ML Program sliding_windows (rank-5 output): axis, window size, stride, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 3).range(0, 3).standard("1", "2"))
                .axis(Axis.integer("size", 3).standard("2", "4", "8"))
                .axis(Axis.integer("stride", 1).standard("2", "3"))
                .axis(nchw())
                .grid(Profile.FULL, "size", "stride")
                .admissible("the window size is at most the input's size along the axis",
                        s -> s.integer("size") <= s.shape("in")[s.integer("axis")])
                .builds(s -> {
                    long[] in = s.shape("in");
                    int axis = s.integer("axis");
                    int size = s.integer("size");
                    int stride = s.integer("stride");
                    long[] out = new long[in.length + 1];
                    for (int i = 0, j = 0; i < out.length; i++) {
                        if (i == axis) {
                            out[i] = (in[axis] - size) / stride + 1;
                        } else if (i == axis + 1) {
                            out[i] = size;
                            continue;
                        } else {
                            out[i] = in[j];
                        }
                        j++;
                    }
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("sliding_windows", inputs("x", "x",
                            "axis", net.constInt("c_axis", axis),
                            "size", net.constInt("c_size", size),
                            "stride", net.constInt("c_stride", stride)), "y", t, out).output("y");
                })
                .build();
    }
}
