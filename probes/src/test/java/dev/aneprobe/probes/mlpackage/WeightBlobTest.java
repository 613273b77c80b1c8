package dev.aneprobe.probes.mlpackage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.mil.DataType;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightBlobTest {

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    private static String zeros(int bytes) {
        return "00".repeat(bytes);
    }

    @Test
    void dtypeCodesWidthsAndMilMapping() {
        assertEquals(17, BlobDataType.values().length);
        int[] bits = {16, 32, 8, 8, 16, 16, 16, 4, 1, 2, 4, 3, 6, 32, 32, 8, 8};
        for (int code = 1; code <= 17; code++) {
            BlobDataType t = BlobDataType.fromCode(code).orElseThrow();
            assertEquals(code, t.code());
            assertEquals(bits[code - 1], t.bitsPerElement(), t.name());
            assertEquals(Optional.of(t), BlobDataType.forMilType(t.milType()));
        }
        assertEquals(Optional.empty(), BlobDataType.fromCode(0));
        assertEquals(Optional.empty(), BlobDataType.fromCode(18));
        assertEquals(BlobDataType.FLOAT16, BlobDataType.forMilType(DataType.FLOAT16).orElseThrow());
        assertEquals(BlobDataType.UINT8, BlobDataType.forMilType(DataType.UINT8).orElseThrow());
        assertEquals(BlobDataType.INT32, BlobDataType.forMilType(DataType.INT32).orElseThrow());
        assertEquals(BlobDataType.UINT3, BlobDataType.forMilType(DataType.UINT3).orElseThrow());
        for (DataType notStorable : List.of(DataType.UNUSED_TYPE, DataType.BOOL, DataType.STRING,
                DataType.FLOAT64, DataType.INT64, DataType.UINT64)) {
            assertEquals(Optional.empty(), BlobDataType.forMilType(notStorable), notStorable.name());
        }
        assertEquals(2, BlobDataType.UINT3.bytesFor(5)); // 15 bits
        assertEquals(0, BlobDataType.FLOAT32.bytesFor(0));
    }

    @Test
    void goldenTinyFile() {
        WeightBlobWriter w = new WeightBlobWriter();
        assertEquals(64, w.add(BlobDataType.FLOAT16, hex("003C 0040")));      // 1.0, 2.0
        assertEquals(192, w.add(BlobDataType.UINT4, hex("21 03"), 3));        // 1, 2, 3 and 4 unused bits
        String expected = ""
                + "02000000 02000000" + zeros(56)                                  // header: 2 blobs, version 2
                + "EFBEADDE 01000000 0400000000000000 8000000000000000 0000000000000000" + zeros(32)
                + "003C0040" + zeros(60)                                           // data at 128, gap to 192
                + "EFBEADDE 0B000000 0200000000000000 0001000000000000 0400000000000000" + zeros(32)
                + "2103";                                                          // data at 256, file ends
        assertEquals(HexFormat.of().formatHex(hex(expected)), HexFormat.of().formatHex(w.toBytes()));
        assertEquals(258, w.toBytes().length);
    }

    @Test
    void emptyWriterIsAHeaderOnly() throws PackageFormatException {
        byte[] b = new WeightBlobWriter().toBytes();
        assertArrayEquals(hex("00000000 02000000" + zeros(56)), b);
        assertEquals(List.of(), WeightBlobReader.read(b));
    }

    private static byte[] filled(int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) n);
        return a;
    }

    /** FLOAT32 x10 (40 bytes), FLOAT16 x32 (64 bytes, ends on a boundary), INT8 x1, INT32 x3, BFLOAT16 x100. */
    private static final List<BlobDataType> TYPES = List.of(BlobDataType.FLOAT32, BlobDataType.FLOAT16,
            BlobDataType.INT8, BlobDataType.INT32, BlobDataType.BFLOAT16);
    private static final int[] SIZES = {40, 64, 1, 12, 200};

    @Test
    void roundTripSeveralDtypes() throws PackageFormatException {
        WeightBlobWriter w = new WeightBlobWriter();
        long[] offsets = new long[SIZES.length];
        for (int i = 0; i < SIZES.length; i++) {
            offsets[i] = w.add(TYPES.get(i), filled(SIZES[i]));
        }
        // 64 +64 meta +40 data = 168 -> 192; +64+64 = 320; +64+1 = 385 -> 448; +64+12 = 524 -> 576
        assertArrayEquals(new long[] {64, 192, 320, 448, 576}, offsets);
        assertEquals(5, w.count());
        byte[] file = w.toBytes();
        assertEquals(576 + 64 + 200, file.length);

        List<BlobEntry> entries = WeightBlobReader.read(file);
        assertEquals(List.of(
                new BlobEntry(64, BlobDataType.FLOAT32, 128, 40, 0),
                new BlobEntry(192, BlobDataType.FLOAT16, 256, 64, 0),
                new BlobEntry(320, BlobDataType.INT8, 384, 1, 0),
                new BlobEntry(448, BlobDataType.INT32, 512, 12, 0),
                new BlobEntry(576, BlobDataType.BFLOAT16, 640, 200, 0)), entries);
        for (int i = 0; i < entries.size(); i++) {
            BlobEntry e = entries.get(i);
            assertEquals(0, e.dataOffset() % 64);
            assertArrayEquals(filled(SIZES[i]),
                    Arrays.copyOfRange(file, (int) e.dataOffset(), (int) (e.dataOffset() + e.sizeInBytes())));
        }
        // gaps and reserved fields are zero
        for (int p = 128 + 40; p < 192; p++) {
            assertEquals(0, file[p], "gap byte " + p);
        }
        for (int p = 8; p < 64; p++) {
            assertEquals(0, file[p], "header reserved byte " + p);
        }
        for (int p = 64 + 32; p < 128; p++) {
            assertEquals(0, file[p], "metadata reserved byte " + p);
        }
        WeightBlobWriter again = new WeightBlobWriter();
        for (int i = 0; i < SIZES.length; i++) {
            again.add(TYPES.get(i), filled(SIZES[i]));
        }
        assertArrayEquals(file, again.toBytes(), "deterministic");
    }

    @Test
    void subBytePaddingRoundTrips() throws PackageFormatException {
        WeightBlobWriter w = new WeightBlobWriter();
        w.add(BlobDataType.UINT3, new byte[2], 5);   // 15 bits -> 1 unused
        w.add(BlobDataType.INT4, new byte[2], 4);    // exact
        w.add(BlobDataType.UINT1, new byte[1]);      // all 8 bits used
        List<BlobEntry> e = WeightBlobReader.read(w.toBytes());
        assertEquals(1, e.get(0).paddingBits());
        assertEquals(0, e.get(1).paddingBits());
        assertEquals(0, e.get(2).paddingBits());
    }

    @Test
    void writerRejectsInconsistentData() {
        WeightBlobWriter w = new WeightBlobWriter();
        assertThrows(IllegalArgumentException.class, () -> w.add(BlobDataType.FLOAT32, new byte[6]));
        assertThrows(IllegalArgumentException.class, () -> w.add(BlobDataType.FLOAT16, new byte[4], 3));
        assertThrows(IllegalArgumentException.class, () -> w.add(BlobDataType.UINT4, new byte[1], 3));
        assertEquals(0, w.count());
    }

    // ---- corrupt files ----

    /** One FLOAT16 blob of 8 elements: metadata at 64, 16 data bytes at 128, 144 bytes in all. */
    private static byte[] oneBlob() {
        WeightBlobWriter w = new WeightBlobWriter();
        w.add(BlobDataType.FLOAT16, new byte[16]);
        return w.toBytes();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String failure(byte[] file) {
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> WeightBlobReader.read(file));
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    @Test
    void shorterThanHeader() {
        assertEquals("weight file is 0 bytes, shorter than its 64-byte header", failure(new byte[0]));
        assertEquals("weight file is 63 bytes, shorter than its 64-byte header",
                failure(Arrays.copyOf(oneBlob(), 63)));
    }

    @Test
    void wrongVersion() {
        byte[] b = oneBlob();
        le(b).putInt(4, 1);
        assertEquals("weight file has storage version 1, expected 2", failure(b));
    }

    @Test
    void metadataPastTheEnd() {
        assertEquals("blob 0 metadata at offset 64 runs past the end of the file (100 bytes)",
                failure(Arrays.copyOf(oneBlob(), 100)));
    }

    @Test
    void missingSentinel() {
        byte[] b = oneBlob();
        le(b).putInt(64, 0xCAFEBABE);
        assertEquals("blob 0 metadata at offset 64 has sentinel 0xCAFEBABE, expected 0xDEADBEEF", failure(b));
    }

    @Test
    void misalignedDataOffset() {
        byte[] b = oneBlob();
        le(b).putLong(64 + 16, 130);
        assertEquals("blob 0 at offset 64 has data offset 130, not a multiple of 64", failure(b));
    }

    @Test
    void dataOffsetNotRightAfterMetadata() {
        WeightBlobWriter w = new WeightBlobWriter();
        w.add(BlobDataType.FLOAT16, new byte[16]);
        w.add(BlobDataType.FLOAT16, new byte[16]);
        byte[] b = w.toBytes();
        le(b).putLong(64 + 16, 256); // aligned, but not 64 + 64
        assertEquals("blob 0 at offset 64 has data offset 256, expected 128", failure(b));
    }

    @Test
    void dataPastTheEnd() {
        assertEquals("blob 0 at offset 64 has 16 data bytes from offset 128, past the end of the file (140 bytes)",
                failure(Arrays.copyOf(oneBlob(), 140)));
        byte[] b = oneBlob();
        le(b).putLong(64 + 8, -1L); // size 2^64 - 1
        assertEquals("blob 0 at offset 64 has 18446744073709551615 data bytes from offset 128, past the end of "
                + "the file (144 bytes)", failure(b));
    }

    @Test
    void unknownDtype() {
        byte[] b = oneBlob();
        le(b).putInt(64 + 4, 99);
        assertEquals("blob 0 at offset 64 has unknown dtype code 99", failure(b));
        le(b).putInt(64 + 4, 0);
        assertEquals("blob 0 at offset 64 has unknown dtype code 0", failure(b));
    }

    @Test
    void subBytePaddingOfEightOrMore() {
        WeightBlobWriter w = new WeightBlobWriter();
        w.add(BlobDataType.UINT4, new byte[2], 3);
        byte[] b = w.toBytes();
        le(b).putLong(64 + 24, 8);
        assertEquals("blob 0 at offset 64 claims 8 unused bits; a sub-byte blob has at most 7", failure(b));
    }

    @Test
    void countSaysMoreThanPresent() {
        byte[] b = oneBlob();
        le(b).putInt(0, 2);
        assertEquals("blob count mismatch: header says 2 blobs but the file ends after 1", failure(b));
    }

    @Test
    void countSaysFewerThanPresent() {
        WeightBlobWriter w = new WeightBlobWriter();
        w.add(BlobDataType.FLOAT16, new byte[16]);
        w.add(BlobDataType.FLOAT16, new byte[16]);
        byte[] b = w.toBytes();
        le(b).putInt(0, 1);
        assertEquals("blob count mismatch: header says 1 blobs but another blob metadata record follows at offset "
                + "192", failure(b));
    }

    // ---- reading by position ----

    @TempDir
    Path tmp;

    /** Many blobs of random small sizes, so records straddle the reader's 64 KiB windows in every way. */
    @Test
    void indexFromDiskAgreesWithReadingTheWholeFile() throws IOException, PackageFormatException {
        Random random = new Random(7);
        WeightBlobWriter w = new WeightBlobWriter();
        for (int i = 0; i < 3000; i++) {
            w.add(BlobDataType.UINT8, new byte[random.nextInt(200)]);
        }
        byte[] bytes = w.toBytes();
        Path file = Files.write(tmp.resolve("weight.bin"), bytes);
        List<BlobEntry> all = WeightBlobReader.read(bytes);
        assertEquals(3000, all.size());
        Set<Long> wanted = Set.of(all.get(0).metadataOffset(), all.get(1234).metadataOffset(),
                all.get(2999).metadataOffset(), 100L);
        WeightBlobReader.Index index = WeightBlobReader.index(file, wanted);
        assertEquals(3000, index.count());
        assertEquals(all.stream().limit(8).map(BlobEntry::metadataOffset).toList(), index.firstOffsets());
        assertEquals(all.stream().filter(e -> wanted.contains(e.metadataOffset()))
                .collect(Collectors.toMap(BlobEntry::metadataOffset, e -> e)), index.wanted());
        assertEquals(index, WeightBlobReader.index(bytes, wanted));
    }

    @Test
    void indexFromDiskReportsTheSameCorruption() throws IOException {
        byte[] file = oneBlob();
        le(file).putInt(64, 0x12345678);
        Path p = Files.write(tmp.resolve("bad.bin"), file);
        PackageFormatException e = assertThrows(PackageFormatException.class,
                () -> WeightBlobReader.index(p, Set.of(64L)));
        assertEquals(failure(file), e.getMessage());
    }

    /** A blob of 3 GiB (a sparse file) is skipped over, not read: only its 64-byte record is. */
    @Test
    void aBlobOfSeveralGigabytesIsNotRead() throws IOException, PackageFormatException {
        long size = 3L << 30;
        byte[] head = new byte[128];
        ByteBuffer b = le(head);
        b.putInt(0, 1).putInt(4, 2);
        b.putInt(64, 0xDEADBEEF).putInt(68, BlobDataType.FLOAT32.code()).putLong(72, size).putLong(80, 128);
        Path p = Files.write(tmp.resolve("big.bin"), head);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(128 + size);
        }
        WeightBlobReader.Index index = WeightBlobReader.index(p, Set.of(64L));
        assertEquals(new BlobEntry(64, BlobDataType.FLOAT32, 128, size, 0), index.wanted().get(64L));
        assertEquals(1, index.count());
    }
}
