package dev.aneprobe.probes.mil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.validate.ProgramValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Immediate values are written exactly as coremltools writes them: one const of every element type it can write,
 * built, serialized and parsed back, lands in the field {@link CoremltoolsFields} gives and holds exactly the
 * expected contents — the numbers for the repeated fields, the exact bytes (little-endian, sub-byte types packed
 * least-significant bit first) for {@code bytes}.
 */
class ImmediateEncodingTest {
    /** One const: its values as given to the builder, and what the written field must hold. */
    private record Case(String name, MilNet.ConstValue value, TensorValue.ValueCase field, Object expected) {
    }

    private static MilNet.ConstValue ints(DataType t, long[] dims, int... v) {
        return new MilNet.ConstValue(t, dims(dims), null, v, null, null);
    }

    private static List<Long> dims(long... d) {
        List<Long> out = new ArrayList<>();
        for (long x : d) {
            out.add(x);
        }
        return out;
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    private static List<Case> cases() {
        long[] three = {3};
        return List.of(
                new Case("c_fp32", new MilNet.ConstValue(DataType.FLOAT32, dims(3), new float[] {1.5f, -2f, 0.25f},
                        null, null, null), TensorValue.ValueCase.FLOATS, List.of(1.5f, -2f, 0.25f)),
                new Case("c_fp64", new MilNet.ConstValue(DataType.FLOAT64, dims(2), null, null, null,
                        new double[] {0.1, -3.5}, null, null), TensorValue.ValueCase.DOUBLES, List.of(0.1, -3.5)),
                // 1.5 = 0x3E00, -2 = 0xC000, 0.25 = 0x3400, each little-endian
                new Case("c_fp16", new MilNet.ConstValue(DataType.FLOAT16, dims(3), new float[] {1.5f, -2f, 0.25f},
                        null, null, null), TensorValue.ValueCase.BYTES, bytes(0x00, 0x3E, 0x00, 0xC0, 0x00, 0x34)),
                new Case("c_int8", ints(DataType.INT8, three, -1, 0, 127), TensorValue.ValueCase.BYTES,
                        bytes(0xFF, 0x00, 0x7F)),
                new Case("c_uint8", ints(DataType.UINT8, three, 255, 0, 1), TensorValue.ValueCase.BYTES,
                        bytes(0xFF, 0x00, 0x01)),
                new Case("c_int16", ints(DataType.INT16, new long[] {2}, -32768, 7), TensorValue.ValueCase.INTS,
                        List.of(-32768, 7)),
                new Case("c_uint16", ints(DataType.UINT16, new long[] {2}, 65535, 0), TensorValue.ValueCase.INTS,
                        List.of(65535, 0)),
                new Case("c_int32", ints(DataType.INT32, new long[] {2}, -5, 123456), TensorValue.ValueCase.INTS,
                        List.of(-5, 123456)),
                // the case: a UINT32 scalar (resize's resized_dims, pixel_unshuffle's downscale_factor)
                new Case("c_uint32_scalar", ints(DataType.UINT32, new long[0], 8), TensorValue.ValueCase.BYTES,
                        bytes(0x08, 0x00, 0x00, 0x00)),
                new Case("c_uint32", ints(DataType.UINT32, new long[] {2}, 64, -1), TensorValue.ValueCase.BYTES,
                        bytes(0x40, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF)),
                new Case("c_int64", new MilNet.ConstValue(DataType.INT64, dims(2), null, null,
                        new long[] {-1L, 1L << 40}, null, null, null), TensorValue.ValueCase.LONGINTS,
                        List.of(-1L, 1L << 40)),
                new Case("c_uint64", new MilNet.ConstValue(DataType.UINT64, dims(1), null, null, new long[] {42},
                        null, null, null), TensorValue.ValueCase.LONGINTS, List.of(42L)),
                new Case("c_bool", new MilNet.ConstValue(DataType.BOOL, dims(3), null, null,
                        new boolean[] {true, false, true}, null), TensorValue.ValueCase.BOOLS,
                        List.of(true, false, true)),
                new Case("c_string", new MilNet.ConstValue(DataType.STRING, List.of(), null, null, null, "same"),
                        TensorValue.ValueCase.STRINGS, List.of("same")),
                // bits 1,0,1,1,0,0,0,1 | 1
                new Case("c_uint1", ints(DataType.UINT1, new long[] {9}, 1, 0, 1, 1, 0, 0, 0, 1, 1),
                        TensorValue.ValueCase.BYTES, bytes(0x8D, 0x01)),
                new Case("c_uint2", ints(DataType.UINT2, three, 3, 0, 2), TensorValue.ValueCase.BYTES, bytes(0x23)),
                // 7 in bits 0-2, 0 in 3-5, 5 in 6-8 (crossing into the second byte)
                new Case("c_uint3", ints(DataType.UINT3, three, 7, 0, 5), TensorValue.ValueCase.BYTES,
                        bytes(0x47, 0x01)),
                new Case("c_uint4", ints(DataType.UINT4, three, 15, 1, 8), TensorValue.ValueCase.BYTES,
                        bytes(0x1F, 0x08)),
                // two's complement nibbles: -8 = 0x8, 7 = 0x7, -1 = 0xF
                new Case("c_int4", ints(DataType.INT4, three, -8, 7, -1), TensorValue.ValueCase.BYTES,
                        bytes(0x78, 0x0F)),
                // 63 in bits 0-5, 1 in 6-11, 32 in 12-17
                new Case("c_uint6", ints(DataType.UINT6, three, 63, 1, 32), TensorValue.ValueCase.BYTES,
                        bytes(0x7F, 0x00, 0x02)));
    }

    @Test
    void theFieldTableIsCoremltools() {
        for (DataType t : DataType.values()) {
            if (t == DataType.UNRECOGNIZED) {
                continue;
            }
            assertEquals(CoremltoolsFields.FIELD.getOrDefault(t, TensorValue.ValueCase.VALUE_NOT_SET),
                    ImmediateValues.field(t), t.name());
        }
    }

    @Test
    void everyTypeRoundTripsInItsField() throws InvalidProtocolBufferException {
        MilNet net = MilNet.of("CoreML8").input("x", DataType.FLOAT32, 2);
        List<Case> cases = cases();
        for (Case c : cases) {
            net.constValue(c.name(), c.value());
        }
        net.op("relu", Map.of("x", List.of("x")), "y", DataType.FLOAT32, 2).output("y");
        Model built = net.toModel("encoding", (type, data, count) -> {
            throw new AssertionError("nothing here goes to the weight file");
        });
        Model read = Model.parseFrom(built.toByteArray());
        assertEquals(built, read);
        Map<String, Value> vals = new HashMap<>();
        for (Operation op : read.getMlProgram().getFunctionsOrThrow("main").getBlockSpecializationsOrThrow("CoreML8")
                .getOperationsList()) {
            if (op.getType().equals("const")) {
                vals.put(op.getOutputs(0).getName(), op.getAttributesOrThrow("val"));
            }
        }
        assertEquals(cases.size(), vals.size());
        for (Case c : cases) {
            Value v = vals.get(c.name());
            assertEquals(c.value().type(), v.getType().getTensorType().getDataType(), c.name());
            TensorValue tv = v.getImmediateValue().getTensor();
            assertEquals(c.field(), tv.getValueCase(), c.name());
            assertEquals(CoremltoolsFields.FIELD.get(c.value().type()), tv.getValueCase(), c.name());
            switch (tv.getValueCase()) {
                case FLOATS -> assertEquals(c.expected(), tv.getFloats().getValuesList(), c.name());
                case DOUBLES -> assertEquals(c.expected(), tv.getDoubles().getValuesList(), c.name());
                case INTS -> assertEquals(c.expected(), tv.getInts().getValuesList(), c.name());
                case LONGINTS -> assertEquals(c.expected(), tv.getLongInts().getValuesList(), c.name());
                case BOOLS -> assertEquals(c.expected(), tv.getBools().getValuesList(), c.name());
                case STRINGS -> assertEquals(c.expected(), tv.getStrings().getValuesList(), c.name());
                case BYTES -> assertArrayEquals((byte[]) c.expected(), tv.getBytes().getValues().toByteArray(),
                        c.name());
                default -> throw new AssertionError(c.name() + ": no field");
            }
        }
        ValidationResult r = new ProgramValidator().validate(read);
        assertTrue(r.valid(), r.message());
        long[] seen = {0};
        assertEquals(List.of(), CoremltoolsFields.misplaced(read, seen));
        assertTrue(seen[0] > cases.size(), "the op names were looked at too");
    }

    @Test
    void literalListsUseTheScalarFields() {
        TensorValue label = MilNet.stringList(List.of("a", "b")).getImmediateValue().getList().getValues(1)
                .getImmediateValue().getTensor();
        assertEquals(TensorValue.ValueCase.STRINGS, label.getValueCase());
        TensorValue id = MilNet.int64List(7, 9).getImmediateValue().getList().getValues(0).getImmediateValue()
                .getTensor();
        assertEquals(TensorValue.ValueCase.LONGINTS, id.getValueCase());
        assertEquals(List.of(7L), id.getLongInts().getValuesList());
    }

    @Test
    void valuesThatDoNotFitTheirTypeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.INT8, new long[] {1}, 128));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.UINT8, new long[] {1}, -1));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.INT4, new long[] {1}, 8));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.UINT3, new long[] {1}, 8));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.UINT16, new long[] {1}, 65536));
        // the wrong array for the type, the wrong count, a type without an immediate form
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.FLOAT32, new long[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.INT32, new long[] {2}, 1));
        assertThrows(IllegalArgumentException.class, () -> ints(DataType.INT64, new long[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new MilNet.ConstValue(DataType.BFLOAT16, dims(1),
                new float[] {1f}, null, null, null));
    }
}
