package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.MilTypes.integer;
import static dev.aneprobe.probes.validate.MilTypes.integers;
import static dev.aneprobe.probes.validate.MilTypes.staticDims;

import dev.aneprobe.probes.mil.ops.OpRegistry;
import dev.aneprobe.probes.validate.ProgramValidator.Bound;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The output shape of common ops, inferred from their inputs. {@link #RULES} is the one list of the ops covered and
 * the rule each follows; every rule is the op's shape rule in coremltools' op definitions (type_inference of
 * converters/mil/mil/ops/defs, iOS15..iOS18), and none of those ops changes its rule in a later opset except
 * reshape's handling of 0 (see {@link Rule#RESHAPE}). A shape is inferred only when every shape and const it
 * depends on is known; otherwise there is nothing to check.
 */
final class OutputShapes {
    private OutputShapes() {
    }

    /** How an op's output shape follows from its inputs. */
    enum Rule {
        /** The shape of input {@code x} (elementwise unary ops, activations, softmax, normalizations, cast). */
        SAME_AS_X,
        /** Inputs {@code x} and {@code y} broadcast as numpy does (elementwise binary ops and comparisons). */
        BROADCAST_X_Y,
        /**
         * Input {@code x} reshaped to the const {@code shape}: at most one -1, which takes whatever size keeps the
         * element count; a 0 copies a dimension of {@code x} — the same-position one, with the shape's length equal
         * to x's rank, before CoreML7; counted from the right, 1 past x's first dimension, from CoreML7 on. The
         * element count must not change.
         */
        RESHAPE,
        /** Input {@code x} with its dimensions reordered by the const {@code perm} (negative entries count from the end). */
        TRANSPOSE,
        /**
         * The tuple {@code values} joined along the const {@code axis}: equal ranks, equal sizes off the axis (all
         * sizes equal with {@code interleave}), the axis' sizes summed; rank-0 values make a vector of their count.
         */
        CONCAT
    }

    /** The ops whose output shape is checked, and their rules. */
    static final Map<String, Rule> RULES = table(
            Rule.SAME_AS_X,
            // elementwise unary (iOS15 elementwise_unary.py; clip, inverse, log, rsqrt, cast re-versioned in iOS17)
            "abs acos asin atan atanh cast ceil clip cos cosh erf exp exp2 floor inverse log logical_not round rsqrt"
                    + " sign sin sinh sqrt square tan tanh threshold identity"
                    // activations (iOS15 activation.py; the alpha/beta ones re-versioned in iOS17)
                    + " clamped_relu elu gelu leaky_relu linear_activation prelu relu relu6 scaled_tanh sigmoid"
                    + " sigmoid_hard silu softmax softplus softplus_parametric softsign thresholded_relu"
                    // normalizations (iOS15 normalization.py, re-versioned in iOS17)
                    + " batch_norm instance_norm l2_norm layer_norm local_response_norm",
            Rule.BROADCAST_X_Y,
            // iOS15 elementwise_binary.py
            "add sub mul real_div floor_div mod pow maximum minimum equal not_equal greater greater_equal less"
                    + " less_equal logical_and logical_or logical_xor",
            Rule.RESHAPE, "reshape",
            Rule.TRANSPOSE, "transpose",
            Rule.CONCAT, "concat");

    private static Map<String, Rule> table(Object... ruleThenOps) {
        Map<String, Rule> m = new TreeMap<>();
        for (int i = 0; i < ruleThenOps.length; i += 2) {
            Rule rule = (Rule) ruleThenOps[i];
            for (String op : ((String) ruleThenOps[i + 1]).trim().split("\\s+")) {
                if (m.put(op, rule) != null) {
                    throw new IllegalStateException("op " + op + " has two shape rules");
                }
            }
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * What inference found: the output shape, or why the inputs admit none (the text follows the op's label in a
     * problem).
     */
    record Inferred(List<Long> shape, String problem) {
        static Inferred shape(List<Long> shape) {
            return new Inferred(List.copyOf(shape), null);
        }

        static Inferred problem(String text) {
            return new Inferred(null, text);
        }
    }

    /**
     * The output shape of an op of type {@code op} whose signature version starts at {@code signatureOpset}, from
     * its resolved inputs; null when the op has no rule or something it depends on is not statically known.
     */
    static Inferred infer(String op, String signatureOpset, Map<String, List<Bound>> inputs) {
        Rule rule = RULES.get(op);
        if (rule == null) {
            return null;
        }
        return switch (rule) {
            case SAME_AS_X -> {
                List<Long> x = dims(inputs, "x");
                yield x == null ? null : Inferred.shape(x);
            }
            case BROADCAST_X_Y -> broadcast(dims(inputs, "x"), dims(inputs, "y"));
            case RESHAPE -> reshape(dims(inputs, "x"), values(inputs, "shape"),
                    OpRegistry.opsetRank(signatureOpset) >= OpRegistry.opsetRank("CoreML7"));
            case TRANSPOSE -> transpose(dims(inputs, "x"), values(inputs, "perm"));
            case CONCAT -> concat(inputs);
        };
    }

    private static Bound single(Map<String, List<Bound>> inputs, String param) {
        List<Bound> b = inputs.get(param);
        return b == null || b.size() != 1 ? null : b.get(0);
    }

    private static List<Long> dims(Map<String, List<Bound>> inputs, String param) {
        Bound b = single(inputs, param);
        return b == null ? null : staticDims(b.type());
    }

    private static long[] values(Map<String, List<Bound>> inputs, String param) {
        Bound b = single(inputs, param);
        return b == null ? null : integers(b.value());
    }

    static Inferred broadcast(List<Long> x, List<Long> y) {
        if (x == null || y == null) {
            return null;
        }
        int rank = Math.max(x.size(), y.size());
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            // aligned from the right; a missing leading dimension counts as 1
            long a = i < rank - x.size() ? 1 : x.get(i - (rank - x.size()));
            long b = i < rank - y.size() ? 1 : y.get(i - (rank - y.size()));
            if (a == b || b == 1) {
                out.add(a);
            } else if (a == 1) {
                out.add(b);
            } else {
                return Inferred.problem("input shapes " + x + " and " + y + " do not broadcast");
            }
        }
        return Inferred.shape(out);
    }

    private static Inferred reshape(List<Long> x, long[] shape, boolean rightAlignedZeros) {
        if (x == null || shape == null) {
            return null;
        }
        String given = Arrays.toString(shape);
        if (Arrays.stream(shape).filter(s -> s == -1).count() > 1) {
            return Inferred.problem("shape " + given + " has more than one -1");
        }
        long[] to = shape.clone();
        boolean zeros = Arrays.stream(to).anyMatch(s -> s == 0);
        if (zeros && !rightAlignedZeros) {
            if (to.length != x.size()) {
                return Inferred.problem("shape " + given + " has a 0 (copy x's dimension), but its length " + to.length
                        + " differs from the rank of x " + x + " (needed before CoreML7)");
            }
            for (int i = 0; i < to.length; i++) {
                if (to[i] == 0) {
                    to[i] = x.get(i);
                }
            }
        } else if (zeros) {
            for (int i = 0; i < to.length; i++) {
                int fromRight = to.length - 1 - i;
                if (to[i] == 0) {
                    to[i] = fromRight < x.size() ? x.get(x.size() - 1 - fromRight) : 1;
                }
            }
        }
        long total = product(x);
        int unknown = -1;
        long rest = 1;
        for (int i = 0; i < to.length; i++) {
            if (to[i] == -1) {
                unknown = i;
            } else {
                rest *= to[i];
            }
        }
        if (unknown >= 0) {
            if (rest == 0) {
                return null; // any size would do; nothing certain to check
            }
            to[unknown] = Math.floorDiv(total, rest);
        }
        List<Long> out = new ArrayList<>();
        for (long d : to) {
            out.add(d);
        }
        long count = product(out);
        if (count != total) {
            return Inferred.problem("shape " + given + " makes " + count + " elements of x's " + total + " (x is " + x
                    + ")");
        }
        return Inferred.shape(out);
    }

    private static Inferred transpose(List<Long> x, long[] perm) {
        if (x == null || perm == null) {
            return null;
        }
        int rank = x.size();
        if (perm.length != rank) {
            return Inferred.problem("perm " + Arrays.toString(perm) + " has " + perm.length + " entries for x of rank "
                    + rank);
        }
        boolean[] seen = new boolean[rank];
        List<Long> out = new ArrayList<>();
        for (long p : perm) {
            long axis = p < 0 ? p + rank : p;
            if (axis < 0 || axis >= rank || seen[(int) axis]) {
                return Inferred.problem("perm " + Arrays.toString(perm) + " is not a permutation of x's " + rank
                        + " axes");
            }
            seen[(int) axis] = true;
            out.add(x.get((int) axis));
        }
        return Inferred.shape(out);
    }

    private static Inferred concat(Map<String, List<Bound>> inputs) {
        List<Bound> values = inputs.get("values");
        Bound axisBound = single(inputs, "axis");
        Long axisValue = axisBound == null ? null : integer(axisBound.value());
        if (values == null || values.isEmpty() || axisValue == null) {
            return null;
        }
        Bound interleaveBound = single(inputs, "interleave");
        boolean interleave = interleaveBound != null && Boolean.TRUE.equals(MilTypes.bool(interleaveBound.value()));
        if (interleaveBound != null && MilTypes.bool(interleaveBound.value()) == null) {
            return null;
        }
        List<List<Long>> shapes = new ArrayList<>();
        for (Bound b : values) {
            List<Long> d = staticDims(b.type());
            if (d == null) {
                return null;
            }
            shapes.add(d);
        }
        int rank = shapes.get(0).size();
        if (shapes.stream().anyMatch(s -> s.size() != rank)) {
            return Inferred.problem("values have ranks " + shapes.stream().map(List::size).toList()
                    + " (they must be equal)");
        }
        if (rank == 0) {
            return Inferred.shape(List.of((long) shapes.size()));
        }
        long axis = axisValue < 0 ? axisValue + rank : axisValue;
        if (axis < 0 || axis >= rank) {
            return Inferred.problem("axis " + axisValue + " is out of range for values of rank " + rank);
        }
        List<Long> out = new ArrayList<>(shapes.get(0));
        long joined = 0;
        for (List<Long> s : shapes) {
            for (int i = 0; i < rank; i++) {
                if ((i != axis || interleave) && !s.get(i).equals(shapes.get(0).get(i))) {
                    return Inferred.problem("values' shapes " + shapes.get(0) + " and " + s + " differ "
                            + (interleave ? "(interleave needs equal shapes)" : "outside axis " + axis));
                }
            }
            joined += s.get((int) axis);
        }
        out.set((int) axis, joined);
        return Inferred.shape(out);
    }

    private static long product(List<Long> dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }
}
