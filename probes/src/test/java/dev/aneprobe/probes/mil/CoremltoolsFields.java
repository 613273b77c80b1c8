package dev.aneprobe.probes.mil;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.DictionaryValue;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * coremltools' immediate-value convention, written out here on its own (from its MIL serializer and its milproto
 * loader) so tests can hold the code under test to it instead of to itself: which {@code TensorValue} field an
 * immediate tensor of each element type is written in.
 */
public final class CoremltoolsFields {
    private CoremltoolsFields() {
    }

    public static final Map<DataType, TensorValue.ValueCase> FIELD = Map.ofEntries(
            Map.entry(DataType.FLOAT32, TensorValue.ValueCase.FLOATS),
            Map.entry(DataType.FLOAT64, TensorValue.ValueCase.DOUBLES),
            Map.entry(DataType.FLOAT16, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.INT4, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.INT8, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT1, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT2, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT3, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT4, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT6, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT8, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.UINT32, TensorValue.ValueCase.BYTES),
            Map.entry(DataType.INT16, TensorValue.ValueCase.INTS),
            Map.entry(DataType.UINT16, TensorValue.ValueCase.INTS),
            Map.entry(DataType.INT32, TensorValue.ValueCase.INTS),
            Map.entry(DataType.INT64, TensorValue.ValueCase.LONGINTS),
            Map.entry(DataType.UINT64, TensorValue.ValueCase.LONGINTS),
            Map.entry(DataType.BOOL, TensorValue.ValueCase.BOOLS),
            Map.entry(DataType.STRING, TensorValue.ValueCase.STRINGS));

    /**
     * Every immediate tensor value of the model's program (op attributes, values written in bindings, nested
     * blocks, list and dictionary elements) whose field is not the one coremltools uses for its element type, as
     * "where: TYPE in field" lines; empty when all are in place. Counts the values it looked at in {@code seen[0]}.
     */
    public static List<String> misplaced(Model model, long[] seen) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Function> f : model.getMlProgram().getFunctionsMap().entrySet()) {
            for (Block b : f.getValue().getBlockSpecializationsMap().values()) {
                block(b, f.getKey(), out, seen);
            }
        }
        return out;
    }

    private static void block(Block b, String where, List<String> out, long[] seen) {
        for (Operation op : b.getOperationsList()) {
            String at = where + " op " + op.getType() + " ";
            op.getAttributesMap().forEach((k, v) -> value(v, at + "attribute " + k, out, seen));
            for (Map.Entry<String, Argument> in : op.getInputsMap().entrySet()) {
                for (Argument.Binding binding : in.getValue().getArgumentsList()) {
                    if (binding.hasValue()) {
                        value(binding.getValue(), at + "input " + in.getKey(), out, seen);
                    }
                }
            }
            for (Block nested : op.getBlocksList()) {
                block(nested, at + "block", out, seen);
            }
        }
    }

    private static void value(Value v, String where, List<String> out, long[] seen) {
        if (!v.hasImmediateValue()) {
            return;
        }
        Value.ImmediateValue imm = v.getImmediateValue();
        if (imm.hasTensor()) {
            seen[0]++;
            DataType type = v.getType().getTensorType().getDataType();
            TensorValue.ValueCase field = imm.getTensor().getValueCase();
            if (FIELD.get(type) != field) {
                out.add(where + ": " + type + " in " + field);
            }
        } else if (imm.hasList()) {
            imm.getList().getValuesList().forEach(e -> value(e, where + " element", out, seen));
        } else if (imm.hasTuple()) {
            imm.getTuple().getValuesList().forEach(e -> value(e, where + " element", out, seen));
        } else if (imm.hasDictionary()) {
            for (DictionaryValue.KeyValuePair p : imm.getDictionary().getValuesList()) {
                value(p.getKey(), where + " key", out, seen);
                value(p.getValue(), where + " value", out, seen);
            }
        }
    }
}
