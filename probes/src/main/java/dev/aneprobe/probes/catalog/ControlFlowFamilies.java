package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.coreml.ActivationLinear;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.ActivationSigmoid;
import dev.aneprobe.probes.coreml.BranchLayerParams;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.CopyLayerParams;
import dev.aneprobe.probes.coreml.LoopBreakLayerParams;
import dev.aneprobe.probes.coreml.LoopContinueLayerParams;
import dev.aneprobe.probes.coreml.LoadConstantNDLayerParams;
import dev.aneprobe.probes.coreml.LoopLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.RangeDynamicLayerParams;
import dev.aneprobe.probes.coreml.RangeStaticLayerParams;
import dev.aneprobe.probes.coreml.ReduceMaxLayerParams;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.coreml.ValidPadding;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Control flow (branch, loop, loopBreak, loopContinue) and the range generators. A probe network here is a real
 * if/else or loop around small sub-networks: whether Core ML keeps the sub-network work on the Neural Engine when it
 * sits inside control flow is what these probes show.
 *
 * <p>{@link Net} describes only the top-level graph, so sub-networks are built with the proto builders (see
 * {@link Inner}). Core ML makes blobs written inside a branch (by both branches) or a loop body visible to the
 * enclosing network, but aneprobe's validator checks the top level only; so every probe first writes the model
 * output {@code y} at the top level ({@code aux_init}, a copy of x) and the sub-networks overwrite it with a copy
 * layer, the one layer allowed to write an existing blob. The result is valid under both rule sets.
 */
