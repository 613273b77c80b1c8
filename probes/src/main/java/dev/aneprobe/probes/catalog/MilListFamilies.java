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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ML Program tensor lists (what converters make of TensorFlow's TensorArray): make_list, list_write, list_scatter,
 * list_read, list_gather and list_length. A list cannot be a model input or output, so every probe is the same
 * chain inside {@code main} — make a list, write {@code x} into it (and scatter copies of {@code x} for
 * list_scatter), then read a tensor back out — and the op under test is the link that writes {@code y}. When that
 * link yields a list, the chain's last op writes the model output {@code aux_out}.
 */
final class MilListFamilies {
    private MilListFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(lists());
    }

    static ProbeFamily lists() {
        return ProbeFamily.named("mil.list")
                .layers("list_read", "make_list", "list_write", "list_scatter", "list_gather", "list_length")
                .minSpec(6)
                .summary("ML Program tensor lists: make a list, write x (scatter copies), read back; op under test, "
                        + "list length, fixed vs. dynamic length, dtype, element size")
                .axis(Axis.choice("layer", "list_read", "make_list", "list_write", "list_scatter", "list_gather",
                        "list_length").allChoices(Profile.STANDARD))
                .axis(Axis.integer("length", 4).standard("1", "64"))
                .axis(Axis.bool("dynamic_length", false).standard("true"))
                .axis(dtype())
                .axis(Sizes.nchw())
                .grid(Profile.FULL, "layer", "length", "dynamic_length", "dtype")
                .builds(MilListFamilies::build)
                .build();
    }

    private static MilNet build(ProbeSpec s) {
        String underTest = s.text("layer");
        long[] elem = s.shape("in");
        long length = s.integer("length");
        DataType t = type(s);
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, elem);

        // make_list's element shape is a tuple: one scalar const binding per dimension.
        List<String> shape = new ArrayList<>();
        for (int i = 0; i < elem.length; i++) {
            shape.add(net.constInt("c_elem_shape_" + i, (int) elem[i]));
        }
        Map<String, List<String>> make = inputs(
                "init_length", net.constInt("c_init_length", (int) length),
                "dynamic_length", net.constBool("c_dynamic_length", s.bool("dynamic_length")),
                "dtype", net.constString("c_dtype", s.text("dtype")));
        make.put("elem_shape", shape);
        String list = name(underTest, "make_list", "aux_list");
        net.op("make_list", make, List.of(Out.list(list, t, elem, length)));

        String written = name(underTest, "list_write", "aux_written");
        net.op("list_write", inputs("ls", list, "index", net.constInt("c_write_index", 0), "value", "x"),
                List.of(Out.list(written, t, elem, length)));

        String last = written;
        if (underTest.equals("list_scatter")) {
            // Scatter copies of x to the list's last slots (slot 0 when the list has one).
            int k = (int) Math.min(2, length);
            int[] slots = new int[k];
            for (int i = 0; i < k; i++) {
                slots[i] = (int) (length - k + i);
            }
            List<String> copies = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                copies.add("x");
            }
            long[] stacked = prepend(k, elem);
            Map<String, List<String>> stack = inputs("axis", net.constInt("c_stack_axis", 0));
            stack.put("values", copies);
            net.op("stack", stack, "aux_scatter_values", t, stacked);
            net.op("list_scatter", inputs("ls", written, "indices", net.constIntList("c_scatter_indices", slots),
                    "value", "aux_scatter_values"), List.of(Out.list("y", t, elem, length)));
            last = "y";
        }

        switch (underTest) {
            case "list_gather" -> {
                int k = (int) Math.min(2, length);
                int[] slots = new int[k];
                for (int i = 0; i < k; i++) {
                    slots[i] = i;
                }
                return net.op("list_gather", inputs("ls", last, "indices", net.constIntList("c_gather_indices",
                        slots)), "y", t, prepend(k, elem)).output("y");
            }
            case "list_length" -> {
                net.op("list_length", inputs("ls", last), "y", DataType.INT32);
                // A rank-0 model output is avoided: the length leaves the model as a one-element INT32 tensor.
                return net.op("reshape", inputs("x", "y", "shape", net.constIntList("c_out_shape", 1)), "aux_out",
                        DataType.INT32, 1).output("aux_out");
            }
            default -> {
                String out = underTest.equals("list_read") ? "y" : "aux_out";
                return net.op("list_read", inputs("ls", last, "index", net.constInt("c_read_index", 0)), out, t,
                        elem).output(out);
            }
        }
    }

    private static String name(String underTest, String op, String helperName) {
        return underTest.equals(op) ? "y" : helperName;
    }

    private static long[] prepend(long first, long[] dims) {
        long[] out = new long[dims.length + 1];
        out[0] = first;
        System.arraycopy(dims, 0, out, 1, dims.length);
        return out;
    }
}
