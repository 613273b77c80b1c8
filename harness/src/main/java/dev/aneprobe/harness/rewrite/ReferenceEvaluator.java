package dev.aneprobe.harness.rewrite;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.ScaleLayerParams;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.model.Fp16;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small fp32 reference evaluator for exactly the layers the rewrites touch, in an ND network (exact array
 * mapping), each with Core ML's rules as its NeuralNetwork specification states them:
 * <ul>
 * <li>{@code addBroadcastable}, {@code multiplyBroadcastable}, {@code subtractBroadcastable}: two inputs, NumPy
 * broadcasting (shapes aligned on the right; each axis equal or 1);
 * <li>{@code add}, {@code multiply} (the original layers): one input plus or times {@code alpha}, or several inputs
 * with the limited broadcasting the specification allows: the output has the first input's shape, every input has
 * its rank, and the others are, in their last three axes [C, H, W], one of [1, 1, 1], [C, 1, 1], [1, H, W] or
 * [C, H, W] with every axis before those equal (below rank 3, the same shape);
 * <li>{@code scale}: an input of rank 3 or more times a scale, plus a bias when {@code hasBias}, each of shape [1],
 * [C], [1, H, W] or [C, H, W] against the input's last three axes (the axes before are batch);
 * <li>{@code activation} with a linear function: alpha · x + beta;
 * <li>{@code concat}: inputs of one rank, rank 3 or more, joined along axis -3 (along -5, rank 5 or more, with
 * {@code sequenceConcat}); {@code concatND}: along its {@code axis} (not interleaved);
 * <li>{@code loadConstant}: its [C, H, W] data as the rank-5 blob [1, 1, C, H, W] that Core ML makes of it in an ND
 * network; {@code loadConstantND}: its data in its shape.
 * </ul>
 * Anything else, and any use outside those rules, is {@link NotEvaluableException}: a rewrite the evaluator cannot
 * check is not offered. Weights are read as float32 or float16; quantized weights are not evaluated.
 */
public final class ReferenceEvaluator {
    /** The layer cannot be evaluated here, with the reason in words. */
    public static final class NotEvaluableException extends Exception {
        public NotEvaluableException(String message) {
            super(message);
        }
    }

    private ReferenceEvaluator() {
    }

    /** The output shape of each layer in turn, from the input blobs' shapes (no values computed). */
    public static Map<String, long[]> shapes(List<NeuralNetworkLayer> layers, Map<String, long[]> inputs)
            throws NotEvaluableException {
        Map<String, long[]> blobs = new HashMap<>(inputs);
        for (NeuralNetworkLayer layer : layers) {
            List<long[]> in = new ArrayList<>();
            for (String name : layer.getInputList()) {
                long[] s = blobs.get(name);
                if (s == null) {
                    throw new NotEvaluableException("layer '" + layer.getName() + "' reads '" + name
                            + "', whose shape is not known");
                }
                in.add(s);
            }
            blobs.put(single(layer), outputShape(layer, in));
        }
        return blobs;
    }

    /** Runs the layers in order on the given input blobs; returns every blob, inputs included. */
    public static Map<String, FloatTensor> run(List<NeuralNetworkLayer> layers, Map<String, FloatTensor> inputs)
            throws NotEvaluableException {
        Map<String, FloatTensor> blobs = new HashMap<>(inputs);
        for (NeuralNetworkLayer layer : layers) {
            List<FloatTensor> in = new ArrayList<>();
            for (String name : layer.getInputList()) {
                FloatTensor t = blobs.get(name);
                if (t == null) {
                    throw new NotEvaluableException("layer '" + layer.getName() + "' reads '" + name
                            + "', which no layer or input gave");
                }
                in.add(t);
            }
            blobs.put(single(layer), evaluate(layer, in));
        }
        return blobs;
    }

