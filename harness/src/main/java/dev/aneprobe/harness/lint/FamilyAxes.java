package dev.aneprobe.harness.lint;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.ReduceLayerParams;
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
import java.util.ArrayList;
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
    /** What a reader sees of one NeuralNetwork layer: the layer, the shape of any blob, and which blobs are consts. */
    record NnContext(NeuralNetworkLayer layer, Function<String, long[]> shapeOf, Predicate<String> constant) {
        long[] input(int i) {
            return layer.getInputCount() > i ? shapeOf.apply(layer.getInput(i)) : null;
        }
    }

    /** What a reader sees of one ML Program op: the op, the type of any value in scope, const values, producers. */
    record MilContext(Operation op, Function<String, ValueType> typeOf, Function<String, Value> constOf,
            Function<String, Operation> producerOf) {
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
        return dims(java.util.Arrays.copyOfRange(shape, from, shape.length));
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
                }
                default -> {
                }
            }
        });
        // Families whose "in" is not their first input's shape.
        nn("nonMaximumSuppression", (c, a) -> a.put("in", c.input(1) == null ? null : dims(c.input(1))));
        nn("gatherEmbedding", (c, a) -> a.put("in", c.input(1) == null ? null : dims(c.input(1))));
        nn("broadcastTo", (c, a) -> {
            long[] out = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            a.put("in", out == null ? null : dims(out));
        });
        nn("branch", (c, a) -> a.put("in", null));
        nn("loop", (c, a) -> a.put("in", null));
        // The Dynamic variants take the shape as an input: the size is the output's.
        NnReader outputSize = (c, a) -> {
            long[] out = c.layer().getOutputCount() > 0 ? c.shapeOf().apply(c.layer().getOutput(0)) : null;
            a.put("in", out == null ? null : dims(out));
        };
        nn("random", outputSize);
        nn("fill", outputSize);
        NnReader recurrent = (c, a) -> {
            Message params = (Message) c.layer().getField(c.layer().getDescriptorForType()
                    .findFieldByNumber(c.layer().getLayerCase().getNumber()));
            FieldDescriptor size = params.getDescriptorForType().findFieldByName("inputVectorSize");
            a.put("in", size == null ? null : String.valueOf(params.getField(size)));
        };
        nn("simpleRecurrent", recurrent);
        nn("gru", recurrent);
        nn("uniDirectionalLSTM", recurrent);
        nn("biDirectionalLSTM", recurrent);
        nn("rangeDynamic", (c, a) -> a.put("in", null));
        nn("batchnorm", (c, a) -> {
            var b = c.layer().getBatchnorm();
            a.put("stats", b.getInstanceNormalization() ? "instance" : b.getComputeMeanVar() ? "computed"
                    : "stored");
        });
        nn("concat", (c, a) -> {
            a.put("inputs", String.valueOf(c.layer().getInputCount()));
            a.put("sequenceConcat", String.valueOf(c.layer().getConcat().getSequenceConcat()));
        });
        nn("unary", (c, a) -> a.put("op", c.layer().getUnary().getType().name().toLowerCase(Locale.ROOT)));
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
        boolean interchangeable = !constant && main != null && b != null && java.util.Arrays.equals(main, b);
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
            if (table != null) {
                a.put("in", null);
            }
            a.put("indices", c.value("indices") != null ? "const" : "input");
            a.put("axis", table == null ? ints(c.value("axis"), "0") : null);
        });
        mil("mil.cast", (c, a) -> {
            ValueType x = c.type("x");
            String from = x != null && x.hasTensorType() ? dtype(x.getTensorType().getDataType()) : null;
            String to = string(c.value("dtype"));
            if (from != null && to != null) {
                a.put("cast", from + "-" + to);
            }
        });
        mil("mil.scaled_dot_product_attention", (c, a) -> {
            ValueType q = c.type("query");
            if (q != null && q.hasTensorType()) {
                a.put("dtype", dtype(q.getTensorType().getDataType()));
                a.put("in", staticShape(q));
            }
        });
        mil("mil.quantize", (c, a) -> {
            // quantize reads floats; dequantize makes them (its input holds the integers).
            ValueType in = c.op().getType().equals("dequantize") && c.op().getOutputsCount() > 0
                    ? c.op().getOutputs(0).getType() : c.type("input");
            String d = in != null && in.hasTensorType() ? dtype(in.getTensorType().getDataType()) : null;
            a.put("dtype", d);
            a.put("in", staticShape(in));
        });
        // These ops make or reshape what their probe's input becomes, so "in" (and a constexpr's dtype, the
        // model's) is not what the op itself reads.
        mil("mil.constexpr", (c, a) -> {
            a.put("in", null);
            a.put("dtype", null);
        });
        mil("mil.space_batch", (c, a) -> a.put("in", c.op().getType().equals("batch_to_space") ? null
                : a.get("in")));
        mil("mil.expand_squeeze", (c, a) -> a.put("in", c.op().getType().equals("squeeze") ? null : a.get("in")));
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
                    ValueType t = new MilContext(from, c.typeOf(), c.constOf(), c.producerOf()).type("x");
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
