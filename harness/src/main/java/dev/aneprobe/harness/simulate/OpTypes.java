package dev.aneprobe.harness.simulate;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.mil.ops.InputSpec;
import dev.aneprobe.probes.mil.ops.OpRegistry;
import dev.aneprobe.probes.mil.ops.OpSignature;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The layer and op types a rule may name, and the parameter names the extractor gives each: a NeuralNetwork layer
 * type is a NeuralNetworkLayer field and its parameters are its message's fields; an ML Program op type is in the
 * op registry and its parameters are its inputs (over every opset version) and, for constexpr ops written before
 * CoreML8, the same names as attributes.
 */
final class OpTypes {
    private static final Map<String, Set<String>> PARAMS = build();

    private OpTypes() {
    }

    private static Map<String, Set<String>> build() {
        Map<String, Set<String>> m = new TreeMap<>();
        Descriptor layer = NeuralNetworkLayer.getDescriptor();
        for (FieldDescriptor f : layer.getRealOneofs().get(0).getFields()) {
            Set<String> names = new LinkedHashSet<>();
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                for (FieldDescriptor p : f.getMessageType().getFields()) {
                    names.add(p.getName());
                }
            }
            m.put(f.getName(), names);
        }
        OpRegistry reg = OpRegistry.standard();
        for (String op : reg.opsIn(OpRegistry.NEWEST_OPSET)) {
            Set<String> names = m.computeIfAbsent(op, k -> new LinkedHashSet<>());
            for (OpSignature s : reg.versions(op)) {
                for (InputSpec i : s.inputs()) {
                    names.add(i.name());
                }
            }
        }
        m.computeIfAbsent("const", k -> new LinkedHashSet<>()).add("val");
        return m;
    }

    static boolean known(String type) {
        return PARAMS.containsKey(type);
    }

    /** The parameter names of a type (empty for an unknown one). */
    static Set<String> params(String type) {
        return PARAMS.getOrDefault(type, Set.of());
    }

    /** The nearest known type names, for "did you mean" in messages. */
    static String suggest(String type) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String k : PARAMS.keySet()) {
            int d = distance(type.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, type.length() / 3) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
