package dev.aneprobe.harness.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

/**
 * Field-level mutations of a protobuf message, through its descriptors: every field of every sub-message (set or
 * not) is a place; a step clears it, sets it to an edge value (0, -1, the type's extremes, NaN, an unknown enum
 * number, an empty or reused string), removes, duplicates or swaps repeated elements, moves a oneof to another of its
 * cases (another layer type, another value kind), or copies in another message of the same type from the model.
 */
public final class ProtoMutator {
    private static final long[] INTEGERS = {0, 1, -1, 2, 3, 4, 7, 8, 16, 64, 127, 128, 255, 256, 1000, 65535, 65536,
        16384, 16385, Integer.MAX_VALUE, Integer.MIN_VALUE, 1L << 31, 1L << 32, 1L << 53, Long.MAX_VALUE,
        Long.MIN_VALUE};
    private static final double[] REALS = {0, -0.0, 1, -1, 0.5, 2, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, 1e38, 3.5e38, Float.MIN_VALUE, 1e308, -1e-45};
    private static final String[] STRINGS = {"", "x", "y", "probe", "main", "CoreML5", "CoreML9", "const", "fp16",
        "a\nb", "\u00e9\u00e8", "x".repeat(300), "valid", "same", "@model_path/weights/weight.bin", "../x"};

    private ProtoMutator() {
    }

    /** A place: the path from the root to a message, and one of its fields (an element of it, or index -1). */
    private record Slot(List<Object[]> path, FieldDescriptor field, int index) {
    }

    @SuppressWarnings("unchecked")
    public static <M extends Message> M apply(M root, Step s) {
        List<Slot> slots = new ArrayList<>();
        collect(root, new ArrayList<>(), slots);
        if (slots.isEmpty()) {
            return root;
        }
        Slot slot = slots.get(Step.pick(s.a(), slots.size()));
        Pools pools = new Pools(root);
        return (M) rebuild(root, slot.path(), 0, b -> change(b, slot.field(), slot.index(), s, pools));
    }

