package dev.aneprobe.probes.mil;

import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.TensorValue;

/**
 * Which {@code TensorValue} field holds an immediate tensor value of each element type — the one place this fact
 * lives; the builder ({@link MilNet}) writes by it and the validator checks by it. It follows coremltools'
 * serialization, which Core ML's MIL parser reads back from the same field:
 *
 * <ul>
 *   <li>FLOAT32 in {@code floats}, FLOAT64 in {@code doubles};</li>
 *   <li>INT16, UINT16 and INT32 in {@code ints} (int32 values; coremltools means to move INT16/UINT16 to bytes once
 *       Core ML reads them there, which it did not when this was written);</li>
 *   <li>INT64 and UINT64 in {@code longInts};</li>
 *   <li>BOOL in {@code bools}, STRING in {@code strings};</li>
 *   <li>FLOAT16, INT8, UINT8, UINT32, INT4 and UINT1/2/3/4/6 in {@code bytes}: one byte string of the raw
 *       little-endian elements, the sub-byte types packed least-significant bit first with the last byte
 *       zero-padded.</li>
 * </ul>
 *
 * An empty tensor (a dimension of 0) has the same field set, with no elements. BFLOAT16 and the 8-bit float types
 * have no immediate form in coremltools (it cannot write them at all), so no field is prescribed for them.
 */
public final class ImmediateValues {
    private ImmediateValues() {
    }

    /** The field an immediate tensor of {@code type} is written in, or {@code VALUE_NOT_SET} when none is known. */
    public static TensorValue.ValueCase field(DataType type) {
        return switch (type) {
            case FLOAT32 -> TensorValue.ValueCase.FLOATS;
            case FLOAT64 -> TensorValue.ValueCase.DOUBLES;
            case INT16, UINT16, INT32 -> TensorValue.ValueCase.INTS;
            case INT64, UINT64 -> TensorValue.ValueCase.LONGINTS;
            case BOOL -> TensorValue.ValueCase.BOOLS;
            case STRING -> TensorValue.ValueCase.STRINGS;
            case FLOAT16, INT8, UINT8, UINT32, INT4, UINT1, UINT2, UINT3, UINT4, UINT6 -> TensorValue.ValueCase.BYTES;
            default -> TensorValue.ValueCase.VALUE_NOT_SET;
        };
    }

    /**
     * A second field a reader must accept an immediate tensor of {@code type} in, or {@code VALUE_NOT_SET}: INT16
     * and UINT16 may also be raw little-endian {@code bytes} (2 bytes each). coremltools writes them in {@code ints}
     * only because Core ML's MIL reader did not yet read them from {@code bytes}; its serializer marks moving them
     * to {@code bytes} as the intended form once it does. A newer Core ML that reads them there would accept such a
     * model, and aneprobe cannot tell which Core ML will load it, so check accepts both (never calls a model Core ML
     * may accept INVALID); aneprobe itself writes {@code ints}, which every version reads.
     */
    public static TensorValue.ValueCase alsoRead(DataType type) {
        return type == DataType.INT16 || type == DataType.UINT16 ? TensorValue.ValueCase.BYTES
                : TensorValue.ValueCase.VALUE_NOT_SET;
    }

    /** The field's name as the format spells it ({@code floats}, {@code longInts}, ...), for messages. */
    public static String fieldName(TensorValue.ValueCase field) {
        return switch (field) {
            case FLOATS -> "floats";
            case INTS -> "ints";
            case BOOLS -> "bools";
            case STRINGS -> "strings";
            case LONGINTS -> "longInts";
            case DOUBLES -> "doubles";
            case BYTES -> "bytes";
            default -> "no field";
        };
    }

    /** Bits one element takes in the {@code bytes} field (1..32); 0 for a type not written as bytes. */
    public static int bitsInBytes(DataType type) {
        return switch (type) {
            case UINT1 -> 1;
            case UINT2 -> 2;
            case UINT3 -> 3;
            case INT4, UINT4 -> 4;
            case UINT6 -> 6;
            case INT8, UINT8 -> 8;
            case FLOAT16 -> 16;
            case UINT32 -> 32;
            default -> 0;
        };
    }

    /** The element count the set field holds; for {@code bytes}, its length in bytes. */
    public static long storedCount(TensorValue value) {
        return switch (value.getValueCase()) {
            case FLOATS -> value.getFloats().getValuesCount();
            case INTS -> value.getInts().getValuesCount();
            case BOOLS -> value.getBools().getValuesCount();
            case STRINGS -> value.getStrings().getValuesCount();
            case LONGINTS -> value.getLongInts().getValuesCount();
            case DOUBLES -> value.getDoubles().getValuesCount();
            case BYTES -> value.getBytes().getValues().size();
            default -> 0;
        };
    }
}
