package dev.aneprobe.harness.lint;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ReduceLayerParams;
import dev.aneprobe.probes.coreml.SamplingMode;
import dev.aneprobe.probes.coreml.ScatterMode;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.AxisKind;
import dev.aneprobe.probes.sweep.Profile;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How a model's layers read as probes: which family exercises a layer type (from the catalog's family declarations,
 * so a new family is found here without more code), and, one declaration per family, how the layer's parameters
 * read as that family's axis values, written exactly as the generator writes them ({@code 15x15}, {@code fp16},
 * {@code 64x56x56}). The axes most families share — the input size {@code in}, the element type {@code dtype}, the
 * layer type {@code layer}, the weight precision {@code weights} — are read for every family that has them;
 * axes no declaration reads are reported as unread, never guessed.
 */
final class FamilyAxes {
    /**
     * What a reader sees of one NeuralNetwork layer: the layer, the shape of any blob, the earlier layer that made a
     * blob (null for a model input, or a blob no layer before this one wrote), the first layer of the network that
     * reads a blob, and the branch and loop layers it is inside, outermost first.
     */
    record NnContext(NeuralNetworkLayer layer, Function<String, long[]> shapeOf,
            Function<String, NeuralNetworkLayer> producerOf, Function<String, NeuralNetworkLayer> consumerOf,
            List<NeuralNetworkLayer> enclosing) {
        /**
         * The shape of the tensor this layer's output is combined with (the other operand of the two-input layer
         * that reads it): the size a layer without inputs (a constant, a range) is made for; null when there is none.
         */
        long[] combinedWith() {
            if (layer.getOutputCount() == 0) {
                return null;
            }
            String out = layer.getOutput(0);
            NeuralNetworkLayer next = consumerOf.apply(out);
            if (next == null || next.getInputCount() != 2) {
                return null;
            }
            String other = next.getInput(0).equals(out) ? next.getInput(1) : next.getInput(0);
            return other.equals(out) ? null : shapeOf.apply(other);
        }

        long[] input(int i) {
            return layer.getInputCount() > i ? shapeOf.apply(layer.getInput(i)) : null;
        }

        /** Whether a blob is a constant layer's (loadConstant, loadConstantND). */
        Predicate<String> constant() {
            return blob -> constantOf(blob) != null;
        }

        NeuralNetworkLayer constantOf(String blob) {
            NeuralNetworkLayer p = producerOf.apply(blob);
            return p != null && (p.hasLoadConstant() || p.hasLoadConstantND()) ? p : null;
        }

        /** The values of the constant that input {@code i} is, or null (not a constant, or not whole numbers). */
        long[] constantInput(int i) {
            NeuralNetworkLayer k = layer.getInputCount() > i ? constantOf(layer.getInput(i)) : null;
            if (k == null) {
                return null;
            }
            WeightParams w = k.hasLoadConstantND() ? k.getLoadConstantND().getData() : k.getLoadConstant().getData();
            if (!w.getFloat16Value().isEmpty() || !w.getRawValue().isEmpty()) {
                return null;
            }
            long[] out = new long[w.getFloatValueCount()];
            for (int j = 0; j < out.length; j++) {
                float v = w.getFloatValue(j);
                if (v != Math.rint(v)) {
                    return null;
                }
                out[j] = (long) v;
            }
            return out;
        }
    }

    /**
     * What a reader sees of one ML Program op: the op, the type of any value in scope, const values, the op that
     * makes a value and the first op of the block that reads it.
     */
    record MilContext(Operation op, Function<String, ValueType> typeOf, Function<String, Value> constOf,
            Function<String, Operation> producerOf, Function<String, Operation> consumerOf) {
        /** The same view of another op. */
        MilContext at(Operation other) {
            return new MilContext(other, typeOf, constOf, producerOf, consumerOf);
        }

        /**
         * The op that applies what this op makes to a tensor 'x' (a const's add, a constexpr's linear), following
         * the value through ops that only convert it (cast, constexpr_sparse_to_dense); null when there is none.
         */
        MilContext appliedBy() {
            Operation from = op;
            for (int hops = 0; hops < 4 && from.getOutputsCount() > 0; hops++) {
                String value = from.getOutputs(0).getName();
                Operation next = consumerOf.apply(value);
                if (next == null) {
                    return null;
                }
                String x = firstName(next, "x");
                if (x != null && !x.equals(value)) {
                    return at(next);
                }
                from = next;
            }
            return null;
        }

        /** The type of the first binding of an op input (by name or inline), or null. */
        ValueType type(String param) {
            Argument a = op.getInputsMap().get(param);
            if (a == null || a.getArgumentsCount() == 0) {
                return null;
            }
            Argument.Binding b = a.getArguments(0);
            return b.hasName() ? typeOf.apply(b.getName()) : b.getValue().getType();
        }

        /** The const value bound to an op input (a const op's value, or an inline value), or null. */
        Value value(String param) {
            Argument a = op.getInputsMap().get(param);
            if (a == null || a.getArgumentsCount() == 0) {
                return null;
            }
            Argument.Binding b = a.getArguments(0);
            return b.hasName() ? constOf.apply(b.getName()) : b.getValue();
        }

        boolean bound(String param) {
            Argument a = op.getInputsMap().get(param);
            return a != null && a.getArgumentsCount() > 0;
        }
    }

    /**
     * What a reader puts for an axis that does not apply to this layer (alpha of a ReLU): the generator holds such
     * an axis at its baseline value, so the layer reads as that probe does.
     */
    static final String BASELINE = "\u0000baseline";

    interface NnReader {
        void read(NnContext c, Map<String, String> out);
    }

    interface MilReader {
        void read(MilContext c, Map<String, String> out);
    }

    private final Map<String, ProbeFamily> families = new LinkedHashMap<>();
    private final Map<String, List<ProbeFamily>> nnByType = new HashMap<>();
    private final Map<String, List<ProbeFamily>> milByType = new HashMap<>();
    private final Map<String, NnReader> nnReaders = new HashMap<>();
    private final Map<String, MilReader> milReaders = new HashMap<>();

    FamilyAxes(Catalog catalog) {
        for (ProbeFamily f : catalog.families()) {
            families.put(f.name(), f);
            Map<String, List<ProbeFamily>> index = ProbeKind.of(f.name()) == ProbeKind.MIL ? milByType : nnByType;
            for (String type : f.layerTypes()) {
                index.computeIfAbsent(type, k -> new ArrayList<>()).add(f);
            }
        }
        declareNn();
        declareMil();
    }

    ProbeFamily family(String name) {
        return families.get(name);
    }

    /** The families declared with a reader of their own (the rest get only the shared axes). */
    List<String> declaredFamilies() {
        List<String> out = new ArrayList<>(nnReaders.keySet());
        out.addAll(milReaders.keySet());
        return out;
    }

    // ---------------------------------------------------------------- which family

    /** The family that exercises this layer, or null. */
    String familyOf(NeuralNetworkLayer layer, String type, NnContext c) {
        List<ProbeFamily> candidates = nnByType.get(type);
        if (candidates == null) {
            return null;
        }
        if (type.equals("convolution")) {
            return layer.getConvolution().getIsDeconvolution() ? "deconvolution" : "convolution";
        }
        if (type.equals("gather") && candidates.stream().anyMatch(f -> f.name().equals("gatherEmbedding"))) {
            // An embedding lookup gathers rows (axis 0) of a 2-D table, usually a constant one.
            long[] table = c.input(0);
            boolean rows = layer.getGather().getAxis() == 0;
            boolean embedding = rows && (table != null ? table.length == 2
                    : layer.getInputCount() > 0 && c.constant().test(layer.getInput(0)));
            return embedding ? "gatherEmbedding" : "gather";
        }
        return candidates.get(0).name();
    }

    String familyOf(Operation op) {
        List<ProbeFamily> candidates = milByType.get(op.getType());
        return candidates == null ? null : candidates.get(0).name();
    }

    // ---------------------------------------------------------------- reading the axes

    /** The layer's axis values for {@code family}, in axis order; the family's other axes go to {@code unread}. */
    Map<String, String> read(String family, NnContext c, String type, List<String> unread) {
        Map<String, String> out = new HashMap<>();
        ProbeFamily f = families.get(family);
        if (f.axis("layer") != null) {
            out.put("layer", type);
        }
        if (f.axis("in") != null) {
            long[] in = c.input(0);
            if (in != null) {
                out.put("in", inText(f, in));
            }
        }
        if (f.axis("weights") != null) {
            String w = weightPrecision(c.layer());
            if (w != null) {
                out.put("weights", w);
            }
        }
        NnReader r = nnReaders.get(family);
        if (r != null) {
            r.read(c, out);
        }
        return ordered(f, out, unread);
    }

    Map<String, String> read(String family, MilContext c, List<String> unread) {
        Map<String, String> out = new HashMap<>();
        ProbeFamily f = families.get(family);
        if (f.axis("layer") != null) {
            out.put("layer", c.op().getType());
        }
        ValueType x = c.type("x");
        if (x == null && c.op().getOutputsCount() > 0) {
            x = c.op().getOutputs(0).getType();
        }
        if (f.axis("dtype") != null && x != null && x.hasTensorType()) {
            String d = dtype(x.getTensorType().getDataType());
            // The family's dtype is the element type of the tensor it runs on (fp16 or fp32); an op on bools or
            // integers (logical_and, say) does not read as one.
            if (d != null && (f.axis("dtype").choices() == null || f.axis("dtype").choices().contains(d))) {
                out.put("dtype", d);
            }
        }
        if (f.axis("in") != null) {
            String in = staticShape(c.type("x"));
            if (in != null) {
                out.put("in", in);
            }
        }
        MilReader r = milReaders.get(family);
        if (r != null) {
            r.read(c, out);
        }
        return ordered(f, out, unread);
    }