    private static void collect(Message m, List<Object[]> path, List<Slot> out) {
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            boolean message = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
            if (f.isRepeated()) {
                int n = m.getRepeatedFieldCount(f);
                out.add(new Slot(path, f, -1));
                for (int i = 0; i < n; i++) {
                    if (!message && i >= 4 && i != n - 1) {
                        continue; // a few elements of long scalar lists (weights) are enough
                    }
                    out.add(new Slot(path, f, i));
                    if (message) {
                        List<Object[]> sub = new ArrayList<>(path);
                        sub.add(new Object[] {f, i});
                        collect((Message) m.getRepeatedField(f, i), sub, out);
                    }
                }
            } else {
                out.add(new Slot(path, f, -1));
                if (message && m.hasField(f)) {
                    List<Object[]> sub = new ArrayList<>(path);
                    sub.add(new Object[] {f, -1});
                    collect((Message) m.getField(f), sub, out);
                }
            }
        }
    }

    private interface Change {
        void apply(Message.Builder b);
    }

    private static Message rebuild(Message m, List<Object[]> path, int depth, Change change) {
        Message.Builder b = m.toBuilder();
        if (depth == path.size()) {
            change.apply(b);
            return b.build();
        }
        FieldDescriptor f = (FieldDescriptor) path.get(depth)[0];
        int i = (Integer) path.get(depth)[1];
        if (i < 0) {
            b.setField(f, rebuild((Message) m.getField(f), path, depth + 1, change));
        } else {
            b.setRepeatedField(f, i, rebuild((Message) m.getRepeatedField(f, i), path, depth + 1, change));
        }
        return b.build();
    }

    private static void change(Message.Builder b, FieldDescriptor f, int index, Step s, Pools pools) {
        switch (s.op() % 8) {
            case 0: // clear the field, or remove one element
                if (index < 0) {
                    b.clearField(f);
                } else {
                    List<Object> keep = new ArrayList<>();
                    for (int i = 0; i < b.getRepeatedFieldCount(f); i++) {
                        if (i != index) {
                            keep.add(b.getRepeatedField(f, i));
                        }
                    }
                    b.clearField(f);
                    keep.forEach(v -> b.addRepeatedField(f, v));
                }
                return;
            case 1: // duplicate an element (a repeated name, a second output, a second weight)
                if (f.isRepeated() && b.getRepeatedFieldCount(f) > 0) {
                    int n = b.getRepeatedFieldCount(f);
                    b.addRepeatedField(f, b.getRepeatedField(f, index >= 0 ? index : Step.pick(s.b(), n)));
                    return;
                }
                break;
            case 2: // swap two elements
                if (index >= 0 && b.getRepeatedFieldCount(f) > 1) {
                    int other = Step.pick(s.b(), b.getRepeatedFieldCount(f));
                    Object x = b.getRepeatedField(f, index);
                    b.setRepeatedField(f, index, b.getRepeatedField(f, other));
                    b.setRepeatedField(f, other, x);
                    return;
                }
                break;
            case 3: { // another case of the same oneof: another layer type, another value kind
                OneofDescriptor oneof = f.getRealContainingOneof();
                if (oneof != null) {
                    FieldDescriptor to = oneof.getField(Step.pick(s.b(), oneof.getFieldCount()));
                    b.setField(to, edgeValue(b, to, s, pools));
                    return;
                }
                break;
            }
            case 4: // copy in another message of the same type from the model
                if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    List<Message> same = pools.messages.getOrDefault(f.getMessageType().getFullName(), List.of());
                    if (!same.isEmpty()) {
                        set(b, f, index, same.get(Step.pick(s.b(), same.size())));
                        return;
                    }
                }
                break;
            default:
                break;
        }
        // set (or append) an edge value
        set(b, f, index, edgeValue(b, f, s, pools));
    }

    private static void set(Message.Builder b, FieldDescriptor f, int index, Object v) {
        if (!f.isRepeated()) {
            b.setField(f, v);
        } else if (index >= 0) {
            b.setRepeatedField(f, index, v);
        } else {
            b.addRepeatedField(f, v);
        }
    }

    private static Object edgeValue(Message.Builder b, FieldDescriptor f, Step s, Pools pools) {
        int k = s.c();
        switch (f.getJavaType()) {
            case INT:
                return (int) INTEGERS[Step.pick(k, INTEGERS.length)];
            case LONG:
                return INTEGERS[Step.pick(k, INTEGERS.length)];
            case FLOAT:
                return (float) REALS[Step.pick(k, REALS.length)];
            case DOUBLE:
                return REALS[Step.pick(k, REALS.length)];
            case BOOLEAN:
                return k % 2 == 0;
            case STRING:
                if (k % 2 == 0 && !pools.strings.isEmpty()) {
                    return pools.strings.get(Step.pick(k / 2, pools.strings.size()));
                }
                return STRINGS[Step.pick(k / 2, STRINGS.length)];
            case BYTE_STRING: {
                byte[] bytes = new byte[Step.pick(k, 40)];
                new Random(k).nextBytes(bytes);
                return ByteString.copyFrom(bytes);
            }
            case ENUM: {
                EnumDescriptor e = f.getEnumType();
                int i = Step.pick(k, e.getValues().size() + 3);
                if (i < e.getValues().size()) {
                    return e.getValues().get(i);
                }
                int[] unknown = {-1, 999, Integer.MAX_VALUE};
                return e.isClosed() ? e.getValues().get(0)
                        : e.findValueByNumberCreatingIfUnknown(unknown[i - e.getValues().size()]);
            }
            default: // MESSAGE: an empty one, or one from the model
                List<Message> same = pools.messages.getOrDefault(f.getMessageType().getFullName(), List.of());
                if (k % 2 == 1 && !same.isEmpty()) {
                    return same.get(Step.pick(k / 2, same.size()));
                }
                return b.newBuilderForField(f).build();
        }
    }

    /** Strings and messages of the model, to reuse: names that collide, references to other blobs, other layers. */
    private static final class Pools {
        final List<String> strings;
        final Map<String, List<Message>> messages = new HashMap<>();

        Pools(Message root) {
            TreeSet<String> s = new TreeSet<>();
            walk(root, s);
            strings = new ArrayList<>(s);
        }

        private void walk(Message m, TreeSet<String> s) {
            messages.computeIfAbsent(m.getDescriptorForType().getFullName(), k -> new ArrayList<>()).add(m);
            for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
                FieldDescriptor f = e.getKey();
                List<?> values = f.isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
                for (Object v : values) {
                    if (v instanceof Message sub) {
                        walk(sub, s);
                    } else if (v instanceof String str && s.size() < 200) {
                        s.add(str);
                    }
                }
            }
        }
    }
}
