package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;

/**
 * ML Program model state (iOS 18, specification 9): read_state and write_state, as in a key-value cache. Every
 * probe is the same accumulator — read the state, add {@code x}, write the sum back, output the sum — and the op
 * under test is named {@code y}. write_state has no outputs, so a compute plan can only find it by its type. Core ML
 * keeps states in FLOAT16 only, so there is no dtype axis.
 */
final class MilStateFamilies {
    private MilStateFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(state());
    }

    static ProbeFamily state() {
        return ProbeFamily.named("mil.state")
                .layers("read_state", "write_state")
                .minSpec(9)
                .summary("ML Program model state (iOS 18): read the state, add x, write the sum back; op under test, "
                        + "state size (FLOAT16 only)")
                .axis(Axis.choice("layer", "read_state", "write_state").allChoices(Profile.STANDARD))
                .axis(Sizes.nchw().full("1x8x1024x64", "1x32x2048x128"))
                .grid(Profile.FULL, "layer", "in")
                .builds(MilStateFamilies::build)
                .build();
    }

    private static MilNet build(ProbeSpec s) {
        long[] in = s.shape("in");
        boolean readUnderTest = s.text("layer").equals("read_state");
        MilNet net = MilNet.of("CoreML8").input("x", DataType.FLOAT16, in).state("state", in);
        String read = readUnderTest ? "y" : "aux_read";
        net.op("read_state", inputs("input", "state"), read, DataType.FLOAT16, in);
        net.op("add", inputs("x", "x", "y", read), "aux_out", DataType.FLOAT16, in);
        net.opWithoutOutputs("write_state", readUnderTest ? "aux_write" : "y", inputs("input", "state", "data",
                "aux_out"));
        return net.output("aux_out");
    }
}
