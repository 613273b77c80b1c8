package dev.aneprobe.probes.coreml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Our schema is Core ML's format: the same messages, field names, numbers, types, packing, oneofs and enum values
 * (compared with {@code format-facts.txt}, listed from the format's own .proto files by
 * {@code tools/format-facts.sh}), and any model parses and re-serializes to the same bytes.
 */
class SchemaMatchesFormatTest {

    @Test
    void schemaHoldsExactlyTheFactsOfTheFormat() throws IOException {
        List<String> format = formatFacts();
        List<String> ours = FormatFacts.of(FormatFacts.withDependencies(Model.getDescriptor().getFile()));
        TreeSet<String> missing = new TreeSet<>(format);
        missing.removeAll(ours);
        TreeSet<String> extra = new TreeSet<>(ours);
        extra.removeAll(format);
        assertEquals(List.of(), new ArrayList<>(missing), "facts of the format our schema lacks or states otherwise");
        assertEquals(List.of(), new ArrayList<>(extra), "facts of our schema the format does not have");
        assertTrue(format.size() > 1500, "the fact list looks truncated: " + format.size() + " lines");
    }

    /** Every kind of model (each member of Model.Type), with every field of its message set, round-trips. */
    @Test
    void everyModelTypeWithEveryFieldSetRoundTrips() throws Exception {
        OneofDescriptor type = Model.getDescriptor().getOneofs().stream()
                .filter(o -> o.getName().equals("Type")).findFirst().orElseThrow();
        assertEquals(37, type.getFieldCount(), "model types in the format");
        for (FieldDescriptor kind : type.getFields()) {
            Model.Builder b = Model.newBuilder().setSpecificationVersion(9);
            fill(b.getDescriptionBuilder(), 0);
            Message.Builder payload = b.newBuilderForField(kind);
            fill(payload, 0);
            b.setField(kind, payload.build());
            Model model = b.build();
            byte[] bytes = model.toByteArray();
            Model back = Model.parseFrom(bytes);
            assertEquals(kind.getNumber(), back.getTypeCase().getNumber(), kind.getName());
            assertTrue(back.getUnknownFields().asMap().isEmpty(), kind.getName() + " left unknown fields");
            assertEquals(model, back, kind.getName());
            assertArrayEquals(bytes, back.toByteArray(), kind.getName() + " re-serialized differently");
        }
    }

    /** Every probe of the standard profile, as generated, parses and re-serializes to exactly its bytes. */
    @Test
    void everyGeneratedProbeReserializesByteIdentically() throws Exception {
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        int count = 0;
        for (ProbeFamily family : catalog.families()) {
            for (ProbeSpec spec : family.probes(Profile.STANDARD, List.of())) {
                BuiltProbe built = generator.build(family, spec);
                Model parsed = Model.parseFrom(built.bytes());
                assertTrue(parsed.getUnknownFields().asMap().isEmpty(), spec.id() + " left unknown fields");
                assertArrayEquals(built.bytes(), parsed.toByteArray(), spec.id() + " re-serialized differently");
                count++;
            }
        }
        assertTrue(count > 1000, "only " + count + " probes");
    }

    /**
     * Models from elsewhere (public models tried locally, never committed): every {@code .mlmodel} file under the
     * directory named by {@code -Daneprobe.realModels=DIR} (package models included) parses without unknown fields
     * and re-serializes to exactly its bytes. Skipped when the property is not set.
     */
    @Test
    void realModelsReserializeByteIdentically() throws IOException {
        String dir = System.getProperty("aneprobe.realModels");
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), "set -Daneprobe.realModels=DIR to run");
        List<Path> files;
        try (var walk = Files.walk(Path.of(dir))) {
            files = walk.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".mlmodel")).sorted()
                    .toList();
        }
        assertTrue(!files.isEmpty(), "no .mlmodel files under " + dir);
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            Model parsed = Model.parseFrom(bytes);
            assertTrue(parsed.getUnknownFields().asMap().isEmpty(), file + " left unknown fields");
            assertArrayEquals(bytes, parsed.toByteArray(), file + " re-serialized differently");
        }
    }

    static List<String> formatFacts() throws IOException {
        try (InputStream in = SchemaMatchesFormatTest.class.getResourceAsStream("format-facts.txt")) {
            assertTrue(in != null, "format-facts.txt missing");
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    /**
     * Sets every field of a message to a non-default value (the first member of each oneof, one element of each
     * repeated field), recursing into messages a few levels deep; a Model inside (a pipeline's) stops the descent.
     */
    static void fill(Message.Builder b, int depth) {
        for (FieldDescriptor f : b.getDescriptorForType().getFields()) {
            OneofDescriptor oneof = f.getRealContainingOneof();
            if (oneof != null && oneof.getField(0) != f) {
                continue;
            }
            Object value;
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                if (depth >= 4 || f.getMessageType() == Model.getDescriptor()) {
                    continue;
                }
                Message.Builder sub = b.newBuilderForField(f);
                fill(sub, depth + 1);
                value = sub.build();
            } else {
                value = scalar(f);
            }
            if (f.isRepeated()) {
                b.addRepeatedField(f, value);
            } else {
                b.setField(f, value);
            }
        }
    }

    private static Object scalar(FieldDescriptor f) {
        switch (f.getJavaType()) {
            case INT: return 7;
            case LONG: return 7L;
            case FLOAT: return 0.5f;
            case DOUBLE: return 0.25;
            case BOOLEAN: return true;
            case STRING: return "s" + f.getNumber();
            case BYTE_STRING: return ByteString.copyFrom(new byte[] {1, 2, 3});
            case ENUM: {
                var values = f.getEnumType().getValues();
                return values.get(values.size() - 1);
            }
            default: throw new IllegalArgumentException(f.getFullName());
        }
    }
}