    private static String single(NeuralNetworkLayer layer) throws NotEvaluableException {
        if (layer.getOutputCount() != 1) {
            throw new NotEvaluableException("layer '" + layer.getName() + "' has " + layer.getOutputCount()
                    + " outputs; the evaluated layers have one");
        }
        return layer.getOutput(0);
    }

    /** The shape the layer gives its output, or why it cannot be evaluated. */
    public static long[] outputShape(NeuralNetworkLayer layer, List<long[]> in) throws NotEvaluableException {
        String who = "layer '" + layer.getName() + "'";
        switch (layer.getLayerCase()) {
            case ADDBROADCASTABLE:
            case MULTIPLYBROADCASTABLE:
            case SUBTRACTBROADCASTABLE:
                arity(layer, in, 2, 2);
                return numpyShape(who, in.get(0), in.get(1));
            case ADD:
            case MULTIPLY:
                arity(layer, in, 1, Integer.MAX_VALUE);
                return legacyShape(who, in);
            case SCALE: {
                arity(layer, in, 1, 1);
                long[] x = in.get(0);
                ScaleLayerParams p = layer.getScale();
                constantShape(who, "scale", x, p.getShapeScaleList());
                values(who, p.getScale(), count(p.getShapeScaleList()));
                if (p.getHasBias()) {
                    constantShape(who, "bias", x, p.getShapeBiasList());
                    values(who, p.getBias(), count(p.getShapeBiasList()));
                }
                return x.clone();
            }
            case ACTIVATION:
                arity(layer, in, 1, 1);
                if (layer.getActivation().getNonlinearityTypeCase()
                        != ActivationParams.NonlinearityTypeCase.LINEAR) {
                    throw new NotEvaluableException(who + ": only the linear activation is evaluated");
                }
                return in.get(0).clone();
            case CONCAT: {
                arity(layer, in, 2, Integer.MAX_VALUE);
                int rank = in.get(0).length;
                boolean sequence = layer.getConcat().getSequenceConcat();
                int min = sequence ? 5 : 3;
                if (rank < min) {
                    throw new NotEvaluableException(who + ": concat needs rank " + min + " or more, not " + rank);
                }
                return concatShape(who, in, rank - min);
            }
            case CONCATND: {
                arity(layer, in, 2, Integer.MAX_VALUE);
                if (layer.getConcatND().getInterleave()) {
                    throw new NotEvaluableException(who + ": interleaved concatND is not evaluated");
                }
                int rank = in.get(0).length;
                long axis = layer.getConcatND().getAxis();
                if (axis < -rank || axis >= rank) {
                    throw new NotEvaluableException(who + ": axis " + axis + " outside rank " + rank);
                }
                return concatShape(who, in, (int) (axis < 0 ? axis + rank : axis));
            }
            case LOADCONSTANT: {
                arity(layer, in, 0, 0);
                List<Long> s = layer.getLoadConstant().getShapeList();
                if (s.size() != 3) {
                    throw new NotEvaluableException(who + ": loadConstant needs a [C, H, W] shape");
                }
                values(who, layer.getLoadConstant().getData(), count(s));
                return new long[] {1, 1, s.get(0), s.get(1), s.get(2)};
            }
            case LOADCONSTANTND: {
                arity(layer, in, 0, 0);
                List<Long> s = layer.getLoadConstantND().getShapeList();
                if (s.isEmpty()) {
                    throw new NotEvaluableException(who + ": loadConstantND has no shape");
                }
                values(who, layer.getLoadConstantND().getData(), count(s));
                return s.stream().mapToLong(Long::longValue).toArray();
            }
            default:
                throw new NotEvaluableException(who + ": the reference evaluator has no rule for layer type "
                        + layer.getLayerCase().name());
        }
    }

