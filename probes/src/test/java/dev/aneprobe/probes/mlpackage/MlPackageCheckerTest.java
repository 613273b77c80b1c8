package dev.aneprobe.probes.mlpackage;

import static dev.aneprobe.probes.mlpackage.MilFixtures.blob;
import static dev.aneprobe.probes.mlpackage.MilFixtures.constOp;
import static dev.aneprobe.probes.mlpackage.MilFixtures.tensor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TupleValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every BlobFileValue must name a weight file of the package, a blob's metadata offset, and the blob's exact type. */
class MlPackageCheckerTest {
    private static final String WEIGHTS = MlPackageWriter.WEIGHT_FILE_REFERENCE;
    private static final String W = "function main (CoreML6) op 'w' (const) attribute 'val': ";

    @TempDir
    Path tmp;

    /** Writes the fixture program with the given w value and the standard one-blob weight file, then checks it. */
    private ValidationResult checkWith(Value w) throws IOException {
        Path pkg = tmp.resolve("p.mlpackage");
        MlPackageWriter.write(pkg, MilFixtures.bytes(MilFixtures.model(MilFixtures.program(w))),
                MilFixtures.weightBin(), "seed");
        return new MlPackageChecker().check(pkg);
    }

    private static void assertProblem(String expected, ValidationResult r) {
        assertFalse(r.valid());
        assertTrue(r.problems().contains(expected), () -> "expected " + expected + " in " + r.problems());
    }

    @Test
    void consistentBlobIsValid() throws IOException {
        ValidationResult r = checkWith(blob(WEIGHTS, 64, tensor(DataType.FLOAT16, 2, 8)));
        assertTrue(r.valid(), r.message());
        assertEquals(List.of(), MlPackageChecker.checkBlobs(MilFixtures.goodModel().getMlProgram(),
                Map.of(WEIGHTS, MilFixtures.weightBin())));
    }

    @Test
    void badOffset() throws IOException {
        assertProblem(W + "offset 128 is not a blob metadata offset in '" + WEIGHTS + "' (blobs at 64)",
                checkWith(blob(WEIGHTS, 128, tensor(DataType.FLOAT16, 2, 8))));
        assertProblem(W + "offset 0 is not a blob metadata offset in '" + WEIGHTS + "' (blobs at 64)",
                checkWith(blob(WEIGHTS, 0, tensor(DataType.FLOAT16, 2, 8))));
    }

    @Test
    void dtypeMismatch() throws IOException {
        assertProblem(W + "blob at offset 64 holds FLOAT16 data but the value is FLOAT32",
                checkWith(blob(WEIGHTS, 64, tensor(DataType.FLOAT32, 2, 4))));
        assertProblem(W + "blob at offset 64 holds FLOAT16 data but the value is BFLOAT16",
                checkWith(blob(WEIGHTS, 64, tensor(DataType.BFLOAT16, 2, 8))));
        assertProblem(W + "element type BOOL cannot be stored in a blob file",
                checkWith(blob(WEIGHTS, 64, tensor(DataType.BOOL, 2, 8))));
    }

    @Test
    void sizeMismatch() throws IOException {
        assertProblem(W + "blob at offset 64 holds 32 bytes but FLOAT16 [2, 4] needs 16",
                checkWith(blob(WEIGHTS, 64, tensor(DataType.FLOAT16, 2, 4))));
        assertProblem(W + "blob at offset 64 holds 32 bytes but FLOAT16 [] needs 2",
                checkWith(blob(WEIGHTS, 64, tensor(DataType.FLOAT16))));
    }

    @Test
    void shapeMustBeConstant() throws IOException {
        ValueType unknown = ValueType.newBuilder().setTensorType(TensorType.newBuilder()
                .setDataType(DataType.FLOAT16).setRank(2)
                .addDimensions(Dimension.newBuilder().setConstant(Dimension.ConstantDimension.newBuilder().setSize(2)))
                .addDimensions(Dimension.newBuilder().setUnknown(Dimension.UnknownDimension.getDefaultInstance())))
                .build();
        assertProblem(W + "blob value has a non-constant dimension; its shape must be fully constant",
                checkWith(blob(WEIGHTS, 64, unknown)));
        ValueType anyRank = ValueType.newBuilder().setTensorType(TensorType.newBuilder()
                .setDataType(DataType.FLOAT16).setRank(-1)).build();
        assertProblem(W + "blob value has rank -1 with 0 dimensions; its shape must be fully constant",
                checkWith(blob(WEIGHTS, 64, anyRank)));
    }

