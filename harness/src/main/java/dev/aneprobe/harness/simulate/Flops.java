package dev.aneprobe.harness.simulate;

import java.util.List;
import java.util.Map;

/**
 * A rough arithmetic count per layer or op (a multiply-add counts 2), for the latency model and for rules: enough to
 * make a convolution or a matrix product cost more than an element-wise op of the same output size.
 */
final class Flops {
    private Flops() {
    }

    static long estimate(OpFacts op) {
        long out = op.elements();
        long in = 0;
        for (TensorFacts t : op.inputs()) {
            if (!t.constant()) {
                in = Math.max(in, t.elements());
            }
        }
        Map<String, Object> p = op.params();
        switch (op.type()) {
            case "convolution" -> {
                long kc = num(p.get("kernelChannels"), 1) / Math.max(1, num(p.get("nGroups"), 1));
                return 2 * out * Math.max(1, kc) * product(p.get("kernelSize"));
            }
            case "innerProduct" -> {
                return 2 * num(p.get("inputChannels"), 1) * num(p.get("outputChannels"), 1);
            }
            case "pooling", "pooling3d" -> {
                return out * product(p.get("kernelSize"));
            }
            case "max_pool", "avg_pool", "l2_pool" -> {
                return out * product(p.get("kernel_sizes"));
            }
            case "conv", "conv_transpose" -> {
                long w = weightElements(op, "weight");
                long cout = 1;
                for (TensorFacts t : op.inputs()) {
                    if ("weight".equals(t.param()) && t.shape() != null && !t.shape().isEmpty()) {
                        cout = Math.max(1, t.shape().get(0));
                    }
                }
                return 2 * out * Math.max(1, w / cout);
            }
            case "matmul", "linear", "batchedMatmul", "einsum" -> {
                return 2 * out * lastDim(op);
            }
            case "scaled_dot_product_attention" -> {
                long l = 1;
                long s = 1;
                long e = 1;
                long b = 1;
                for (TensorFacts t : op.inputs()) {
                    List<Long> sh = t.shape();
                    if (sh == null || sh.size() < 2) {
                        continue;
                    }
                    if ("query".equals(t.param())) {
                        l = sh.get(sh.size() - 2);
                        e = sh.get(sh.size() - 1);
                        b = Math.max(1, t.elements() / Math.max(1, l * e));
                    } else if ("key".equals(t.param())) {
                        s = sh.get(sh.size() - 2);
                    }
                }
                return 4 * b * l * s * e;
            }
            default -> {
                return Math.max(out, in);
            }
        }
    }

    private static long lastDim(OpFacts op) {
        TensorFacts x = op.firstVariableInput();
        if (x == null || x.shape() == null || x.shape().isEmpty()) {
            return 1;
        }
        return Math.max(1, x.shape().get(x.shape().size() - 1));
    }

    private static long weightElements(OpFacts op, String name) {
        for (WeightFacts w : op.weights()) {
            if (w.name().equals(name)) {
                return w.elements();
            }
        }
        return 1;
    }

    private static long num(Object o, long fallback) {
        return o instanceof Number n && n.longValue() > 0 ? n.longValue() : fallback;
    }

    private static long product(Object o) {
        long p = 1;
        if (o instanceof List<?> l) {
            for (Object v : l) {
                p *= Math.max(1, num(v, 1));
            }
        }
        return p;
    }
}