    /** Keeps the values of the family's own axes, in its order, and lists the axes left without one. */
    private static Map<String, String> ordered(ProbeFamily f, Map<String, String> read, List<String> unread) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Axis a : f.axes()) {
            String v = read.get(a.name());
            if (BASELINE.equals(v)) {
                v = a.baselineValue();
            } else if (v != null && (a.kind() == AxisKind.PAIR || a.kind() == AxisKind.DECIMAL_PAIR
                    || a.kind() == AxisKind.DECIMAL)) {
                // A reader writes "2x2", "2" or "2.50"; the catalog one form of each.
                try {
                    v = a.kind().canonical(v);
                } catch (IllegalArgumentException e) {
                    v = null;
                }
            }
            if (v != null) {
                out.put(a.name(), v);
            } else {
                unread.add(a.name());
            }
        }
        return out;
    }

    /**
     * A blob's shape as the family writes its {@code in} axis: a rank-5 network's [C, 1, 1] blob is written as C
     * when the family's inputs are vectors ({@code in=512}).
     */
    private static String inText(ProbeFamily f, long[] shape) {
        String baseline = f.axis("in").baselineValue();
        int rank = baseline == null ? shape.length : baseline.split("x").length;
        if (rank == 1 && shape.length == 3 && shape[1] == 1 && shape[2] == 1) {
            return String.valueOf(shape[0]);
        }
        // An ND tensor in a family of the original layers, written as [C, H, W]: leading axes of size 1 are
        // dropped down to that rank.
        int from = 0;
        while (f.minSpecificationVersion() < 4 && rank == 3 && shape.length - from > rank && shape[from] == 1) {
            from++;
        }
        return dims(Arrays.copyOfRange(shape, from, shape.length));
    }

    // ---------------------------------------------------------------- one declaration per family

    private void nn(String family, NnReader r) {
        if (!families.containsKey(family)) {
            throw new IllegalStateException("no family '" + family + "' in the catalog");
        }
        nnReaders.put(family, r);
    }

    private void mil(String family, MilReader r) {
        if (!families.containsKey(family)) {
            throw new IllegalStateException("no family '" + family + "' in the catalog");
        }
        milReaders.put(family, r);
    }

    private void declareNn() {
        nn("pooling", (c, a) -> {
            PoolingLayerParams p = c.layer().getPooling();
            a.put("type", switch (p.getType()) {
                case MAX -> "max";
                case AVERAGE -> "average";
                case L2 -> "l2";
                default -> null;
            });
            a.put("kernel", pair(p.getKernelSizeList(), 3));
            a.put("stride", pair(p.getStrideList(), 1));
            a.put("pad", switch (p.getPoolingPaddingTypeCase()) {
                case VALID -> "valid";
                case SAME -> "same";
                case INCLUDELASTPIXEL -> "includeLastPixel";
                default -> null;
            });
            a.put("global", String.valueOf(p.getGlobalPooling()));
        });
        nn("convolution", (c, a) -> {
            ConvolutionLayerParams p = c.layer().getConvolution();
            convolution(c, p, a);
            a.put("dilation", pair(p.getDilationFactorList(), 1));
        });
        nn("deconvolution", (c, a) -> convolution(c, c.layer().getConvolution(), a));
        nn("upsample", (c, a) -> {
            UpsampleLayerParams p = c.layer().getUpsample();
            a.put("scale", p.getFractionalScalingFactorCount() == 2
                    ? number(p.getFractionalScalingFactor(0)) + "x" + number(p.getFractionalScalingFactor(1))
                    : pair(p.getScalingFactorList(), 1));
            a.put("mode", p.getMode() == UpsampleLayerParams.InterpolationMode.BILINEAR ? "bilinear" : "nn");
            a.put("align", switch (p.getLinearUpsampleMode()) {
                case ALIGN_CORNERS_TRUE -> "true";
                case ALIGN_CORNERS_FALSE -> "false";
                default -> "default";
            });
        });
        NnReader broadcast = (c, a) -> {
            a.put("inputs", String.valueOf(c.layer().getInputCount()));
            if (c.layer().getInputCount() == 1) {
                a.put("operand", "alpha");
                a.put("inputs", BASELINE);
                a.put("b", BASELINE);
                return;
            }
            a.put("operand", c.constant().test(c.layer().getInput(1)) ? "constant" : "input");
            String b = broadcastForm(c.input(0), c.input(1));
            if (b != null) {
                a.put("b", b);
            }
        };
        nn("add", broadcast);
        nn("multiply", broadcast);
        nn("activation", (c, a) -> {
            var act = c.layer().getActivation();
            FieldDescriptor set = act.getDescriptorForType().findFieldByNumber(act.getNonlinearityTypeCase()
                    .getNumber());
            if (set == null) {
                return;
            }
            a.put("kind", set.getName());
            Message kind = (Message) act.getField(set);
            for (String scalar : new String[] {"alpha", "beta"}) {
                FieldDescriptor f = kind.getDescriptorForType().findFieldByName(scalar);
                a.put(scalar, f != null && f.getJavaType() == FieldDescriptor.JavaType.FLOAT
                        ? number((Float) kind.getField(f)) : BASELINE);
            }
            FieldDescriptor perChannel = kind.getDescriptorForType().findFieldByName("alpha");
            if (perChannel != null && perChannel.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                WeightParams w = (WeightParams) kind.getField(perChannel);
                long n = w.getFloatValueCount() + w.getFloat16Value().size() / 2;
                a.put("shared", String.valueOf(n == 1));
                a.put("weights", w.getFloat16Value().isEmpty() ? "fp32" : "fp16");
            } else {
                a.put("shared", BASELINE);
                a.put("weights", BASELINE);
            }
        });
        nn("layout", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            switch (l.getLayerCase()) {
                case FLATTEN -> {
                    a.put("order", l.getFlatten().getMode().getNumber() == 1 ? "channelLast" : "channelFirst");
                    a.put("target", BASELINE);
                    a.put("axes", BASELINE);
                }
                case PERMUTE -> {
                    StringBuilder axesText = new StringBuilder();
                    l.getPermute().getAxisList().forEach(axesText::append);
                    a.put("axes", axesText.toString());
                    a.put("target", BASELINE);
                    a.put("order", BASELINE);
                }
                case RESHAPE -> {
                    // The target is named relative to the input (rows, flat, ...): not read back from a shape.
                    a.put("order", l.getReshape().getMode().getNumber() == 1 ? "channelLast" : "channelFirst");
                    a.put("axes", BASELINE);
                    a.put("target", reshapeTarget(c.input(0), l.getReshape().getTargetShapeList()));
                }
                default -> {
                }
            }
        });
        // Families whose "in" is not their first input's shape.
        nn("gatherEmbedding", (c, a) -> {
            a.put("in", c.input(1) == null ? null : dims(c.input(1)));
            long[] table = c.input(0); // [vocab, dim]
            if (table != null && table.length == 2) {
                a.put("vocab", String.valueOf(table[0]));
                a.put("dim", String.valueOf(table[1]));
            }
            boolean constant = c.layer().getInputCount() > 0 && c.constant().test(c.layer().getInput(0));
            a.put("table", constant ? "constant" : "input");
            // A table fed in is fp32 (fp16 only describes stored values); a constant's precision is its layer's.
            a.put("weights", constant ? weightPrecision(c.constantOf(c.layer().getInput(0))) : "fp32");
        });
        // The control-flow layers: what their sub-networks run, and on what ('in' is the body's input).
        nn("branch", (c, a) -> {
            var p = c.layer().getBranch();
            a.put("condition", c.layer().getInputCount() == 0 ? null
                    : c.producerOf().apply(c.layer().getInput(0)) != null ? "computed" : "input");
            a.put("else", String.valueOf(p.getElseBranch().getLayersCount() > 0));
            a.put("body", bodyKind(p.getIfBranch()));
            a.put("in", bodyInput(c, p.getIfBranch()));
        });
        nn("loop", (c, a) -> {
            var p = c.layer().getLoop();
            boolean input = c.layer().getInputCount() > 0;
            a.put("count", input ? "input" : p.getConditionNetwork().getLayersCount() > 0 ? "condition" : "static");
            // A count fed in makes maxLoopIterations moot: the family keeps its baseline then.
            a.put("iterations", input ? BASELINE : p.getMaxLoopIterations() > 0
                    ? String.valueOf(p.getMaxLoopIterations()) : null);
            a.put("body", bodyKind(p.getBodyNetwork()));
            a.put("in", bodyInput(c, p.getBodyNetwork()));
        });
        NnReader loopExit = (c, a) -> {
            // Inside a loop's body: directly, or guarded by a branch there.
            List<NeuralNetworkLayer> around = c.enclosing();
            NeuralNetworkLayer inner = around.isEmpty() ? null : around.get(around.size() - 1);
            a.put("guard", inner == null ? null : inner.hasBranch() ? "branch" : inner.hasLoop() ? "none" : null);
            for (int i = around.size() - 1; i >= 0; i--) {
                if (around.get(i).hasLoop()) {
                    a.put("in", bodyInput(c, around.get(i).getLoop().getBodyNetwork()));
                    break;
                }
            }
        };
        nn("loopBreak", loopExit);
        nn("loopContinue", loopExit);
        // The Dynamic variants take the shape as an input: the size is the output's.
        NnReader outputSize = (c, a) -> {
            long[] out = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            a.put("in", out == null ? null : dims(out));
        };
        nn("random", outputSize);
        NnReader recurrent = (c, a) -> {
            Message params = (Message) c.layer().getField(c.layer().getDescriptorForType()
                    .findFieldByNumber(c.layer().getLayerCase().getNumber()));
            var d = params.getDescriptorForType();
            FieldDescriptor size = d.findFieldByName("inputVectorSize");
            a.put("in", size == null ? null : String.valueOf(params.getField(size)));
            a.put("hidden", String.valueOf(params.getField(d.findFieldByName("outputVectorSize"))));
            FieldDescriptor reverse = d.findFieldByName("reverseInput");
            a.put("reverseInput", reverse == null ? null : String.valueOf(params.getField(reverse)));
            // The LSTMs keep their options in an LSTMParams message.
            FieldDescriptor lstm = d.findFieldByName("params");
            Message options = lstm == null ? params : (Message) params.getField(lstm);
            a.put("sequenceOutput", String.valueOf(options.getField(options.getDescriptorForType()
                    .findFieldByName("sequenceOutput"))));
            FieldDescriptor peephole = options.getDescriptorForType().findFieldByName("hasPeepholeVectors");
            a.put("peephole", peephole == null ? null : String.valueOf(options.getField(peephole)));
            // A sequence longer than 1 is declared on a rank-5 input [Seq, Batch, C, 1, 1].
            long[] x = c.input(0);
            a.put("seq", x == null ? null : x.length == 5 ? String.valueOf(x[0]) : "1");
            a.put("stateInputs", String.valueOf(c.layer().getInputCount() > 1));
        };
        nn("simpleRecurrent", recurrent);
        nn("gru", recurrent);
        nn("uniDirectionalLSTM", recurrent);
        nn("biDirectionalLSTM", recurrent);
        nn("rangeDynamic", (c, a) -> {
            a.put("in", c.combinedWith() == null ? null : dims(c.combinedWith()));
            NeuralNetworkLayer l = c.layer();
            a.put("operands", String.valueOf(l.getInputCount()));
            boolean allConstant = true;
            boolean anyConstant = false;
            for (String blob : l.getInputList()) {
                boolean k = c.constant().test(blob);
                allConstant &= k;
                anyConstant |= k;
            }
            a.put("source", allConstant ? "constant" : anyConstant ? null : "input");
        });
        nn("batchnorm", (c, a) -> {
            var b = c.layer().getBatchnorm();
            a.put("stats", b.getInstanceNormalization() ? "instance" : b.getComputeMeanVar() ? "computed"
                    : "stored");
        });
        nn("concat", (c, a) -> {
            a.put("inputs", String.valueOf(c.layer().getInputCount()));
            a.put("sequenceConcat", String.valueOf(c.layer().getConcat().getSequenceConcat()));
        });
        nn("convolution3d", (c, a) -> {
            var p = c.layer().getConvolution3D();
            a.put("kernel", p.getKernelDepth() + "x" + p.getKernelHeight() + "x" + p.getKernelWidth());
            a.put("stride", p.getStrideDepth() + "x" + p.getStrideHeight() + "x" + p.getStrideWidth());
            a.put("dilation", p.getDilationDepth() + "x" + p.getDilationHeight() + "x" + p.getDilationWidth());
            a.put("groups", p.getNGroups() > 1 && p.getNGroups() == p.getInputChannels() ? "depthwise"
                    : String.valueOf(Math.max(1, p.getNGroups())));
            a.put("cout", String.valueOf(p.getOutputChannels()));
            a.put("pad", switch (p.getPaddingType()) {
                case VALID -> "valid";
                case SAME -> "same";
                case CUSTOM -> "custom";
                default -> null;
            });
            a.put("deconv", String.valueOf(p.getIsDeconvolution()));
        });
        nn("pooling3d", (c, a) -> {
            var p = c.layer().getPooling3D();
            a.put("type", switch (p.getType()) {
                case MAX -> "max";
                case AVERAGE -> p.getCountExcludePadding() ? "averageExcludePadding" : "average";
                default -> null;
            });
            a.put("kernel", p.getKernelDepth() + "x" + p.getKernelHeight() + "x" + p.getKernelWidth());
            a.put("stride", p.getStrideDepth() + "x" + p.getStrideHeight() + "x" + p.getStrideWidth());
            a.put("pad", switch (p.getPaddingType()) {
                case VALID -> "valid";
                case SAME -> "same";
                case CUSTOM -> "custom";
                default -> null;
            });
        });
        nn("reduce", (c, a) -> {
            var p = c.layer().getReduce();
            a.put("mode", p.getMode() == ReduceLayerParams.ReduceOperation.UNRECOGNIZED ? null
                    : p.getMode().name().toLowerCase(Locale.ROOT));
            a.put("axis", p.getAxis() == ReduceLayerParams.ReduceAxis.UNRECOGNIZED ? null : p.getAxis().name());
        });
        // The ND binary layers: the second operand is the constant one, else the smaller one, else the second.
        nn("addBroadcastable", binaryNd(null));
        nn("multiplyBroadcastable", binaryNd(null));
        nn("binaryBroadcastable", binaryNd(null));
        nn("comparison", binaryNd("alpha"));
        nn("logical", binaryNd(BASELINE));
        nn("padding", (c, a) -> {
            var p = c.layer().getPadding();
            a.put("type", switch (p.getPaddingTypeCase()) {
                case CONSTANT -> "constant";
                case REFLECTION -> "reflection";
                case REPLICATION -> "replication";
                default -> null;
            });
            var amounts = p.getPaddingAmounts().getBorderAmountsList();
            if (amounts.size() == 2) {
                a.put("added", (amounts.get(0).getStartEdgeSize() + amounts.get(0).getEndEdgeSize()) + "x"
                        + (amounts.get(1).getStartEdgeSize() + amounts.get(1).getEndEdgeSize()));
            }
        });
        nn("resizeBilinear", (c, a) -> {
            var p = c.layer().getResizeBilinear();
            long[] in = c.input(0);
            if (in != null && in.length >= 2 && p.getTargetSizeCount() == 2) {
                String h = factor(p.getTargetSize(0), in[in.length - 2]);
                String w = factor(p.getTargetSize(1), in[in.length - 1]);
                a.put("factor", h == null || w == null ? null : h + "x" + w);
            }
            a.put("mode", sampling(p.getMode()));
        });
        nn("cropResize", (c, a) -> {
            var p = c.layer().getCropResize();
            long[] boxes = c.input(1);
            // One box: a [4] or [5] input (rank-5 mapped to [4, 1, 1]); several: [N, 1, 4 or 5, 1, 1].
            if (boxes != null && (boxes.length == 5 || boxes.length == 3)) {
                long values = boxes.length == 5 ? boxes[2] : boxes[0];
                a.put("boxes", String.valueOf(boxes.length == 5 ? boxes[0] : 1));
                a.put("boxIndex", values == 5 ? "true" : values == 4 ? "false" : null);
            }
            if (p.getTargetSizeCount() == 2) {
                a.put("target", p.getTargetSize(0) + "x" + p.getTargetSize(1));
            }
            a.put("mode", sampling(p.getMode()));
            a.put("normalized", String.valueOf(p.getNormalizedCoordinates()));
            a.put("boxMode", switch (p.getBoxIndicesMode().getBoxMode()) {
                case CORNERS_HEIGHT_FIRST -> "cornersHeightFirst";
                case CORNERS_WIDTH_FIRST -> "cornersWidthFirst";
                case CENTER_SIZE_HEIGHT_FIRST -> "centerSizeHeightFirst";
                case CENTER_SIZE_WIDTH_FIRST -> "centerSizeWidthFirst";
                default -> null;
            });
        });
        nn("slice", (c, a) -> {
            var p = c.layer().getSlice();
            int axis = p.getAxisValue();
            a.put("axis", axis == 0 ? "channel" : axis == 1 ? "height" : axis == 2 ? "width" : null);
            a.put("stride", String.valueOf(p.getStride()));
            long[] in = c.input(0);
            if (in != null && in.length == 3 && axis >= 0 && axis <= 2) {
                // [0, n/2), [n/2, n) or [1, n-1) of the sliced axis.
                long n = in[axis];
                long s = p.getStartIndex();
                long e = p.getEndIndex() < 0 ? n + p.getEndIndex() + 1 : p.getEndIndex();
                a.put("part", s == 0 && e == n / 2 ? "firstHalf" : s == n / 2 && e == n ? "secondHalf"
                        : s == 1 && e == n - 1 ? "interior" : null);
            }
        });
        nn("split", (c, a) -> a.put("outputs", String.valueOf(c.layer().getSplit().getNOutputs())));
        nn("sequenceRepeat", (c, a) -> a.put("repetitions",
                String.valueOf(c.layer().getSequenceRepeat().getNRepetitions())));
        nn("reorganizeData", (c, a) -> {
            var p = c.layer().getReorganizeData();
            a.put("mode", switch (p.getMode()) {
                case SPACE_TO_DEPTH -> "spaceToDepth";
                case DEPTH_TO_SPACE -> "depthToSpace";
                case PIXEL_SHUFFLE -> "pixelShuffle";
                default -> null;
            });
            a.put("block", String.valueOf(p.getBlockSize()));
            long[] in = c.input(0);
            if (in != null && in.length == 4 && in[0] == 1) { // pixel shuffle's ND [1, C, H, W]
                a.put("in", dims(Arrays.copyOfRange(in, 1, 4)));
            }
        });
        nn("unary", (c, a) -> {
            var p = c.layer().getUnary();
            a.put("op", p.getType().name().toLowerCase(Locale.ROOT));
            a.put("alpha", number(p.getAlpha()));
            a.put("affine", String.valueOf(p.getScale() != 1f || p.getShift() != 0f));
        });
        nn("elementwise", (c, a) -> {
            a.put("inputs", String.valueOf(c.layer().getInputCount()));
            a.put("b", broadcastForm(c.input(0), c.input(1)));
        });
        nn("scaleBias", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            List<Long> shape = l.hasScale() ? l.getScale().getShapeScaleList() : l.getBias().getShapeList();
            a.put("hasBias", l.hasScale() ? String.valueOf(l.getScale().getHasBias()) : BASELINE);
            long[] in = c.input(0);
            if (in != null && in.length == 3) {
                a.put("shape", shape.size() == 1 && shape.get(0) == 1 ? "1"
                        : shape.size() == 1 && shape.get(0) == in[0] ? "C"
                        : shape.size() == 3 && shape.get(1) == in[1] && shape.get(2) == in[2]
                                ? (shape.get(0) == 1 ? "1xHxW" : shape.get(0) == in[0] ? "CxHxW" : null)
                        : null);
            }
        });
        nn("reduceND", (c, a) -> {
            Message p = layerParams(c.layer());
            var d = p.getDescriptorForType();
            FieldDescriptor all = d.findFieldByName("reduceAll");
            FieldDescriptor axesField = d.findFieldByName("axes");
            FieldDescriptor keep = d.findFieldByName("keepDims");
            if (all != null && (Boolean) p.getField(all)) {
                a.put("axes", "all");
            } else if (axesField != null) {
                StringBuilder sb = new StringBuilder();
                for (Object v : (List<?>) p.getField(axesField)) {
                    sb.append(sb.length() == 0 ? "" : ",").append(v);
                }
                a.put("axes", sb.length() == 0 ? null : sb.toString());
            }
            a.put("keepDims", keep == null ? null : String.valueOf(p.getField(keep)));
        });
        nn("squeezeExpandFlatten", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            switch (l.getLayerCase()) {
                case SQUEEZE -> {
                    boolean all = l.getSqueeze().getSqueezeAll();
                    a.put("squeezeAll", String.valueOf(all));
                    a.put("axis", all ? BASELINE : l.getSqueeze().getAxesCount() == 1
                            ? String.valueOf(l.getSqueeze().getAxes(0)) : null);
                }
                case EXPANDDIMS -> {
                    a.put("squeezeAll", BASELINE);
                    a.put("axis", l.getExpandDims().getAxesCount() == 1
                            ? String.valueOf(l.getExpandDims().getAxes(0)) : null);
                }
                case FLATTENTO2D -> {
                    a.put("squeezeAll", BASELINE);
                    a.put("axis", String.valueOf(l.getFlattenTo2D().getAxis()));
                }
                default -> {
                }
            }
        });
        // Gathers and scatters: x, then the indices (a model input or a constant layer's), then any updates.
        nn("gather", (c, a) -> {
            long[] idx = c.input(1);
            a.put("axis", String.valueOf(c.layer().getGather().getAxis()));
            a.put("count", idx != null && idx.length == 1 ? String.valueOf(idx[0]) : null);
            a.put("indices", indicesSource(c));
        });
        nn("gatherAlongAxis", (c, a) -> {
            long axis = c.layer().getGatherAlongAxis().getAxis();
            a.put("axis", String.valueOf(axis));
            a.put("count", alongAxisCount(c.input(1), axis));
            a.put("indices", indicesSource(c));
        });
        nn("scatter", (c, a) -> {
            long[] idx = c.input(1);
            a.put("axis", String.valueOf(c.layer().getScatter().getAxis()));
            a.put("count", idx != null && idx.length == 1 ? String.valueOf(idx[0]) : null);
            a.put("mode", scatterMode(c.layer().getScatter().getMode()));
            a.put("indices", indicesSource(c));
        });
        nn("scatterAlongAxis", (c, a) -> {
            long axis = c.layer().getScatterAlongAxis().getAxis();
            a.put("axis", String.valueOf(axis));
            a.put("count", alongAxisCount(c.input(1), axis));
            a.put("mode", scatterMode(c.layer().getScatterAlongAxis().getMode()));
            a.put("indices", indicesSource(c));
        });
        NnReader multiIndex = (c, a) -> {
            long[] idx = c.input(1); // [count, depth]
            if (idx != null && idx.length == 2) {
                a.put("count", String.valueOf(idx[0]));
                a.put("depth", String.valueOf(idx[1]));
            }
            a.put("indices", indicesSource(c));
            if (c.layer().hasScatterND()) {
                a.put("mode", scatterMode(c.layer().getScatterND().getMode()));
            }
        };
        nn("gatherND", multiIndex);
        nn("scatterND", multiIndex);
        nn("embeddingND", (c, a) -> {
            var p = c.layer().getEmbeddingND();
            a.put("vocab", String.valueOf(p.getVocabSize()));
            a.put("dim", String.valueOf(p.getEmbeddingSize()));
            a.put("bias", String.valueOf(p.getHasBias()));
        });
        nn("crop", (c, a) -> {
            var p = c.layer().getCrop();
            boolean reference = c.layer().getInputCount() == 2;
            a.put("form", reference ? "reference" : "amounts");
            long[] in = c.input(0);
            long[] to = c.input(1);
            var amounts = p.getCropAmounts().getBorderAmountsList();
            if (reference && in != null && to != null && in.length == 3 && to.length == 3) {
                a.put("removed", (in[1] - to[1]) + "x" + (in[2] - to[2]));
            } else if (!reference && amounts.size() == 2) {
                a.put("removed", (amounts.get(0).getStartEdgeSize() + amounts.get(0).getEndEdgeSize()) + "x"
                        + (amounts.get(1).getStartEdgeSize() + amounts.get(1).getEndEdgeSize()));
            }
        });
        nn("batchedMatmul", (c, a) -> {
            var p = c.layer().getBatchedMatmul();
            long[] x = c.input(0);
            if (c.layer().getInputCount() < 2) {
                // Constant weights [K, N]: no transposes.
                long n = p.getWeightMatrixSecondDimension();
                a.put("operand", "constant");
                a.put("transpose", BASELINE);
                a.put("bias", String.valueOf(p.getHasBias()));
                a.put("n", matmulN(n, p.getWeightMatrixFirstDimension()));
                return;
            }
            long[] b = c.input(1);
            boolean ta = p.getTransposeA();
            boolean tb = p.getTransposeB();
            a.put("operand", "input");
            a.put("transpose", ta ? (tb ? "ab" : "a") : tb ? "b" : "none");
            // Two inputs: no bias and no stored weights (the family's fp32 baseline).
            a.put("bias", p.getHasBias() ? null : "false");
            a.put("weights", BASELINE);
            if (x != null && x.length == 3) {
                a.put("in", ta ? x[0] + "x" + x[2] + "x" + x[1] : dims(x));
                long k = ta ? x[1] : x[2];
                if (b != null && b.length == 3) {
                    a.put("n", matmulN(tb ? b[1] : b[2], k));
                }
            }
        });
        nn("concatND", (c, a) -> {
            var p = c.layer().getConcatND();
            NeuralNetworkLayer l = c.layer();
            a.put("axis", String.valueOf(p.getAxis()));
            a.put("interleave", String.valueOf(p.getInterleave()));
            a.put("inputs", String.valueOf(l.getInputCount()));
            // x, then the others: all model inputs, or all constants.
            boolean allConstant = l.getInputCount() > 1;
            boolean anyConstant = false;
            for (int i = 1; i < l.getInputCount(); i++) {
                boolean k = c.constant().test(l.getInput(i));
                allConstant &= k;
                anyConstant |= k;
            }
            a.put("operands", allConstant ? "constant" : anyConstant ? null : "input");
        });
        nn("splitND", (c, a) -> {
            var p = c.layer().getSplitND();
            a.put("axis", String.valueOf(p.getAxis()));
            a.put("splits", String.valueOf(c.layer().getOutputCount()));
            a.put("sizes", p.getSplitSizesCount() == 0 ? "equal" : "unequal");
        });
        nn("topK", (c, a) -> {
            var p = c.layer().getTopK();
            a.put("axis", String.valueOf(p.getAxis()));
            a.put("bottom", String.valueOf(p.getUseBottomK()));
            boolean input = c.layer().getInputCount() > 1;
            a.put("kFrom", input ? "input" : "param");
            long[] y = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            // A run-time K is the output's size along the axis.
            a.put("k", !input ? String.valueOf(p.getK()) : y == null ? null : alongAxisCount(y, p.getAxis()));
        });
        NnReader arg = (c, a) -> {
            Message p = layerParams(c.layer());
            var d = p.getDescriptorForType();
            a.put("axis", String.valueOf(p.getField(d.findFieldByName("axis"))));
            a.put("removeDim", String.valueOf(p.getField(d.findFieldByName("removeDim"))));
        };
        nn("argMax", arg);
        nn("argMin", arg);
        nn("stack", (c, a) -> {
            a.put("axis", String.valueOf(c.layer().getStack().getAxis()));
            a.put("inputs", String.valueOf(c.layer().getInputCount()));
        });
        nn("slidingWindows", (c, a) -> {
            var p = c.layer().getSlidingWindows();
            a.put("axis", String.valueOf(p.getAxis()));
            a.put("window", String.valueOf(p.getWindowSize()));
            a.put("step", String.valueOf(p.getStep()));
        });
        nn("reshapeND", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            a.put("shapeFrom", l.hasReshapeDynamic() ? indicesSource(c) : "param");
            long[] in = c.input(0);
            long[] y = l.getOutputCount() > 0 ? c.shapeOf().apply(l.getOutput(0)) : null;
            if (in != null && y != null && in.length == 4 && in[0] == 1) {
                List<Long> t = Arrays.stream(y).boxed().toList();
                a.put("target", t.equals(List.of(1L, in[1], in[2] * in[3])) ? "mergeHW"
                        : t.equals(List.of(1L, in[1] * in[2] * in[3])) ? "flatten"
                        : t.equals(List.of(1L, in[1], in[3], in[2])) ? "swapHW"
                        : in[3] % 2 == 0 && t.equals(List.of(1L, in[1], in[2], in[3] / 2, 2L)) ? "splitW" : null);
            }
        });
        nn("oneHot", (c, a) -> {
            var p = c.layer().getOneHot();
            a.put("axis", String.valueOf(p.getAxis()));
            a.put("depth", c.layer().getInputCount() > 1 ? null : String.valueOf(p.getOneHotVectorSize()));
        });
        nn("nonMaximumSuppression", (c, a) -> {
            var p = c.layer().getNonMaximumSuppression();
            a.put("in", c.input(1) == null ? null : dims(c.input(1)));
            a.put("maxBoxes", String.valueOf(p.getMaxBoxes()));
            a.put("iou", number(p.getIouThreshold()));
            a.put("score", number(p.getScoreThreshold()));
            a.put("perClass", String.valueOf(p.getPerClassSuppression()));
            // Inputs 3 to 5 carry the thresholds and maxBoxes at run time.
            a.put("thresholds", c.layer().getInputCount() > 2 ? "input" : "param");
        });
        nn("normalization", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            a.put("acrossChannels", l.hasMvn() ? String.valueOf(l.getMvn().getAcrossChannels()) : BASELINE);
            a.put("normalizeVariance", l.hasMvn() ? String.valueOf(l.getMvn().getNormalizeVariance()) : BASELINE);
            a.put("localSize", l.hasLrn() ? String.valueOf(l.getLrn().getLocalSize()) : BASELINE);
        });
        nn("cumSum", (c, a) -> {
            var p = c.layer().getCumSum();
            a.put("axis", c.layer().getInputCount() > 1 ? null : String.valueOf(p.getAxis()));
            a.put("exclusive", String.valueOf(p.getExcludeFinalSum()));
            a.put("reverse", String.valueOf(p.getReverse()));
        });
        nn("argSort", (c, a) -> {
            var p = c.layer().getArgSort();
            long[] in = c.input(0);
            a.put("axis", in == null ? null : p.getAxis() == in.length - 1 || p.getAxis() == -1 ? "last"
                    : String.valueOf(p.getAxis()));
            a.put("descending", String.valueOf(p.getDescending()));
        });
        nn("transpose", (c, a) -> {
            StringBuilder perm = new StringBuilder();
            for (long v : c.layer().getTranspose().getAxesList()) {
                perm.append(v >= 0 && v <= 9 ? String.valueOf(v) : "?");
            }
            a.put("perm", perm.indexOf("?") >= 0 ? null : perm.toString());
        });
        nn("reverse", (c, a) -> {
            StringBuilder dims = new StringBuilder();
            c.layer().getReverse().getReverseDimList().forEach(r -> dims.append(r ? '1' : '0'));
            a.put("dims", dims.toString());
        });
        nn("reverseSeq", (c, a) -> {
            var p = c.layer().getReverseSeq();
            a.put("batchAxis", String.valueOf(p.getBatchAxis()));
            a.put("seqAxis", String.valueOf(p.getSequenceAxis()));
            a.put("lengths", indicesSource(c));
        });
        nn("tile", (c, a) -> {
            var p = c.layer().getTile();
            if (c.layer().getInputCount() < 2) {
                a.put("repsFrom", "param");
                a.put("reps", p.getRepsCount() == 0 ? null : dims(p.getRepsList().stream().mapToLong(Long::longValue)
                        .toArray()));
                return;
            }
            boolean constant = c.constant().test(c.layer().getInput(1));
            a.put("repsFrom", constant ? "constant" : "input");
            long[] reps = constant ? c.constantInput(1) : null;
            long[] x = c.input(0);
            long[] y = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            if (reps == null && x != null && y != null && x.length == y.length) {
                // Repetitions fed in at run time: the output's size over the input's.
                reps = new long[x.length];
                for (int i = 0; i < x.length && reps != null; i++) {
                    if (x[i] > 0 && y[i] % x[i] == 0) {
                        reps[i] = y[i] / x[i];
                    } else {
                        reps = null;
                    }
                }
            }
            a.put("reps", reps == null || reps.length == 0 ? null : dims(reps));
        });
        nn("sliceND", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            long[] x = c.input(0);
            if (x == null) {
                return;
            }
            List<Long> begins;
            List<Long> ends;
            List<Long> strides;
            if (l.hasSliceStatic()) {
                begins = l.getSliceStatic().getBeginIdsList();
                ends = l.getSliceStatic().getEndIdsList();
                strides = l.getSliceStatic().getStridesList();
                a.put("begins", "constant");
            } else {
                long[] given = c.constantInput(1);
                begins = given == null ? null : Arrays.stream(given).boxed().toList();
                ends = l.getSliceDynamic().getEndIdsList();
                strides = l.getSliceDynamic().getStridesList();
                a.put("begins", indicesSource(c));
            }
            if (ends.size() != x.length || strides.size() != x.length || (begins != null && begins.size() != x.length)) {
                return;
            }
            // The one axis sliced: its bounds or stride are not the whole axis'.
            int axis = -1;
            for (int i = 0; i < x.length; i++) {
                boolean sliced = ends.get(i) != x[i] || strides.get(i) != 1 || (begins != null && begins.get(i) != 0);
                if (sliced) {
                    axis = axis == -1 ? i : -2;
                }
            }
            if (axis >= 0) {
                a.put("axis", String.valueOf(axis));
                a.put("stride", String.valueOf(strides.get(axis)));
                a.put("begin", begins == null ? null : String.valueOf(begins.get(axis)));
            }
        });
        nn("sliceBySize", (c, a) -> {
            var p = c.layer().getSliceBySize();
            long[] x = c.input(0);
            long[] begin = c.constantInput(1);
            if (x == null || p.getAxis() < 0 || p.getAxis() >= x.length) {
                return;
            }
            int axis = (int) p.getAxis();
            long dim = x[axis];
            long size = p.getSize();
            a.put("axis", axis == x.length - 1 ? "last" : String.valueOf(axis));
            // The size by name when only one name fits: half of the axis, all of it, or a number the family sweeps.
            List<String> names = new ArrayList<>();
            for (String choice : families.get("sliceBySize").axis("size").choices()) {
                long v = switch (choice) {
                    case "half" -> Math.max(1, dim / 2);
                    case "all" -> dim;
                    default -> Long.parseLong(choice);
                };
                if (v == size) {
                    names.add(choice);
                }
            }
            a.put("size", names.size() == 1 ? names.get(0) : null);
            if (begin != null && begin.length == 1) {
                long b = begin[0];
                a.put("begin", b == 0 ? "start" : b == (dim - size) / 2 ? "middle" : b == dim - size ? "end" : null);
            }
        });
        nn("constantPad", (c, a) -> {
            var p = c.layer().getConstantPad();
            boolean input = c.layer().getInputCount() > 1;
            a.put("amounts", input ? "input" : "param");
            a.put("toSize", String.valueOf(p.getPadToGivenOutputSizeMode()));
            long[] x = c.input(0);
            long[] y = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            for (String name : families.get("constantPad").axis("pad").choices()) {
                long[] pads = constantPadAmounts(name);
                boolean same;
                if (pads == null) {
                    same = false;
                } else if (!input && !p.getPadToGivenOutputSizeMode()) {
                    same = p.getPadAmountsList().equals(Arrays.stream(pads).boxed().toList());
                } else {
                    // Amounts fed in, or given as output sizes: what is added per axis, from the shapes.
                    same = x != null && y != null && x.length == 4 && y.length == 4;
                    for (int i = 0; same && i < 4; i++) {
                        same = y[i] - x[i] == pads[2 * i] + pads[2 * i + 1];
                    }
                }
                if (same) {
                    a.put("pad", name);
                    break;
                }
            }
        });
        nn("bandPart", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            if (l.hasMatrixBandPart()) {
                a.put("band", l.getMatrixBandPart().getNumLower() + "," + l.getMatrixBandPart().getNumUpper());
                a.put("k", BASELINE);
            } else {
                a.put("k", String.valueOf(l.hasLowerTriangular() ? l.getLowerTriangular().getK()
                        : l.getUpperTriangular().getK()));
                a.put("band", BASELINE);
            }
        });
        nn("categoricalDistribution", (c, a) -> {
            var p = c.layer().getCategoricalDistribution();
            a.put("samples", String.valueOf(p.getNumSamples()));
            a.put("logits", String.valueOf(p.getIsLogits()));
        });
        nn("clip", (c, a) -> {
            a.put("min", number(c.layer().getClip().getMinVal()));
            a.put("max", number(c.layer().getClip().getMaxVal()));
        });
        nn("clampedReLU", (c, a) -> {
            a.put("alpha", number(c.layer().getClampedReLU().getAlpha()));
            a.put("beta", number(c.layer().getClampedReLU().getBeta()));
        });
        nn("gelu", (c, a) -> a.put("mode", switch (c.layer().getGelu().getMode()) {
            case EXACT -> "exact";
            case TANH_APPROXIMATION -> "tanh";
            case SIGMOID_APPROXIMATION -> "sigmoid";
            default -> null;
        }));
        nn("layerNormalization", (c, a) -> a.put("normalized",
                String.valueOf(c.layer().getLayerNormalization().getNormalizedShapeCount())));
        nn("softmaxND", (c, a) -> a.put("axis", String.valueOf(c.layer().getSoftmaxND().getAxis())));
        nn("broadcastTo", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            long[] out = l.getOutputCount() > 0 ? c.shapeOf().apply(l.getOutput(0)) : null;
            a.put("in", out == null ? null : dims(out));
            a.put("shapeFrom", l.hasBroadcastToDynamic() ? indicesSource(c) : "param");
            long[] from = c.input(0);
            if (out != null && from != null && out.length == 4) {
                // The source against the target: [C] per channel, [1,1,1,1], the last row [1,1,1,W], or [W].
                long[] f = from;
                a.put("from", f.length == 1 && f[0] == out[3] ? "vector"
                        : f.length != 4 || f[0] != 1 ? null
                        : f[1] == 1 && f[2] == 1 && f[3] == 1 ? "scalar"
                        : f[1] == 1 && f[2] == 1 && f[3] == out[3] ? "row"
                        : f[1] == out[1] && f[2] == 1 && f[3] == 1 ? "channel" : null);
            }
        });
        nn("whereBroadcastable", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            if (l.getInputCount() != 3) {
                return;
            }
            // where(condition, x, other): a condition a layer computes, or a model input.
            a.put("condition", c.producerOf().apply(l.getInput(0)) != null ? "computed" : "input");
            a.put("operand", c.constant().test(l.getInput(2)) ? "constant" : "input");
            a.put("b", broadcastForm(c.input(1), c.input(2)));
            a.put("in", c.input(1) == null ? null : dims(c.input(1)));
        });
        nn("fill", (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            long[] out = l.getOutputCount() > 0 ? c.shapeOf().apply(l.getOutput(0)) : null;
            a.put("in", out == null ? null : dims(out));
            if (!l.hasFillDynamic()) {
                a.put("shapeFrom", "param");
                return;
            }
            NeuralNetworkLayer from = l.getInputCount() > 0 ? c.producerOf().apply(l.getInput(0)) : null;
            a.put("shapeFrom", from == null ? "input" : from.hasGetShape() ? "getShape"
                    : from.hasLoadConstant() || from.hasLoadConstantND() ? "constant" : null);
        });
        // Copy is the one layer that may write over a blob an earlier layer made.
        nn("copy", (c, a) -> a.put("into", c.layer().getOutputCount() > 0
                && c.producerOf().apply(c.layer().getOutput(0)) != null ? "existing" : "new"));
        nn("rangeStatic", (c, a) -> {
            a.put("step", number(c.layer().getRangeStatic().getStepSizeValue()));
            a.put("in", c.combinedWith() == null ? null : dims(c.combinedWith()));
        });
        nn("loadConstantND", (c, a) -> {
            long[] in = c.combinedWith();
            List<Long> k = c.layer().getLoadConstantND().getShapeList();
            a.put("in", in == null ? null : dims(in));
            if (in != null && k.size() == in.length) {
                // The whole tensor, or one value per channel (the last two axes 1).
                boolean full = true;
                boolean channel = in.length >= 3;
                for (int i = 0; i < in.length; i++) {
                    full &= k.get(i) == in[i];
                    channel &= i >= in.length - 2 ? k.get(i) == 1 : k.get(i) == in[i];
                }
                a.put("shape", full ? "full" : channel ? "channel" : null);
            }
        });
        nn("embedding", (c, a) -> {
            var p = c.layer().getEmbedding();
            a.put("vocab", String.valueOf(p.getInputDim()));
            a.put("cout", String.valueOf(p.getOutputChannels()));
            a.put("hasBias", String.valueOf(p.getHasBias()));
        });
        nn("loadConstant", (c, a) -> a.put("in", c.layer().getLoadConstant().getShapeCount() == 0 ? null
                : dims(c.layer().getLoadConstant().getShapeList().stream().mapToLong(Long::longValue).toArray())));
        nn("globalPooling3d", (c, a) -> a.put("type", switch (c.layer().getGlobalPooling3D().getType()) {
            case MAX -> "max";
            case AVERAGE -> "average";
            default -> null;
        }));
        nn("dot", (c, a) -> a.put("cosineSimilarity", String.valueOf(c.layer().getDot().getCosineSimilarity())));
        nn("innerProduct", (c, a) -> {
            var p = c.layer().getInnerProduct();
            a.put("in", String.valueOf(p.getInputChannels()));
            a.put("cout", String.valueOf(p.getOutputChannels()));
            a.put("hasBias", String.valueOf(p.getHasBias()));
        });
    }

    /**
     * x combined with a second operand: which one it is (the constant one, else the one of fewer elements, else the
     * second input), on which side ({@code order}), whether a model input or a constant ({@code operand}), its
     * broadcast form ({@code b}) against the other, whose shape is the size ({@code in}). With one input, the
     * operand is {@code oneInput} (a comparison's scalar alpha) and there is no second tensor.
     */
    private static NnReader binaryNd(String oneInput) {
        return (c, a) -> {
            NeuralNetworkLayer l = c.layer();
            if (l.getInputCount() < 2) {
                a.put("operand", oneInput);
                a.put("b", BASELINE);
                a.put("order", BASELINE);
                return;
            }
            long[] s0 = c.input(0);
            long[] s1 = c.input(1);
            boolean k0 = c.constant().test(l.getInput(0));
            boolean k1 = c.constant().test(l.getInput(1));
            boolean bFirst = k0 != k1 ? k0 : s0 != null && s1 != null && elements(s0) < elements(s1);
            binary(bFirst, bFirst ? k0 : k1, bFirst ? s1 : s0, bFirst ? s0 : s1, a);
        };
    }

    private static void binary(boolean bFirst, boolean constant, long[] main, long[] b, Map<String, String> a) {
        // Two model inputs (or two computed tensors) of one shape are interchangeable: no side is "the second".
        boolean interchangeable = !constant && main != null && b != null && Arrays.equals(main, b);
        a.put("order", interchangeable ? null : bFirst ? "bFirst" : "xFirst");
        a.put("operand", constant ? "constant" : "input");
        a.put("b", broadcastForm(main, b));
        if (main != null) {
            a.put("in", dims(main));
        }
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void convolution(NnContext c, ConvolutionLayerParams p, Map<String, String> a) {
        a.put("kernel", pair(p.getKernelSizeList(), 3));
        a.put("stride", pair(p.getStrideList(), 1));
        a.put("cout", String.valueOf(p.getOutputChannels()));
        long groups = Math.max(1, p.getNGroups());
        long[] in = c.input(0);
        a.put("groups", groups > 1 && in != null && in.length >= 3 && in[in.length - 3] == groups ? "depthwise"
                : String.valueOf(groups));
        a.put("pad", switch (p.getConvolutionPaddingTypeCase()) {
            case VALID -> "valid";
            case SAME -> "same";
            default -> null;
        });
    }

    private void declareMil() {
        mil("mil.conv", (c, a) -> {
            long[] w = shape(c.type("weight"));
            if (w != null && w.length == 4) {
                a.put("kernel", w[2] + "x" + w[3]);
            }
            a.put("stride", ints(c.value("strides"), "1x1"));
            a.put("dilation", ints(c.value("dilations"), "1x1"));
            String pad = string(c.value("pad_type"));
            a.put("pad", pad == null ? null : pad.equals("custom") ? null : pad);
            long[] x = shape(c.type("x"));
            String g = ints(c.value("groups"), "1");
            if (g != null && w != null && x != null && x.length == 4 && !g.equals("1") && w[1] == 1
                    && Long.parseLong(g) == x[1]) {
                g = "depthwise";
            }
            a.put("groups", g);
        });
        mil("mil.pool", (c, a) -> {
            a.put("kernel", ints(c.value("kernel_sizes"), null));
            a.put("stride", ints(c.value("strides"), null));
            String pad = string(c.value("pad_type"));
            a.put("pad", pad == null || pad.equals("custom") ? null : pad);
            a.put("ceil", bool(c.value("ceil_mode"), "false"));
        });
        mil("mil.matmul", (c, a) -> {
            a.put("transpose_x", bool(c.value("transpose_x"), "false"));
            a.put("transpose_y", bool(c.value("transpose_y"), "false"));
            a.put("y", c.value("y") != null ? "const" : "input");
        });
        mil("mil.linear", (c, a) -> {
            long[] w = shape(c.type("weight"));
            if (w != null && w.length == 2) {
                a.put("out", String.valueOf(w[0]));
            }
            a.put("bias", String.valueOf(c.bound("bias")));
        });
        mil("mil.gather", (c, a) -> {
            Value table = c.value("x");
            a.put("table", table == null ? "none" : staticShape(table.getType()));
            a.put("indices", c.value("indices") != null ? "const" : "input");
            long[] idx = shape(c.type("indices"));
            if (table != null) {
                // An embedding lookup: token ids [1, count] into rows of the table; the family holds the tensor
                // axes at their baselines for it.
                a.put("in", BASELINE);
                a.put("axis", "0".equals(ints(c.value("axis"), "0")) ? BASELINE : null);
                a.put("count", idx != null && idx.length == 2 && idx[0] == 1 ? String.valueOf(idx[1]) : null);
            } else {
                a.put("axis", ints(c.value("axis"), "0"));
                a.put("count", idx != null && idx.length == 1 ? String.valueOf(idx[0]) : null);
            }
        });
        mil("mil.gather_along_axis", (c, a) -> {
            long[] axis = longs(c.value("axis"));
            long[] idx = shape(c.type("indices"));
            a.put("axis", axis == null ? (c.bound("axis") ? null : "0") : axis.length == 1 ? String.valueOf(axis[0])
                    : null);
            a.put("count", axis != null && axis.length == 1 ? alongAxisCount(idx, axis[0]) : null);
            a.put("indices", c.value("indices") != null ? "const" : "input");
        });
        mil("mil.gather_nd", (c, a) -> {
            long[] idx = shape(c.type("indices")); // [count, depth]
            if (idx != null && idx.length == 2) {
                a.put("count", String.valueOf(idx[0]));
                a.put("depth", String.valueOf(idx[1]));
            }
            a.put("indices", c.value("indices") != null ? "const" : "input");
        });
        mil("mil.scatters", (c, a) -> {
            a.put("in", staticShape(c.type("data")));
            a.put("mode", c.bound("mode") ? string(c.value("mode")) : "add");
            a.put("indices", c.value("indices") != null ? "const" : "input");
            long[] idx = shape(c.type("indices"));
            if (idx != null) {
                // scatter: [count]; scatter_along_axis: x's shape with count channels; scatter_nd: [count, 2].
                a.put("count", switch (c.op().getType()) {
                    case "scatter" -> idx.length == 1 ? String.valueOf(idx[0]) : null;
                    case "scatter_along_axis" -> alongAxisCount(idx, longs(c.value("axis")) != null
                            && longs(c.value("axis")).length == 1 ? longs(c.value("axis"))[0] : 0);
                    default -> idx.length == 2 ? String.valueOf(idx[0]) : null;
                });
            }
        });
        mil("mil.pad", (c, a) -> {
            long[] pad = longs(c.value("pad"));
            // The same amount before and after H and W, as the family pads.
            a.put("amount", pad != null && pad.length == 4 && pad[0] == pad[1] && pad[2] == pad[3]
                    ? pad[0] + "x" + pad[2] : null);
            a.put("mode", c.bound("mode") ? string(c.value("mode")) : "constant");
        });
        MilReader upsample = (c, a) -> {
            Float h = scalarFloat(c.value("scale_factor_height"));
            Float w = scalarFloat(c.value("scale_factor_width"));
            a.put("scale", (h == null ? (c.bound("scale_factor_height") ? null : "1") : number(h)) + "x"
                    + (w == null ? (c.bound("scale_factor_width") ? null : "1") : number(w)));
            if (a.get("scale").contains("null")) {
                a.put("scale", null);
            }
            a.put("align", bool(c.value("align_corners"), "false"));
        };
        mil("mil.upsample_nearest_neighbor", upsample);
        mil("mil.upsample_bilinear", upsample);
        mil("mil.cast", (c, a) -> {
            ValueType x = c.type("x");
            String from = x != null && x.hasTensorType() ? dtype(x.getTensorType().getDataType()) : null;
            String to = string(c.value("dtype"));
            if (from != null && to != null) {
                a.put("cast", from + "-" + to);
            }
        });
        mil("mil.quantize", (c, a) -> {
            // quantize reads floats; dequantize makes them (its input holds the integers).
            ValueType in = c.op().getType().equals("dequantize") && c.op().getOutputsCount() > 0
                    ? c.op().getOutputs(0).getType() : c.type("input");
            String d = in != null && in.hasTensorType() ? dtype(in.getTensorType().getDataType()) : null;
            a.put("dtype", d);
            a.put("in", staticShape(in));
            a.put("granularity", c.bound("axis") ? "channel" : "tensor");
            a.put("zero_point", String.valueOf(c.bound("zero_point")));
            ValueType q = c.op().getType().equals("dequantize") ? c.type("input")
                    : c.op().getOutputsCount() > 0 ? c.op().getOutputs(0).getType() : null;
            a.put("qtype", q != null && q.hasTensorType() ? dtype(q.getTensorType().getDataType()) : null);
        });
        // Weights made at compile time: 'in' and dtype are those of the tensor the weight is applied to (the
        // linear's x), the rest the op's own.
        mil("mil.constexpr", (c, a) -> {
            appliedTo(c, a);
            Operation op = c.op();
            Value lut = op.getAttributesMap().get("lut");
            long[] entries = lut == null ? null : shape(lut.getType());
            // Palettization: 2^bits table entries; the other ops decompress 8-bit (or float) weights.
            a.put("bits", entries != null && entries.length == 1 && Long.bitCount(entries[0]) == 1
                    ? String.valueOf(Long.numberOfTrailingZeros(entries[0])) : lut == null ? BASELINE : null);
            a.put("granularity", switch (op.getType()) {
                case "constexpr_affine_dequantize" -> {
                    Value scale = op.getAttributesMap().get("scale");
                    long[] d = scale == null ? null : shape(scale.getType());
                    yield d == null ? null : d.length == 0 || (d.length == 1 && d[0] == 1) ? "tensor" : "channel";
                }
                case "constexpr_blockwise_shift_scale" -> {
                    long[] d = shape(c.type("scale")); // [rows, blocks]
                    long[] w = shape(c.type("data"));
                    yield d == null || w == null || d.length != 2 || w.length != 2 || d[1] <= 0 ? null
                            : d[0] == 1 && d[1] == 1 ? "tensor" : d[1] == 1 ? "channel"
                            : w[1] % d[1] == 0 ? "block" + w[1] / d[1] : null;
                }
                default -> BASELINE;
            });
        });
        mil("mil.constexpr_sparse", (c, a) -> appliedTo(c, a));
        // A const combined with x by a binary op (x + const): read against that x. A const feeding anything else
        // (a convolution's weight, say) keeps its own type, and its size is not read.
        mil("mil.const", (c, a) -> {
            MilContext to = c.appliedBy();
            if (to != null && !to.bound("y")) {
                return;
            }
            ValueType t = c.op().getOutputsCount() > 0 ? c.op().getOutputs(0).getType() : null;
            long[] k = shape(t);
            appliedTo(c, a);
            long[] x = to == null ? null : shape(to.type("x"));
            if (t != null && t.hasTensorType() && to != null && to.type("x") != null) {
                DataType kt = t.getTensorType().getDataType();
                a.put("const_dtype", kt == to.type("x").getTensorType().getDataType() ? "same"
                        : kt == DataType.INT32 ? "int32" : null);
            }
            if (k != null && x != null && x.length == 4) {
                a.put("extent", k.length == 0 ? "scalar" : Arrays.equals(k, x) ? "full"
                        : k.length == 4 && k[0] == 1 && k[1] == x[1] && k[2] == 1 && k[3] == 1 ? "channel" : null);
            }
        });
        mil("mil.space_batch", (c, a) -> {
            // 'in' is the spatial side: batch_to_space makes it.
            if (c.op().getType().equals("batch_to_space")) {
                a.put("in", c.op().getOutputsCount() > 0 ? staticShape(c.op().getOutputs(0).getType()) : null);
            }
            long[] block = longs(c.value("block_shape"));
            a.put("block", block != null && block.length == 2 ? block[0] + "x" + block[1] : null);
        });
        mil("mil.expand_squeeze", (c, a) -> {
            if (c.op().getType().equals("squeeze")) { // reads the expanded shape back to 'in'
                a.put("in", c.op().getOutputsCount() > 0 ? staticShape(c.op().getOutputs(0).getType()) : null);
            }
            long[] axes = longs(c.value("axes"));
            a.put("where", axes == null || axes.length != 1 ? null : axes[0] == 0 ? "first" : axes[0] == -1 ? "last"
                    : null);
        });
        mil("mil.space_depth", (c, a) -> {
            String factor = c.bound("upscale_factor") ? "upscale_factor"
                    : c.bound("downscale_factor") ? "downscale_factor" : "block_size";
            long[] b = longs(c.value(factor));
            a.put("block", b != null && b.length == 1 ? String.valueOf(b[0]) : null);
        });
        MilReader reshapeTo = (c, a) -> {
            long[] x = shape(c.type("x"));
            long[] y = c.op().getOutputsCount() > 0 ? shape(c.op().getOutputs(0).getType()) : null;
            Axis to = families.get(familyOf(c.op())).axis("to");
            if (x != null && y != null && x.length == 4) {
                for (String name : to.choices()) {
                    if (Arrays.equals(y, milReshapeTarget(name, x))) {
                        a.put("to", name);
                        break;
                    }
                }
            }
        };
        mil("mil.reshape", reshapeTo);
        mil("mil.reshape_like", reshapeTo);
        mil("mil.reverse", (c, a) -> {
            String axes = axisLetters(longs(c.value("axes")), shape(c.type("x")));
            a.put("axes", axes == null || axes.contains("N") ? null : axes.toLowerCase(Locale.ROOT));
        });
        mil("mil.reverse_sequence", (c, a) -> {
            long[] x = shape(c.type("x"));
            long[] seq = longs(c.value("seq_axis"));
            long[] lengths = longs(c.value("lengths"));
            if (seq != null && seq.length == 1) {
                a.put("seq_axis", String.valueOf(seq[0]));
                if (x != null && lengths != null && seq[0] >= 0 && seq[0] < x.length) {
                    long full = x[(int) seq[0]];
                    a.put("lengths", Arrays.stream(lengths).allMatch(l -> l == full) ? "full" : "mixed");
                }
            }
        });
        MilReader slice = (c, a) -> {
            long[] x = shape(c.type("x"));
            long[] begin = longs(c.value("begin"));
            long[] end = longs(c.value("end"));
            long[] size = longs(c.value("size"));
            long[] stride = c.bound("stride") ? longs(c.value("stride")) : null;
            if (x == null || x.length != 4 || begin == null || begin.length != 4) {
                return;
            }
            if (end == null && size != null && size.length == 4) {
                end = new long[4];
                for (int i = 0; i < 4; i++) {
                    end[i] = size[i] < 0 ? x[i] : begin[i] + size[i];
                }
            }
            if (end == null || end.length != 4 || (stride != null && stride.length != 4)) {
                return;
            }
            for (String name : families.get(familyOf(c.op())).axis("slice").choices()) {
                long[][] s = milSlice(name, x);
                if (Arrays.equals(begin, s[0]) && Arrays.equals(end, s[1])
                        && Arrays.equals(stride == null ? new long[] {1, 1, 1, 1} : stride, s[2])) {
                    a.put("slice", name);
                    break;
                }
            }
        };
        mil("mil.slices", slice);
        mil("mil.slice_update", slice);
        mil("mil.transpose", (c, a) -> {
            long[] perm = longs(c.value("perm"));
            StringBuilder sb = new StringBuilder();
            if (perm != null) {
                for (long v : perm) {
                    sb.append(v >= 0 && v <= 9 ? String.valueOf(v) : "?");
                }
            }
            a.put("perm", perm == null || sb.indexOf("?") >= 0 ? null : sb.toString());
        });
        mil("mil.sliding_windows", (c, a) -> {
            a.put("axis", ints(c.value("axis"), null));
            a.put("size", ints(c.value("size"), null));
            a.put("stride", ints(c.value("stride"), "1"));
        });
        mil("mil.softmax", (c, a) -> a.put("axis", ints(c.value("axis"), "-1")));
        mil("mil.conv_transpose", (c, a) -> {
            long[] w = shape(c.type("weight")); // [Cin, Cout / groups, kH, kW]
            if (w != null && w.length == 4) {
                a.put("kernel", w[2] + "x" + w[3]);
            }
            a.put("stride", ints(c.value("strides"), "1x1"));
            String pad = string(c.value("pad_type"));
            a.put("pad", pad == null || pad.equals("custom") ? null : pad);
            long[] x = shape(c.type("x"));
            String g = ints(c.value("groups"), "1");
            if (g != null && x != null && x.length == 4 && !g.equals("1") && Long.parseLong(g) == x[1]) {
                g = "depthwise";
            }
            a.put("groups", g);
        });
        mil("mil.layer_norm", (c, a) -> {
            String axes = axisLetters(longs(c.value("axes")), shape(c.type("x")));
            a.put("axes", axes == null ? null : switch (axes) {
                case "W", "HW", "C", "CHW" -> axes.toLowerCase(Locale.ROOT);
                default -> null;
            });
            a.put("affine", String.valueOf(c.bound("gamma")));
        });
        mil("mil.reduce", (c, a) -> {
            a.put("axes", axisLetters(longs(c.value("axes")), shape(c.type("x"))));
            a.put("keep", bool(c.value("keep_dims"), "false"));
        });
        mil("mil.reduce_arg", (c, a) -> {
            a.put("axis", axisLetters(longs(c.value("axis")), shape(c.type("x"))));
            a.put("keep", bool(c.value("keep_dims"), "false"));
            String index = c.bound("output_dtype") ? string(c.value("output_dtype")) : "int32";
            a.put("index", index);
        });
        mil("mil.local_response_norm", (c, a) -> a.put("size", ints(c.value("size"), null)));
        MilReader resizeTo = (c, a) -> {
            long[] x = shape(c.type("x"));
            long[] y = c.op().getOutputsCount() > 0 ? shape(c.op().getOutputs(0).getType()) : null;
            if (x != null && y != null && x.length == 4 && y.length == 4) {
                a.put("scale", scaleOf(families.get(familyOf(c.op())).axis("scale"), y[2], x[2], y[3], x[3]));
            }
            String sampling = string(c.value("sampling_mode"));
            a.put("sampling", c.bound("sampling_mode") ? sampling : "DEFAULT");
            a.put("interpolation", string(c.value("interpolation_mode")));
        };
        mil("mil.resize_nearest_neighbor", resizeTo);
        mil("mil.resize_bilinear", resizeTo);
        mil("mil.resize", resizeTo);
        mil("mil.affine", (c, a) -> {
            resizeTo.read(c, a);
            a.put("transform", c.value("transform_matrix") != null ? "const" : "input");
        });
        mil("mil.crop", (c, a) -> {
            long[] h = longs(c.value("crop_height"));
            long[] w = longs(c.value("crop_width"));
            // The same amount at both sides, as the family crops.
            a.put("crop", h != null && w != null && h.length == 2 && w.length == 2 && h[0] == h[1] && w[0] == w[1]
                    ? h[0] + "x" + w[0] : null);
        });
        mil("mil.crop_resize", (c, a) -> {
            long[] roi = shape(c.type("roi")); // [N, 1, 4, 1, 1]
            a.put("boxes", roi != null && roi.length == 5 ? String.valueOf(roi[0]) : null);
            String h = ints(c.value("target_height"), null);
            String w = ints(c.value("target_width"), null);
            a.put("target", h == null || w == null ? null : h + "x" + w);
            a.put("sampling", c.bound("sampling_mode") ? string(c.value("sampling_mode")) : "DEFAULT");
            a.put("box_mode", c.bound("box_coordinate_mode") ? string(c.value("box_coordinate_mode"))
                    : "CORNERS_HEIGHT_FIRST");
        });
        mil("mil.resample", (c, a) -> {
            a.put("sampling", string(c.value("sampling_mode")));
            a.put("padding", string(c.value("padding_mode")));
            a.put("coordinates", string(c.value("coordinates_mode")));
            a.put("align", bool(c.value("align_corners"), null));
        });
        MilReader recurrent = (c, a) -> {
            long[] hh = shape(c.type("weight_hh")); // [gates * hidden, hidden]
            a.put("hidden", hh != null && hh.length == 2 ? String.valueOf(hh[1]) : null);
            a.put("direction", c.bound("direction") ? string(c.value("direction")) : "forward");
            a.put("output_sequence", bool(c.value("output_sequence"), "false"));
            a.put("peephole", String.valueOf(c.bound("peephole")));
            a.put("activation", c.bound("activation") ? string(c.value("activation")) : "tanh");
            a.put("reset_after", bool(c.value("reset_after"), "false"));
        };
        mil("mil.lstm", recurrent);
        mil("mil.gru", recurrent);
        mil("mil.rnn", recurrent);
        MilReader values = (c, a) -> {
            // concat and stack: equal-shaped 'values', one binding each.
            Argument v = c.op().getInputsMap().get("values");
            a.put("in", staticShape(c.type("values")));
            a.put("count", v == null ? null : String.valueOf(v.getArgumentsCount()));
            a.put("axis", ints(c.value("axis"), null));
            a.put("interleave", bool(c.value("interleave"), "false"));
        };
        mil("mil.concat", values);
        mil("mil.stack", values);
        mil("mil.split", (c, a) -> {
            a.put("axis", ints(c.value("axis"), null));
            long[] sizes = longs(c.value("split_sizes"));
            long[] x = shape(c.type("x"));
            long[] axis = longs(c.value("axis"));
            if (c.bound("split_sizes")) {
                // The family's one uneven split: a quarter, then the rest.
                long d = x != null && axis != null && axis.length == 1 && axis[0] >= -x.length && axis[0] < x.length
                        ? x[(int) (axis[0] < 0 ? axis[0] + x.length : axis[0])] : -1;
                a.put("parts", sizes != null && sizes.length == 2 && sizes[0] == d / 4 && sizes[1] == d - d / 4
                        ? "uneven" : null);
            } else {
                a.put("parts", ints(c.value("num_splits"), null));
            }
        });
        mil("mil.topk", (c, a) -> {
            a.put("k", ints(c.value("k"), "1"));
            a.put("axis", ints(c.value("axis"), "-1"));
            a.put("ascending", bool(c.value("ascending"), "false"));
        });
        mil("mil.argsort", (c, a) -> {
            a.put("axis", ints(c.value("axis"), "-1"));
            a.put("ascending", bool(c.value("ascending"), "false"));
        });
        mil("mil.tile", (c, a) -> a.put("reps", ints(c.value("reps"), null)));
        mil("mil.flatten2d", (c, a) -> a.put("axis", ints(c.value("axis"), "1")));
        mil("mil.one_hot", (c, a) -> {
            a.put("in", staticShape(c.type("indices")));
            a.put("depth", ints(c.value("one_hot_vector_size"), null));
            a.put("axis", ints(c.value("axis"), "-1"));
        });
        mil("mil.non_maximum_suppression", (c, a) -> {
            a.put("in", staticShape(c.type("scores")));
            a.put("max", ints(c.value("max_boxes"), null));
            a.put("per_class", bool(c.value("per_class_suppression"), "false"));
        });
        mil("mil.band_part", (c, a) -> {
            long[] lower = longs(c.value("lower"));
            long[] upper = longs(c.value("upper"));
            long lo = lower == null ? (c.bound("lower") ? Long.MIN_VALUE : 0) : lower.length == 1 ? lower[0]
                    : Long.MIN_VALUE;
            long up = upper == null ? (c.bound("upper") ? Long.MIN_VALUE : 0) : upper.length == 1 ? upper[0]
                    : Long.MIN_VALUE;
            a.put("band", lo == -1 && up == 0 ? "causal" : lo == 0 && up == -1 ? "upper" : lo == 0 && up == 0
                    ? "diagonal" : lo == 4 && up == 4 ? "band4" : lo == -1 && up == -1 ? "all" : null);
        });
        mil("mil.cumsum", (c, a) -> {
            a.put("axis", ints(c.value("axis"), "0"));
            a.put("exclusive", bool(c.value("exclusive"), "false"));
            a.put("reverse", bool(c.value("reverse"), "false"));
        });
        mil("mil.gelu", (c, a) -> a.put("mode", c.bound("mode") ? string(c.value("mode")) : "EXACT"));
        MilReader affineNorm = (c, a) -> a.put("affine", String.valueOf(c.bound("gamma")));
        mil("mil.batch_norm", affineNorm);
        mil("mil.instance_norm", affineNorm);
        mil("mil.einsum", (c, a) -> {
            String eq = string(c.value("equation"));
            long[] x = shape(c.type("values"));
            Argument v = c.op().getInputsMap().get("values");
            long[] x2 = v != null && v.getArgumentsCount() == 2 && v.getArguments(1).hasName()
                    ? shape(c.typeOf().apply(v.getArguments(1).getName())) : null;
            if (eq == null || x == null) {
                return;
            }
            // nchw,nwhu->nchu on [N, C, H, W]; chw,whr->chr on [C, H, W], written as N = 1.
            String form = eq.replace(" ", "");
            if (form.equals("nchw,nwhu->nchu") && x.length == 4) {
                a.put("equation", "nchw");
                a.put("in", dims(x));
            } else if (form.equals("chw,whr->chr") && x.length == 3) {
                a.put("equation", "chw");
                a.put("in", "1x" + dims(x));
            }
            a.put("u", x2 == null || x2.length == 0 ? null : String.valueOf(x2[x2.length - 1]));
        });
        MilReader madeLikeOutput = (c, a) -> a.put("in", c.op().getOutputsCount() > 0
                ? staticShape(c.op().getOutputs(0).getType()) : null);
        mil("mil.fill", madeLikeOutput);
        mil("mil.random", madeLikeOutput);
        mil("mil.fill_like", (c, a) -> a.put("in", staticShape(c.type("ref_tensor"))));
        mil("mil.select", (c, a) -> {
            a.put("in", staticShape(c.type("a")));
            Value b = c.value("b");
            long[] bs = shape(c.type("b"));
            a.put("b", b == null ? "input" : bs != null && bs.length == 0 ? "scalar" : "const");
        });
        mil("mil.random_categorical", (c, a) -> {
            a.put("mode", c.bound("mode") ? string(c.value("mode")) : "logits");
            a.put("size", ints(c.value("size"), "1"));
        });
        mil("mil.scaled_dot_product_attention", (c, a) -> {
            ValueType q = c.type("query");
            long[] qs = shape(q);
            long[] ks = shape(c.type("key"));
            if (q != null && q.hasTensorType()) {
                a.put("dtype", dtype(q.getTensorType().getDataType()));
                a.put("in", staticShape(q));
            }
            if (qs != null && ks != null && qs.length == 4 && ks.length == 4) {
                long lq = qs[2];
                long lk = ks[2];
                a.put("kv", lk == lq ? "same" : lk == Math.max(1, lq / 2) ? "half" : lk == lq * 2 ? "double" : null);
            }
            a.put("mask", !c.bound("attn_mask") ? "none" : c.value("attn_mask") != null
                    && shape(c.type("attn_mask")) != null
                    && c.type("attn_mask").getTensorType().getDataType() == DataType.BOOL ? "bool"
                    : c.value("attn_mask") == null ? "float" : null);
        });
        mil("mil.list", (c, a) -> {
            // A list's length, growth and element type and shape are make_list's: follow the list back to it.
            Operation make = c.op();
            for (int hops = 0; hops < 16 && make != null && !make.getType().equals("make_list"); hops++) {
                String ls = firstName(make, "ls");
                make = ls == null ? null : c.producerOf().apply(ls);
            }
            if (make == null || !make.getType().equals("make_list")) {
                return;
            }
            MilContext m = c.at(make);
            a.put("length", ints(m.value("init_length"), "1"));
            a.put("dynamic_length", bool(m.value("dynamic_length"), "true"));
            String d = string(m.value("dtype"));
            a.put("dtype", d == null ? "fp32" : d);
            Argument shape = make.getInputsMap().get("elem_shape");
            StringBuilder in = new StringBuilder();
            for (int i = 0; shape != null && i < shape.getArgumentsCount(); i++) {
                Argument.Binding b = shape.getArguments(i);
                long[] v = longs(b.hasName() ? c.constOf().apply(b.getName()) : b.getValue());
                if (v == null || v.length != 1) {
                    return;
                }
                in.append(in.length() == 0 ? "" : "x").append(v[0]);
            }
            a.put("in", in.length() == 0 ? null : in.toString());
        });
        // cond and while_loop: 'in' is the tensor they carry (cond's output, the loop's first variable).
        mil("mil.cond", (c, a) -> a.put("in", c.op().getOutputsCount() > 0
                ? staticShape(c.op().getOutputs(0).getType()) : null));
        mil("mil.while_loop", (c, a) -> {
            a.put("in", staticShape(c.type("loop_vars")));
            // A counted loop: its condition block compares the counter with a constant (counter < n).
            if (c.op().getBlocksCount() > 0) {
                for (Operation op : c.op().getBlocks(0).getOperationsList()) {
                    if (op.getType().equals("less")) {
                        long[] n = longs(c.at(op).value("y"));
                        a.put("iterations", n != null && n.length == 1 ? String.valueOf(n[0]) : null);
                    }
                }
            }
        });
        // read_state makes the state's tensor; write_state stores 'data' of that shape.
        mil("mil.state", (c, a) -> a.put("in", c.op().getType().equals("write_state") ? staticShape(c.type("data"))
                : c.op().getOutputsCount() > 0 ? staticShape(c.op().getOutputs(0).getType()) : null));
        mil("mil.classify", (c, a) -> {
            long[] p = shape(c.type("probabilities")); // [1, classes]
            a.put("classes", p != null && p.length > 0 ? String.valueOf(p[p.length - 1]) : null);
            ValueType label = c.op().getOutputsCount() > 0 ? c.op().getOutputs(0).getType() : null;
            a.put("labels", label == null || !label.hasTensorType() ? null
                    : switch (label.getTensorType().getDataType()) {
                        case STRING -> "string";
                        case INT64 -> "int64";
                        default -> null;
                    });
            // The probabilities' type before any cast to fp32 (classify takes fp32).
            ValueType t = c.type("probabilities");
            Operation from = c.producerOf().apply(firstName(c.op(), "probabilities"));
            if (from != null && from.getType().equals("cast")) {
                t = c.at(from).type("x");
            }
            a.put("dtype", t != null && t.hasTensorType() ? dtype(t.getTensorType().getDataType()) : null);
        });
        // The element-wise binary ops: the second operand is the constant one, else the smaller, else y.
        MilReader binary = (c, a) -> {
            long[] sx = shape(c.type("x"));
            long[] sy = shape(c.type("y"));
            boolean kx = c.value("x") != null;
            boolean ky = c.value("y") != null;
            if (!c.bound("y")) { // logical_not
                a.put("operand", BASELINE);
                a.put("b", BASELINE);
            } else {
                boolean bFirst = kx != ky ? kx : sx != null && sy != null && elements(sx) < elements(sy);
                binary(bFirst, bFirst ? kx : ky, bFirst ? sy : sx, bFirst ? sx : sy, a);
            }
            // Logical ops run on BOOL tensors: the family's dtype is the float type they were cast from.
            if (a.get("dtype") == null) {
                Operation from = c.producerOf().apply(firstName(c.op(), "x"));
                if (from != null && from.getType().equals("cast")) {
                    ValueType t = c.at(from).type("x");
                    a.put("dtype", t != null && t.hasTensorType() ? dtype(t.getTensorType().getDataType()) : null);
                }
            }
        };
        mil("mil.add", binary);
        mil("mil.mul", binary);
        mil("mil.binary", binary);
        mil("mil.compare", binary);
        mil("mil.logical", binary);
    }

    // ---------------------------------------------------------------- value formats (as the generator writes them)

    /** The name the first binding of an op input refers to, or null (inline value, or not bound). */
    private static String firstName(Operation op, String param) {
        Argument a = op.getInputsMap().get(param);
        return a == null || a.getArgumentsCount() == 0 || !a.getArguments(0).hasName() ? null
                : a.getArguments(0).getName();
    }

    /** A legacy reshape's target named as the generator names it relative to the [C, H, W] input, or null. */
    private static String reshapeTarget(long[] in, List<Long> target) {
        if (in == null || in.length != 3) {
            return null;
        }
        long c = in[0];
        long h = in[1];
        long w = in[2];
        if (target.size() == 4) {
            return target.equals(List.of(1L, c, h * w, 1L)) ? "seq4d" : null;
        }
        if (target.equals(List.of(c, h * w, 1L))) {
            return "rows";
        }
        if (target.equals(List.of(c * h * w, 1L, 1L))) {
            return "flat";
        }
        if (target.equals(List.of(c, w, h))) {
            return "swapHW";
        }
        return h % 2 == 0 && target.equals(List.of(2 * c, h / 2, w)) ? "fold" : null;
    }

    /** An output size as a factor of the input's, when that factor gives the size back exactly as it rounds. */
    private static String factor(long out, long in) {
        if (in <= 0 || out <= 0) {
            return null;
        }
        BigDecimal f = BigDecimal.valueOf(out).divide(BigDecimal.valueOf(in),
                new MathContext(6)).stripTrailingZeros();
        return Math.max(1, Math.round(in * f.doubleValue())) == out ? f.toPlainString() : null;
    }

    private static String sampling(SamplingMode m) {
        return switch (m.getSamplingMethod()) {
            case STRICT_ALIGN_ENDPOINTS_MODE -> "strictAlignEndpoints";
            case ALIGN_ENDPOINTS_MODE -> "alignEndpoints";
            case UPSAMPLE_MODE -> "upsample";
            case ROI_ALIGN_MODE -> "roiAlign";
            default -> null;
        };
    }

    /** Where a gather's or scatter's indices (its second input) come from. */
    private static String indicesSource(NnContext c) {
        return c.layer().getInputCount() < 2 ? null : c.constant().test(c.layer().getInput(1)) ? "constant"
                : "input";
    }

    /** The number of indices along the indexed axis of full-rank indices. */
    private static String alongAxisCount(long[] idx, long axis) {
        if (idx == null || axis < -idx.length || axis >= idx.length) {
            return null;
        }
        return String.valueOf(idx[(int) (axis < 0 ? axis + idx.length : axis)]);
    }

    private static String scatterMode(ScatterMode m) {
        String name = m.name();
        return name.startsWith("SCATTER_") ? name.substring(8).toLowerCase(Locale.ROOT) : null;
    }

    /** The message of the layer's oneof parameters (a reflective read: for layer types without a fast path). */
    private static Message layerParams(NeuralNetworkLayer l) {
        return (Message) l.getField(NeuralNetworkLayer.getDescriptor().findFieldByNumber(l.getLayerCase().getNumber()));
    }

    /** An op's axes named by the letters of a rank-4 NCHW tensor ("HW", "C"), or null. */
    private static String axisLetters(long[] axes, long[] x) {
        if (axes == null || axes.length == 0 || x == null || x.length != 4) {
            return null;
        }
        boolean[] on = new boolean[4];
        for (long v : axes) {
            if (v < -4 || v > 3) {
                return null;
            }
            on[(int) (v < 0 ? v + 4 : v)] = true;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (on[i]) {
                sb.append("NCHW".charAt(i));
            }
        }
        return sb.toString();
    }

    /**
     * A resize's scale: the one value the axis declares that gives these sizes (scaled sizes round down), else the
     * exact ratio when it gives them back; null when several declared values would.
     */
    private static String scaleOf(Axis axis, long outH, long inH, long outW, long inW) {
        if (inH <= 0 || inW <= 0) {
            return null;
        }
        String found = null;
        if (axis != null) {
            for (String v : axis.values(Profile.FULL)) {
                String[] p = v.split("x");
                if (p.length == 2 && scaled(inH, Double.parseDouble(p[0])) == outH
                        && scaled(inW, Double.parseDouble(p[1])) == outW) {
                    if (found != null) {
                        return null;
                    }
                    found = v;
                }
            }
        }
        if (found != null) {
            return found;
        }
        MathContext six = new MathContext(6);
        BigDecimal h = BigDecimal.valueOf(outH).divide(BigDecimal.valueOf(inH), six);
        BigDecimal w = BigDecimal.valueOf(outW).divide(BigDecimal.valueOf(inW), six);
        return scaled(inH, h.doubleValue()) == outH && scaled(inW, w.doubleValue()) == outW
                ? h.stripTrailingZeros().toPlainString() + "x" + w.stripTrailingZeros().toPlainString() : null;
    }

    private static long scaled(long size, double factor) {
        return Math.max(1, (long) Math.floor(size * factor));
    }

    /** The integers of a const tensor (or scalar), or null. */
    private static long[] longs(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor()) {
            return null;
        }
        TensorValue t = v.getImmediateValue().getTensor();
        if (t.hasBytes() && v.getType().getTensorType().getDataType() == DataType.UINT32) {
            // UINT32 consts are held as little-endian bytes.
            ByteBuffer bb = t.getBytes().getValues().asReadOnlyByteBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[bb.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = Integer.toUnsignedLong(bb.getInt());
            }
            return out;
        }
        List<? extends Number> values = t.hasInts() ? t.getInts().getValuesList()
                : t.hasLongInts() ? t.getLongInts().getValuesList() : null;
        if (values == null) {
            return null;
        }
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).longValue();
        }
        return out;
    }

    /** The one float (or integer) of a const scalar or one-element tensor, or null. */
    private static Float scalarFloat(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor()) {
            return null;
        }
        TensorValue t = v.getImmediateValue().getTensor();
        if (t.hasFloats() && t.getFloats().getValuesCount() == 1) {
            return t.getFloats().getValues(0);
        }
        if (t.hasInts() && t.getInts().getValuesCount() == 1) {
            return (float) t.getInts().getValues(0);
        }
        return null;
    }

    /**
     * A matrix product's N as the family names it: "same" when N = K, unless N is also a width the family sweeps
     * by number (then the model is both probes, and which one is not told).
     */
    private String matmulN(long n, long k) {
        if (n != k) {
            return String.valueOf(n);
        }
        return families.get("batchedMatmul").axis("n").choices().contains(String.valueOf(n)) ? null : "same";
    }

    /** The ML Program reshape targets of [N, C, H, W], by the names the reshape families give them. */
    private static long[] milReshapeTarget(String to, long[] in) {
        long n = in[0];
        long c = in[1];
        long h = in[2];
        long w = in[3];
        return switch (to) {
            case "c_hw" -> new long[] {n, c, h * w};
            case "flat" -> new long[] {n, c * h * w};
            case "nc_h_w" -> new long[] {n * c, h, w};
            case "w_half" -> w % 2 == 0 ? new long[] {n, c, h * 2, w / 2} : null;
            case "w_double" -> h % 2 == 0 ? new long[] {n, c, h / 2, w * 2} : null;
            case "rank5" -> c % 2 == 0 ? new long[] {n, 2, c / 2, h, w} : null;
            case "rank6" -> c % 2 == 0 && h % 2 == 0 ? new long[] {n, 2, c / 2, 2, h / 2, w} : null;
            default -> null;
        };
    }

    /** begin, end and stride of the ML Program slices of [N, C, H, W], by the names the slice families give them. */
    private static long[][] milSlice(String name, long[] in) {
        long[] b = new long[4];
        long[] e = in.clone();
        long[] st = {1, 1, 1, 1};
        switch (name) {
            case "w_half" -> e[3] = in[3] / 2;
            case "w_second_half" -> b[3] = in[3] / 2;
            case "h_half" -> e[2] = in[2] / 2;
            case "c_half" -> e[1] = in[1] / 2;
            case "w_inner" -> {
                b[3] = 1;
                e[3] = in[3] - 1;
            }
            case "w_one" -> e[3] = 1;
            case "stride2" -> {
                st[2] = 2;
                st[3] = 2;
            }
            default -> {
                return new long[][] {null, null, null};
            }
        }
        return new long[][] {b, e, st};
    }

    /** The before/after amounts per axis of [N, C, H, W] of constantPad's named paddings. */
    private static long[] constantPadAmounts(String name) {
        return switch (name) {
            case "w1" -> new long[] {0, 0, 0, 0, 0, 0, 1, 1};
            case "c1" -> new long[] {0, 0, 1, 1, 0, 0, 0, 0};
            case "n1" -> new long[] {1, 1, 0, 0, 0, 0, 0, 0};
            case "hw3" -> new long[] {0, 0, 0, 0, 3, 3, 3, 3};
            case "hw8" -> new long[] {0, 0, 0, 0, 8, 8, 8, 8};
            case "end1" -> new long[] {0, 0, 0, 0, 0, 1, 0, 1};
            case "c16" -> new long[] {0, 0, 16, 16, 0, 0, 0, 0};
            case "hw1" -> new long[] {0, 0, 0, 0, 1, 1, 1, 1};
            default -> null;
        };
    }

    /** What a sub-network's first layer is: a convolution or an activation. */
    private static String bodyKind(NeuralNetwork body) {
        if (body.getLayersCount() == 0) {
            return null;
        }
        NeuralNetworkLayer first = body.getLayers(0);
        return first.hasConvolution() ? "convolution" : first.hasActivation() ? "activation" : null;
    }

    /** The shape of a sub-network's first layer's input. */
    private static String bodyInput(NnContext c, NeuralNetwork body) {
        if (body.getLayersCount() == 0 || body.getLayers(0).getInputCount() == 0) {
            return null;
        }
        long[] in = c.shapeOf().apply(body.getLayers(0).getInput(0));
        return in == null ? null : dims(in);
    }

    /** 'in' and dtype of the tensor what this op makes is applied to; neither when it is applied to none. */
    private static void appliedTo(MilContext c, Map<String, String> a) {
        MilContext to = c.appliedBy();
        ValueType x = to == null ? null : to.type("x");
        a.put("in", staticShape(x));
        a.put("dtype", x != null && x.hasTensorType() ? dtype(x.getTensorType().getDataType()) : null);
    }

    static String dims(long[] d) {
        StringBuilder sb = new StringBuilder();
        for (long v : d) {
            sb.append(sb.length() == 0 ? "" : "x").append(v);
        }
        return sb.toString();
    }

    /** "HxW" from a two-number list, or the default when the list is empty. */
    private static String pair(List<Long> values, long ifEmpty) {
        if (values.isEmpty()) {
            return ifEmpty + "x" + ifEmpty;
        }
        return values.size() == 2 ? values.get(0) + "x" + values.get(1) : null;
    }

    private static String number(float f) {
        return f == Math.rint(f) ? String.valueOf((long) f) : String.valueOf(f);
    }

    /** Where the second operand of a broadcasting layer is full size, per channel, per pixel or a scalar. */
    private static String broadcastForm(long[] x, long[] b) {
        if (x == null || b == null || x.length < 3 || b.length < 1) {
            return null;
        }
        long[] chw = {x[x.length - 3], x[x.length - 2], x[x.length - 1]};
        long[] bb = new long[3];
        for (int i = 0; i < 3; i++) {
            int j = b.length - 3 + i;
            bb[i] = j >= 0 ? b[j] : 1;
        }
        if (bb[0] == chw[0] && bb[1] == chw[1] && bb[2] == chw[2]) {
            return "CxHxW";
        }
        if (bb[0] == chw[0] && bb[1] == 1 && bb[2] == 1) {
            return "Cx1x1";
        }
        if (bb[0] == 1 && bb[1] == chw[1] && bb[2] == chw[2]) {
            return "1xHxW";
        }
        return bb[0] == 1 && bb[1] == 1 && bb[2] == 1 ? "1x1x1" : null;
    }

    /** fp16 or fp32 from the layer's weights (when they are all one of them); null without float weights. */
    private static String weightPrecision(NeuralNetworkLayer layer) {
        boolean[] seen = new boolean[2];
        java.util.function.Consumer<WeightParams> see = w -> {
            if (!w.getFloat16Value().isEmpty()) {
                seen[0] = true;
            } else if (w.getFloatValueCount() > 0) {
                seen[1] = true;
            }
        };
        // The common weighted layers directly: reflection over a layer costs more than the rest of linting it.
        switch (layer.getLayerCase()) {
            case CONVOLUTION -> {
                see.accept(layer.getConvolution().getWeights());
                see.accept(layer.getConvolution().getBias());
            }
            case INNERPRODUCT -> {
                see.accept(layer.getInnerProduct().getWeights());
                see.accept(layer.getInnerProduct().getBias());
            }
            case BATCHNORM -> {
                see.accept(layer.getBatchnorm().getGamma());
                see.accept(layer.getBatchnorm().getBeta());
            }
            case LOADCONSTANTND -> see.accept(layer.getLoadConstantND().getData());
            case LOADCONSTANT -> see.accept(layer.getLoadConstant().getData());
            case EMBEDDING -> see.accept(layer.getEmbedding().getWeights());
            case SCALE -> see.accept(layer.getScale().getScale());
            case BIAS -> see.accept(layer.getBias().getBias());
            default -> forEachWeights(layer, see);
        }
        if (seen[0] == seen[1]) {
            return null;
        }
        return seen[0] ? "fp16" : "fp32";
    }

    private static void forEachWeights(Message m, java.util.function.Consumer<WeightParams> sink) {
        for (Map.Entry<FieldDescriptor, Object> e : m.getAllFields().entrySet()) {
            if (e.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE
                    || e.getKey().getMessageType().getName().equals("NeuralNetwork")) {
                continue;
            }
            List<?> values = e.getKey().isRepeated() ? (List<?>) e.getValue() : List.of(e.getValue());
            for (Object v : values) {
                if (v instanceof WeightParams w) {
                    sink.accept(w);
                } else if (v instanceof Message sub) {
                    forEachWeights(sub, sink);
                }
            }
        }
    }

    static String dtype(DataType t) {
        return switch (t) {
            case FLOAT16 -> "fp16";
            case FLOAT32 -> "fp32";
            case INT32 -> "int32";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case BOOL -> "bool";
            default -> null;
        };
    }

    static long[] shape(ValueType t) {
        if (t == null || !t.hasTensorType()) {
            return null;
        }
        TensorType tt = t.getTensorType();
        if (tt.getRank() < 0 || tt.getDimensionsCount() != tt.getRank()) {
            return null;
        }
        long[] out = new long[tt.getDimensionsCount()];
        for (int i = 0; i < out.length; i++) {
            Dimension d = tt.getDimensions(i);
            if (!d.hasConstant()) {
                return null;
            }
            out[i] = d.getConstant().getSize();
        }
        return out;
    }

    static String staticShape(ValueType t) {
        long[] s = shape(t);
        return s == null || s.length == 0 ? null : dims(s);
    }

    /** Integers of a const tensor joined with x ("2x2"); the default when there is no value. */
    private static String ints(Value v, String ifAbsent) {
        if (v == null) {
            return ifAbsent;
        }
        if (!v.hasImmediateValue() || !v.getImmediateValue().hasTensor()) {
            return null;
        }
        TensorValue t = v.getImmediateValue().getTensor();
        List<? extends Number> values = t.hasInts() ? t.getInts().getValuesList()
                : t.hasLongInts() ? t.getLongInts().getValuesList() : null;
        if (values == null || values.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Number n : values) {
            sb.append(sb.length() == 0 ? "" : "x").append(n.longValue());
        }
        return sb.toString();
    }

    private static String string(Value v) {
        if (v == null || !v.hasImmediateValue() || !v.getImmediateValue().hasTensor()
                || !v.getImmediateValue().getTensor().hasStrings()
                || v.getImmediateValue().getTensor().getStrings().getValuesCount() != 1) {
            return null;
        }
        return v.getImmediateValue().getTensor().getStrings().getValues(0);
    }

    private static String bool(Value v, String ifAbsent) {
        if (v == null) {
            return ifAbsent;
        }
        if (!v.hasImmediateValue() || !v.getImmediateValue().hasTensor()
                || !v.getImmediateValue().getTensor().hasBools()
                || v.getImmediateValue().getTensor().getBools().getValuesCount() != 1) {
            return null;
        }
        return String.valueOf(v.getImmediateValue().getTensor().getBools().getValues(0));
    }
}
