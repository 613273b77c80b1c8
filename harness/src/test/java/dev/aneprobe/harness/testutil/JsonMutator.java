package dev.aneprobe.harness.testutil;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic mutations of a JSON record (an observation line or an env.json) for the fuzz tests: field-level ones
 * on the parsed tree (a value of another type, a huge or non-finite number, a field removed or added, nested
 * garbage), the cases issue 9 found accepted (each must be refused), and byte-level ones on the text (truncation,
 * bit flips, inserted bytes, a duplicated field). The same seed gives the same mutations.
 */
public final class JsonMutator {
    public enum Kind {
        /** A value replaced by one of another type. */
        TYPE_SWAP,
        /** A number replaced by a huge, negative or non-finite one. */
        HUGE_NUMBER,
        /** A field removed. */
        REMOVE_FIELD,
        /** A field no reader knows added (must change nothing). */
        UNKNOWN_FIELD,
        /** A value replaced by arrays or objects nested up to thousands deep. */
        NESTED_GARBAGE,
        /** One of the cases issue 9 found accepted (observation lines only): must be refused. */
        ISSUE_CASE,
        /** The text cut short. */
        TRUNCATE,
        /** One to three bits flipped. */
        BYTE_FLIP,
        /** A few random bytes inserted. */
        INSERT_BYTES,
        /** A top-level field written twice. */
        DUPLICATE_FIELD
    }

    /** A mutated document: what was done, where, and the bytes. */
    public record Mutation(Kind kind, String where, byte[] bytes) {
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String NEST = "@@nested-garbage@@";
    private final SplittableRandom rnd;

    public JsonMutator(long seed) {
        rnd = new SplittableRandom(seed);
    }

    public int nextInt(int bound) {
        return rnd.nextInt(bound);
    }

    /**
     * One random mutation of {@code json}.
     *
     * @param observation true for an observation line (the issue-9 cases apply, and no newline may be introduced,
     *     so the line stays one line)
     */
    public Mutation mutate(String json, boolean observation) {
        Kind[] kinds = Kind.values();
        Kind k;
        do {
            k = kinds[rnd.nextInt(kinds.length)];
        } while (k == Kind.ISSUE_CASE && !observation);
        return mutate(json, k, observation);
    }