    private static FloatTensor evaluate(NeuralNetworkLayer layer, List<FloatTensor> in)
            throws NotEvaluableException {
        List<long[]> shapes = new ArrayList<>();
        for (FloatTensor t : in) {
            shapes.add(t.shape());
        }
        long[] out = outputShape(layer, shapes);
        String who = "layer '" + layer.getName() + "'";
        switch (layer.getLayerCase()) {
            case ADDBROADCASTABLE:
                return broadcast(out, in, (a, b) -> a + b);
            case SUBTRACTBROADCASTABLE:
                return broadcast(out, in, (a, b) -> a - b);
            case MULTIPLYBROADCASTABLE:
                return broadcast(out, in, (a, b) -> a * b);
            case ADD: {
                if (in.size() == 1) {
                    float alpha = layer.getAdd().getAlpha();
                    return map(in.get(0), v -> v + alpha);
                }
                return broadcast(out, in, (a, b) -> a + b);
            }
            case MULTIPLY: {
                if (in.size() == 1) {
                    float alpha = layer.getMultiply().getAlpha();
                    return map(in.get(0), v -> alpha * v);
                }
                return broadcast(out, in, (a, b) -> a * b);
            }
            case SCALE: {
                ScaleLayerParams p = layer.getScale();
                FloatTensor x = in.get(0);
                FloatTensor s = new FloatTensor(alignedConstant(x.shape(), p.getShapeScaleList()),
                        values(who, p.getScale(), count(p.getShapeScaleList())));
                FloatTensor y = broadcast(out, List.of(x, s), (a, b) -> a * b);
                if (p.getHasBias()) {
                    FloatTensor b = new FloatTensor(alignedConstant(x.shape(), p.getShapeBiasList()),
                            values(who, p.getBias(), count(p.getShapeBiasList())));
                    y = broadcast(out, List.of(y, b), (a, c) -> a + c);
                }
                return y;
            }
            case ACTIVATION: {
                float alpha = layer.getActivation().getLinear().getAlpha();
                float beta = layer.getActivation().getLinear().getBeta();
                return map(in.get(0), v -> alpha * v + beta);
            }
            case CONCAT:
                return concat(out, in, out.length - (layer.getConcat().getSequenceConcat() ? 5 : 3));
            case CONCATND: {
                long axis = layer.getConcatND().getAxis();
                return concat(out, in, (int) (axis < 0 ? axis + out.length : axis));
            }
            case LOADCONSTANT:
                return new FloatTensor(out, values(who, layer.getLoadConstant().getData(), FloatTensor.count(out)));
            case LOADCONSTANTND:
                return new FloatTensor(out, values(who, layer.getLoadConstantND().getData(),
                        FloatTensor.count(out)));
            default:
                throw new NotEvaluableException(who + ": no rule for " + layer.getLayerCase().name());
        }
    }

    // ---------------------------------------------------------------- shapes

    private static void arity(NeuralNetworkLayer layer, List<long[]> in, int min, int max)
            throws NotEvaluableException {
        if (in.size() < min || in.size() > max) {
            throw new NotEvaluableException("layer '" + layer.getName() + "' has " + in.size() + " inputs");
        }
    }

