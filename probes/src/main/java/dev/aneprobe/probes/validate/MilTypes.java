package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.mil.ImmediateValues;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MIL value types and const values as the validator reads them: short descriptions for messages, static shapes,
 * the subtype relation between types, and the numbers, strings and flags held by small immediate consts.
 */
final class MilTypes {
    private MilTypes() {
    }

    /** The element type each dtype string names (make_list's and cast's {@code dtype}: "fp16", "int32", ...). */
    private static final Map<String, DataType> DTYPE_NAMES = Map.ofEntries(
            Map.entry("bool", DataType.BOOL), Map.entry("string", DataType.STRING),
            Map.entry("fp16", DataType.FLOAT16), Map.entry("fp32", DataType.FLOAT32),
            Map.entry("fp64", DataType.FLOAT64),
            Map.entry("int4", DataType.INT4), Map.entry("int8", DataType.INT8), Map.entry("int16", DataType.INT16),
            Map.entry("int32", DataType.INT32), Map.entry("int64", DataType.INT64),
            Map.entry("uint1", DataType.UINT1), Map.entry("uint2", DataType.UINT2), Map.entry("uint3", DataType.UINT3),
            Map.entry("uint4", DataType.UINT4), Map.entry("uint6", DataType.UINT6), Map.entry("uint8", DataType.UINT8),
            Map.entry("uint16", DataType.UINT16), Map.entry("uint32", DataType.UINT32),
            Map.entry("uint64", DataType.UINT64));

    /** The element type a dtype string names, or null. */
    static DataType dtypeNamed(String name) {
        return DTYPE_NAMES.get(name);
    }

    /** A short text for a value type, e.g. "tensor<FLOAT16,[1,64,56,56]>". */
    static String describe(ValueType t) {
        if (t.hasTensorType()) {
            TensorType tt = t.getTensorType();
            StringBuilder sb = new StringBuilder("tensor<").append(tt.getDataType());
            if (tt.getRank() < 0) {
                return sb.append(",*>").toString();
            }
            sb.append(",[");
            for (int i = 0; i < tt.getDimensionsCount(); i++) {
                Dimension d = tt.getDimensions(i);
                sb.append(i == 0 ? "" : ",").append(d.hasConstant() ? Long.toString(d.getConstant().getSize()) : "?");
            }
            return sb.append("]>").toString();
        }
        if (t.hasListType()) {
            return "list";
        }
        if (t.hasTupleType()) {
            return "tuple";
        }
        if (t.hasDictionaryType()) {
            return "dictionary";
        }
        if (t.hasStateType()) {
            return "state";
        }
        return "no type";
    }

    /** The dimensions when all are constant and match the rank; null otherwise. */
    static List<Long> staticDims(TensorType t) {
        if (t.getRank() < 0 || t.getDimensionsCount() != t.getRank()) {
            return null;
        }
        List<Long> dims = new ArrayList<>();
        for (Dimension d : t.getDimensionsList()) {
            if (!d.hasConstant()) {
                return null;
            }
            dims.add(d.getConstant().getSize());
        }
        return dims;
    }

    /** The static dimensions of a tensor type; null for any other type or a shape not fully known. */
    static List<Long> staticDims(ValueType t) {
        return t != null && t.hasTensorType() ? staticDims(t.getTensorType()) : null;
    }

    static boolean isBoolScalar(ValueType t) {
        return t.hasTensorType() && t.getTensorType().getDataType() == DataType.BOOL
                && t.getTensorType().getRank() == 0;
    }

    /**
     * Whether a value of type {@code a} may stand where type {@code b} is declared: tensors of the same element
     * type and rank whose dimensions agree wherever {@code b} fixes one ({@code b} may leave a dimension, or its
     * whole rank, unknown); lists whose element types fit likewise (their lengths are not compared); any other
     * types only when equal. This is MIL's subtype relation, in which a static shape fits a shape with unknowns.
     */
    static boolean fits(ValueType a, ValueType b) {
        if (a.hasTensorType() && b.hasTensorType()) {
            TensorType ta = a.getTensorType();
            TensorType tb = b.getTensorType();
            if (ta.getDataType() != tb.getDataType()) {
                return false;
            }
            if (tb.getRank() < 0) {
                return true;
            }
            if (ta.getRank() != tb.getRank() || ta.getDimensionsCount() != tb.getDimensionsCount()) {
                return false;
            }
            for (int i = 0; i < tb.getDimensionsCount(); i++) {
                Dimension db = tb.getDimensions(i);
                Dimension da = ta.getDimensions(i);
                if (db.hasConstant() && !(da.hasConstant() && da.getConstant().getSize() == db.getConstant().getSize())) {
                    return false;
                }
            }
            return true;
        }
        if (a.hasListType() && b.hasListType()) {
            return fits(a.getListType().getType(), b.getListType().getType());
        }
        return a.equals(b);
    }

