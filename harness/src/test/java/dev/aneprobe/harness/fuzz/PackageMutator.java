package dev.aneprobe.harness.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.probes.coreml.Model;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations of an {@code .mlpackage} on disk: its root model (bytes, fields, wire encoding), its Manifest.json (JSON
 * values removed, retyped, renamed, duplicated; or its text), its weight.bin (header and blob record fields set to
 * edge values, truncated, extended; or its bytes), and its layout (files deleted, replaced by directories, symbolic
 * links to a device, to themselves or out of the package).
 */
public final class PackageMutator {
    static final String MODEL = "Data/com.apple.CoreML/model.mlmodel";
    static final String WEIGHTS = "Data/com.apple.CoreML/weights/weight.bin";
    static final String MANIFEST = "Manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TARGETS = 7;

    private PackageMutator() {
    }

    /** Applies one step to the package at {@code pkg}; {@code outside} is a file beside it, for links leading out. */
    public static void apply(Path pkg, Path outside, Step s) throws IOException {
        Step inner = new Step(s.op() / TARGETS, s.a(), s.b(), s.c());
        Path model = pkg.resolve(MODEL);
        Path weights = pkg.resolve(WEIGHTS);
        Path manifest = pkg.resolve(MANIFEST);
        switch (s.op() % TARGETS) {
            case 0:
                rewrite(model, b -> ByteMutator.apply(b, inner));
                break;
            case 1:
                rewrite(model, b -> {
                    try {
                        return ProtoMutator.apply(Model.parseFrom(b), inner).toByteArray();
                    } catch (IOException e) {
                        return b; // an earlier step broke it already
                    }
                });
                break;
            case 2:
                rewrite(model, b -> WireMutator.apply(b, Model.getDescriptor(), inner));
                break;
            case 3:
                rewrite(manifest, b -> json(b, inner));
                break;
            case 4:
                rewrite(weights, b -> blob(b, inner));
                break;
            case 5:
                rewrite(inner.op() % 2 == 0 ? weights : manifest, b -> ByteMutator.apply(b, inner));
                break;
            default:
                layout(pkg, outside, inner);
                break;
        }
    }

    private interface Bytes {
        byte[] apply(byte[] b) throws IOException;
    }