    @Test
    void unknownFile() throws IOException {
        assertProblem(W + "blob file '@model_path/weights/other.bin' is not in the package (it has " + WEIGHTS + ")",
                checkWith(blob("@model_path/weights/other.bin", 64, tensor(DataType.FLOAT16, 2, 8))));
        assertProblem(W + "blob file 'weights/weight.bin' is not in the package (it has " + WEIGHTS + ")",
                checkWith(blob("weights/weight.bin", 64, tensor(DataType.FLOAT16, 2, 8))));
    }

    @Test
    void packageWithoutWeightFile() throws IOException {
        Path pkg = tmp.resolve("nw.mlpackage");
        MlPackageWriter.write(pkg, MilFixtures.bytes(MilFixtures.goodModel()), null, "seed");
        assertProblem(W + "blob file '" + WEIGHTS + "' is not in the package",
                new MlPackageChecker().check(pkg));
    }

    /** Blob values in nested blocks, inline input bindings, tuples and attributes of functions are all checked. */
    @Test
    void everyPlaceIsWalked() {
        WeightBlobWriter ww = new WeightBlobWriter();
        long f32 = ww.add(BlobDataType.FLOAT32, new byte[4 * 6]);          // 64
        long u4 = ww.add(BlobDataType.UINT4, new byte[2], 3);              // 192, 4 unused bits
        byte[] file = ww.toBytes();
        ValueType f32x6 = tensor(DataType.FLOAT32, 6);
        Value good = blob(WEIGHTS, f32, f32x6);
        Value badOffset = blob(WEIGHTS, 100, f32x6);

        Operation innerConst = constOp("inner", blob(WEIGHTS, f32, tensor(DataType.FLOAT32, 7)));
        Operation deeper = Operation.newBuilder().setType("cond")
                .addBlocks(Block.newBuilder().addOperations(constOp("deep", blob(WEIGHTS, u4,
                        tensor(DataType.UINT4, 4)))))
                .build();
        Operation cond = Operation.newBuilder().setType("cond")
                .putAttributes("name", MilFixtures.string("c"))
                .putInputs("pred", Argument.newBuilder()
                        .addArguments(Argument.Binding.newBuilder().setName("p"))
                        .addArguments(Argument.Binding.newBuilder().setValue(badOffset))
                        .build())
                .addBlocks(Block.newBuilder().addOperations(constOp("ok", good)))
                .addBlocks(Block.newBuilder().addOperations(innerConst).addOperations(deeper))
                .build();
        Operation tupleHolder = Operation.newBuilder().setType("custom")
                .putAttributes("name", MilFixtures.string("t"))
                .putAttributes("pair", Value.newBuilder().setImmediateValue(Value.ImmediateValue.newBuilder()
                        .setTuple(TupleValue.newBuilder().addValues(good)
                                .addValues(blob(WEIGHTS, f32, tensor(DataType.INT32, 6)))))
                        .build())
                .build();
        Function main = Function.newBuilder().setOpset("CoreML6")
                .putAttributes("extra", blob(WEIGHTS, 64, tensor(DataType.FLOAT32, 5)))
                .putBlockSpecializations("CoreML6", Block.newBuilder().addOperations(cond).addOperations(tupleHolder)
                        .build())
                .build();
        Program program = Program.newBuilder().setVersion(1).putFunctions("main", main).build();

        List<String> problems = MlPackageChecker.checkBlobs(program, Map.of(WEIGHTS, file));
        assertEquals(List.of(
                "function main attribute 'extra': blob at offset 64 holds 24 bytes but FLOAT32 [5] needs 20",
                "function main (CoreML6) op 'c' (cond) input 'pred'[1]: offset 100 is not a blob metadata offset in '"
                        + WEIGHTS + "' (blobs at 64, 192)",
                "function main (CoreML6) op 'c' (cond) block 1 op 'inner' (const) attribute 'val': blob at offset 64 "
                        + "holds 24 bytes but FLOAT32 [7] needs 28",
                "function main (CoreML6) op 'c' (cond) block 1 op #1 (cond) block 0 op 'deep' (const) attribute "
                        + "'val': blob at offset 192 records 4 unused bits but UINT4 [4] leaves 0",
                "function main (CoreML6) op 't' (custom) attribute 'pair' [1]: blob at offset 64 holds FLOAT32 data "
                        + "but the value is INT32"), problems);
    }

    @Test
    void corruptWeightFileIsReportedOnce() {
        Program twoRefs = MilFixtures.program(blob(WEIGHTS, 64, tensor(DataType.FLOAT16, 2, 8))).toBuilder()
                .putAttributes("again", blob(WEIGHTS, 64, tensor(DataType.FLOAT16, 2, 8))).build();
        List<String> problems = MlPackageChecker.checkBlobs(twoRefs, Map.of(WEIGHTS, new byte[10]));
        assertEquals(List.of("weight file '" + WEIGHTS + "' is corrupt: weight file is 10 bytes, shorter than its "
                + "64-byte header"), problems);
    }
}
