package dev.aneprobe.harness.rewrite;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The replacements the seed document suggests for layers that keep a model off the ANE (section "Broadcastable
 * layers" of both versions; the load-constant one only in v2), one rule per layer type replaced. The ids are stable:
 * {@code rewrite --only} and lint's output use them.
 */
public enum RewriteRule {
    ADD_BROADCASTABLE("add-broadcastable", "addBroadcastable",
            "AddBroadcastable -> Add (or, with a constant operand, a linear Activation or a Scale with bias)"),
    MULTIPLY_BROADCASTABLE("multiply-broadcastable", "multiplyBroadcastable",
            "MultiplyBroadcastable -> Multiply, Scale, or a linear Activation (constant scalar)"),
    SUBTRACT_BROADCASTABLE("subtract-broadcastable", "subtractBroadcastable",
            "SubtractBroadcastable -> linear Activation (alpha -1) then Add (a constant operand: one Activation "
                    + "or Scale with bias)"),
    CONCAT_ND("concat-nd", "concatND", "ConcatND -> Concat (axis -3, or -5 as a sequence concat)"),
    LOAD_CONSTANT_ND("load-constant-nd", "loadConstantND",
            "LoadConstantND -> LoadConstant (a rank-5 [1,1,C,H,W] constant)");

    private final String id;
    private final String layerType;
    private final String description;

    RewriteRule(String id, String layerType, String description) {
        this.id = id;
        this.layerType = layerType;
        this.description = description;
    }

    /** The stable name, e.g. {@code concat-nd}. */
    public String id() {
        return id;
    }

    /** The NeuralNetworkLayer oneof field it replaces. */
    public String layerType() {
        return layerType;
    }

    public String description() {
        return description;
    }

    /** The rule named {@code id}, or null. */
    public static RewriteRule byId(String id) {
        for (RewriteRule r : values()) {
            if (r.id.equals(id.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }

    /** The rule replacing layers of this type, or null. */
    public static RewriteRule forLayerType(String type) {
        for (RewriteRule r : values()) {
            if (r.layerType.equals(type)) {
                return r;
            }
        }
        return null;
    }

    public static String ids() {
        return Arrays.stream(values()).map(RewriteRule::id).collect(Collectors.joining(", "));
    }
}
