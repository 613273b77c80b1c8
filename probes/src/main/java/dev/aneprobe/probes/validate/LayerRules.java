package dev.aneprobe.probes.validate;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structural rules of all 158 NeuralNetwork layer types, as Core ML's validator enforces them. The minimum
 * specification version of a layer type follows from its field number in the layer oneof: below 600 it is one of
 * the original layers (specification 1; {@code custom} 2; {@code resizeBilinear} and {@code cropResize} 3), 600 to
 * 1449 arrived with specification 4, 1450 and up with specification 5.
 */
public final class LayerRules {
    /*
     * One line per layer type: name, inputs, outputs, rank of the first input in ND networks ('-' = not checked),
     * and '=' when input and output ranks must be equal. Counts are "n", "a..b" or "a.." (no upper bound).
     */
    private static final String TABLE = String.join("\n",
            "convolution 1..2 1 4.. =",
            "pooling 1 1 4.. =",
            "activation 1 1 - =",
            "innerProduct 1 1 1..5 =",
            "embedding 1 1 4.. =",
            "batchnorm 1 1 3.. =",
            "mvn 1 1 3.. =",
            "l2normalize 1 1 3.. =",
            "softmax 1 1 3.. =",
            "lrn 1 1 3.. =",
            "crop 1..2 1 3.. =",
            "padding 1 1 2.. =",
            "upsample 1 1 3.. =",
            "resizeBilinear 1 1 3.. =",
            "cropResize 2 1 5.. =",
            "unary 1 1 - =",
            "add 1.. 1 -",
            "multiply 1.. 1 -",
            "average 1.. 1 -",
            "scale 1 1 3.. =",
            "bias 1 1 3.. =",
            "max 1.. 1 -",
            "min 1.. 1 -",
            "dot 2 1 3.. =",
            "reduce 1 1 - =",
            "loadConstant 0 1 -",
            "reshape 1 1 5..5 =",
            "flatten 1 1 3.. =",
            "permute 1 1 5..5 =",
            "concat 2.. 1 3.. =",
            "split 1 2.. 3.. =",
            "sequenceRepeat 1 1 5.. =",
            "reorganizeData 1 1 3.. =",
            "slice 1 1 - =",
            "simpleRecurrent 2 2 5..5 =",
            "gru 1..2 2 5..5 =",
            "uniDirectionalLSTM 1..3 3 5..5 =",
            "biDirectionalLSTM 1..5 5 5..5 =",
            "custom 1.. 1.. -",
            "copy 1 1 -",
            "branch 1 0 -",
            "loop 0..1 0 -",
            "loopBreak 0 0 -",
            "loopContinue 0 0 -",
            "rangeStatic 0 1 -",
            "rangeDynamic 1..3 1 -",
            "clip 1 1 -",
            "ceil 1 1 -",
            "floor 1 1 -",
            "sign 1 1 -",
            "round 1 1 -",
            "exp2 1 1 -",
            "sin 1 1 -",
            "cos 1 1 -",
            "tan 1 1 -",
            "asin 1 1 -",
            "acos 1 1 -",
            "atan 1 1 -",
            "sinh 1 1 -",
            "cosh 1 1 -",
            "tanh 1 1 -",
            "asinh 1 1 -",
            "acosh 1 1 -",
            "atanh 1 1 -",
            "erf 1 1 -",
            "gelu 1 1 -",
            "equal 1..2 1 -",
            "notEqual 1..2 1 -",
            "lessThan 1..2 1 -",
            "lessEqual 1..2 1 -",
            "greaterThan 1..2 1 -",
            "greaterEqual 1..2 1 -",
            "logicalOr 2 1 -",
            "logicalXor 2 1 -",
            "logicalNot 1 1 -",
            "logicalAnd 2 1 -",
            "modBroadcastable 2 1 -",
            "minBroadcastable 2 1 -",
            "maxBroadcastable 2 1 -",
            "addBroadcastable 2 1 -",
            "powBroadcastable 2 1 -",
            "divideBroadcastable 2 1 -",
            "floorDivBroadcastable 2 1 -",
            "multiplyBroadcastable 2 1 -",
            "subtractBroadcastable 2 1 -",
            "tile 1..2 1 -",
            "stack 2.. 1 -",
            "gather 2 1 -",
            "scatter 3 1 -",
            "gatherND 2 1 -",
            "scatterND 3 1 -",
            "softmaxND 1 1 -",
            "gatherAlongAxis 2 1 -",
            "scatterAlongAxis 3 1 -",
            "reverse 1 1 -",
            "reverseSeq 2 1 -",
            "splitND 1 2.. -",
            "concatND 2.. 1 -",
            "transpose 1 1 -",
            "sliceStatic 1 1 -",
            "sliceDynamic 2..7 1 -",
            "slidingWindows 1 1 -",
            "topK 1..2 2 - =",
            "argMin 1 1 -",
            "argMax 1 1 -",
            "embeddingND 1 1 2..5 =",
            "batchedMatmul 1..2 1 -",
            "getShape 1 1 -",
            "loadConstantND 0 1 -",
            "fillLike 1 1 -",
            "fillStatic 0 1 -",
            "fillDynamic 1 1 -",
            "broadcastToLike 2 1 -",
            "broadcastToStatic 1 1 -",
            "broadcastToDynamic 2 1 -",
            "squeeze 1 1 -",
            "expandDims 1 1 -",
            "flattenTo2D 1 1 -",
            "reshapeLike 2 1 -",
            "reshapeStatic 1 1 -",
            "reshapeDynamic 2 1 -",
            "rankPreservingReshape 1 1 - =",
            "constantPad 1..2 1 - =",
            "randomNormalLike 1 1 -",
            "randomNormalStatic 0 1 -",
            "randomNormalDynamic 1 1 -",
            "randomUniformLike 1 1 -",
            "randomUniformStatic 0 1 -",
            "randomUniformDynamic 1 1 -",
            "randomBernoulliLike 1 1 -",
            "randomBernoulliStatic 0 1 -",
            "randomBernoulliDynamic 1 1 -",
            "categoricalDistribution 1 1 -",
            "reduceL1 1 1 -",
            "reduceL2 1 1 -",
            "reduceMax 1 1 -",
            "reduceMin 1 1 -",
            "reduceSum 1 1 -",
            "reduceProd 1 1 -",
            "reduceMean 1 1 -",
            "reduceLogSum 1 1 -",
            "reduceSumSquare 1 1 -",
            "reduceLogSumExp 1 1 -",
            "whereNonZero 1 1 -",
            "matrixBandPart 1 1 2..",
            "lowerTriangular 1 1 2..",
            "upperTriangular 1 1 2..",
            "whereBroadcastable 3 1 -",
            "layerNormalization 1 1 -",
            "NonMaximumSuppression 2..5 4 -",
            "oneHot 1..2 1 -",
            "cumSum 1..2 1 -",
            "clampedReLU 1 1 -",
            "argSort 1 1 - =",
            "pooling3d 1 1 5.. =",
            "globalPooling3d 1 1 5.. =",
            "sliceBySize 2 1 -",
            "convolution3d 1 1 5.. =");

