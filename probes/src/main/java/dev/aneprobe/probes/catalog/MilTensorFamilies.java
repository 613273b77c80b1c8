package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ML Program tensor ops (coremltools' tensor_operation group): band_part, cumsum, fill, fill_like, one_hot, pad,
 * range_1d, tile, argsort, topk, flatten2d, shape, concat, split, stack, identity, non_maximum_suppression and
 * non_zero. The transformation ops are in {@link MilTransformFamilies}, gather and scatter in
 * {@link MilGatherFamilies}; {@link #all()} returns the three groups.
 *
 * <p>Ops whose result follows from static shapes alone (shape, fill, range_1d over a length read from a shape) are
 * built the way converters emit them, from {@code shape(x)}: whether Core ML folds them away or runs them is what
 * the probe shows.
 */
final class MilTensorFamilies {
    private MilTensorFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> all = new ArrayList<>(List.of(bandPart(), cumsum(), fill(), fillLike(), oneHot(), pad(),
                range1d(), tile(), argsort(), topk(), flatten2d(), shape(), concat(), split(), stack(), identity(),
                nonMaximumSuppression(), nonZero()));
        all.addAll(MilTransformFamilies.all());
        all.addAll(MilGatherFamilies.all());
        return all;
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    static Axis nchw() {
        return Sizes.nchw();
    }

    /** {@code dims} with dimension {@code axis} (negative counts from the end) replaced by {@code value}. */
    static long[] with(long[] dims, int axis, long value) {
        long[] out = dims.clone();
        out[norm(axis, dims.length)] = value;
        return out;
    }

    static int norm(int axis, int rank) {
        return axis < 0 ? axis + rank : axis;
    }

    static long numel(long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** {@code count} pseudo-random indices in [0, n), from the probe's seed. */
    static int[] indexValues(Weights w, long count, long n) {
        float[] f = w.floats(count, 1.0);
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = (int) Math.min(n - 1, Math.max(0, Math.floor((f[i] + 1) / 2 * n)));
        }
        return out;
    }

    /** Input-shaped random values of element type {@code t} as a const (for consts with tensor data). */
    static String constData(MilNet net, String name, DataType t, long[] dims, Weights w) {
        return net.constFloats(name, t, dims, w.floats(numel(dims), 1.0));
    }

    // ---- band_part -----------------------------------------------------------------------------------------

    /** band name → {lower, upper} (negative keeps the whole triangle). */
    private static int[] band(String name) {
        return switch (name) {
            case "causal" -> new int[] {-1, 0};
            case "upper" -> new int[] {0, -1};
            case "diagonal" -> new int[] {0, 0};
            case "band4" -> new int[] {4, 4};
            case "all" -> new int[] {-1, -1};
            default -> throw new IllegalArgumentException("band " + name);
        };
    }

    static ProbeFamily bandPart() {
        return ProbeFamily.named("mil.band_part")
                .layers("band_part")
                .minSpec(6)
                .summary("ML Program band_part (the causal-mask op): band over the last two axes, dtype, size")
                .axis(dtype())
                .axis(Axis.choice("band", "causal", "upper", "diagonal", "band4", "all")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "band")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int[] b = band(s.text("band"));
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("band_part", inputs("x", "x",
                            "lower", net.constInt("c_lower", b[0]),
                            "upper", net.constInt("c_upper", b[1])), "y", t, in).output("y");
                })
                .build();
    }

    // ---- cumsum --------------------------------------------------------------------------------------------

    static ProbeFamily cumsum() {
        return ProbeFamily.named("mil.cumsum")
                .layers("cumsum")
                .minSpec(6)
                .summary("ML Program cumsum: axis, exclusive, reverse, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 3).range(-4, 3).standard("1", "2"))
                .axis(Axis.bool("exclusive", false).standard("true"))
                .axis(Axis.bool("reverse", false).standard("true"))
                .axis(nchw())
                .grid(Profile.FULL, "axis", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("cumsum", inputs("x", "x",
                            "axis", net.constInt("c_axis", s.integer("axis")),
                            "exclusive", net.constBool("c_exclusive", s.bool("exclusive")),
                            "reverse", net.constBool("c_reverse", s.bool("reverse"))), "y", t, in).output("y");
                })
                .build();
    }

    // ---- fill, fill_like -----------------------------------------------------------------------------------

    static ProbeFamily fill() {
        return ProbeFamily.named("mil.fill")
                .layers("fill")
                .minSpec(6)
                .summary("ML Program fill with the shape read from x (aux_shape = shape(x)), as converters emit "
                        + "zeros_like: dtype, size")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    net.op("shape", inputs("x", "x"), "aux_shape", DataType.INT32, in.length);
                    return net.op("fill", inputs("shape", "aux_shape",
                            "value", net.constFloat("c_value", t, 0.5f)), "y", t, in).output("y");
                })
                .build();
    }

    static ProbeFamily fillLike() {
        return ProbeFamily.named("mil.fill_like")
                .layers("fill_like")
                .minSpec(7)
                .summary("ML Program fill_like (iOS16): a tensor shaped like x filled with a constant; dtype, size")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML6")).input("x", t, in);
                    return net.op("fill_like", inputs("ref_tensor", "x",
                            "value", net.constFloat("c_value", t, 0.5f)), "y", t, in).output("y");
                })
                .build();
    }

    // ---- one_hot -------------------------------------------------------------------------------------------

    static ProbeFamily oneHot() {
        return ProbeFamily.named("mil.one_hot")
                .layers("one_hot")
                .minSpec(6)
                .summary("ML Program one_hot of INT32 indices (model input): vector size, where the new axis goes, "
                        + "on/off value dtype, index count")
                .axis(dtype())
                .axis(Axis.integer("depth", 64).standard("2", "256", "1000"))
                .axis(Axis.dimension("axis", -1).range(-4, 3).standard("1"))
                .axis(Axis.shape("in", "1x56x56").standard("1x8x8", "1x16384", "1x16448"))
                .grid(Profile.FULL, "depth", "axis")
                .grid(Profile.FULL, "depth", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int depth = s.integer("depth");
                    int axis = s.integer("axis");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("indices", DataType.INT32, in);
                    int cut = axis < 0 ? in.length + axis + 1 : axis;
                    long[] out = new long[in.length + 1];
                    for (int i = 0, j = 0; i < out.length; i++) {
                        out[i] = i == cut ? depth : in[j++];
                    }
                    return net.op("one_hot", inputs("indices", "indices",
                            "one_hot_vector_size", net.constInt("c_size", depth),
                            "axis", net.constInt("c_axis", axis),
                            "on_value", net.constFloat("c_on", t, 1f),
                            "off_value", net.constFloat("c_off", t, 0f)), "y", t, out).output("y");
                })
                .build();
    }

    // ---- pad -----------------------------------------------------------------------------------------------

    static ProbeFamily pad() {
        return ProbeFamily.named("mil.pad")
                .layers("pad")
                .minSpec(6)
                .summary("ML Program pad of H and W: mode constant / reflect / replicate, amount per side, dtype, "
                        + "size")
                .axis(dtype())
                .axis(Axis.choice("mode", "constant", "reflect", "replicate").allChoices(Profile.STANDARD))
                .axis(Axis.choice("amount", "1x1", "0x1", "1x0", "2x2", "3x3", "8x8", "16x16")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.STANDARD, "mode", "amount")
                .grid(Profile.FULL, "dtype", "mode", "in")
                .admissible("reflect pads by less than the input's height and width, replicate by at most them", s -> {
                    long[] in = s.shape("in");
                    long[] a = s.shape("amount");
                    return switch (s.text("mode")) {
                        case "reflect" -> a[0] <= in[2] - 1 && a[1] <= in[3] - 1;
                        case "replicate" -> a[0] <= in[2] && a[1] <= in[3];
                        default -> true;
                    };
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] a = s.shape("amount");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("pad", inputs("x", "x",
                            "pad", net.constIntList("c_pad", (int) a[0], (int) a[0], (int) a[1], (int) a[1]),
                            "mode", net.constString("c_mode", s.text("mode")),
                            "constant_val", net.constFloat("c_constant_val", t, 0f)),
                            "y", t, in[0], in[1], in[2] + 2 * a[0], in[3] + 2 * a[1]).output("y");
                })
                .build();
    }

    // ---- range_1d ------------------------------------------------------------------------------------------

    static ProbeFamily range1d() {
        return ProbeFamily.named("mil.range_1d")
                .layers("range_1d")
                .minSpec(6)
                .summary("ML Program range_1d over x's last-axis length (shape -> slice -> cast helpers), the "
                        + "position-ids pattern: dtype, length")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    int r = in.length;
                    net.op("shape", inputs("x", "x"), "aux_shape", DataType.INT32, r);
                    net.op("slice_by_index", inputs("x", "aux_shape",
                            "begin", net.constIntList("c_begin", r - 1),
                            "end", net.constIntList("c_end", r),
                            "squeeze_mask", net.constBools("c_squeeze_mask", new long[] {1}, new boolean[] {true})),
                            "aux_length", DataType.INT32);
                    net.op("cast", inputs("x", "aux_length",
                            "dtype", net.constString("c_dtype", t == DataType.FLOAT16 ? "fp16" : "fp32")),
                            "aux_end", t);
                    return net.op("range_1d", inputs("end", "aux_end",
                            "start", net.constFloat("c_start", t, 0f),
                            "step", net.constFloat("c_step", t, 1f)), "y", t, in[r - 1]).output("y");
                })
                .build();
    }

    // ---- tile ----------------------------------------------------------------------------------------------

    static ProbeFamily tile() {
        return ProbeFamily.named("mil.tile")
                .layers("tile")
                .minSpec(6)
                .summary("ML Program tile: repetitions per axis, dtype, size")
                .axis(dtype())
                .axis(Axis.shape("reps", "1x1x2x2")
                        .standard("1x2x1x1", "1x1x2x1", "1x1x1x2", "2x1x1x1", "1x1x4x4", "1x1x1x1"))
                .axis(nchw())
                .grid(Profile.FULL, "reps", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    long[] reps = s.shape("reps");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    int[] r = new int[reps.length];
                    long[] out = new long[in.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = (int) reps[i];
                        out[i] = in[i] * reps[i];
                    }
                    return net.op("tile", inputs("x", "x", "reps", net.constIntList("c_reps", r)), "y", t, out)
                            .output("y");
                })
                .build();
    }

    // ---- argsort, topk -------------------------------------------------------------------------------------

    static ProbeFamily argsort() {
        return ProbeFamily.named("mil.argsort")
                .layers("argsort")
                .minSpec(6)
                .summary("ML Program argsort (INT32 output): axis, ascending, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", -1).range(-4, 3).standard("1", "2"))
                .axis(Axis.bool("ascending", false).standard("true"))
                .axis(nchw())
                .grid(Profile.FULL, "axis", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("argsort", inputs("x", "x",
                            "axis", net.constInt("c_axis", s.integer("axis")),
                            "ascending", net.constBool("c_ascending", s.bool("ascending"))),
                            "y", DataType.INT32, in).output("y");
                })
                .build();
    }

    static ProbeFamily topk() {
        return ProbeFamily.named("mil.topk")
                .layers("topk")
                .minSpec(6)
                .summary("ML Program topk (values y, INT32 indices y2): k, axis, ascending, dtype, size incl. "
                        + "detector-sized axes (8400 anchors)")
                .axis(dtype())
                .axis(Axis.integer("k", 8).standard("1", "16", "100").full("50", "300"))
                .axis(Axis.dimension("axis", -1).range(-4, 3).standard("1"))
                .axis(Axis.bool("ascending", false).standard("true"))
                .axis(Axis.shape("in", "1x64x56x56")
                        .standard("1x4x8x8", "1x8x4x16384", "1x8x4x16448", "1x80x8400", "1x1x8400"))
                .grid(Profile.FULL, "k", "in")
                .grid(Profile.FULL, "dtype", "in")
                // A k beyond the baseline's 56 is probed on the inputs that have room for it (in full, the grid).
                .companions("k", "in")
                .admissible("k is at most the input's size along the axis", s -> {
                    long[] in = s.shape("in");
                    return s.integer("k") <= in[norm(s.integer("axis"), in.length)];
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int k = s.integer("k");
                    long[] out = with(in, s.integer("axis"), k);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("topk", inputs("x", "x",
                            "k", net.constInt("c_k", k),
                            "axis", net.constInt("c_axis", s.integer("axis")),
                            "ascending", net.constBool("c_ascending", s.bool("ascending"))),
                            List.of("y", "y2"), List.of(t, DataType.INT32), List.of(out, out))
                            .output("y").output("y2");
                })
                .build();
    }

    // ---- flatten2d, shape, identity ------------------------------------------------------------------------

    static ProbeFamily flatten2d() {
        return ProbeFamily.named("mil.flatten2d")
                .layers("flatten2d")
                .minSpec(6)
                .summary("ML Program flatten2d: split axis, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 1).range(-4, 3).standard("0", "2", "3", "-1"))
                .axis(nchw())
                .grid(Profile.FULL, "axis", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int a = norm(s.integer("axis"), in.length);
                    long before = numel(java.util.Arrays.copyOfRange(in, 0, a));
                    long after = numel(java.util.Arrays.copyOfRange(in, a, in.length));
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("flatten2d", inputs("x", "x", "axis", net.constInt("c_axis", s.integer("axis"))),
                            "y", t, before, after).output("y");
                })
                .build();
    }

    static ProbeFamily shape() {
        return ProbeFamily.named("mil.shape")
                .layers("shape")
                .minSpec(6)
                .summary("ML Program shape (INT32 output, statically known, so Core ML may fold it): dtype, size")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", type(s), in);
                    return net.op("shape", inputs("x", "x"), "y", DataType.INT32, in.length).output("y");
                })
                .build();
    }

    static ProbeFamily identity() {
        return ProbeFamily.named("mil.identity")
                .layers("identity")
                .minSpec(6)
                .summary("ML Program identity: dtype, size")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    return net.op("identity", inputs("x", "x"), "y", t, in).output("y");
                })
                .build();
    }

    // ---- concat, split, stack ------------------------------------------------------------------------------

    /** Model inputs x, x1, x2 ... of one shape; returns their names. */
    private static List<String> sameInputs(MilNet net, DataType t, long[] in, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String n = i == 0 ? "x" : "x" + i;
            net.input(n, t, in);
            names.add(n);
        }
        return names;
    }

    static ProbeFamily concat() {
        return ProbeFamily.named("mil.concat")
                .layers("concat")
                .minSpec(6)
                .summary("ML Program concat of equal-shaped inputs: axis, number of inputs, interleave, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 1).range(-4, 3).standard("2", "3"))
                .axis(Axis.integer("count", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8").full("16"))
                .axis(Axis.bool("interleave", false).standard("true"))
                .axis(nchw())
                .grid(Profile.STANDARD, "axis", "interleave")
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "axis", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int count = s.integer("count");
                    int axis = s.integer("axis");
                    MilNet net = MilNet.of(opset(s, "CoreML5"));
                    List<String> xs = sameInputs(net, t, in, count);
                    long[] out = with(in, axis, in[norm(axis, in.length)] * count);
                    Map<String, List<String>> ins = inputs("axis", net.constInt("c_axis", axis),
                            "interleave", net.constBool("c_interleave", s.bool("interleave")));
                    ins.put("values", xs);
                    return net.op("concat", ins, "y", t, out).output("y");
                })
                .build();
    }

    static ProbeFamily split() {
        return ProbeFamily.named("mil.split")
                .layers("split")
                .minSpec(6)
                .summary("ML Program split (outputs y, y2, ...): equal parts or uneven sizes (1/4 + 3/4), axis, "
                        + "dtype, size")
                .axis(dtype())
                .axis(Axis.choice("parts", "2", "4", "8", "uneven").allChoices(Profile.STANDARD))
                .axis(Axis.dimension("axis", 1).range(-4, 3).standard("2", "3"))
                .axis(nchw())
                .grid(Profile.FULL, "parts", "axis")
                .admissible("the parts divide the input's size along the axis", s -> {
                    long d = s.shape("in")[norm(s.integer("axis"), 4)];
                    String p = s.text("parts");
                    return d % (p.equals("uneven") ? 4 : Integer.parseInt(p)) == 0;
                })
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int axis = s.integer("axis");
                    long d = in[norm(axis, in.length)];
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    Map<String, List<String>> ins = inputs("x", "x", "axis", net.constInt("c_axis", axis));
                    List<Long> sizes = new ArrayList<>();
                    if (s.text("parts").equals("uneven")) {
                        sizes.add(d / 4);
                        sizes.add(d - d / 4);
                        ins.put("split_sizes", List.of(net.constIntList("c_split_sizes", (int) (d / 4),
                                (int) (d - d / 4))));
                    } else {
                        int p = Integer.parseInt(s.text("parts"));
                        for (int i = 0; i < p; i++) {
                            sizes.add(d / p);
                        }
                        ins.put("num_splits", List.of(net.constInt("c_num_splits", p)));
                    }
                    List<String> names = new ArrayList<>();
                    List<DataType> types = new ArrayList<>();
                    List<long[]> shapes = new ArrayList<>();
                    for (int i = 0; i < sizes.size(); i++) {
                        names.add(i == 0 ? "y" : "y" + (i + 1));
                        types.add(t);
                        shapes.add(with(in, axis, sizes.get(i)));
                    }
                    net.op("split", ins, names, types, shapes);
                    names.forEach(net::output);
                    return net;
                })
                .build();
    }

    static ProbeFamily stack() {
        return ProbeFamily.named("mil.stack")
                .layers("stack")
                .minSpec(6)
                .summary("ML Program stack of equal-shaped inputs along a new axis: axis, number of inputs, dtype, "
                        + "size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 1).range(0, 4).standard("0", "2", "4"))
                .axis(Axis.integer("count", 2).range(1, ProbeLimits.MAX_OPERANDS).standard("3", "4", "8"))
                .axis(nchw())
                .grid(Profile.FULL, "axis", "count")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int count = s.integer("count");
                    int axis = s.integer("axis");
                    MilNet net = MilNet.of(opset(s, "CoreML5"));
                    List<String> xs = sameInputs(net, t, in, count);
                    long[] out = new long[in.length + 1];
                    for (int i = 0, j = 0; i < out.length; i++) {
                        out[i] = i == axis ? count : in[j++];
                    }
                    Map<String, List<String>> ins = inputs("axis", net.constInt("c_axis", axis));
                    ins.put("values", xs);
                    return net.op("stack", ins, "y", t, out).output("y");
                })
                .build();
    }

    // ---- non_maximum_suppression ---------------------------------------------------------------------------

    static ProbeFamily nonMaximumSuppression() {
        return ProbeFamily.named("mil.non_maximum_suppression")
                .layers("non_maximum_suppression")
                .minSpec(6)
                .summary("ML Program non_maximum_suppression (outputs boxes y, scores y2, INT32 indices y3 and "
                        + "count y4): scores [1, boxes, classes], max boxes, per-class suppression, dtype")
                .axis(dtype())
                .axis(Axis.shape("in", "1x1000x80")
                        .standard("1x100x80", "1x8400x80", "1x8400x1", "1x16384x1", "1x16448x1"))
                .axis(Axis.integer("max", 100).standard("10", "300"))
                .axis(Axis.bool("per_class", false).standard("true"))
                .grid(Profile.FULL, "in", "max")
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    DataType t = type(s);
                    int max = s.integer("max");
                    MilNet net = MilNet.of(opset(s, "CoreML5"))
                            .input("boxes", t, in[0], in[1], 4)
                            .input("scores", t, in);
                    net.op("non_maximum_suppression", inputs("boxes", "boxes", "scores", "scores",
                            "iou_threshold", net.constFloat("c_iou_threshold", t, 0.5f),
                            "score_threshold", net.constFloat("c_score_threshold", t, 0.25f),
                            "max_boxes", net.constInt("c_max_boxes", max),
                            "per_class_suppression", net.constBool("c_per_class", s.bool("per_class"))),
                            List.of("y", "y2", "y3", "y4"), List.of(t, t, DataType.INT32, DataType.INT32),
                            List.of(new long[] {in[0], max, 4}, new long[] {in[0], max, in[2]},
                                    new long[] {in[0], max}, new long[] {in[0]}));
                    return net.output("y").output("y2").output("y3").output("y4");
                })
                .build();
    }

    // ---- non_zero ------------------------------------------------------------------------------------------

    static ProbeFamily nonZero() {
        return ProbeFamily.named("mil.non_zero")
                .layers("non_zero")
                .minSpec(6)
                .summary("ML Program non_zero: y is [run-time count, rank] INT32; a helper reduce_sum over the "
                        + "row axis gives the static model output y_out [rank]; dtype, size")
                .axis(dtype())
                .axis(nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", type(s), in);
                    net.op("non_zero", inputs("x", "x"), "y", DataType.INT32, MilNet.UNKNOWN, in.length);
                    return net.op("reduce_sum", inputs("x", "y",
                            "axes", net.constIntList("c_axes", 0),
                            "keep_dims", net.constBool("c_keep_dims", false)),
                            "y_out", DataType.INT32, in.length).output("y_out");
                })
                .build();
    }
}
