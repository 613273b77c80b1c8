package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.ProgramTesting.assertProblem;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.X;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.constOp;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.op;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.ref;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.tensor;
import static dev.aneprobe.probes.validate.ProgramValidatorTest.withOps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.ListValue;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.mil.CoremltoolsFields;
import dev.aneprobe.probes.mil.ImmediateValues;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Immediate values must sit in the field coremltools writes (and reads) their element type in: a value in any other
 * field is one coremltools cannot load, and the validator says INVALID naming both fields. The issue's cases — the
 * UINT32 parameters of resize, pixel_unshuffle and the CoreML6 constexpr ops written as ints — are rebuilt from the
 * real probes.
 */
class ProgramValueEncodingTest {
    private final ProgramValidator validator = new ProgramValidator();

    private static final List<TensorValue.ValueCase> FIELDS = List.of(TensorValue.ValueCase.FLOATS,
            TensorValue.ValueCase.INTS, TensorValue.ValueCase.BOOLS, TensorValue.ValueCase.STRINGS,
            TensorValue.ValueCase.LONGINTS, TensorValue.ValueCase.DOUBLES, TensorValue.ValueCase.BYTES);

    /** A scalar of {@code type} whose one element is stored in {@code field} (bytes: as many as one element takes). */
    private static Value scalarIn(DataType type, TensorValue.ValueCase field) {
        TensorValue.Builder t = TensorValue.newBuilder();
        switch (field) {
            case FLOATS -> t.setFloats(TensorValue.RepeatedFloats.newBuilder().addValues(1f));
            case INTS -> t.setInts(TensorValue.RepeatedInts.newBuilder().addValues(1));
            case BOOLS -> t.setBools(TensorValue.RepeatedBools.newBuilder().addValues(true));
            case STRINGS -> t.setStrings(TensorValue.RepeatedStrings.newBuilder().addValues("a"));
            case LONGINTS -> t.setLongInts(TensorValue.RepeatedLongInts.newBuilder().addValues(1L));
            case DOUBLES -> t.setDoubles(TensorValue.RepeatedDoubles.newBuilder().addValues(1.0));
            default -> t.setBytes(TensorValue.RepeatedBytes.newBuilder().setValues(ByteString.copyFrom(
                    new byte[Math.max(1, (bitsOf(type) + 7) / 8)])));
        }
        return Value.newBuilder().setType(tensor(type))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(t)).build();
    }

    private static int bitsOf(DataType t) {
        return switch (t) {
            case FLOAT16, INT16, UINT16 -> 16;
            case UINT32 -> 32;
            default -> 8;
        };
    }

    private static Model withConst(Value val) {
        return withOps(constOp("c", val), op("relu", "y", X, "x", ref("x")));
    }

    @Test
    void eachTypeIsAcceptedInItsFieldAndRejectedInEveryOther() {
        for (Map.Entry<DataType, TensorValue.ValueCase> e : CoremltoolsFields.FIELD.entrySet()) {
            DataType type = e.getKey();
            for (TensorValue.ValueCase field : FIELDS) {
                ValidationResult r = validator.validate(withConst(scalarIn(type, field)));
                if (field == e.getValue() || field == ImmediateValues.alsoRead(type)) {
                    assertTrue(r.valid(), type + " in " + field + ": " + r.problems());
                } else {
                    assertProblem(r, "op 'c' (const) 'val' is " + type + " but its values are in '");
                    assertProblem(r, type + " values belong in '");
                }
            }
        }
    }

    @Test
    void theMessageNamesBothFields() {
        assertProblem(validator.validate(withConst(scalarIn(DataType.UINT32, TensorValue.ValueCase.INTS))),
                "op 'c' (const) 'val' is UINT32 but its values are in 'ints'; UINT32 values belong in 'bytes' "
                        + "(raw little-endian), as coremltools writes and reads them");
        assertProblem(validator.validate(withConst(scalarIn(DataType.INT16, TensorValue.ValueCase.LONGINTS))),
                "op 'c' (const) 'val' is INT16 but its values are in 'longInts'; INT16 values belong in 'ints', as");
    }

    @Test
    void int16AndUint16AreReadFromIntsOrFromTwoBytesEach() {
        // Both fields are accepted (ImmediateValues.alsoRead says why); in bytes, exactly 2 bytes per element.
        for (DataType type : List.of(DataType.INT16, DataType.UINT16)) {
            assertTrue(validator.validate(withConst(scalarIn(type, TensorValue.ValueCase.INTS))).valid(), type + "");
            assertTrue(validator.validate(withConst(scalarIn(type, TensorValue.ValueCase.BYTES))).valid(), type + "");
            Value oneByte = Value.newBuilder().setType(tensor(type, 2)).setImmediateValue(Value.ImmediateValue
                    .newBuilder().setTensor(TensorValue.newBuilder().setBytes(TensorValue.RepeatedBytes.newBuilder()
                            .setValues(ByteString.copyFrom(new byte[3]))))).build();
            assertProblem(validator.validate(withConst(oneByte)), "op 'c' (const) 'val' holds 3 bytes (" + type
                    + " needs 4) but its type tensor<" + type + ",[2]> needs 2 elements");
        }
    }

    @Test
    void bytesMustHoldExactlyThePackedElements() {
        Value twoUint32InFourBytes = Value.newBuilder().setType(tensor(DataType.UINT32, 2))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder()
                        .setBytes(TensorValue.RepeatedBytes.newBuilder().setValues(ByteString.copyFrom(new byte[4])))))
                .build();
        assertProblem(validator.validate(withConst(twoUint32InFourBytes)),
                "op 'c' (const) 'val' holds 4 bytes (UINT32 needs 8) but its type tensor<UINT32,[2]> needs 2 elements");
        Value fiveUint3 = Value.newBuilder().setType(tensor(DataType.UINT3, 5))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder()
                        .setBytes(TensorValue.RepeatedBytes.newBuilder().setValues(ByteString.copyFrom(new byte[1])))))
                .build();
        assertProblem(validator.validate(withConst(fiveUint3)), "holds 1 bytes (UINT3 needs 2)");
    }

    @Test
    void emptyTensorsKeepTheirFieldAndAValueNeedsAField() {
        Value emptyInts = Value.newBuilder().setType(tensor(DataType.INT32, 0))
                .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(TensorValue.newBuilder()
                        .setInts(TensorValue.RepeatedInts.getDefaultInstance()))).build();
        assertEquals(List.of(), validator.validate(withConst(emptyInts)).problems());
        Value noField = emptyInts.toBuilder().setImmediateValue(Value.ImmediateValue.newBuilder()
                .setTensor(TensorValue.getDefaultInstance())).build();
        assertProblem(validator.validate(withConst(noField)),
                "op 'c' (const) 'val' holds no data (no TensorValue field is set; INT32 values belong in 'ints')");
        Value listForTensor = emptyInts.toBuilder().setImmediateValue(Value.ImmediateValue.newBuilder()
                .setList(ListValue.getDefaultInstance())).build();
        assertProblem(validator.validate(withConst(listForTensor)),
                "op 'c' (const) 'val' is declared tensor<INT32,[0]> but holds a list");
    }

    @Test
    void opNamesAreCheckedToo() {
        Operation relu = op("relu", "y", X, "x", ref("x")).toBuilder()
                .putAttributes("name", scalarIn(DataType.STRING, TensorValue.ValueCase.BYTES)).build();
        assertProblem(validator.validate(withOps(relu)),
                "attribute 'name' is STRING but its values are in 'bytes'; STRING values belong in 'strings'");
    }

    // ------------------------------------------------------------ the issue's probes, written the old way

    private static Model probe(String family, String idPart) {
        Catalog catalog = Catalog.standard();
        ProbeFamily f = catalog.family(family);
        ProbeSpec spec = f.probes(Profile.STANDARD, List.of()).stream().filter(s -> s.id().contains(idPart))
                .findFirst().orElseThrow(() -> new AssertionError("no " + family + " probe with " + idPart));
        return new ProbeGenerator(catalog).build(f, spec).model();
    }

    /** Every UINT32 immediate value (const vals and op attributes) moved to 'ints', as aneprobe used to write them. */
    private static Model uint32AsInts(Model m) {
        Function main = m.getMlProgram().getFunctionsOrThrow("main");
        String opset = main.getOpset();
        Block.Builder block = main.getBlockSpecializationsOrThrow(opset).toBuilder();
        int moved = 0;
        for (int i = 0; i < block.getOperationsCount(); i++) {
            Operation.Builder op = block.getOperations(i).toBuilder();
            for (Map.Entry<String, Value> a : Map.copyOf(op.getAttributesMap()).entrySet()) {
                Value v = a.getValue();
                ValueType t = v.getType();
                if (v.hasImmediateValue() && t.hasTensorType() && t.getTensorType().getDataType() == DataType.UINT32) {
                    ByteBuffer le = v.getImmediateValue().getTensor().getBytes().getValues().asReadOnlyByteBuffer()
                            .order(ByteOrder.LITTLE_ENDIAN);
                    TensorValue.RepeatedInts.Builder ints = TensorValue.RepeatedInts.newBuilder();
                    while (le.remaining() >= 4) {
                        ints.addValues(le.getInt());
                    }
                    op.putAttributes(a.getKey(), v.toBuilder().setImmediateValue(Value.ImmediateValue.newBuilder()
                            .setTensor(TensorValue.newBuilder().setInts(ints))).build());
                    moved++;
                }
            }
            block.setOperations(i, op);
        }
        assertTrue(moved > 0, "the probe has a UINT32 immediate value");
        return m.toBuilder().setMlProgram(m.getMlProgram().toBuilder().putFunctions("main",
                main.toBuilder().putBlockSpecializations(opset, block.build()).build())).build();
    }

    @Test
    void theIssuesProbesAreValidAsWrittenAndInvalidWithUint32InInts() {
        Map<String, String> cases = Map.of(
                "mil.resize", "interpolation=LINEAR,sampling=DEFAULT,scale=2x2,in=1x64x28x28",
                "mil.space_depth", "layer=pixel_unshuffle",
                "mil.constexpr", "layer=constexpr_lut_to_dense");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Model written = probe(c.getKey(), c.getValue());
            ValidationResult r = validator.validate(written);
            assertTrue(r.valid(), c.getKey() + ": " + r.problems());
            long[] seen = {0};
            assertEquals(List.of(), CoremltoolsFields.misplaced(written, seen), c.getKey());
            assertProblem(validator.validate(uint32AsInts(written)),
                    "is UINT32 but its values are in 'ints'; UINT32 values belong in 'bytes'");
        }
    }

    /** What {@code aneprobe check} runs on a package: the old resize probe on disk is INVALID, the new one OK. */
    @Test
    void checkRefusesTheOldResizePackage(@TempDir Path tmp) throws IOException {
        Model written = probe("mil.resize", "interpolation=LINEAR,sampling=DEFAULT,scale=2x2,in=1x64x28x28");
        Path good = tmp.resolve("good.mlpackage");
        MlPackageWriter.write(good, written.toByteArray(), null, "good");
        ValidationResult ok = new MlPackageChecker().check(good);
        assertTrue(ok.valid(), ok.message());
        Path old = tmp.resolve("old.mlpackage");
        MlPackageWriter.write(old, uint32AsInts(written).toByteArray(), null, "old");
        assertProblem(new MlPackageChecker().check(old), "op 'c_resized_dims' (const) 'val' is UINT32 but its values "
                + "are in 'ints'; UINT32 values belong in 'bytes' (raw little-endian)");
    }
}
