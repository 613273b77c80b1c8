package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.indexValues;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.nchw;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.numel;
import static dev.aneprobe.probes.catalog.MilTensorFamilies.with;
import static dev.aneprobe.probes.sweep.ProbeLimits.grouped;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.Map;

/**
 * ML Program gather and scatter ops. The seed claim is that gather does not run on the Neural Engine; gather,
 * gather_nd and gather_along_axis each have their own family so that claim is tested op by op, with the indices
 * either a constant ({@code c_indices}, which a compiler may fold into a static slice) or an INT32 model input
 * ({@code indices}, the run-time case), and gather also as an embedding lookup in a const table.
 */
final class MilGatherFamilies {
    private MilGatherFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(gather(), gatherAlongAxis(), gatherNd(), scatters());
    }

    private static Axis indicesAxis() {
        return Axis.choice("indices", "const", "input").allChoices(Profile.STANDARD);
    }

    /** Binds INT32 indices of shape {@code dims}: const c_indices or model input {@code indices}. */
    private static String indices(MilNet net, ProbeSpec s, long[] dims, int[] values) {
        if (s.text("indices").equals("input")) {
            net.input("indices", DataType.INT32, dims);
            return "indices";
        }
        return net.constInts("c_indices", DataType.INT32, dims, values);
    }

    // ---- gather --------------------------------------------------------------------------------------------

    static ProbeFamily gather() {
        return ProbeFamily.named("mil.gather")
                .layers("gather")
                .minSpec(6)
                .summary("ML Program gather (numpy.take) of 1-D indices: axis, index count, const vs input "
                        + "indices, and embedding lookups in a const table (vocab x dim, indices [1, count] "
                        + "from the input); dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 1).range(0, 3).standard("0", "2", "3"))
                .axis(Axis.integer("count", 16).standard("1", "4", "64", "256").full("1024"))
                .axis(indicesAxis())
                .axis(Axis.choice("table", "none", "1000x256", "4096x512", "32000x128")
                        .allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.STANDARD, "indices", "axis")
                .grid(Profile.STANDARD, "table", "indices")
                .grid(Profile.FULL, "table", "count", "indices")
                .grid(Profile.FULL, "indices", "in")
                .grid(Profile.FULL, "indices", "count")
                // table probes read their indices from the input; the tensor axes do not apply to them
                .admissible("an embedding table is probed only along axis 1, with input indices and the baseline input",
                        s -> s.text("table").equals("none") || (s.integer("axis") == 1
                        && s.text("indices").equals("input") && s.text("in").equals("1x" + Sizes.ANE)))
                .builds(s -> {
                    DataType t = type(s);
                    int count = s.integer("count");
                    Weights w = new Weights(s.seed());
                    MilNet net = MilNet.of(opset(s, "CoreML5"));
                    if (!s.text("table").equals("none")) {
                        long[] vd = s.shape("table");
                        net.input("indices", DataType.INT32, 1, count);
                        String table = net.constFloats("c_table", t, vd, w.floats(vd[0] * vd[1], 1.0));
                        return net.op("gather", inputs("x", table, "indices", "indices",
                                "axis", net.constInt("c_axis", 0)), "y", t, 1, count, vd[1]).output("y");
                    }
                    long[] in = s.shape("in");
                    int axis = s.integer("axis");
                    net.input("x", t, in);
                    String idx = indices(net, s, new long[] {count}, indexValues(w, count, in[axis]));
                    return net.op("gather", inputs("x", "x", "indices", idx, "axis", net.constInt("c_axis", axis)),
                            "y", t, with(in, axis, count)).output("y");
                })
                .build();
    }

    // ---- gather_along_axis ---------------------------------------------------------------------------------

    static ProbeFamily gatherAlongAxis() {
        return ProbeFamily.named("mil.gather_along_axis")
                .layers("gather_along_axis")
                .minSpec(6)
                .summary("ML Program gather_along_axis (take_along_axis): axis, indices per column along it, const "
                        + "vs input indices, dtype, size")
                .axis(dtype())
                .axis(Axis.dimension("axis", 1).range(0, 3).standard("2", "3"))
                .axis(Axis.integer("count", 16).standard("1", "64"))
                .axis(indicesAxis())
                .axis(nchw())
                .grid(Profile.STANDARD, "indices", "axis")
                .grid(Profile.FULL, "axis", "count")
                .grid(Profile.FULL, "indices", "in")
                .builds(s -> {
                    long[] in = s.shape("in");
                    int axis = s.integer("axis");
                    long[] idxShape = with(in, axis, s.integer("count"));
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    String idx = indices(net, s, idxShape,
                            indexValues(new Weights(s.seed()), numel(idxShape), in[axis]));
                    return net.op("gather_along_axis", inputs("x", "x", "indices", idx,
                            "axis", net.constInt("c_axis", axis)), "y", t, idxShape).output("y");
                })
                .build();
    }

    // ---- gather_nd -----------------------------------------------------------------------------------------

    static ProbeFamily gatherNd() {
        return ProbeFamily.named("mil.gather_nd")
                .layers("gather_nd")
                .minSpec(6)
                .summary("ML Program gather_nd: index depth (1 = whole [C, H, W] blocks ... 4 = single elements), "
                        + "index count, const vs input indices, dtype, size")
                .axis(dtype())
                .axis(Axis.integer("depth", 2).standard("1", "3", "4"))
                .axis(Axis.integer("count", 16).standard("1", "64", "256"))
                .axis(indicesAxis())
                .axis(nchw())
                .grid(Profile.STANDARD, "indices", "depth")
                .grid(Profile.FULL, "depth", "count")
                .grid(Profile.FULL, "indices", "in")
                .admissible("depth is at most the input's rank", s -> s.integer("depth") <= s.shape("in").length)
                .admissible("the indices (count x depth) have at most " + grouped(TensorFamilies.ELEMENT_CAP)
                        + " values", s -> (long) s.integer("count") * s.integer("depth") <= TensorFamilies.ELEMENT_CAP)
                .builds(s -> {
                    long[] in = s.shape("in");
                    int depth = s.integer("depth");
                    int count = s.integer("count");
                    Weights w = new Weights(s.seed());
                    int[] values = new int[count * depth];
                    for (int k = 0; k < depth; k++) {
                        int[] col = indexValues(w, count, in[k]);
                        for (int i = 0; i < count; i++) {
                            values[i * depth + k] = col[i];
                        }
                    }
                    long[] out = new long[1 + in.length - depth];
                    out[0] = count;
                    System.arraycopy(in, depth, out, 1, in.length - depth);
                    DataType t = type(s);
                    MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
                    String idx = indices(net, s, new long[] {count, depth}, values);
                    return net.op("gather_nd", inputs("x", "x", "indices", idx), "y", t, out).output("y");
                })
                .build();
    }

    // ---- scatter, scatter_along_axis, scatter_nd -----------------------------------------------------------

    static ProbeFamily scatters() {
        return ProbeFamily.named("mil.scatters")
                .layers("scatter", "scatter_along_axis", "scatter_nd")
                .minSpec(6)
                .summary("ML Program scatter / scatter_along_axis / scatter_nd of updates (second input) into x "
                        + "at distinct channel indices: mode, index count, const vs input indices, dtype, size")
                .axis(Axis.choice("layer", "scatter", "scatter_along_axis", "scatter_nd")
                        .allChoices(Profile.STANDARD))
                .axis(dtype())
                .axis(Axis.choice("mode", "update", "add", "sub", "mul", "div", "max", "min")
                        .allChoices(Profile.STANDARD))
                .axis(Axis.integer("count", 16).standard("1", "64"))
                .axis(indicesAxis())
                .axis(nchw())
                .grid(Profile.STANDARD, "layer", "mode")
                .grid(Profile.STANDARD, "layer", "indices")
                .grid(Profile.FULL, "layer", "count")
                .grid(Profile.FULL, "layer", "in")
                .grid(Profile.FULL, "layer", "dtype")
                // An input with fewer channels than the baseline's 16 indices is probed with the counts that fit.
                .companions("in", "count")
                .admissible("count is at most the input's channels", s -> s.integer("count") <= s.shape("in")[1])
                .builds(MilGatherFamilies::buildScatter)
                .build();
    }

    private static MilNet buildScatter(ProbeSpec s) {
        long[] in = s.shape("in");
        int count = s.integer("count");
        String op = s.text("layer");
        DataType t = type(s);
        long c = in[1];
        // distinct channels: a seeded offset plus 0..count-1, modulo C
        int offset = indexValues(new Weights(s.seed()), 1, c)[0];
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        long[] idxShape;
        long[] updShape;
        int[] values;
        switch (op) {
            case "scatter" -> {
                idxShape = new long[] {count};
                updShape = with(in, 1, count);
                values = new int[count];
                for (int k = 0; k < count; k++) {
                    values[k] = (int) ((offset + k) % c);
                }
            }
            case "scatter_along_axis" -> {
                idxShape = with(in, 1, count);
                updShape = idxShape;
                values = new int[(int) numel(idxShape)];
                long plane = in[2] * in[3];
                for (int i = 0; i < values.length; i++) {
                    long k = (i / plane) % count;
                    long pos = i % plane;
                    values[i] = (int) ((offset + pos + k) % c);
                }
            }
            default -> {
                idxShape = new long[] {count, 2};
                updShape = new long[] {count, in[2], in[3]};
                values = new int[count * 2];
                for (int k = 0; k < count; k++) {
                    values[2 * k] = 0;
                    values[2 * k + 1] = (int) ((offset + k) % c);
                }
            }
        }
        String idx = indices(net, s, idxShape, values);
        net.input("updates", t, updShape);
        Map<String, List<String>> ins = inputs("data", "x", "indices", idx, "updates", "updates",
                "mode", net.constString("c_mode", s.text("mode")));
        if (!op.equals("scatter_nd")) {
            ins.put("axis", List.of(net.constInt("c_axis", 1)));
        }
        return net.op(op, ins, "y", t, in).output("y");
    }
}