    private static void rewrite(Path file, Bytes f) throws IOException {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.write(file, f.apply(Files.readAllBytes(file)));
        }
    }

    // ---- Manifest.json ----

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static JsonNode value(int k, JsonNode root) {
        List<JsonNode> values = new ArrayList<>(List.of(NODES.nullNode(), NODES.numberNode(0), NODES.numberNode(-1),
                NODES.numberNode(1.5), NODES.booleanNode(true), NODES.textNode(""), NODES.textNode("1.0.0"),
                NODES.textNode("2.0.0"), NODES.textNode("1.0"), NODES.textNode("0.0.1"),
                NODES.textNode("999999999999.0.0"), NODES.textNode("../../x"), NODES.textNode("/etc/hostname"),
                NODES.textNode("com.apple.CoreML/model.mlmodel"), NODES.textNode("com.apple.CoreML/weights"),
                NODES.textNode("com.apple.CoreML"), NODES.textNode("Manifest.json"), NODES.arrayNode(),
                NODES.objectNode(), NODES.textNode("x".repeat(5000))));
        JsonNode entries = root.get("itemInfoEntries");
        if (entries != null) {
            entries.fieldNames().forEachRemaining(id -> values.add(NODES.textNode(id)));
            entries.elements().forEachRemaining(values::add);
        }
        return values.get(Step.pick(k, values.size())).deepCopy();
    }

    /** Every place in the tree: its container and its key (String) or index (Integer). */
    private static void places(JsonNode n, List<Object[]> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.add(new Object[] {n, e.getKey()});
                places(e.getValue(), out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(new Object[] {n, i});
                places(n.get(i), out);
            }
        }
    }

    private static byte[] json(byte[] text, Step s) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (IOException e) {
            return ByteMutator.apply(text, s);
        }
        if (root == null || !root.isContainerNode()) {
            return ByteMutator.apply(text, s);
        }
        List<Object[]> places = new ArrayList<>();
        places(root, places);
        if (places.isEmpty() || s.op() % 5 == 4) {
            return ByteMutator.apply(text, s);
        }
        Object[] place = places.get(Step.pick(s.a(), places.size()));
        JsonNode v = value(s.c(), root);
        if (place[0] instanceof ObjectNode o) {
            String key = (String) place[1];
            switch (s.op() % 5) {
                case 0:
                    o.remove(key);
                    break;
                case 1:
                    o.set(key, v);
                    break;
                case 2: // rename the key
                    o.set(v.isTextual() ? v.asText() : key + "x", o.remove(key));
                    break;
                default: // a second entry with the same content under another key
                    o.set(key + (v.isTextual() ? v.asText() : "2"), o.get(key).deepCopy());
                    break;
            }
        } else {
            ArrayNode a = (ArrayNode) place[0];
            int i = (Integer) place[1];
            if (s.op() % 5 == 0) {
                a.remove(i);
            } else {
                a.set(i, v);
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    // ---- weight.bin ----

    private static byte[] blob(byte[] file, Step s) {
        if (s.op() % 4 == 3) {
            return ByteMutator.apply(file, s);
        }
        List<Integer> records = new ArrayList<>(List.of(0)); // the header, then every sentinel at a 64-byte boundary
        ByteBuffer le = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 64; at + 64 <= file.length; at += 64) {
            if (le.getInt(at) == 0xDEADBEEF) {
                records.add(at);
            }
        }
        int record = records.get(Step.pick(s.a(), records.size()));
        if (s.op() % 4 == 2) { // cut or extend at that record
            int[] lengths = {record, record + 1, record + 32, record + 63, record + 64, record + 65, file.length + 64};
            int len = lengths[Step.pick(s.c(), lengths.length)];
            byte[] out = Arrays.copyOf(file, len);
            int next = (file.length + 63) / 64 * 64; // where a record after the last blob would be
            if (s.b() % 2 == 0 && next + 4 <= len) { // a stray metadata record there
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(next, 0xDEADBEEF);
            }
            return out;
        }
        int[] fields = {0, 4, 8, 16, 24, 32};
        int field = fields[Step.pick(s.b(), fields.length)];
        if (record + field + 8 > file.length) {
            return file;
        }
        long current = le.getLong(record + field);
        long[] values = {0, 1, -1, 2, 63, 64, 65, 128, 255, 0xDEADBEEFL, file.length, file.length - 1L,
            file.length + 64L, current + 1, current - 1, current + 64, current - 64, Long.MAX_VALUE, Integer.MAX_VALUE,
            Integer.MIN_VALUE, 18, 14, 3};
        long v = values[Step.pick(s.c(), values.length)];
        byte[] out = file.clone();
        ByteBuffer w = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        if (s.op() % 4 == 0 || field == 0 || field == 4) {
            w.putInt(record + field, (int) v);
        } else {
            w.putLong(record + field, v);
        }
        return out;
    }

    // ---- layout ----

    private static void layout(Path pkg, Path outside, Step s) throws IOException {
        Path model = pkg.resolve(MODEL);
        Path weights = pkg.resolve(WEIGHTS);
        Path manifest = pkg.resolve(MANIFEST);
        Path devZero = Path.of("/dev/zero");
        switch (s.op() % 11) {
            case 0:
                if (!Files.isDirectory(weights, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(weights);
                }
                break;
            case 1:
                replaceWithDirectory(weights);
                break;
            case 2:
                if (Files.isRegularFile(model)) {
                    Files.write(model, new byte[0]);
                }
                break;
            case 3:
                if (!Files.isDirectory(manifest, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(manifest);
                }
                break;
            case 4: { // a stray file where weight files live
                byte[] junk = new byte[Step.pick(s.c(), 300)];
                new Random(s.c()).nextBytes(junk);
                Path dir = Files.createDirectories(pkg.resolve("Data/com.apple.CoreML/weights"));
                Files.write(dir.resolve(s.b() % 2 == 0 ? "extra.bin" : "weight.bin.tmp"), junk);
                break;
            }
            case 5:
                if (Files.exists(devZero)) {
                    replaceWithLink(weights, devZero);
                }
                break;
            case 6:
                replaceWithLink(weights, weights.getFileName());
                break;
            case 7:
                if (Files.exists(devZero)) {
                    replaceWithLink(s.b() % 2 == 0 ? model : manifest, devZero);
                }
                break;
            case 8:
                replaceWithLink(s.b() % 2 == 0 ? manifest : model, outside);
                break;
            case 9:
                if (Files.isDirectory(pkg.resolve("Data/com.apple.CoreML"))) {
                    Files.move(pkg.resolve("Data/com.apple.CoreML"), pkg.resolve("Data/com.apple.coreml"));
                }
                break;
            default:
                replaceWithDirectory(model);
                break;
        }
    }

    private static void replaceWithDirectory(Path file) throws IOException {
        if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(file);
            Files.createDirectories(file);
            Files.writeString(file.resolve("inside"), "x", StandardCharsets.UTF_8);
        }
    }

    private static void replaceWithLink(Path file, Path target) throws IOException {
        if (Files.isDirectory(file.getParent()) && !Files.isDirectory(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(file);
            Files.createSymbolicLink(file, target);
        }
    }
}