    public Mutation mutate(String json, Kind kind, boolean oneLine) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        switch (kind) {
            case TRUNCATE -> {
                int at = rnd.nextInt(b.length);
                return new Mutation(kind, "at byte " + at, Arrays.copyOf(b, at));
            }
            case BYTE_FLIP -> {
                byte[] out = b.clone();
                int flips = 1 + rnd.nextInt(3);
                StringBuilder where = new StringBuilder();
                for (int i = 0; i < flips; i++) {
                    int at = rnd.nextInt(out.length);
                    byte v;
                    do {
                        v = (byte) (out[at] ^ (1 << rnd.nextInt(8)));
                    } while (oneLine && (v == '\n' || v == '\r'));
                    out[at] = v;
                    where.append(at).append(' ');
                }
                return new Mutation(kind, "bytes " + where.toString().strip(), out);
            }
            case INSERT_BYTES -> {
                int at = rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(8)];
                for (int i = 0; i < ins.length; i++) {
                    do {
                        ins[i] = (byte) rnd.nextInt(256);
                    } while (oneLine && (ins[i] == '\n' || ins[i] == '\r'));
                }
                byte[] out = new byte[b.length + ins.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(ins, 0, out, at, ins.length);
                System.arraycopy(b, at, out, at + ins.length, b.length - at);
                return new Mutation(kind, ins.length + " bytes at " + at, out);
            }
            case DUPLICATE_FIELD -> {
                ObjectNode root = tree(json);
                List<String> names = new ArrayList<>();
                root.fieldNames().forEachRemaining(names::add);
                String name = names.get(rnd.nextInt(names.size()));
                String dup = "\"" + name + "\":" + text(root.get(name)) + ",";
                int open = json.indexOf('{');
                return new Mutation(kind, name, (json.substring(0, open + 1) + dup + json.substring(open + 1))
                        .getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                ObjectNode root = tree(json);
                String where = treeMutation(root, kind);
                String text = text(root);
                if (text.contains(NEST)) {
                    int depth = 1 + rnd.nextInt(3000);
                    boolean arrays = rnd.nextBoolean();
                    String open = arrays ? "[" : "{\"g\":";
                    String close = arrays ? "]" : "}";
                    text = text.replace("\"" + NEST + "\"", open.repeat(depth) + "1" + close.repeat(depth));
                    where += " (depth " + depth + ")";
                }
                return new Mutation(kind, where, text.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private String treeMutation(ObjectNode root, Kind kind) {
        if (kind == Kind.ISSUE_CASE) {
            return issueCase(root);
        }
        if (kind == Kind.UNKNOWN_FIELD) {
            String name = "future" + rnd.nextInt(1000);
            root.set(name, anyValue());
            return name;
        }
        List<Slot> slots = new ArrayList<>();
        collect(root, "", slots);
        if (kind == Kind.HUGE_NUMBER) {
            List<Slot> numbers = slots.stream().filter(s -> s.value().isNumber()).toList();
            slots = numbers.isEmpty() ? slots : numbers;
        }
        if (kind == Kind.REMOVE_FIELD) {
            List<Slot> fields = slots.stream().filter(s -> s.parent().isObject()).toList();
            Slot s = fields.get(rnd.nextInt(fields.size()));
            ((ObjectNode) s.parent()).remove(s.key());
            return s.path();
        }
        Slot s = slots.get(rnd.nextInt(slots.size()));
        JsonNode v = switch (kind) {
            case HUGE_NUMBER -> hugeNumber();
            case NESTED_GARBAGE -> NODES.textNode(NEST);
            default -> otherType(s.value());
        };
        s.set(v);
        return s.path() + " = " + (kind == Kind.NESTED_GARBAGE ? "nested" : text(v));
    }

    /** The issue's cases, and their kin: each makes an observation line unusable. */
    private String issueCase(ObjectNode o) {
        List<String> cases = new ArrayList<>(List.of("probeId=42", "schema=99", "params=null", "units=npu",
                "sha=short", "startedAt=garbage", "runId=other", "probeId=other"));
        JsonNode t = o.get("timing");
        if (t != null && t.isObject() && t.get("summary") != null && t.get("summary").isObject()) {
            cases.addAll(List.of("samplesNs=abc", "samples=negative", "samples=empty", "medianNs=NaN",
                    "medianNs=1e308", "medianNs=-1"));
        }
        if (o.get("verdict") != null) {
            cases.addAll(List.of("verdict.kind=MAYBE", "verdict=removed"));
        }
        String c = cases.get(rnd.nextInt(cases.size()));
        switch (c) {
            case "probeId=42" -> o.put("probeId", 42);
            case "schema=99" -> o.put("schema", 99);
            case "params=null" -> o.putNull("params");
            case "units=npu" -> o.put("units", "npu");
            case "sha=short" -> o.put("modelSha256", "ab");
            case "startedAt=garbage" -> o.put("startedAt", "yesterday");
            case "runId=other" -> o.put("runId", "another-run");
            case "probeId=other" -> o.put("probeId", o.get("family").asText() + "/x=1");
            case "samplesNs=abc" -> ((ObjectNode) t).put("samplesNs", "abc");
            case "samples=negative" -> {
                ArrayNode s = (ArrayNode) t.get("samplesNs");
                s.set(rnd.nextInt(s.size()), NODES.numberNode(-1 - rnd.nextInt(1000)));
            }
            case "samples=empty" -> ((ObjectNode) t).putArray("samplesNs");
            case "medianNs=NaN" -> ((ObjectNode) t.get("summary")).put("medianNs", "NaN");
            case "medianNs=1e308" -> ((ObjectNode) t.get("summary")).put("medianNs", 1e308);
            case "medianNs=-1" -> ((ObjectNode) t.get("summary")).put("medianNs", -1.0);
            case "verdict.kind=MAYBE" -> ((ObjectNode) o.get("verdict")).put("kind", "MAYBE");
            default -> o.remove("verdict");
        }
        return c;
    }

    private JsonNode otherType(JsonNode was) {
        while (true) {
            JsonNode v = anyValue();
            if (v.getNodeType() != was.getNodeType()) {
                return v;
            }
        }
    }

    private JsonNode anyValue() {
        return switch (rnd.nextInt(11)) {
            case 0 -> NODES.numberNode(42);
            case 1 -> NODES.numberNode(-7);
            case 2 -> NODES.numberNode(1.5);
            case 3 -> NODES.textNode("abc");
            case 4 -> NODES.textNode("");
            case 5 -> NODES.nullNode();
            case 6 -> NODES.booleanNode(true);
            case 7 -> NODES.objectNode();
            case 8 -> NODES.arrayNode();
            case 9 -> NODES.arrayNode().add("x").add(NODES.objectNode().putNull("y"));
            default -> NODES.objectNode().set("a", NODES.arrayNode().add(1).add(NODES.objectNode().putNull("b")));
        };
    }

    private JsonNode hugeNumber() {
        return switch (rnd.nextInt(10)) {
            case 0 -> NODES.numberNode(1e308);
            case 1 -> NODES.numberNode(-1e308);
            case 2 -> NODES.numberNode(Long.MAX_VALUE);
            case 3 -> NODES.numberNode(Long.MIN_VALUE);
            case 4 -> NODES.numberNode(new BigInteger("1" + "0".repeat(30)));
            case 5 -> NODES.numberNode(new BigInteger("9".repeat(400)));
            case 6 -> NODES.textNode("NaN");
            case 7 -> NODES.textNode("Infinity");
            case 8 -> NODES.numberNode(-1);
            default -> NODES.numberNode(0);
        };
    }

    /** A place in the tree: its parent, its key (object) or index (array), and its value. */
    private record Slot(JsonNode parent, String key, int index, String path, JsonNode value) {
        void set(JsonNode v) {
            if (parent.isObject()) {
                ((ObjectNode) parent).set(key, v);
            } else {
                ((ArrayNode) parent).set(index, v);
            }
        }
    }

    private static void collect(JsonNode n, String path, List<Slot> out) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                String p = path.isEmpty() ? k : path + "." + k;
                out.add(new Slot(n, k, -1, p, n.get(k)));
                collect(n.get(k), p, out);
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(new Slot(n, null, i, p, n.get(i)));
                collect(n.get(i), p, out);
            }
        }
    }

    private static ObjectNode tree(String json) {
        try {
            return (ObjectNode) Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode n) {
        try {
            return Json.mapper().writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
