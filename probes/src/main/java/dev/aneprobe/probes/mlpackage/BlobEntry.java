package dev.aneprobe.probes.mlpackage;

/**
 * One blob of a weight file as its metadata record describes it.
 *
 * @param metadataOffset file offset of the 64-byte metadata record (what {@code BlobFileValue.offset} names)
 * @param type           element type
 * @param dataOffset     file offset of the first data byte (always metadataOffset + 64)
 * @param sizeInBytes    length of the data
 * @param paddingBits    unused bits at the end of the data, as recorded (meaningful for sub-byte types only)
 */
public record BlobEntry(long metadataOffset, BlobDataType type, long dataOffset, long sizeInBytes,
        long paddingBits) {
}