    private static final Map<String, LayerRule> RULES;

    static {
        Map<String, LayerRule> rules = new LinkedHashMap<>();
        for (String line : TABLE.split("\n")) {
            String[] f = line.trim().split(" +");
            FieldDescriptor field = NeuralNetworkLayer.getDescriptor().findFieldByName(f[0]);
            if (field == null || field.getContainingOneof() == null) {
                throw new IllegalStateException("layer rule for unknown layer type " + f[0]);
            }
            int[] in = range(f[1]);
            int[] out = range(f[2]);
            int[] rank = f[3].equals("-") ? new int[] {-1, -1} : range(f[3]);
            boolean eq = f.length > 4 && f[4].equals("=");
            rules.put(f[0], new LayerRule(f[0], field.getNumber(), minSpec(f[0], field.getNumber()),
                    in[0], in[1], out[0], out[1], rank[0], rank[1], eq));
        }
        RULES = Collections.unmodifiableMap(rules);
    }

    private LayerRules() {
    }

    /** The rule for a layer oneof field name, or null. */
    public static LayerRule of(String type) {
        return RULES.get(type);
    }

    public static Map<String, LayerRule> all() {
        return RULES;
    }

    /** True for the layer types of specification 1 to 3 (the "iOS 12 set", before ND networks). */
    public static boolean isLegacy(String type) {
        LayerRule r = RULES.get(type);
        return r != null && r.fieldNumber() < 600;
    }

    static int minSpec(String type, int fieldNumber) {
        if (fieldNumber >= 1450) {
            return 5;
        }
        if (fieldNumber >= 600) {
            return 4;
        }
        switch (type) {
            case "custom":
                return 2;
            case "resizeBilinear":
            case "cropResize":
                return 3;
            default:
                return 1;
        }
    }

    private static int[] range(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            int n = Integer.parseInt(text);
            return new int[] {n, n};
        }
        int lo = Integer.parseInt(text.substring(0, dots));
        String hi = text.substring(dots + 2);
        return new int[] {lo, hi.isEmpty() ? -1 : Integer.parseInt(hi)};
    }
}
