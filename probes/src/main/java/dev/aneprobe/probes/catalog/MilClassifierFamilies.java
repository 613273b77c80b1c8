package dev.aneprobe.probes.catalog;

import static dev.aneprobe.probes.catalog.MilSpatialFamilies.dtype;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.inputs;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.opset;
import static dev.aneprobe.probes.catalog.MilSpatialFamilies.type;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.MilNet.Out;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * ML Program classifiers: {@code classify}, the op that makes a program a classifier model. Softmax over {@code x}
 * gives the probabilities (cast to FLOAT32, which classify requires); classify maps them to the class labels, and its
 * two outputs — the predicted label ({@code y}, STRING or INT64) and the label-to-probability dictionary
 * ({@code y_probs}) — are the model's outputs, as converters build a classifier. The labels are written into the
 * op's binding as a literal list, not a const op, which is how Core ML expects them.
 */
final class MilClassifierFamilies {
    private MilClassifierFamilies() {
    }

    static List<ProbeFamily> all() {
        return List.of(classify());
    }

    static ProbeFamily classify() {
        return ProbeFamily.named("mil.classify")
                .layers("classify")
                .minSpec(6)
                .summary("ML Program classifier output (softmax, then classify into a label and a probability "
                        + "dictionary): class count up to and past width 16384, STRING vs. INT64 labels, dtype")
                // Labels are a literal list in the model: past 100,000 they only cost memory and file size.
                .axis(Axis.integer("classes", 10).range(1, 100_000).standard("1000", "16384", "16448"))
                .axis(Axis.choice("labels", "string", "int64").allChoices(Profile.STANDARD))
                .axis(dtype())
                .grid(Profile.FULL, "classes", "labels", "dtype")
                .builds(MilClassifierFamilies::build)
                .build();
    }

    private static MilNet build(ProbeSpec s) {
        int classes = (int) s.integer("classes");
        DataType t = type(s);
        boolean strings = s.text("labels").equals("string");
        long[] shape = {1, classes};
        MilNet net = MilNet.of(opset(s, "CoreML5")).input("x", t, shape);
        net.op("softmax", inputs("x", "x", "axis", net.constInt("c_axis", -1)), "aux_softmax", t, shape);
        String probabilities = "aux_softmax";
        if (t != DataType.FLOAT32) {
            net.op("cast", inputs("x", "aux_softmax", "dtype", net.constString("c_dtype", "fp32")), "aux_fp32",
                    DataType.FLOAT32, shape);
            probabilities = "aux_fp32";
        }
        Value labels;
        DataType labelType;
        if (strings) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < classes; i++) {
                names.add("class_" + i);
            }
            labels = MilNet.stringList(names);
            labelType = DataType.STRING;
        } else {
            long[] ids = new long[classes];
            for (int i = 0; i < classes; i++) {
                ids[i] = 1000 + i;
            }
            labels = MilNet.int64List(ids);
            labelType = DataType.INT64;
        }
        net.op("classify", inputs("probabilities", probabilities), Map.of("classes", labels),
                List.of(Out.scalar("y", labelType), Out.dictionary("y_probs", labelType, DataType.FLOAT64)));
        return net.classifierOutputs("y", "y_probs");
    }
}
