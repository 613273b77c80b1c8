package dev.aneprobe.probes.catalog;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.coreml.ClampedReLULayerParams;
import dev.aneprobe.probes.coreml.ClipLayerParams;
import dev.aneprobe.probes.coreml.CopyLayerParams;
import dev.aneprobe.probes.coreml.GeluLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantNDLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The specification-4/5 element-wise layers: broadcastable arithmetic, where, comparisons, logical operators,
 * rounding, trigonometric and other unary functions, clip, gelu, clampedReLU and copy. The seed table claims
 * broadcastable layers do not run on the Neural Engine, except perhaps a multiply of CxHxW by Cx1x1; the binary
 * families therefore sweep the shape of the second operand and whether it is a model input or a constant. The
 * control-flow and range layers are declared in {@link ControlFlowFamilies}.
 */
final class ElementwiseFamilies {
    /** Shape patterns of a broadcast operand against an input [N, C, H, W], as rank-4 [1, ...] tensors. */
    static final String[] PATTERNS = {"CxHxW", "Cx1x1", "1xHxW", "1x1x1"};

    private static final String[] ARITHMETIC = {"modBroadcastable", "minBroadcastable", "maxBroadcastable",
        "powBroadcastable", "divideBroadcastable", "floorDivBroadcastable", "subtractBroadcastable"};
    private static final String[] COMPARISONS = {"equal", "notEqual", "lessThan", "lessEqual", "greaterThan",
        "greaterEqual"};
    private static final String[] LOGICAL = {"logicalAnd", "logicalOr", "logicalXor", "logicalNot"};
    private static final String[] ROUNDING = {"ceil", "floor", "round", "sign"};
    private static final String[] TRIGONOMETRIC = {"sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
        "tanh", "asinh", "acosh", "atanh"};
    private static final String[] UNARY_MATH = {"exp2", "erf"};

    private ElementwiseFamilies() {
    }

    static List<ProbeFamily> all() {
        List<ProbeFamily> out = new ArrayList<>(List.of(addBroadcastable(), multiplyBroadcastable(),
                binaryBroadcastable(), whereBroadcastable(), comparison(), logical(), rounding(), trigonometric(),
                unaryMath(), clip(), gelu(), clampedReLU(), copy()));
        out.addAll(ControlFlowFamilies.all());
        return out;
    }

    /**
     * Input sizes for rank-free layers: the ANE-sized rank-4 baseline and Sizes' small / wide / beyond-wide inputs,
     * plus the same data at ranks 1, 2 and 5 (the Neural Engine works on 4-D layouts, so other ranks may be
     * placed differently); full adds a batch of 4 and the (B, C, 1, S) layout.
     */
    static Axis sizes() {
        return nchw().standard("200704", "64x3136", "1x2x32x56x56").full("4x64x56x56", "1x64x1x3136");
    }

    /**
     * Rank-4 sizes: Sizes' ANE baseline, small, wide and beyond-wide inputs; full also puts the 16384 limit on
     * the height and channel axes and goes further past it on the width.
     */
    static Axis nchw() {
        return Sizes.nchw().full("1x8x4x8192", "1x8x4x16385", "1x8x4x32768", "1x8x16384x4", "1x8x16448x4",
                "1x16384x1x1", "1x16448x1x1");
    }

    // ---- broadcastable arithmetic --------------------------------------------------------------------------

    static ProbeFamily addBroadcastable() {
        return broadcastFamily("addBroadcastable", "addBroadcastable",
                "x + second operand, broadcast from CxHxW / Cx1x1 / 1xHxW / 1x1x1, input or constant");
    }

    static ProbeFamily multiplyBroadcastable() {
        return broadcastFamily("multiplyBroadcastable", "multiplyBroadcastable",
                "x * second operand, broadcast from CxHxW / Cx1x1 / 1xHxW / 1x1x1, input or constant");
    }

