package dev.aneprobe.probes.mlpackage;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Builds a MIL blob storage file ({@code weight.bin}, format version 2, little-endian) in memory.
 *
 * <p>Layout: a 64-byte header (blob count, version 2, reserved zeros); then, per blob, a 64-byte metadata record at
 * the next multiple of 64 (sentinel {@code 0xDEADBEEF}, dtype code, size in bytes, absolute data offset, unused
 * bits, reserved zeros) immediately followed by the data. The first metadata record is at 64 and its data at 128.
 * Gaps before a record are zero bytes and the file ends right after the last blob's data, so the same blobs always
 * give the same bytes.
 */
public final class WeightBlobWriter {
    static final int ALIGNMENT = 64;
    static final int HEADER_SIZE = 64;
    static final int METADATA_SIZE = 64;
    static final int SENTINEL = 0xDEADBEEF;
    static final int VERSION = 2;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int count;

    public WeightBlobWriter() {
        body.writeBytes(new byte[HEADER_SIZE]); // header placeholder; toBytes fills in the count and version
    }

    /**
     * Appends a blob whose every bit is used: for byte-wide types {@code data.length} must be a whole number of
     * elements; for sub-byte types the blob records zero unused bits.
     *
     * @return the offset of the blob's metadata record, the value for {@code BlobFileValue.offset}
     */
    public long add(BlobDataType type, byte[] data) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (!type.subByte()) {
            int width = type.bitsPerElement() / 8;
            if (data.length % width != 0) {
                throw new IllegalArgumentException(data.length + " bytes is not a whole number of " + type
                        + " elements");
            }
        }
        return append(type, data, 0);
    }

    /**
     * Appends a blob of {@code elementCount} elements. {@code data.length} must equal elementCount × bits / 8
     * rounded up; for sub-byte types the unused high bits of the last byte are recorded as padding.
     *
     * @return the offset of the blob's metadata record
     */
    public long add(BlobDataType type, byte[] data, long elementCount) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (elementCount < 0) {
            throw new IllegalArgumentException("negative element count " + elementCount);
        }
        long needed = type.bytesFor(elementCount);
        if (data.length != needed) {
            throw new IllegalArgumentException(elementCount + " " + type + " elements need " + needed
                    + " bytes, got " + data.length);
        }
        long usedBits = elementCount * type.bitsPerElement();
        long padding = type.subByte() ? needed * 8 - usedBits : 0;
        return append(type, data, padding);
    }

    /** Number of blobs added so far. */
    public int count() {
        return count;
    }

    private long append(BlobDataType type, byte[] data, long paddingBits) {
        int gap = (ALIGNMENT - body.size() % ALIGNMENT) % ALIGNMENT;
        body.writeBytes(new byte[gap]);
        long metadataOffset = body.size();
        long dataOffset = metadataOffset + METADATA_SIZE;
        ByteBuffer meta = ByteBuffer.allocate(METADATA_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        meta.putInt(SENTINEL);
        meta.putInt(type.code());
        meta.putLong(data.length);
        meta.putLong(dataOffset);
        meta.putLong(paddingBits);
        // the four reserved fields stay zero
        body.writeBytes(meta.array());
        body.writeBytes(data);
        count++;
        return metadataOffset;
    }

    /** The complete file as it stands: header with the current count, then every blob added so far. */
    public byte[] toBytes() {
        byte[] out = body.toByteArray();
        ByteBuffer header = ByteBuffer.wrap(out, 0, HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(count);
        header.putInt(VERSION);
        return out;
    }
}
