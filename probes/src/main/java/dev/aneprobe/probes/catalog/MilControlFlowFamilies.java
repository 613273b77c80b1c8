package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.MilNet.Out;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import java.util.Map;

/**
 * ML Program control flow: {@code cond} and {@code while_loop}, the two ops with nested blocks. Model inputs cannot be
 * BOOL, so cond's predicate is computed from {@code x} by helpers (is its mean positive?); the loop carries
 * {@code x} and an INT32 scalar counter, and only {@code x}'s result is a model output. Whether the Neural Engine
 * takes either op, or splits the program around it, is the question.
 */
final class MilControlFlowFamilies {
    private MilControlFlowFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(cond(), whileLoop());
    }

    static ProbeFamily cond() {
        return ProbeFamily.named("mil.cond")
                .layers("cond")
                .minSpec(6)
                .summary("ML Program cond (relu branch vs. scaled-identity branch, predicate from the input's mean):"
                        + " dtype, size")
                .axis(dtype())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "dtype", "in")
                .builds(MilControlFlowFamilies::buildCond)
                .build();
    }

    private static MilNet buildCond(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        // reduce_mean without axes reduces every axis to a scalar.
        net.op("reduce_mean", inputs("x", "x", "keep_dims", net.constBool("c_keep_dims", false)), "aux_mean", t);
        net.op("greater", inputs("x", "aux_mean", "y", net.constFloat("c_zero", t, 0f)), "aux_pred",
                DataType.BOOL);
        MilNet.Block whenTrue = net.block();
        whenTrue.op("relu", inputs("x", "x"), "aux_true_relu", t, in).output("aux_true_relu");
        MilNet.Block whenFalse = net.block();
        String half = whenFalse.constFloat("c_false_scale", t, 0.5f);
        whenFalse.op("mul", inputs("x", "x", "y", half), "aux_false_scaled", t, in).output("aux_false_scaled");
        return net.op("cond", inputs("pred", "aux_pred"), List.of(new Out("y", t, in)), List.of(whenTrue, whenFalse))
                .output("y");
    }

    static ProbeFamily whileLoop() {
        return ProbeFamily.named("mil.while_loop")
                .layers("while_loop")
                .minSpec(6)
                .summary("ML Program while_loop (counter < n; body: counter + 1, tanh of x): iteration count, dtype,"
                        + " size")
                .axis(Axis.integer("iterations", 4).standard("1", "16"))
                .axis(dtype())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "iterations", "dtype")
                .builds(MilControlFlowFamilies::buildWhileLoop)
                .build();
    }

    private static MilNet buildWhileLoop(ProbeSpec s) {
        long[] in = s.shape("in");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, in);
        String start = net.constInt("c_counter_start", 0);
        String limit = net.constInt("c_iterations", s.integer("iterations"));
        // Each block sees the loop variables through its own inputs, in loop_vars order: (x, counter).
        MilNet.Block condition = net.block();
        condition.input("aux_cond_x", t, in);
        String counter = condition.input("aux_cond_counter", DataType.INT32);
        condition.op("less", inputs("x", counter, "y", limit), "aux_continue", DataType.BOOL)
                .output("aux_continue");
        MilNet.Block body = net.block();
        String bodyX = body.input("aux_body_x", t, in);
        String bodyCounter = body.input("aux_body_counter", DataType.INT32);
        body.op("add", inputs("x", bodyCounter, "y", body.constInt("c_counter_step", 1)), "aux_counter_next",
                DataType.INT32);
        body.op("tanh", inputs("x", bodyX), "aux_body_tanh", t, in);
        body.output("aux_body_tanh").output("aux_counter_next");
        // The loop's first output is x's final value, so the op under test writes y.
        return net.op("while_loop", Map.of("loop_vars", List.of("x", start)),
                List.of(new Out("y", t, in), new Out("aux_counter", DataType.INT32)), List.of(condition, body))
                .output("y");
    }
}