    /**
     * The seed rules: broadcastable layers are not on the ANE, but "multiply of CxHxW and Cx1x1" is. Quick has the
     * baseline (same-shape input) and Cx1x1, each as a model input and as a constant.
     */
    private static ProbeFamily broadcastFamily(String name, String type, String summary) {
        return ProbeFamily.named(name)
                .layers(type)
                .minSpec(4)
                .summary(summary)
                .axis(Axis.choice("b", PATTERNS).quick("Cx1x1").allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant").quick("constant"))
                // Which side the broadcast operand is on: a converter may emit either order.
                .axis(Axis.choice("order", "xFirst", "bFirst").allChoices(Profile.STANDARD))
                .axis(nchw().full("4x64x56x56"))
                .grid(Profile.QUICK, "b", "operand")
                .grid(Profile.FULL, "b", "operand", "in")
                .grid(Profile.FULL, "b", "order")
                .builds(s -> buildBinary(s, type))
                .build();
    }

    static ProbeFamily binaryBroadcastable() {
        return ProbeFamily.named("binaryBroadcastable")
                .layers(ARITHMETIC)
                .minSpec(4)
                .summary("mod, min, max, pow, divide, floorDiv, subtract with a broadcast second operand")
                .axis(Axis.choice("layer", ARITHMETIC).allChoices(Profile.STANDARD))
                .axis(Axis.choice("b", PATTERNS).allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant").allChoices(Profile.STANDARD))
                .axis(Axis.choice("order", "xFirst", "bFirst").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "layer", "b", "operand")
                .grid(Profile.FULL, "layer", "in")
                .builds(s -> buildBinary(s, s.text("layer")))
                .build();
    }

    static ProbeFamily whereBroadcastable() {
        return ProbeFamily.named("whereBroadcastable")
                .layers("whereBroadcastable")
                .minSpec(4)
                .summary("where(condition, x, other): condition an input or computed from x; other broadcast")
                // A computed condition (x > 0, as converters emit) keeps the whole select on one device or not.
                .axis(Axis.choice("condition", "input", "computed").allChoices(Profile.STANDARD))
                .axis(Axis.choice("b", PATTERNS).allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant").allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "condition", "b")
                .grid(Profile.FULL, "b", "operand")
                .builds(ElementwiseFamilies::buildWhere)
                .build();
    }

    // ---- comparisons and logical operators -----------------------------------------------------------------

    static ProbeFamily comparison() {
        return ProbeFamily.named("comparison")
                .layers(COMPARISONS)
                .minSpec(4)
                .summary("equal ... greaterEqual against a second input, a constant or the scalar alpha")
                .axis(Axis.choice("layer", COMPARISONS).allChoices(Profile.STANDARD))
                // One input plus alpha is a different layer form from two (broadcast) inputs.
                .axis(Axis.choice("operand", "input", "alpha", "constant").allChoices(Profile.STANDARD))
                .axis(Axis.choice("b", PATTERNS).allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "layer", "operand", "b")
                // With alpha there is no second operand to shape.
                .admissible("operand alpha (a scalar, no second tensor) keeps b at CxHxW",
                        s -> !s.text("operand").equals("alpha") || s.text("b").equals("CxHxW"))
                .builds(s -> buildBinary(s, s.text("layer")))
                .build();
    }

    static ProbeFamily logical() {
        return ProbeFamily.named("logical")
                .layers(LOGICAL)
                .minSpec(4)
                .summary("logicalAnd / Or / Xor of x and a second input or constant; logicalNot of x")
                .axis(Axis.choice("layer", LOGICAL).allChoices(Profile.STANDARD))
                .axis(Axis.choice("operand", "input", "constant").allChoices(Profile.STANDARD))
                .axis(Axis.choice("b", PATTERNS).allChoices(Profile.STANDARD))
                .axis(nchw())
                .grid(Profile.FULL, "layer", "operand")
                .grid(Profile.FULL, "layer", "b")
                // logicalNot has one input: only the baseline operand values describe it.
                .admissible("logicalNot takes one input, so operand stays input and b stays CxHxW",
                        s -> !s.text("layer").equals("logicalNot")
                        || (s.text("operand").equals("input") && s.text("b").equals("CxHxW")))
                .builds(s -> buildBinary(s, s.text("layer")))
                .build();
    }

    /**
     * x combined with a second operand (a model input x2 or an aux_constant, shaped by the {@code b} pattern, in
     * the {@code order} given) or, for operand=alpha and for logicalNot, x alone.
     */
    private static Net buildBinary(ProbeSpec s, String type) {
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in);
        List<String> inputs = new ArrayList<>(List.of("x"));
        String operand = s.text("operand");
        if (!operand.equals("alpha") && !type.equals("logicalNot")) {
            long[] shape = pattern(s.text("b"), in);
            String second = operand.equals("input") ? "x2" : "constant";
            if (operand.equals("input")) {
                net.input(second, shape);
            } else {
                net.layer(constant(second, shape, new Weights(s.seed())));
            }
            if (s.has("order") && s.text("order").equals("bFirst")) {
                inputs.add(0, second);
            } else {
                inputs.add(second);
            }
        }
        // The alpha used when there is one input: a comparison threshold inside the data's range.
        Float alpha = operand.equals("alpha") ? 0.25f : null;
        return net.layer(Layer.probe().in(inputs.toArray(new String[0])).out("y", in)
                        .with(b -> setParams(b, type, alpha)))
                .output("y");
    }

    private static Net buildWhere(ProbeSpec s) {
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in);
        String condition;
        if (s.text("condition").equals("computed")) {
            condition = "condition";
            net.layer(Layer.aux("condition").in("x").out(condition, in)
                    .with(b -> setParams(b, "greaterThan", 0f)));
        } else {
            condition = "x2";
            net.input(condition, in);
        }
        long[] shape = pattern(s.text("b"), in);
        String other;
        if (s.text("operand").equals("input")) {
            other = "x" + (net.inputs().size() + 1);
            net.input(other, shape);
        } else {
            other = "constant";
            net.layer(constant(other, shape, new Weights(s.seed())));
        }
        return net.layer(Layer.probe().in(condition, "x", other).out("y", in)
                        .with(b -> setParams(b, "whereBroadcastable", null)))
                .output("y");
    }

    /** The shape of a broadcast operand with pattern {@code b} against the rank-4 input {@code in}. */
    static long[] pattern(String b, long[] in) {
        switch (b) {
            case "CxHxW":
                return in.clone();
            case "Cx1x1":
                return new long[] {1, in[1], 1, 1};
            case "1xHxW":
                return new long[] {1, 1, in[2], in[3]};
            case "1x1x1":
                return new long[] {1, 1, 1, 1};
            default:
                throw new IllegalArgumentException("unknown broadcast pattern " + b);
        }
    }

    /**
     * An aux_constant loadConstantND layer producing {@code blob}. Values lie in [0.5, 2): non-zero, so divide,
     * mod and floorDiv stay finite, and small, so pow stays in range.
     */
    static Layer constant(String blob, long[] shape, Weights weights) {
        WeightParams data = weights.range(product(shape), 0.5, 2.0, false);
        LoadConstantNDLayerParams.Builder p = LoadConstantNDLayerParams.newBuilder().setData(data);
        for (long d : shape) {
            p.addShape(d);
        }
        return Layer.aux(blob).out(blob, shape).with(b -> b.setLoadConstantND(p));
    }

    static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * Sets the layer's params oneof to the params message of {@code type}: these layer types have either no
     * fields or only an {@code alpha} (the scalar a one-input comparison compares with), set when not null.
     */
    static void setParams(NeuralNetworkLayer.Builder b, String type, Float alpha) {
        FieldDescriptor field = NeuralNetworkLayer.getDescriptor().findFieldByName(type);
        Message.Builder params = b.newBuilderForField(field);
        if (alpha != null) {
            params.setField(params.getDescriptorForType().findFieldByName("alpha"), alpha);
        }
        b.setField(field, params.build());
    }

    // ---- unary functions -----------------------------------------------------------------------------------

    static ProbeFamily rounding() {
        return unaryFamily("rounding", ROUNDING, "ceil, floor, round, sign");
    }

    static ProbeFamily trigonometric() {
        return unaryFamily("trigonometric", TRIGONOMETRIC, "sin ... atan and sinh ... atanh");
    }

    static ProbeFamily unaryMath() {
        return unaryFamily("unaryMath", UNARY_MATH, "exp2 and erf");
    }

    /** Parameterless unary layers: which function, and the tensor size and rank. */
    private static ProbeFamily unaryFamily(String name, String[] types, String summary) {
        return ProbeFamily.named(name)
                .layers(types)
                .minSpec(4)
                .summary(summary + " of x, over sizes and ranks")
                .axis(Axis.choice("layer", types).allChoices(Profile.STANDARD))
                .axis(sizes())
                .grid(Profile.FULL, "layer", "in")
                .builds(s -> buildUnary(s, b -> setParams(b, s.text("layer"), null)))
                .build();
    }

    private static Net buildUnary(ProbeSpec s, Consumer<NeuralNetworkLayer.Builder> params) {
        long[] in = s.shape("in");
        return Net.nd().input("x", in)
                .layer(Layer.probe().in("x").out("y", in).with(params))
                .output("y");
    }

    static ProbeFamily clip() {
        return ProbeFamily.named("clip")
                .layers("clip")
                .minSpec(4)
                .summary("clip(x, min, max): ReLU6-like bounds and others")
                // [0, 6] is ReLU6, which the ANE has natively; other bounds may need a different lowering.
                .axis(Axis.decimal("min", "0").standard("-1", "-6").full("-0.5", "1"))
                .axis(Axis.decimal("max", "6").standard("1", "0.5").full("20", "65504"))
                .axis(sizes())
                .grid(Profile.FULL, "min", "max")
                .admissible("min is at most max", s -> s.decimal("min") <= s.decimal("max"))
                .builds(s -> buildUnary(s, b -> b.setClip(ClipLayerParams.newBuilder()
                        .setMinVal((float) s.decimal("min")).setMaxVal((float) s.decimal("max")))))
                .build();
    }

    static ProbeFamily gelu() {
        return ProbeFamily.named("gelu")
                .layers("gelu")
                .minSpec(4)
                .summary("GELU, exact (erf) or the tanh / sigmoid approximations")
                // The approximations are built from tanh or sigmoid, which the ANE has; exact needs erf.
                .axis(Axis.choice("mode", "exact", "tanh", "sigmoid").allChoices(Profile.STANDARD))
                .axis(sizes())
                .grid(Profile.FULL, "mode", "in")
                .builds(s -> buildUnary(s, b -> b.setGelu(GeluLayerParams.newBuilder()
                        .setMode(geluMode(s.text("mode"))))))
                .build();
    }

    private static GeluLayerParams.GeluMode geluMode(String mode) {
        switch (mode) {
            case "tanh":
                return GeluLayerParams.GeluMode.TANH_APPROXIMATION;
            case "sigmoid":
                return GeluLayerParams.GeluMode.SIGMOID_APPROXIMATION;
            default:
                return GeluLayerParams.GeluMode.EXACT;
        }
    }

    static ProbeFamily clampedReLU() {
        return ProbeFamily.named("clampedReLU")
                .layers("clampedReLU")
                .minSpec(5)
                .summary("min(beta, x >= 0 ? x : alpha * x): ReLU6 (alpha 0, beta 6), leaky and clamped variants")
                .axis(Axis.decimal("alpha", "0").standard("0.01", "0.1", "1").full("-1", "2"))
                .axis(Axis.decimal("beta", "6").standard("1", "20").full("0", "65504"))
                .axis(sizes())
                .grid(Profile.FULL, "alpha", "beta")
                .builds(s -> buildUnary(s, b -> b.setClampedReLU(ClampedReLULayerParams.newBuilder()
                        .setAlpha((float) s.decimal("alpha")).setBeta((float) s.decimal("beta")))))
                .build();
    }

    // ---- copy ----------------------------------------------------------------------------------------------

    static ProbeFamily copy() {
        return ProbeFamily.named("copy")
                .layers("copy")
                .minSpec(4)
                .summary("copy x into a new blob, or over a blob an earlier layer produced")
                // Copy is the only layer that may overwrite an existing blob; that form cannot simply be elided.
                .axis(Axis.choice("into", "new", "existing").allChoices(Profile.STANDARD))
                .axis(sizes())
                .grid(Profile.FULL, "into", "in")
                .builds(ElementwiseFamilies::buildCopy)
                .build();
    }

    private static Net buildCopy(ProbeSpec s) {
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in);
        if (s.text("into").equals("existing")) {
            net.layer(Layer.aux("existing").in("x").out("y", in).with(b -> setParams(b, "sign", null)));
        }
        return net.layer(Layer.probe().in("x").out("y", in)
                        .with(b -> b.setCopy(CopyLayerParams.getDefaultInstance())))
                .output("y");
    }
}
