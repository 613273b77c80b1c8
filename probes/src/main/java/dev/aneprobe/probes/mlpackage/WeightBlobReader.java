package dev.aneprobe.probes.mlpackage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks the blob table of a MIL blob storage file (format version 2; layout in {@link WeightBlobWriter}).
 * Blobs are found the way Core ML finds them: the first metadata record is right after the header, and each next one
 * at the first multiple of 64 after the previous blob's data. Reserved fields are not checked (files written before
 * iOS 18 may hold anything there).
 */
public final class WeightBlobReader {
    private WeightBlobReader() {
    }

    /**
     * Every blob of the file, in file order.
     *
     * @throws PackageFormatException when the file is shorter than its header, its version is not 2, a metadata
     *         record lies past the end or lacks the sentinel, an offset is misaligned, a data offset is not its
     *         metadata offset + 64, data runs past the end, a dtype code is unknown, a sub-byte blob claims 8 or more
     *         unused bits, or the header's blob count disagrees with the blobs present
     */
    public static List<BlobEntry> read(byte[] file) throws PackageFormatException {
        final int align = WeightBlobWriter.ALIGNMENT;
        final int metaSize = WeightBlobWriter.METADATA_SIZE;
        long length = file.length;
        if (length < WeightBlobWriter.HEADER_SIZE) {
            throw new PackageFormatException("weight file is " + length + " bytes, shorter than its "
                    + WeightBlobWriter.HEADER_SIZE + "-byte header");
        }
        ByteBuffer buf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        long count = Integer.toUnsignedLong(buf.getInt(0));
        long version = Integer.toUnsignedLong(buf.getInt(4));
        if (version != WeightBlobWriter.VERSION) {
            throw new PackageFormatException("weight file has storage version " + version + ", expected "
                    + WeightBlobWriter.VERSION);
        }
        List<BlobEntry> entries = new ArrayList<>();
        long meta = WeightBlobWriter.HEADER_SIZE;
        for (long i = 0; i < count; i++) {
            if (meta >= length) {
                throw new PackageFormatException("blob count mismatch: header says " + count
                        + " blobs but the file ends after " + i);
            }
            if (meta + metaSize > length) {
                throw new PackageFormatException("blob " + i + " metadata at offset " + meta
                        + " runs past the end of the file (" + length + " bytes)");
            }
            int p = (int) meta;
            int sentinel = buf.getInt(p);
            if (sentinel != WeightBlobWriter.SENTINEL) {
                throw new PackageFormatException(String.format(
                        "blob %d metadata at offset %d has sentinel 0x%08X, expected 0xDEADBEEF", i, meta, sentinel));
            }
            long code = Integer.toUnsignedLong(buf.getInt(p + 4));
            long size = buf.getLong(p + 8);
            long data = buf.getLong(p + 16);
            long padding = buf.getLong(p + 24);
            Optional<BlobDataType> type = code > Integer.MAX_VALUE ? Optional.empty()
                    : BlobDataType.fromCode((int) code);
            if (type.isEmpty()) {
                throw new PackageFormatException("blob " + i + " at offset " + meta + " has unknown dtype code "
                        + code);
            }
            if (Long.remainderUnsigned(data, align) != 0) {
                throw new PackageFormatException("blob " + i + " at offset " + meta + " has data offset "
                        + Long.toUnsignedString(data) + ", not a multiple of " + align);
            }
            if (data != meta + metaSize) {
                throw new PackageFormatException("blob " + i + " at offset " + meta + " has data offset "
                        + Long.toUnsignedString(data) + ", expected " + (meta + metaSize));
            }
            if (size < 0 || size > length - data) {
                throw new PackageFormatException("blob " + i + " at offset " + meta + " has "
                        + Long.toUnsignedString(size) + " data bytes from offset " + data
                        + ", past the end of the file (" + length + " bytes)");
            }
            if (type.get().subByte() && Long.compareUnsigned(padding, 8) >= 0) {
                throw new PackageFormatException("blob " + i + " at offset " + meta + " claims "
                        + Long.toUnsignedString(padding) + " unused bits; a sub-byte blob has at most 7");
            }
            entries.add(new BlobEntry(meta, type.get(), data, size, padding));
            long end = data + size;
            meta = end + (align - end % align) % align;
        }
        if (meta + metaSize <= length && buf.getInt((int) meta) == WeightBlobWriter.SENTINEL) {
            throw new PackageFormatException("blob count mismatch: header says " + count
                    + " blobs but another blob metadata record follows at offset " + meta);
        }
        return List.copyOf(entries);
    }
}
