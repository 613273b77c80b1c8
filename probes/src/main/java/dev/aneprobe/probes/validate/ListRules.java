package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.MilTypes.compatible;
import static dev.aneprobe.probes.validate.MilTypes.describe;
import static dev.aneprobe.probes.validate.MilTypes.fits;

import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.validate.ProgramValidator.Bound;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tensor lists, checked past the element types the signatures allow (as coremltools' iOS15 control_flow.py types
 * them): make_list's list holds tensors of its {@code dtype} (default fp32) and {@code elem_shape} (a string entry
 * is a dimension known only at run time); list_write's {@code value} and each row of list_scatter's {@code value} is
 * an element of the list, and both return a list of the same element type; list_scatter has one row per index;
 * list_read returns an element; list_gather returns the gathered elements stacked on a new first axis.
 */
final class ListRules {
    private ListRules() {
    }

    static boolean applies(String opType) {
        return switch (opType) {
            case "make_list", "list_write", "list_scatter", "list_read", "list_gather" -> true;
            default -> false;
        };
    }

    static void check(Operation op, String label, Map<String, List<Bound>> inputs, List<String> problems) {
        if (op.getOutputsCount() != 1) {
            return; // reported against the signature
        }
        ValueType out = op.getOutputs(0).getType();
        if (op.getType().equals("make_list")) {
            makeList(label, inputs, out, problems);
            return;
        }
        Bound ls = single(inputs, "ls");
        if (ls == null || !ls.type().hasListType()) {
            return; // a non-list is reported against the signature
        }
        ValueType elem = ls.type().getListType().getType();
        switch (op.getType()) {
            case "list_write" -> {
                Bound value = single(inputs, "value");
                if (value != null && !fits(value.type(), elem)) {
                    problems.add(label + " value is " + describe(value.type()) + ", the list holds " + describe(elem));
                }
                sameList(label, out, elem, problems);
            }
            case "list_scatter" -> {
                scatter(label, inputs, elem, problems);
                sameList(label, out, elem, problems);
            }
            case "list_read" -> {
                if (!compatible(out, elem)) {
                    problems.add(label + " output is " + describe(out) + ", the list holds " + describe(elem));
                }
            }
            case "list_gather" -> gather(label, inputs, out, elem, problems);
            default -> {
            }
        }
    }

    private static Bound single(Map<String, List<Bound>> inputs, String param) {
        List<Bound> b = inputs.get(param);
        return b == null || b.size() != 1 ? null : b.get(0);
    }

    private static void makeList(String label, Map<String, List<Bound>> inputs, ValueType out,
            List<String> problems) {
        if (!out.hasListType()) {
            problems.add(label + " output must be a list, got " + describe(out));
            return;
        }
        String dtype = "fp32";
        if (inputs.containsKey("dtype")) {
            Bound b = single(inputs, "dtype");
            dtype = b == null ? null : MilTypes.string(b.value());
            if (dtype == null) {
                return;
            }
        }
        var type = MilTypes.dtypeNamed(dtype);
        if (type == null) {
            problems.add(label + " dtype '" + dtype + "' names no element type");
            return;
        }
        List<Bound> shape = inputs.get("elem_shape");
        if (shape == null) {
            return;
        }
        List<Long> dims = new ArrayList<>();
        for (Bound b : shape) {
            Long d = MilTypes.integer(b.value());
            if (d != null) {
                dims.add(d);
            } else if (MilTypes.string(b.value()) != null) {
                dims.add(-1L); // a named dimension, sized at run time
            } else {
                return; // not a const: reported against the signature, nothing certain here
            }
        }
        ValueType expected = MilTypes.tensor(type, dims);
        ValueType held = out.getListType().getType();
        if (!fits(held, expected)) {
            String shapeText = dims.stream().map(d -> d < 0 ? "?" : Long.toString(d))
                    .collect(Collectors.joining(",", "[", "]"));
            problems.add(label + " output holds " + describe(held) + ", but dtype '" + dtype + "' and elem_shape "
                    + shapeText + " make " + describe(expected));
        }
    }

    private static void scatter(String label, Map<String, List<Bound>> inputs, ValueType elem,
            List<String> problems) {
        Bound value = single(inputs, "value");
        Bound indices = single(inputs, "indices");
        if (value == null || !value.type().hasTensorType() || value.type().getTensorType().getRank() < 0) {
            return;
        }
        TensorType v = value.type().getTensorType();
        if (v.getDimensionsCount() != v.getRank()) {
            return; // rank and dimensions disagree: nothing certain to say about its rows
        }
        if (v.getRank() == 0) {
            problems.add(label + " value must have one row per index, got " + describe(value.type()));
            return;
        }
        if (indices != null && indices.type().hasTensorType() && indices.type().getTensorType().getRank() >= 1
                && v.getDimensionsCount() > 0) {
            Dimension k = indices.type().getTensorType().getDimensions(0);
            Dimension rows = v.getDimensions(0);
            if (k.hasConstant() && rows.hasConstant() && k.getConstant().getSize() != rows.getConstant().getSize()) {
                problems.add(label + " scatters " + rows.getConstant().getSize() + " rows of value to "
                        + k.getConstant().getSize() + " indices (they must match)");
            }
        }
        ValueType row = ValueType.newBuilder().setTensorType(TensorType.newBuilder().setDataTypeValue(v.getDataTypeValue())
                .setRank(v.getRank() - 1).addAllDimensions(v.getDimensionsList().subList(1, v.getDimensionsCount())))
                .build();
        if (!fits(row, elem)) {
            problems.add(label + " value rows are " + describe(row) + ", the list holds " + describe(elem));
        }
    }

    private static void gather(String label, Map<String, List<Bound>> inputs, ValueType out, ValueType elem,
            List<String> problems) {
        Bound indices = single(inputs, "indices");
        if (indices == null || !elem.hasTensorType() || elem.getTensorType().getRank() < 0
                || !indices.type().hasTensorType() || indices.type().getTensorType().getDimensionsCount() < 1) {
            return;
        }
        Dimension k = indices.type().getTensorType().getDimensions(0);
        TensorType e = elem.getTensorType();
        ValueType expected = ValueType.newBuilder().setTensorType(TensorType.newBuilder().setDataTypeValue(e.getDataTypeValue())
                .setRank(e.getRank() + 1).addDimensions(k).addAllDimensions(e.getDimensionsList())).build();
        if (!compatible(out, expected)) {
            problems.add(label + " output is " + describe(out) + ", gathering "
                    + (k.hasConstant() ? Long.toString(k.getConstant().getSize()) : "?") + " elements of "
                    + describe(elem) + " gives " + describe(expected));
        }
    }

    /** list_write and list_scatter return the list they were given: a list of the same element type. */
    private static void sameList(String label, ValueType out, ValueType elem, List<String> problems) {
        if (!out.hasListType()) {
            problems.add(label + " output must be a list, got " + describe(out));
        } else if (!(fits(out.getListType().getType(), elem) && fits(elem, out.getListType().getType()))) {
            problems.add(label + " output is a list of " + describe(out.getListType().getType())
                    + ", its input list holds " + describe(elem));
        }
    }
}
