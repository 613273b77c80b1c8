package dev.aneprobe.probes.mlpackage;

import dev.aneprobe.probes.coreml.mil.DataType;
import java.util.Optional;

/**
 * Element type codes of MIL blob storage (the {@code mil_dtype} field of a weight-file metadata record), with the
 * width of one element and the ML Program {@link DataType} each one stores. The codes are part of the file format
 * and never change.
 */
public enum BlobDataType {
    FLOAT16(1, 16, DataType.FLOAT16),
    FLOAT32(2, 32, DataType.FLOAT32),
    UINT8(3, 8, DataType.UINT8),
    INT8(4, 8, DataType.INT8),
    BFLOAT16(5, 16, DataType.BFLOAT16),
    INT16(6, 16, DataType.INT16),
    UINT16(7, 16, DataType.UINT16),
    INT4(8, 4, DataType.INT4),
    UINT1(9, 1, DataType.UINT1),
    UINT2(10, 2, DataType.UINT2),
    UINT4(11, 4, DataType.UINT4),
    UINT3(12, 3, DataType.UINT3),
    UINT6(13, 6, DataType.UINT6),
    INT32(14, 32, DataType.INT32),
    UINT32(15, 32, DataType.UINT32),
    FLOAT8E4M3FN(16, 8, DataType.FLOAT8E4M3FN),
    FLOAT8E5M2(17, 8, DataType.FLOAT8E5M2);

    private final int code;
    private final int bits;
    private final DataType milType;

    BlobDataType(int code, int bits, DataType milType) {
        this.code = code;
        this.bits = bits;
        this.milType = milType;
    }

    /** The value written in the metadata record's {@code mil_dtype} field. */
    public int code() {
        return code;
    }

    /** Bits per element: 1, 2, 3, 4 or 6 for the sub-byte types, otherwise 8, 16 or 32. */
    public int bitsPerElement() {
        return bits;
    }

    /** True for types narrower than a byte; only their blobs carry a non-zero {@code padding_size_in_bits}. */
    public boolean subByte() {
        return bits < 8;
    }

    /** The ML Program element type this blob type stores. */
    public DataType milType() {
        return milType;
    }

    /** The type with this code, or empty for a code the format does not define. */
    public static Optional<BlobDataType> fromCode(int code) {
        for (BlobDataType t : values()) {
            if (t.code == code) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * The blob type that stores tensors of the given ML Program element type; empty for types a weight file cannot
     * hold (BOOL, STRING, FLOAT64, INT64, UINT64, UNUSED_TYPE).
     */
    public static Optional<BlobDataType> forMilType(DataType type) {
        for (BlobDataType t : values()) {
            if (t.milType == type) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Bytes needed for {@code elements} elements: elements × bits / 8, rounded up. */
    public long bytesFor(long elements) {
        return Math.addExact(Math.multiplyExact(elements, (long) bits), 7L) / 8L;
    }
}
