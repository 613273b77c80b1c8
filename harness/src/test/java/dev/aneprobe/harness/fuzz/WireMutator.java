package dev.aneprobe.harness.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Mutations of the protobuf wire encoding itself, guided by the descriptors so sub-messages are parsed as such:
 * change a field's wire type (a varint re-encoded as fixed64 or as a length-delimited field), its number, delete or
 * duplicate it. And encodings that change nothing a parser sees ({@link #equivalent}): fields in another order,
 * packed repeated scalars written unpacked, a singular sub-message split into two occurrences (which protobuf
 * merges). A model with any of those must be judged exactly as before.
 */
public final class WireMutator {
    private WireMutator() {
    }

    /** One field on the wire; {@code children} when it is a sub-message that parsed as one. */
    private static final class Node {
        int number;
        int wireType;
        long value;
        ByteString bytes;
        List<Node> children;
        FieldDescriptor field;

        Node copy() {
            Node n = new Node();
            n.number = number;
            n.wireType = wireType;
            n.value = value;
            n.bytes = bytes;
            n.field = field;
            if (children != null) {
                n.children = new ArrayList<>();
                for (Node c : children) {
                    n.children.add(c.copy());
                }
            }
            return n;
        }
    }

    /** A changed encoding: wire type, number, deletion, duplication (the result may not parse, on purpose). */
    public static byte[] apply(byte[] bytes, Descriptor type, Step s) {
        List<Node> root = parse(ByteString.copyFrom(bytes), type, 0);
        if (root == null) {
            return bytes;
        }
        List<List<Node>> lists = new ArrayList<>();
        lists(root, lists);
        List<Node> list = lists.get(Step.pick(s.a(), lists.size()));
        if (list.isEmpty()) {
            return bytes;
        }
        int i = Step.pick(s.b(), list.size());
        Node n = list.get(i);
        switch (s.op() % 5) {
            case 0: { // another wire type
                int[] types = {WireFormat.WIRETYPE_VARINT, WireFormat.WIRETYPE_FIXED64,
                    WireFormat.WIRETYPE_LENGTH_DELIMITED, WireFormat.WIRETYPE_FIXED32};
                int to = types[Step.pick(s.c(), types.length)];
                if (to == n.wireType) {
                    to = types[(Step.pick(s.c(), types.length) + 1) % types.length];
                }
                retype(n, to);
                break;
            }
            case 1: { // another field number
                int[] numbers = {n.number + 1, Math.max(1, n.number - 1), 1, 2, 3, 19000, (1 << 29) - 1};
                n.number = numbers[Step.pick(s.c(), numbers.length)];
                n.field = null;
                break;
            }
            case 2:
                list.remove(i);
                break;
            case 3:
                list.add(i, n.copy());
                break;
            default: { // cut a length-delimited payload short
                if (n.wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                    ByteString all = encodedPayload(n);
                    n.children = null;
                    n.bytes = all.substring(0, Step.pick(s.c(), all.size() + 1));
                }
                break;
            }
        }
        return encode(root);
    }

    /** An encoding a protobuf parser reads as the same message; {@code s} picks where and how. */
    public static byte[] equivalent(byte[] bytes, Descriptor type, Step s) {
        List<Node> root = parse(ByteString.copyFrom(bytes), type, 0);
        if (root == null) {
            throw new IllegalArgumentException("not a " + type.getFullName());
        }
        List<List<Node>> lists = new ArrayList<>();
        lists(root, lists);
        List<Node> list = lists.get(Step.pick(s.a(), lists.size()));
        switch (s.op() % 3) {
            case 0: { // other field order; fields of one number keep theirs (repeated order, last one wins)
                Random r = new Random(s.b());
                Map<Integer, Integer> rank = new HashMap<>();
                for (Node n : list) {
                    rank.computeIfAbsent(n.number, k -> r.nextInt());
                }
                list.sort(Comparator.comparing(n -> rank.get(n.number)));
                break;
            }
            case 1: { // a packed repeated scalar written unpacked
                for (int i = 0; i < list.size(); i++) {
                    Node n = list.get(i);
                    if (n.field != null && n.field.isPackable() && n.wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        List<Node> unpacked = unpack(n);
                        list.remove(i);
                        list.addAll(i, unpacked);
                        break;
                    }
                }
                break;
            }
            default: { // a singular sub-message split in two occurrences
                for (int i = 0; i < list.size(); i++) {
                    Node n = list.get(i);
                    if (n.children != null && n.field != null && !n.field.isRepeated()) {
                        int at = Step.pick(s.b(), n.children.size() + 1);
                        Node first = n.copy();
                        first.children = new ArrayList<>(n.children.subList(0, at));
                        Node second = n.copy();
                        second.children = new ArrayList<>(n.children.subList(at, n.children.size()));
                        list.set(i, first);
                        list.add(i + 1, second);
                        break;
                    }
                }
                break;
            }
        }
        return encode(root);
    }

    private static void lists(List<Node> list, List<List<Node>> out) {
        out.add(list);
        for (Node n : list) {
            if (n.children != null) {
                lists(n.children, out);
            }
        }
    }

    /** The fields of a message, or null when the bytes are not one (or use groups, which no Core ML field does). */
    private static List<Node> parse(ByteString bytes, Descriptor type, int depth) {
        if (depth > 60) {
            return null;
        }
        List<Node> out = new ArrayList<>();
        try {
            CodedInputStream in = bytes.newCodedInput();
            while (!in.isAtEnd()) {
                int tag = in.readTag();
                Node n = new Node();
                n.number = WireFormat.getTagFieldNumber(tag);
                n.wireType = WireFormat.getTagWireType(tag);
                n.field = type == null ? null : type.findFieldByNumber(n.number);
                switch (n.wireType) {
                    case WireFormat.WIRETYPE_VARINT:
                        n.value = in.readRawVarint64();
                        break;
                    case WireFormat.WIRETYPE_FIXED64:
                        n.value = in.readRawLittleEndian64();
                        break;
                    case WireFormat.WIRETYPE_FIXED32:
                        n.value = in.readRawLittleEndian32();
                        break;
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED:
                        n.bytes = in.readBytes();
                        if (n.field != null && n.field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                            n.children = parse(n.bytes, n.field.getMessageType(), depth + 1);
                        }
                        break;
                    default:
                        return null;
                }
                out.add(n);
            }
        } catch (IOException e) {
            return null;
        }
        return out;
    }

    private static void retype(Node n, int to) {
        long v = n.wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? encodedPayload(n).size() : n.value;
        ByteString payload = n.wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED ? encodedPayload(n) : varint(v);
        n.children = null;
        n.wireType = to;
        if (to == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            n.bytes = payload;
        } else {
            n.value = to == WireFormat.WIRETYPE_FIXED32 ? (int) v : v;
        }
    }

    private static List<Node> unpack(Node packed) {
        List<Node> out = new ArrayList<>();
        try {
            CodedInputStream in = packed.bytes.newCodedInput();
            int wire = packed.field.getLiteType().getWireType();
            while (!in.isAtEnd()) {
                Node n = new Node();
                n.number = packed.number;
                n.field = packed.field;
                n.wireType = wire;
                n.value = wire == WireFormat.WIRETYPE_FIXED32 ? in.readRawLittleEndian32()
                        : wire == WireFormat.WIRETYPE_FIXED64 ? in.readRawLittleEndian64() : in.readRawVarint64();
                out.add(n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static ByteString encodedPayload(Node n) {
        return n.children != null ? ByteString.copyFrom(encode(n.children)) : n.bytes;
    }

    private static ByteString varint(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(b);
            out.writeUInt64NoTag(v);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(b.toByteArray());
    }

    private static byte[] encode(List<Node> nodes) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(b);
            for (Node n : nodes) {
                out.writeTag(n.number, n.wireType);
                switch (n.wireType) {
                    case WireFormat.WIRETYPE_VARINT:
                        out.writeUInt64NoTag(n.value);
                        break;
                    case WireFormat.WIRETYPE_FIXED64:
                        out.writeFixed64NoTag(n.value);
                        break;
                    case WireFormat.WIRETYPE_FIXED32:
                        out.writeFixed32NoTag((int) n.value);
                        break;
                    default:
                        out.writeBytesNoTag(encodedPayload(n));
                        break;
                }
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }
}