    /** NumPy broadcasting of two shapes, or why they do not broadcast. */
    public static long[] numpyShape(String who, long[] a, long[] b) throws NotEvaluableException {
        int rank = Math.max(a.length, b.length);
        long[] out = new long[rank];
        for (int i = 1; i <= rank; i++) {
            long x = i <= a.length ? a[a.length - i] : 1;
            long y = i <= b.length ? b[b.length - i] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new NotEvaluableException(who + ": shapes " + text(a) + " and " + text(b)
                        + " do not broadcast");
            }
            out[rank - i] = Math.max(x, y);
        }
        return out;
    }

    /**
     * Whether {@code other} fits the original add/multiply layers' limited broadcasting against {@code full}: same
     * rank; below rank 3 the same shape; from rank 3, every axis before the last three equal and the last three one
     * of [1, 1, 1], [C, 1, 1], [1, H, W] or [C, H, W].
     */
    public static boolean legacyBroadcasts(long[] full, long[] other) {
        if (full.length != other.length) {
            return false;
        }
        int r = full.length;
        if (r < 3) {
            return Arrays.equals(full, other);
        }
        for (int i = 0; i < r - 3; i++) {
            if (full[i] != other[i]) {
                return false;
            }
        }
        boolean c = other[r - 3] == full[r - 3];
        boolean h = other[r - 2] == full[r - 2];
        boolean w = other[r - 1] == full[r - 1];
        boolean c1 = other[r - 3] == 1;
        boolean hw1 = other[r - 2] == 1 && other[r - 1] == 1;
        return (c && h && w) || ((c || c1) && hw1) || (c1 && h && w);
    }

    private static long[] legacyShape(String who, List<long[]> in) throws NotEvaluableException {
        long[] first = in.get(0);
        for (int i = 1; i < in.size(); i++) {
            if (!legacyBroadcasts(first, in.get(i))) {
                throw new NotEvaluableException(who + ": input " + (i + 1) + " " + text(in.get(i))
                        + " is not one of the shapes the layer broadcasts against the first input " + text(first)
                        + " ([1,1,1], [C,1,1], [1,H,W] or [C,H,W] in the last three axes, the others equal)");
            }
        }
        return first.clone();
    }

    /** Whether a scale/bias constant of this shape applies to an input of shape {@code x} (rank 3 or more). */
    public static boolean scaleShapeFits(long[] x, List<Long> shape) {
        if (x.length < 3) {
            return false;
        }
        long c = x[x.length - 3];
        long h = x[x.length - 2];
        long w = x[x.length - 1];
        if (shape.size() == 1) {
            return shape.get(0) == 1 || shape.get(0) == c;
        }
        return shape.size() == 3 && (shape.get(0) == 1 || shape.get(0) == c) && shape.get(1) == h
                && shape.get(2) == w;
    }

    private static void constantShape(String who, String what, long[] x, List<Long> shape)
            throws NotEvaluableException {
        if (!scaleShapeFits(x, shape)) {
            throw new NotEvaluableException(who + ": " + what + " shape " + shape + " does not fit input " + text(x)
                    + " ([1], [C], [1,H,W] or [C,H,W], input of rank 3 or more)");
        }
    }

    /** A scale/bias constant's shape as the rank-{@code x} shape it broadcasts as. */
    private static long[] alignedConstant(long[] x, List<Long> shape) {
        long[] out = new long[x.length];
        Arrays.fill(out, 1);
        if (shape.size() == 1) {
            out[x.length - 3] = shape.get(0);
        } else {
            for (int i = 0; i < 3; i++) {
                out[x.length - 3 + i] = shape.get(i);
            }
        }
        return out;
    }

    private static long[] concatShape(String who, List<long[]> in, int axis) throws NotEvaluableException {
        long[] out = in.get(0).clone();
        for (int i = 1; i < in.size(); i++) {
            long[] s = in.get(i);
            if (s.length != out.length) {
                throw new NotEvaluableException(who + ": inputs of ranks " + out.length + " and " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                if (d != axis && s[d] != out[d]) {
                    throw new NotEvaluableException(who + ": input " + (i + 1) + " " + text(s)
                            + " differs from the first outside the concatenation axis");
                }
            }
            out[axis] += s[axis];
        }
        return out;
    }

    private static long count(List<Long> shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    static String text(long[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- values

    /**
     * A constant's values as float32, checking there are {@code expected} of them: {@code floatValue} (parsed, or
     * in the wire form aneprobe's builders keep), or {@code float16Value}.
     */
    public static float[] values(String who, WeightParams w, long expected) throws NotEvaluableException {
        if (!w.getRawValue().isEmpty() || !w.getInt8RawValue().isEmpty() || w.hasQuantization()) {
            throw new NotEvaluableException(who + ": quantized or raw weights are not evaluated");
        }
        float[] out;
        if (!w.getFloat16Value().isEmpty()) {
            ByteString b = w.getFloat16Value();
            if (b.size() % 2 != 0) {
                throw new NotEvaluableException(who + ": odd number of float16 bytes");
            }
            out = new float[b.size() / 2];
            ByteBuffer buf = b.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < out.length; i++) {
                out[i] = Fp16.toFloat(buf.getShort());
            }
        } else {
            List<Float> parsed = w.getFloatValueList();
            UnknownFieldSet.Field wire = w.getUnknownFields().getField(WeightParams.FLOATVALUE_FIELD_NUMBER);
            long n = parsed.size();
            for (ByteString b : wire.getLengthDelimitedList()) {
                n += b.size() / 4;
            }
            if (n > Integer.MAX_VALUE - 8) {
                throw new NotEvaluableException(who + ": too many values to evaluate");
            }
            out = new float[(int) n];
            int i = 0;
            for (float f : parsed) {
                out[i++] = f;
            }
            for (ByteString b : wire.getLengthDelimitedList()) {
                ByteBuffer buf = b.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (buf.remaining() >= 4) {
                    out[i++] = buf.getFloat();
                }
            }
        }
        if (out.length != expected) {
            throw new NotEvaluableException(who + ": holds " + out.length + " values, its shape " + expected);
        }
        return out;
    }

    /** Whether a constant's weights are float16 (a replacement keeps the precision). */
    public static boolean isFloat16(WeightParams w) {
        return !w.getFloat16Value().isEmpty();
    }

    // ---------------------------------------------------------------- arithmetic

    private interface Op {
        float apply(float a, float b);
    }

    private interface Unary {
        float apply(float v);
    }

    private static FloatTensor map(FloatTensor x, Unary f) {
        float[] out = new float[x.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(x.data()[i]);
        }
        return new FloatTensor(x.shape(), out);
    }

    /** Folds the inputs left to right with {@code op}, each broadcast (NumPy-style) to {@code out}. */
    private static FloatTensor broadcast(long[] out, List<FloatTensor> in, Op op) {
        int n = Math.toIntExact(FloatTensor.count(out));
        float[] acc = gather(out, in.get(0), n);
        for (int k = 1; k < in.size(); k++) {
            float[] v = gather(out, in.get(k), n);
            for (int i = 0; i < n; i++) {
                acc[i] = op.apply(acc[i], v[i]);
            }
        }
        return new FloatTensor(out, acc);
    }

    /** The values of {@code t} broadcast to {@code out}. */
    private static float[] gather(long[] out, FloatTensor t, int n) {
        int rank = out.length;
        long[] src = new long[rank];
        Arrays.fill(src, 1);
        System.arraycopy(t.shape(), 0, src, rank - t.rank(), t.rank());
        long[] srcStrides = FloatTensor.strides(src);
        long[] outStrides = FloatTensor.strides(out);
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            long rem = i;
            long at = 0;
            for (int d = 0; d < rank; d++) {
                long idx = rem / outStrides[d];
                rem %= outStrides[d];
                if (src[d] != 1) {
                    at += idx * srcStrides[d];
                }
            }
            r[i] = t.data()[(int) at];
        }
        return r;
    }

    private static FloatTensor concat(long[] out, List<FloatTensor> in, int axis) {
        long outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= out[d];
        }
        long inner = 1;
        for (int d = axis + 1; d < out.length; d++) {
            inner *= out[d];
        }
        float[] r = new float[Math.toIntExact(FloatTensor.count(out))];
        int at = 0;
        for (long o = 0; o < outer; o++) {
            for (FloatTensor t : in) {
                int block = (int) (t.shape()[axis] * inner);
                System.arraycopy(t.data(), (int) (o * block), r, at, block);
                at += block;
            }
        }
        return new FloatTensor(out, r);
    }
}
