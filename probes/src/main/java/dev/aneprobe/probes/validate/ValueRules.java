package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.MilTypes.describe;
import static dev.aneprobe.probes.validate.MilTypes.staticDims;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.DictionaryValue;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.mil.ImmediateValues;
import java.util.List;

/**
 * Checks a MIL value against its declared type: it holds data (immediate, or in a weight file), an immediate
 * tensor keeps its elements in the {@code TensorValue} field its element type is written in
 * ({@link ImmediateValues#field}: UINT32 as raw little-endian bytes, INT16 as ints, ...; a value in any other field
 * is one coremltools cannot read back) and holds as many elements as its static shape declares (for {@code bytes},
 * as many bytes as the packed elements need); literal lists, tuples and dictionaries hold elements of their
 * declared types, each checked the same way. A value in a weight file is checked by the package checker.
 */
final class ValueRules {
    private ValueRules() {
    }

    /** Adds one problem per finding, each naming {@code what}. */
    static void check(Value v, String what, List<String> problems) {
        if (v.hasBlobFileValue()) {
            return;
        }
        if (!v.hasImmediateValue()) {
            problems.add(what + " holds no value (neither immediate nor blob file)");
            return;
        }
        Value.ImmediateValue imm = v.getImmediateValue();
        ValueType type = v.getType();
        if (type.hasListType() || imm.hasList()) {
            list(v, what, problems);
        } else if (type.hasTensorType()) {
            if (!imm.hasTensor()) {
                problems.add(what + " is declared " + describe(type) + " but holds " + held(imm));
                return;
            }
            tensor(type, imm.getTensor(), what, problems);
        } else if (type.hasDictionaryType() && imm.hasDictionary()) {
            dictionary(v, what, problems);
        } else if (type.hasTupleType() && imm.hasTuple()) {
            List<ValueType> types = type.getTupleType().getTypesList();
            List<Value> values = imm.getTuple().getValuesList();
            if (types.size() != values.size()) {
                problems.add(what + " declares a tuple of " + types.size() + " but holds " + count(values.size()));
                return;
            }
            for (int i = 0; i < values.size(); i++) {
                element(values.get(i), types.get(i), what + " element " + i, "the tuple declares", problems);
            }
        }
    }

    private static void tensor(ValueType declared, TensorValue tv, String what, List<String> problems) {
        TensorType t = declared.getTensorType();
        DataType type = t.getDataType();
        TensorValue.ValueCase expected = ImmediateValues.field(type);
        TensorValue.ValueCase actual = tv.getValueCase();
        if (actual == TensorValue.ValueCase.VALUE_NOT_SET) {
            problems.add(what + " holds no data (no TensorValue field is set"
                    + (expected == TensorValue.ValueCase.VALUE_NOT_SET ? ")"
                    : "; " + type + " values belong in '" + ImmediateValues.fieldName(expected) + "')"));
            return;
        }
        if (expected != TensorValue.ValueCase.VALUE_NOT_SET && actual != expected
                && actual != ImmediateValues.alsoRead(type)) {
            problems.add(what + " is " + type + " but its values are in '" + ImmediateValues.fieldName(actual) + "'; "
                    + type + " values belong in '" + ImmediateValues.fieldName(expected) + "'"
                    + (expected == TensorValue.ValueCase.BYTES ? " (raw little-endian)" : "")
                    + ", as coremltools writes and reads them");
            return;
        }
        List<Long> dims = staticDims(t);
        if (dims == null) {
            if (t.getRank() >= 0 && t.getDimensionsCount() != t.getRank()) {
                problems.add(what + " declares rank " + t.getRank() + " but " + t.getDimensionsCount() + " dimensions");
            }
            return;
        }
        long elements = 1;
        for (long d : dims) {
            if (d < 0) {
                problems.add(what + " declares a negative dimension " + d);
                return;
            }
            elements = multiply(elements, d);
        }
        long stored = ImmediateValues.storedCount(tv);
        if (actual == TensorValue.ValueCase.BYTES) {
            int bits = bitsInBytes(type);
            if (bits == 0) {
                return;
            }
            long totalBits = multiply(elements, bits);
            long need = totalBits > Long.MAX_VALUE - 7 ? Long.MAX_VALUE : (totalBits + 7) / 8;
            if (stored != need) {
                problems.add(what + " holds " + stored + " bytes (" + type + " needs " + need + ") but its type "
                        + describe(declared) + " needs " + count(elements));
            }
        } else if (stored != elements) {
            problems.add(what + " holds " + count(stored) + " but its type " + describe(declared) + " needs "
                    + count(elements));
        }
    }

    private static void list(Value v, String what, List<String> problems) {
        if (!v.getType().hasListType() || !v.getImmediateValue().hasList()) {
            problems.add(what + " is declared " + describe(v.getType()) + " but holds " + held(v.getImmediateValue()));
            return;
        }
        List<Value> values = v.getImmediateValue().getList().getValuesList();
        Dimension length = v.getType().getListType().getLength();
        if (length.hasConstant() && length.getConstant().getSize() != values.size()) {
            problems.add(what + " declares a list of " + length.getConstant().getSize() + " but holds "
                    + count(values.size()));
        }
        ValueType elem = v.getType().getListType().getType();
        for (int i = 0; i < values.size(); i++) {
            if (!element(values.get(i), elem, what + " element " + i, "the list holds", problems)) {
                return;
            }
        }
    }

    private static void dictionary(Value v, String what, List<String> problems) {
        ValueType keyType = v.getType().getDictionaryType().getKeyType();
        ValueType valueType = v.getType().getDictionaryType().getValueType();
        List<DictionaryValue.KeyValuePair> pairs = v.getImmediateValue().getDictionary().getValuesList();
        for (int i = 0; i < pairs.size(); i++) {
            if (!element(pairs.get(i).getKey(), keyType, what + " key " + i, "the dictionary's keys are", problems)
                    || !element(pairs.get(i).getValue(), valueType, what + " value " + i,
                            "the dictionary's values are", problems)) {
                return;
            }
        }
    }

    /** One element of a literal container: its declared type, then its own value. False when its type is wrong. */
    private static boolean element(Value e, ValueType declared, String what, String context, List<String> problems) {
        if (!e.getType().equals(declared)) {
            problems.add(what + " is " + describe(e.getType()) + ", " + context + " " + describe(declared));
            return false;
        }
        check(e, what, problems);
        return true;
    }

    private static String held(Value.ImmediateValue imm) {
        return switch (imm.getValueCase()) {
            case TENSOR -> "a tensor";
            case TUPLE -> "a tuple";
            case LIST -> "a list";
            case DICTIONARY -> "a dictionary";
            default -> "no value";
        };
    }

    /**
     * Bits per element in {@code bytes}: as written ({@link ImmediateValues#bitsInBytes}), and for the types
     * coremltools has no immediate form for, their natural width; 0 when unknown.
     */
    private static int bitsInBytes(DataType type) {
        int bits = ImmediateValues.bitsInBytes(type);
        if (bits > 0) {
            return bits;
        }
        return switch (type) {
            case BFLOAT16, INT16, UINT16 -> 16;
            case FLOAT8E4M3FN, FLOAT8E5M2 -> 8;
            default -> 0;
        };
    }

    private static long multiply(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static String count(long n) {
        return n + " element" + (n == 1 ? "" : "s");
    }
}