final class ControlFlowFamilies {
    private ControlFlowFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(branch(), loop(), loopBreak(), loopContinue(), rangeStatic(), rangeDynamic());
    }

    // ---- branch --------------------------------------------------------------------------------------------

    static ProbeFamily branch() {
        return ProbeFamily.named("branch")
                .layers("branch")
                .minSpec(4)
                .summary("if/else on a scalar condition (input, or computed from x); the branches write y")
                // A condition computed on the device must come back to the host before the branch can be taken.
                .axis(Axis.choice("condition", "input", "computed").allChoices(Profile.STANDARD))
                // What the branches run: an activation, or a 1x1 convolution (the Neural Engine's core work).
                .axis(Axis.choice("body", "activation", "convolution").allChoices(Profile.STANDARD))
                .axis(Axis.bool("else", true).standard("false"))
                .axis(ElementwiseFamilies.nchw())
                .grid(Profile.FULL, "condition", "body")
                .grid(Profile.FULL, "body", "in")
                .admissible("a convolution body has at most 1024 channels (its weights are channels x channels)",
                        ControlFlowFamilies::convolutionFits)
                .builds(ControlFlowFamilies::buildBranch)
                .build();
    }

    /** A 1x1 convolution body has C x C weights: skip it for the 16384-channel inputs (1 GB of weights). */
    private static boolean convolutionFits(ProbeSpec s) {
        return !s.text("body").equals("convolution") || s.shape("in")[1] <= 1024;
    }

    private static Net buildBranch(ProbeSpec s) {
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in);
        String condition = condition(net, s.text("condition").equals("computed"), in);
        net.layer(init(in));
        Weights weights = new Weights(s.seed());
        boolean convolution = s.text("body").equals("convolution");
        BranchLayerParams.Builder p = BranchLayerParams.newBuilder()
                .setIfBranch(NeuralNetwork.newBuilder()
                        .addLayers(convolution ? conv1x1("aux_if_body", "x", "y_if", in, weights)
                                : activation("aux_if_body", "x", "y_if", in, relu()))
                        .addLayers(copy("aux_if_copy", "y_if", "y", in)));
        if (s.bool("else")) {
            p.setElseBranch(NeuralNetwork.newBuilder()
                    .addLayers(convolution ? conv1x1("aux_else_body", "x", "y_else", in, weights)
                            : activation("aux_else_body", "x", "y_else", in, sigmoid()))
                    .addLayers(copy("aux_else_copy", "y_else", "y", in)));
        }
        return net.layer(Layer.probe().in(condition).with(b -> b.setBranch(p)))
                .output("y");
    }

    /**
     * The scalar condition blob: a model input x2 of shape [1], or max(x) &gt; 0 computed by two aux layers as a
     * [1, 1, 1, 1] tensor (branch and loop conditions must hold a single value).
     */
    private static String condition(Net net, boolean computed, long[] in) {
        if (!computed) {
            net.input("x2", 1);
            return "x2";
        }
        long[] one = ones(in.length);
        net.layer(Layer.aux("condition_max").in("x").out("x_max", one).with(b -> b.setReduceMax(
                ReduceMaxLayerParams.newBuilder().setReduceAll(true).setKeepDims(true))));
        net.layer(Layer.aux("condition").in("x_max").out("condition", one)
                .with(b -> ElementwiseFamilies.setParams(b, "greaterThan", 0f)));
        return "condition";
    }

    /** The top-level copy of x into y that sub-networks overwrite: it makes y a top-level blob. */
    private static Layer init(long[] in) {
        return Layer.aux("init").in("x").out("y", in).with(b -> b.setCopy(CopyLayerParams.getDefaultInstance()));
    }

    // ---- loop ----------------------------------------------------------------------------------------------

    static ProbeFamily loop() {
        return ProbeFamily.named("loop")
                .layers("loop")
                .minSpec(4)
                .summary("a for loop (static count or count input) or a while loop with a condition network")
                // static: maxLoopIterations; input: the count is a scalar input x2; condition: a condition network
                // (max(y) > 0.01) ends the loop, bounded by maxLoopIterations.
                .axis(Axis.choice("count", "static", "input", "condition").allChoices(Profile.STANDARD))
                .axis(Axis.integer("iterations", 4).standard("1", "2", "16").full("64", "256"))
                .axis(Axis.choice("body", "activation", "convolution").allChoices(Profile.STANDARD))
                .axis(ElementwiseFamilies.nchw())
                .grid(Profile.FULL, "count", "body")
                .grid(Profile.FULL, "iterations", "body")
                .grid(Profile.FULL, "body", "in")
                // With a count input, maxLoopIterations is ignored: only the baseline value describes it.
                .admissible("a loop counted by an input keeps the baseline 4 iterations",
                        s -> !s.text("count").equals("input") || s.text("iterations").equals("4"))
                .admissible("a convolution body has at most 1024 channels (its weights are channels x channels)",
                        ControlFlowFamilies::convolutionFits)
                .builds(ControlFlowFamilies::buildLoop)
                .build();
    }

    private static Net buildLoop(ProbeSpec s) {
        long[] in = s.shape("in");
        Net net = Net.nd().input("x", in).layer(init(in));
        String count = s.text("count");
        LoopLayerParams.Builder p = LoopLayerParams.newBuilder().setBodyNetwork(NeuralNetwork.newBuilder()
                .addLayers(s.text("body").equals("convolution")
                        ? conv1x1("aux_body_step", "y", "y_next", in, new Weights(s.seed()))
                        : activation("aux_body_step", "y", "y_next", in, halve()))
                .addLayers(copy("aux_body_update", "y_next", "y", in)));
        if (!count.equals("input")) {
            p.setMaxLoopIterations(s.integer("iterations"));
        }
        if (count.equals("condition")) {
            long[] one = ones(in.length);
            p.setConditionVar("continue_loop").setConditionNetwork(NeuralNetwork.newBuilder()
                    .addLayers(reduceMax("aux_condition_max", "y", "y_max", in))
                    .addLayers(new Inner("aux_condition").in("y_max", one).out("continue_loop", one)
                            .with(b -> ElementwiseFamilies.setParams(b, "greaterThan", 0.01f))));
        }
        Layer probe = Layer.probe().with(b -> b.setLoop(p));
        if (count.equals("input")) {
            net.input("x2", 1);
            probe.in("x2");
        }
        return net.layer(probe).output("y");
    }

    // ---- loopBreak / loopContinue --------------------------------------------------------------------------

    static ProbeFamily loopBreak() {
        return exitFamily("loopBreak", "leave a 4-iteration loop early");
    }

    static ProbeFamily loopContinue() {
        return exitFamily("loopContinue", "skip the rest of an iteration of a 4-iteration loop");
    }

    /**
     * loopBreak and loopContinue only exist inside a loop body; the loop (aux_loop) halves y each iteration. The
     * probe layer sits in the body directly (unconditional) or in a branch taken when max(y) &lt; 1 (the usual
     * form).
     */
    private static ProbeFamily exitFamily(String type, String summary) {
        return ProbeFamily.named(type)
                .layers(type)
                .minSpec(4)
                .summary(type + " inside a loop body, guarded by a branch or not: " + summary)
                .axis(Axis.choice("guard", "branch", "none").allChoices(Profile.STANDARD))
                .axis(ElementwiseFamilies.nchw())
                .grid(Profile.FULL, "guard", "in")
                .builds(s -> buildExit(s, type))
                .build();
    }

    private static Net buildExit(ProbeSpec s, String type) {
        long[] in = s.shape("in");
        long[] one = ones(in.length);
        Consumer<NeuralNetworkLayer.Builder> params = type.equals("loopBreak")
                ? b -> b.setLoopBreak(LoopBreakLayerParams.getDefaultInstance())
                : b -> b.setLoopContinue(LoopContinueLayerParams.getDefaultInstance());
        NeuralNetworkLayer probe = new Inner(Layer.PROBE).with(params);
        NeuralNetwork.Builder body = NeuralNetwork.newBuilder()
                .addLayers(activation("aux_body_step", "y", "y_next", in, halve()));
        // loopBreak ends the loop after this iteration's update; loopContinue skips the update.
        NeuralNetworkLayer update = copy("aux_body_update", "y_next", "y", in);
        if (type.equals("loopBreak")) {
            body.addLayers(update);
        }
        if (s.text("guard").equals("branch")) {
            body.addLayers(reduceMax("aux_body_max", "y_next", "y_max", in))
                    .addLayers(new Inner("aux_body_done").in("y_max", one).out("done", one)
                            .with(b -> ElementwiseFamilies.setParams(b, "lessThan", 1f)))
                    .addLayers(new Inner("aux_body_branch").in("done", one).with(b -> b.setBranch(
                            BranchLayerParams.newBuilder().setIfBranch(NeuralNetwork.newBuilder().addLayers(probe)))));
        } else {
            body.addLayers(probe);
        }
        if (type.equals("loopContinue")) {
            body.addLayers(update);
        }
        LoopLayerParams.Builder loop = LoopLayerParams.newBuilder().setMaxLoopIterations(4).setBodyNetwork(body);
        return Net.nd().input("x", in)
                .layer(init(in))
                .layer(Layer.aux("loop").with(b -> b.setLoop(loop)))
                .output("y");
    }

    // ---- range ---------------------------------------------------------------------------------------------

    static ProbeFamily rangeStatic() {
        return ProbeFamily.named("rangeStatic")
                .layers("rangeStatic")
                .minSpec(4)
                .summary("a W-long arange, added to x by aux_combine (rangeStatic has no input)")
                .axis(Axis.decimal("step", "1").standard("0.5", "-1"))
                // The range is as long as the input is wide, so Sizes' widths bracket the 16384 limit.
                .axis(ElementwiseFamilies.nchw())
                .builds(ControlFlowFamilies::buildRangeStatic)
                .build();
    }

    private static Net buildRangeStatic(ProbeSpec s) {
        long[] in = s.shape("in");
        long n = in[in.length - 1];
        float step = (float) s.decimal("step");
        RangeStaticLayerParams.Builder p = RangeStaticLayerParams.newBuilder()
                .setStartValue(0).setStepSizeValue(step).setEndValue(n * step);
        return Net.nd().input("x", in)
                .layer(Layer.probe().out("range", n).with(b -> b.setRangeStatic(p)))
                .layer(combine(in))
                .output("y");
    }

    static ProbeFamily rangeDynamic() {
        return ProbeFamily.named("rangeDynamic")
                .layers("rangeDynamic")
                .minSpec(4)
                .summary("arange from end (, start (, step)) tensors: model inputs (fed W, 0, 1) or constants")
                // Inputs make the output length data-dependent; constants let the compiler fold it.
                .axis(Axis.choice("source", "input", "constant").allChoices(Profile.STANDARD))
                .axis(Axis.integer("operands", 1).range(1, 3).standard("2", "3"))
                .axis(ElementwiseFamilies.nchw())
                .grid(Profile.FULL, "source", "operands")
                .builds(ControlFlowFamilies::buildRangeDynamic)
                .build();
    }

    private static Net buildRangeDynamic(ProbeSpec s) {
        long[] in = s.shape("in");
        long n = in[in.length - 1];
        Net net = Net.nd().input("x", in);
        // end, start, step: the declared output length assumes the values W, 0 and 1.
        String[] names = {"end", "start", "step"};
        float[] values = {n, 0, 1};
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < s.integer("operands"); i++) {
            if (s.text("source").equals("input")) {
                String blob = "x" + (i + 2);
                net.input(blob, 1);
                operands.add(blob);
            } else {
                float value = values[i];
                net.layer(Layer.aux(names[i]).out(names[i], 1).with(b -> b.setLoadConstantND(
                        LoadConstantNDLayerParams.newBuilder().addShape(1)
                                .setData(Weights.constant(1, value)))));
                operands.add(names[i]);
            }
        }
        RangeDynamicLayerParams.Builder p = RangeDynamicLayerParams.newBuilder().setStartValue(0).setStepSizeValue(1);
        return net.layer(Layer.probe().in(operands.toArray(new String[0])).out("range", n)
                        .with(b -> b.setRangeDynamic(p)))
                .layer(combine(in))
                .output("y");
    }

    /** y = x + range (broadcast along the last axis): consumes x and the probe's rank-1 output. */
    private static Layer combine(long[] in) {
        return Layer.aux("combine").in("x", "range").out("y", in)
                .with(b -> ElementwiseFamilies.setParams(b, "addBroadcastable", null));
    }

    // ---- sub-network layers --------------------------------------------------------------------------------

    /** A layer of a branch or loop sub-network, with input and output tensors declared as Net does at top level. */
    private static final class Inner {
        private final NeuralNetworkLayer.Builder b;

        Inner(String name) {
            b = NeuralNetworkLayer.newBuilder().setName(name);
        }

        Inner in(String blob, long... dims) {
            b.addInput(blob).addInputTensor(tensor(dims));
            return this;
        }

        Inner out(String blob, long... dims) {
            b.addOutput(blob).addOutputTensor(tensor(dims));
            return this;
        }

        NeuralNetworkLayer with(Consumer<NeuralNetworkLayer.Builder> params) {
            params.accept(b);
            return b.build();
        }

        private static Tensor tensor(long[] dims) {
            Tensor.Builder t = Tensor.newBuilder().setRank(dims.length);
            for (long d : dims) {
                t.addDimValue(d);
            }
            return t.build();
        }
    }

    private static NeuralNetworkLayer copy(String name, String from, String to, long[] shape) {
        return new Inner(name).in(from, shape).out(to, shape)
                .with(b -> b.setCopy(CopyLayerParams.getDefaultInstance()));
    }

    private static NeuralNetworkLayer activation(String name, String from, String to, long[] shape,
            ActivationParams params) {
        return new Inner(name).in(from, shape).out(to, shape).with(b -> b.setActivation(params));
    }

    private static NeuralNetworkLayer reduceMax(String name, String from, String to, long[] shape) {
        return new Inner(name).in(from, shape).out(to, ones(shape.length)).with(b -> b.setReduceMax(
                ReduceMaxLayerParams.newBuilder().setReduceAll(true).setKeepDims(true)));
    }

    /** A 1x1 convolution keeping the channel count (axis 1 of the rank-4 input). */
    private static NeuralNetworkLayer conv1x1(String name, String from, String to, long[] shape, Weights weights) {
        long c = shape[1];
        ConvolutionLayerParams.Builder p = ConvolutionLayerParams.newBuilder()
                .setOutputChannels(c).setKernelChannels(c).setNGroups(1)
                .addKernelSize(1).addKernelSize(1).addStride(1).addStride(1)
                .setValid(ValidPadding.getDefaultInstance())
                .setWeights(weights.params(c * c, c, false));
        return new Inner(name).in(from, shape).out(to, shape).with(b -> b.setConvolution(p));
    }

    private static ActivationParams relu() {
        return ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()).build();
    }

    private static ActivationParams sigmoid() {
        return ActivationParams.newBuilder().setSigmoid(ActivationSigmoid.getDefaultInstance()).build();
    }

    /** y / 2: a loop step whose result shrinks, so a while condition on max(y) eventually ends the loop. */
    private static ActivationParams halve() {
        return ActivationParams.newBuilder().setLinear(ActivationLinear.newBuilder().setAlpha(0.5f)).build();
    }

    private static long[] ones(int rank) {
        long[] one = new long[rank];
        Arrays.fill(one, 1);
        return one;
    }
}
