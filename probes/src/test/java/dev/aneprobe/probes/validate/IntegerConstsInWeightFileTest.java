package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramValidatorTest.X;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.constOp;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.ints;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.op;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.program;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.ref;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.mlpackage.BlobDataType;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.mlpackage.WeightBlobWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * From specification 9, coremltools stores integer consts (INT16, UINT16, INT32, UINT32) of 10 elements or more in
 * the weight file, where before it wrote only float and 8-bit consts there; aneprobe's generator keeps them
 * immediate. Core ML reads both, so check accepts both — and still refuses an element type the blob format has no
 * code for (INT64: blob storage defines float, 8/16/32-bit integer and sub-byte types only).
 */
class IntegerConstsInWeightFileTest {
    private static final int N = 64; // gather along the 64 channels of X, indices 0..63: the shape is kept

    @TempDir
    Path tmp;

    private static Model gatherWith(Value indices) {
        return program(9, "CoreML8", List.of(
                constOp("idx", indices),
                constOp("axis", ints(new long[0], 1)),
                op("gather", "y", X, "x", ref("x"), "indices", ref("idx"), "axis", ref("axis"))), "y");
    }

    private static Value blob(DataType type, long offset) {
        return Value.newBuilder().setType(tensor(type, N)).setBlobFileValue(Value.BlobFileValue.newBuilder()
                .setFileName(MlPackageWriter.WEIGHT_FILE_REFERENCE).setOffset(offset)).build();
    }

    private ValidationResult checkPackage(Model model, byte[] weights) throws IOException {
        Path pkg = tmp.resolve("m" + System.nanoTime() + ".mlpackage");
        MlPackageWriter.write(pkg, model.toByteArray(), weights, "seed");
        return new MlPackageChecker().check(pkg);
    }

    @Test
    void int32IndicesImmediateOrInTheWeightFileAreBothValid() throws IOException {
        int[] values = new int[N];
        ByteBuffer le = ByteBuffer.allocate(4 * N).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < N; i++) {
            values[i] = i;
            le.putInt(i);
        }
        ValidationResult immediate = checkPackage(gatherWith(ints(new long[] {N}, values)), null);
        assertEquals(List.of(), immediate.problems(), "as aneprobe writes it");

        WeightBlobWriter weights = new WeightBlobWriter();
        long offset = weights.add(BlobDataType.INT32, le.array());
        ValidationResult inFile = checkPackage(gatherWith(blob(DataType.INT32, offset)), weights.toBytes());
        assertEquals(List.of(), inFile.problems(), "as coremltools writes it from specification 9");
    }

    @Test
    void aTypeTheBlobFormatCannotHoldIsStillInvalid() throws IOException {
        WeightBlobWriter weights = new WeightBlobWriter();
        long offset = weights.add(BlobDataType.INT32, new byte[8 * N]);
        ValidationResult r = checkPackage(gatherWith(blob(DataType.INT64, offset)), weights.toBytes());
        assertFalse(r.valid());
        assertTrue(r.problems().stream().anyMatch(p -> p.endsWith("element type INT64 cannot be stored in a blob "
                + "file")), r.problems().toString());
    }
}