    /**
     * Whether two tensor types can describe the same value: same element type and, when both ranks are known, the
     * same rank with equal sizes wherever both fix a dimension.
     */
    static boolean compatible(ValueType a, ValueType b) {
        if (!a.hasTensorType() || !b.hasTensorType()) {
            return a.equals(b);
        }
        TensorType ta = a.getTensorType();
        TensorType tb = b.getTensorType();
        if (ta.getDataType() != tb.getDataType()) {
            return false;
        }
        if (ta.getRank() < 0 || tb.getRank() < 0) {
            return true;
        }
        if (ta.getRank() != tb.getRank() || ta.getDimensionsCount() != tb.getDimensionsCount()) {
            return false;
        }
        for (int i = 0; i < ta.getDimensionsCount(); i++) {
            Dimension da = ta.getDimensions(i);
            Dimension db = tb.getDimensions(i);
            if (da.hasConstant() && db.hasConstant() && da.getConstant().getSize() != db.getConstant().getSize()) {
                return false;
            }
        }
        return true;
    }

    /** A tensor type of the given element type and dimensions; a negative size stands for an unknown dimension. */
    static ValueType tensor(DataType type, List<Long> dims) {
        TensorType.Builder t = TensorType.newBuilder().setDataType(type).setRank(dims.size());
        for (long d : dims) {
            t.addDimensions(d < 0 ? Dimension.newBuilder().setUnknown(Dimension.UnknownDimension.getDefaultInstance())
                    : Dimension.newBuilder().setConstant(Dimension.ConstantDimension.newBuilder().setSize(d)));
        }
        return ValueType.newBuilder().setTensorType(t).build();
    }

    // ---------------------------------------------------------------- const values

    /**
     * The integers an immediate integer tensor holds, read from the field its type is written in
     * ({@link ImmediateValues#field}: INT16/UINT16/INT32 as ints (INT16/UINT16 also as 2-byte bytes), INT64/UINT64 as long ints, INT8/UINT8/UINT32 as
     * raw little-endian bytes), in order; null for anything else (a value in the weight file, in another field, a
     * float, a string, a sub-byte type).
     */
    static long[] integers(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor() || !v.getType().hasTensorType()) {
            return null;
        }
        TensorValue tv = v.getImmediateValue().getTensor();
        DataType type = v.getType().getTensorType().getDataType();
        if (tv.getValueCase() != ImmediateValues.field(type) && tv.getValueCase() != ImmediateValues.alsoRead(type)) {
            return null;
        }
        switch (tv.getValueCase()) {
            case INTS -> {
                long[] out = new long[tv.getInts().getValuesCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = tv.getInts().getValues(i);
                }
                return out;
            }
            case LONGINTS -> {
                long[] out = new long[tv.getLongInts().getValuesCount()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = tv.getLongInts().getValues(i);
                }
                return out;
            }
            case BYTES -> {
                byte[] raw = tv.getBytes().getValues().toByteArray();
                if (type == DataType.INT16 || type == DataType.UINT16) {
                    if (raw.length % 2 != 0) {
                        return null;
                    }
                    ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    long[] out = new long[raw.length / 2];
                    for (int i = 0; i < out.length; i++) {
                        short s = le.getShort();
                        out[i] = type == DataType.INT16 ? s : s & 0xffffL;
                    }
                    return out;
                }
                if (type == DataType.UINT32) {
                    if (raw.length % 4 != 0) {
                        return null;
                    }
                    ByteBuffer le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
                    long[] out = new long[raw.length / 4];
                    for (int i = 0; i < out.length; i++) {
                        out[i] = le.getInt() & 0xffffffffL;
                    }
                    return out;
                }
                if (type != DataType.INT8 && type != DataType.UINT8) {
                    return null;
                }
                long[] out = new long[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    out[i] = type == DataType.INT8 ? raw[i] : raw[i] & 0xff;
                }
                return out;
            }
            default -> {
                return null;
            }
        }
    }

    /** The single integer of an immediate integer scalar (or one-element tensor), or null. */
    static Long integer(Value v) {
        long[] all = integers(v);
        return all != null && all.length == 1 ? all[0] : null;
    }

    /** The text of an immediate STRING scalar, or null. */
    static String string(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor()) {
            return null;
        }
        TensorValue tv = v.getImmediateValue().getTensor();
        return tv.hasStrings() && tv.getStrings().getValuesCount() == 1 ? tv.getStrings().getValues(0) : null;
    }

    /** The flag of an immediate BOOL scalar, or null. */
    static Boolean bool(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor()) {
            return null;
        }
        TensorValue tv = v.getImmediateValue().getTensor();
        return tv.hasBools() && tv.getBools().getValuesCount() == 1 ? tv.getBools().getValues(0) : null;
    }
}
