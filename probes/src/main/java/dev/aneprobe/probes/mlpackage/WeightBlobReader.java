package dev.aneprobe.probes.mlpackage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads and checks the blob table of a MIL blob storage file (format version 2; layout in {@link WeightBlobWriter}).
 * Blobs are found the way Core ML finds them: the first metadata record is right after the header, and each next one
 * at the first multiple of 64 after the previous blob's data. Reserved fields are not checked (files written before
 * iOS 18 may hold anything there).
 *
 * <p>Only the 64-byte header and metadata records are read, never the blob data: a weight file can legitimately be
 * several GB, so files are read by position ({@link #index(Path, Set)}) and only the blobs a program refers to are
 * kept in memory.
 */
public final class WeightBlobReader {
    /** How many blob offsets {@link Index#firstOffsets()} keeps, for messages. */
    public static final int OFFSETS_KEPT = 8;

    private WeightBlobReader() {
    }

    /**
     * The blobs of a weight file that a program refers to, and enough about the rest for messages.
     *
     * @param wanted       the blobs whose metadata offset was asked for, by offset (those present)
     * @param firstOffsets the metadata offsets of the first {@link #OFFSETS_KEPT} blobs (or fewer)
     * @param count        how many blobs the file holds
     */
    public record Index(Map<Long, BlobEntry> wanted, List<Long> firstOffsets, long count) {
        public Index {
            wanted = Map.copyOf(wanted);
            firstOffsets = List.copyOf(firstOffsets);
        }
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
        List<BlobEntry> entries = new ArrayList<>();
        try {
            scan(new ArraySource(file), entries::add);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
        return List.copyOf(entries);
    }

    /** The blobs of an in-memory weight file at the {@code wanted} offsets (checked as {@link #read(byte[])}). */
    public static Index index(byte[] file, Set<Long> wanted) throws PackageFormatException {
        try {
            return index(new ArraySource(file), wanted);
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /**
     * The blobs of a weight file on disk at the {@code wanted} offsets, reading only its header and metadata records
     * (checked as {@link #read(byte[])}). The caller makes sure {@code file} is a regular file.
     *
     * @throws IOException when the file cannot be read
     */
    public static Index index(Path file, Set<Long> wanted) throws IOException, PackageFormatException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return index(new ChannelSource(channel), wanted);
        }
    }

    private static Index index(Source source, Set<Long> wanted) throws IOException, PackageFormatException {
        Map<Long, BlobEntry> found = new HashMap<>();
        List<Long> first = new ArrayList<>();
        long[] count = {0};
        scan(source, e -> {
            if (wanted.contains(e.metadataOffset())) {
                found.put(e.metadataOffset(), e);
            }
            if (first.size() < OFFSETS_KEPT) {
                first.add(e.metadataOffset());
            }
            count[0]++;
        });
        return new Index(found, first, count[0]);
    }

    private static void scan(Source source, Consumer<BlobEntry> sink) throws IOException, PackageFormatException {
        final int align = WeightBlobWriter.ALIGNMENT;
        final int metaSize = WeightBlobWriter.METADATA_SIZE;
        long length = source.length();
        if (length < WeightBlobWriter.HEADER_SIZE) {
            throw new PackageFormatException("weight file is " + length + " bytes, shorter than its "
                    + WeightBlobWriter.HEADER_SIZE + "-byte header");
        }
        Records records = new Records(source);
        ByteBuffer header = records.at(0);
        long count = Integer.toUnsignedLong(header.getInt(0));
        long version = Integer.toUnsignedLong(header.getInt(4));
        if (version != WeightBlobWriter.VERSION) {
            throw new PackageFormatException("weight file has storage version " + version + ", expected "
                    + WeightBlobWriter.VERSION);
        }
        long meta = WeightBlobWriter.HEADER_SIZE;
        // Each blob moves `meta` on by at least 64 bytes, so this loop ends within length / 64 steps whatever the count.
        for (long i = 0; i < count; i++) {
            if (meta >= length) {
                throw new PackageFormatException("blob count mismatch: header says " + count
                        + " blobs but the file ends after " + i);
            }
            if (meta + metaSize > length) {
                throw new PackageFormatException("blob " + i + " metadata at offset " + meta
                        + " runs past the end of the file (" + length + " bytes)");
            }
            ByteBuffer record = records.at(meta);
            int sentinel = record.getInt(0);
            if (sentinel != WeightBlobWriter.SENTINEL) {
                throw new PackageFormatException(String.format(
                        "blob %d metadata at offset %d has sentinel 0x%08X, expected 0xDEADBEEF", i, meta, sentinel));
            }
            long code = Integer.toUnsignedLong(record.getInt(4));
            long size = record.getLong(8);
            long data = record.getLong(16);
            long padding = record.getLong(24);
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
            sink.accept(new BlobEntry(meta, type.get(), data, size, padding));
            long end = data + size;
            meta = end + (align - end % align) % align;
        }
        if (meta + metaSize <= length && records.at(meta).getInt(0) == WeightBlobWriter.SENTINEL) {
            throw new PackageFormatException("blob count mismatch: header says " + count
                    + " blobs but another blob metadata record follows at offset " + meta);
        }
    }

    /** Random access to the bytes of a weight file. */
    private interface Source {
        long length() throws IOException;

        /** Fills {@code dst} from {@code position} on; the caller stays within {@link #length()}. */
        void read(long position, ByteBuffer dst) throws IOException;
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public long length() {
            return bytes.length;
        }

        @Override
        public void read(long position, ByteBuffer dst) {
            dst.put(bytes, (int) position, dst.remaining());
        }
    }

    private record ChannelSource(FileChannel channel) implements Source {
        @Override
        public long length() throws IOException {
            return channel.size();
        }

        @Override
        public void read(long position, ByteBuffer dst) throws IOException {
            long at = position;
            while (dst.hasRemaining()) {
                int n = channel.read(dst, at);
                if (n < 0) {
                    throw new IOException("the file ended at " + at + " while it was being read (did it shrink?)");
                }
                at += n;
            }
        }
    }

    /**
     * 64-byte records read through a window, so a file of many small blobs is read sequentially in large pieces while
     * large blobs are skipped without reading their data.
     */
    private static final class Records {
        private static final int WINDOW = 1 << 16;
        private final Source source;
        private final long length;
        private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
        private long windowStart = -1;
        private int windowLength;

        Records(Source source) throws IOException {
            this.source = source;
            this.length = source.length();
        }

        /** The 64 bytes (or fewer, at the end of the file) from {@code position}, little-endian, indexed from 0. */
        ByteBuffer at(long position) throws IOException {
            int size = WeightBlobWriter.METADATA_SIZE;
            if (windowStart < 0 || position < windowStart || position + size > windowStart + windowLength) {
                windowLength = (int) Math.min(WINDOW, length - position);
                window.clear().limit(windowLength);
                source.read(position, window);
                windowStart = position;
            }
            int from = (int) (position - windowStart);
            return window.duplicate().position(from).limit(Math.min(from + size, windowLength)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
