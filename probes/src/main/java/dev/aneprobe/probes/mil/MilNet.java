package dev.aneprobe.probes.mil;

import com.google.protobuf.ByteString;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.DictionaryFeatureType;
import dev.aneprobe.probes.coreml.Int64FeatureType;
import dev.aneprobe.probes.coreml.StateFeatureType;
import dev.aneprobe.probes.coreml.StringFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Metadata;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.DictionaryType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.ListType;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.StateType;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.model.Feature;
import dev.aneprobe.probes.model.Fp16;
import dev.aneprobe.probes.model.ProbeNetwork;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A single-op ML Program being described: the {@code main} function's inputs, const ops for parameters, the op
 * under test and any helper ops, and the outputs. Naming: the op under test writes the model output ({@code y});
 * helper ops write {@code aux_*}; consts are {@code c_*}. Large consts (at least {@link #BLOB_THRESHOLD} elements
 * of a type the weight file can hold) go to {@code weights/weight.bin} through a {@link BlobSink}, as Core ML
 * expects; small ones stay immediate values.
 */
public final class MilNet implements ProbeNetwork {
    /** Consts with at least this many elements are stored in the weight file, as coremltools does. */
    public static final int BLOB_THRESHOLD = 10;

    /**
     * A dimension known only at run time (non_zero's row count), for an intermediate op output; model inputs and
     * outputs keep static shapes.
     */
    public static final long UNKNOWN = -1;

    /**
     * Receives a large const's little-endian bytes (sub-byte types packed, the last byte padded) and its element
     * count, and returns its metadata offset in the weight file.
     */
    @FunctionalInterface
    public interface BlobSink {
        long add(DataType type, byte[] littleEndianData, long elementCount);
    }

    /**
     * A const's values, typed: FLOAT16/FLOAT32 in {@code floats}, FLOAT64 in {@code doubles}, the integer types up
     * to 32 bits in {@code ints} (UINT32 as its 32-bit pattern), INT64/UINT64 in {@code longs}, BOOL in
     * {@code bools}, a scalar STRING in {@code text}; the other arrays are null. Each value must fit its type (an
     * INT4 value in -8..7, a UINT8 value in 0..255, ...), so nothing is silently truncated when it is written.
     */
    public record ConstValue(DataType type, List<Long> dims, float[] floats, int[] ints, long[] longs,
            double[] doubles, boolean[] bools, String text) {
        public ConstValue {
            dims = List.copyOf(dims);
            long n = 1;
            for (long d : dims) {
                if (d < 0) {
                    throw new IllegalArgumentException("const dimension " + d + " is negative");
                }
                n = Math.multiplyExact(n, d);
            }
            int given = (floats != null ? 1 : 0) + (ints != null ? 1 : 0) + (longs != null ? 1 : 0)
                    + (doubles != null ? 1 : 0) + (bools != null ? 1 : 0) + (text != null ? 1 : 0);
            if (given != 1) {
                throw new IllegalArgumentException("a " + type + " const needs exactly one array of values");
            }
            long length = switch (type) {
                case FLOAT16, FLOAT32 -> floats == null ? -1 : floats.length;
                case FLOAT64 -> doubles == null ? -1 : doubles.length;
                case INT64, UINT64 -> longs == null ? -1 : longs.length;
                case BOOL -> bools == null ? -1 : bools.length;
                case STRING -> text == null || !dims.isEmpty() ? -1 : 1;
                case INT4, INT8, INT16, INT32, UINT1, UINT2, UINT3, UINT4, UINT6, UINT8, UINT16, UINT32 ->
                    ints == null ? -1 : ints.length;
                default -> throw new IllegalArgumentException("a const of " + type + " has no immediate form");
            };
            if (length < 0) {
                throw new IllegalArgumentException("a " + type + " const"
                        + (type == DataType.STRING ? " is a scalar text" : " holds its values in the wrong array"));
            }
            if (length != n) {
                throw new IllegalArgumentException("a " + type + " const of shape " + dims + " needs " + n
                        + " values, got " + length);
            }
            if (ints != null) {
                long[] range = intRange(type);
                for (int v : ints) {
                    if (v < range[0] || v > range[1]) {
                        throw new IllegalArgumentException(v + " does not fit " + type);
                    }
                }
            }
        }

        /** Values of the original six kinds (no INT64/UINT64 or FLOAT64 values). */
        public ConstValue(DataType type, List<Long> dims, float[] floats, int[] ints, boolean[] bools, String text) {
            this(type, dims, floats, ints, null, null, bools, text);
        }

        long count() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        /** The values an int of {@code type} may take; UINT32 takes any int, read as its unsigned bit pattern. */
        private static long[] intRange(DataType type) {
            return switch (type) {
                case INT4 -> new long[] {-8, 7};
                case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
                case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
                case UINT1 -> new long[] {0, 1};
                case UINT2 -> new long[] {0, 3};
                case UINT3 -> new long[] {0, 7};
                case UINT4 -> new long[] {0, 15};
                case UINT6 -> new long[] {0, 63};
                case UINT8 -> new long[] {0, 255};
                case UINT16 -> new long[] {0, 65535};
                default -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            };
        }
    }

    /**
     * One output of an op: its name and MIL value type. Most outputs are tensors ({@link #Out(String, DataType,
     * long...)}); list-valued ops (make_list, list_write, list_scatter) write {@link #list lists}, classify a
     * {@link #scalar} label and a {@link #dictionary}.
     */
    public record Out(String name, ValueType valueType) {
        /** A tensor output of element type {@code type} and static shape {@code dims}. */
        public Out(String name, DataType type, long... dims) {
            this(name, ValueType.newBuilder().setTensorType(tensorType(type, dims)).build());
        }

        /** A list of {@code length} tensors, each of element type {@code elemType} and shape {@code elemDims}. */
        public static Out list(String name, DataType elemType, long[] elemDims, long length) {
            return new Out(name, listType(elemType, elemDims, length));
        }

        /** A rank-0 value (a classifier's label: STRING or INT64). */
        public static Out scalar(String name, DataType type) {
            return new Out(name, type);
        }

        /** A dictionary from {@code keyType} scalars to {@code valueType} scalars (classify's probabilities). */
        public static Out dictionary(String name, DataType keyType, DataType valueType) {
            return new Out(name, ValueType.newBuilder().setDictionaryType(DictionaryType.newBuilder()
                    .setKeyType(scalarType(keyType)).setValueType(scalarType(valueType))).build());
        }
    }

    /**
     * One op. {@code name} is its {@code name} attribute: its first output's name, or for an op without outputs
     * (write_state) the name it was given. {@code literals} are parameters bound to a value written in the
     * binding itself rather than to a const op (classify's classes, as Core ML expects).
     */
    private record Op(String type, String name, List<Out> outs, Map<String, List<String>> inputs,
            Map<String, Value> literals, Map<String, ConstValue> inlineValues, ConstValue constValue,
            List<Block> blocks) {
    }

    private final String opset;
    private final List<Feature> inputs = new ArrayList<>();
    private final List<NamedValueType> functionInputs = new ArrayList<>();
    private final List<String> outputs = new ArrayList<>();
    /** The type of every value defined anywhere in the function: names are single-assignment across blocks. */
    private final Map<String, ValueType> types = new HashMap<>();
    /** State inputs of the function (spec 9): described under the model description's states, not its inputs. */
    private final List<Feature> states = new ArrayList<>();
    /** Set by {@link #classifierOutputs}: the label output and the probabilities output. */
    private String predictedFeature;
    private String predictedProbabilities;
    /** The function's own block. */
    private final Block main = new Block(Set.of());

    /**
     * A block of ops: the function's body, or one nested in an op (cond's branches, while_loop's condition and
     * body). A nested block is made with {@link MilNet#block()} or {@link Block#block()}, sees every value its
     * parent could see when it was made, may declare block inputs (while_loop's loop variables) and lists its
     * outputs; it is attached to its op with the {@code op(..., blocks)} overloads. Names stay unique across the
     * whole function.
     */
    public final class Block {
        private final List<NamedValueType> blockInputs = new ArrayList<>();
        private final List<Op> ops = new ArrayList<>();
        private final List<String> blockOutputs = new ArrayList<>();
        private final Set<String> visible;

        private Block(Set<String> outer) {
            this.visible = new HashSet<>(outer);
        }

        /** A block input (a while_loop block's view of one loop variable); returns its name. */
        public String input(String name, DataType type, long... dims) {
            define(name, type, dims);
            blockInputs.add(NamedValueType.newBuilder().setName(name).setType(types.get(name)).build());
            return name;
        }

        /** A block nested in this one (for an op of this block). */
        public Block block() {
            return new Block(visible);
        }

        public String constFloats(String name, DataType type, long[] dims, float[] values) {
            return addConst(name, new ConstValue(type, toList(dims), values, null, null, null));
        }

        public String constInts(String name, DataType type, long[] dims, int[] values) {
            return addConst(name, new ConstValue(type, toList(dims), null, values, null, null));
        }

        public String constBools(String name, long[] dims, boolean[] values) {
            return addConst(name, new ConstValue(DataType.BOOL, toList(dims), null, null, values, null));
        }

        public String constInt(String name, int value) {
            return constInts(name, DataType.INT32, new long[0], new int[] {value});
        }

        public String constFloat(String name, DataType type, float value) {
            return constFloats(name, type, new long[0], new float[] {value});
        }

        public String constBool(String name, boolean value) {
            return constBools(name, new long[0], new boolean[] {value});
        }

        public String constString(String name, String value) {
            return addConst(name, new ConstValue(DataType.STRING, List.of(), null, null, null, value));
        }

        /** A const of any element type, from its typed values. */
        public String constValue(String name, ConstValue value) {
            return addConst(name, value);
        }

        public String constIntList(String name, int... values) {
            return constInts(name, DataType.INT32, new long[] {values.length}, values);
        }

        private String addConst(String name, ConstValue v) {
            if (v.count() == 0 && !v.dims().isEmpty()) {
                // empty tensors are legal, but keep the builder honest about what it writes
                throw new IllegalArgumentException("const " + name + " is empty");
            }
            define(name, v.type(), dims(v.dims()));
            ops.add(new Op("const", name, List.of(new Out(name, v.type(), dims(v.dims()))), Map.of(), Map.of(),
                    Map.of(), v, List.of()));
            return name;
        }

        /** An op writing one tensor; see {@link MilNet#op(String, Map, String, DataType, long...)}. */
        public Block op(String type, Map<String, List<String>> inputs, String output, DataType outType,
                long... dims) {
            return op(type, inputs, List.of(new Out(output, outType, dims)), List.of());
        }

        /** An op writing several tensors, in the op's output order. */
        public Block op(String type, Map<String, List<String>> inputs, List<Out> outputs) {
            return op(type, inputs, outputs, List.of());
        }

        /**
         * An op with nested blocks (cond: the true then the false branch; while_loop: the condition then the body),
         * serialized into the op's {@code blocks} in the given order.
         */
        public Block op(String type, Map<String, List<String>> inputs, List<Out> outputs, List<Block> blocks) {
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("op " + type + " needs at least one output");
            }
            return add(type, outputs.get(0).name(), inputs, Map.of(), outputs, blocks);
        }

        /**
         * An op that writes nothing (write_state), named {@code name}: the op is found in a compute plan by its
         * type, since Core ML names plan entries by their first output.
         */
        public Block opWithoutOutputs(String type, String name, Map<String, List<String>> inputs) {
            return add(type, name, inputs, Map.of(), List.of(), List.of());
        }

        /** An op with some parameters bound to literal values (classify's classes) rather than to const ops. */
        public Block op(String type, Map<String, List<String>> inputs, Map<String, Value> literals,
                List<Out> outputs) {
            if (outputs.isEmpty()) {
                throw new IllegalArgumentException("op " + type + " needs at least one output");
            }
            return add(type, outputs.get(0).name(), inputs, literals, outputs, List.of());
        }

        private Block add(String type, String name, Map<String, List<String>> inputs, Map<String, Value> literals,
                List<Out> outputs, List<Block> blocks) {
            for (List<String> names : inputs.values()) {
                for (String n : names) {
                    if (!visible.contains(n)) {
                        throw new IllegalStateException("op " + type + " reads '" + n + "' before it is defined");
                    }
                }
            }
            for (Block b : blocks) {
                if (b == this || b == main) {
                    throw new IllegalArgumentException("op " + type + " cannot nest its own enclosing block");
                }
            }
            for (Out o : outputs) {
                define(o.name(), o.valueType());
            }
            ops.add(new Op(type, name, List.copyOf(outputs), new LinkedHashMap<>(inputs),
                    new LinkedHashMap<>(literals), Map.of(), null, List.copyOf(blocks)));
            return this;
        }

        private Block opWithAttributes(String type, Map<String, ConstValue> attributes, String output,
                DataType outType, long... dims) {
            define(output, outType, dims);
            ops.add(new Op(type, output, List.of(new Out(output, outType, dims)), Map.of(), Map.of(),
                    new LinkedHashMap<>(attributes), null, List.of()));
            return this;
        }

        /** Lists a value as a block output (for a nested block, any value it can see). */
        public Block output(String name) {
            if (!visible.contains(name)) {
                throw new IllegalStateException("block output '" + name + "' is not visible in the block");
            }
            blockOutputs.add(name);
            return this;
        }

        private void define(String name, DataType type, long... dims) {
            define(name, ValueType.newBuilder().setTensorType(tensorType(type, dims)).build());
        }

        private void define(String name, ValueType type) {
            if (types.containsKey(name)) {
                throw new IllegalStateException("'" + name + "' is already defined");
            }
            types.put(name, type);
            visible.add(name);
        }

        private dev.aneprobe.probes.coreml.mil.Block toProto(BlobSink blobs) {
            dev.aneprobe.probes.coreml.mil.Block.Builder b = dev.aneprobe.probes.coreml.mil.Block.newBuilder()
                    .addAllInputs(blockInputs).addAllOutputs(blockOutputs);
            for (Op op : ops) {
                b.addOperations(operation(op, blobs));
            }
            return b.build();
        }
    }

    private MilNet(String opset) {
        Opsets.specificationVersion(opset);
        this.opset = opset;
    }

    public static MilNet of(String opset) {
        return new MilNet(opset);
    }

    public String opset() {
        return opset;
    }

    @Override
    public String format() {
        return "mlpackage";
    }

    public MilNet input(String name, DataType type, long... dims) {
        inputs.add(new Feature(name, toList(dims), arrayType(type)));
        main.define(name, type, dims);
        functionInputs.add(NamedValueType.newBuilder().setName(name).setType(types.get(name)).build());
        return this;
    }

    /**
     * A model state (spec 9): a function input of state type wrapping an FLOAT16 tensor of shape {@code dims}
     * (Core ML keeps states in fp16 only), read with read_state and written with write_state. It is described
     * under the model description's states, not its inputs; Core ML allocates it (zeroed) with the model's state.
     */
    public MilNet state(String name, long... dims) {
        ValueType wrapped = ValueType.newBuilder().setTensorType(tensorType(DataType.FLOAT16, dims)).build();
        main.define(name, ValueType.newBuilder().setStateType(StateType.newBuilder().setWrappedType(wrapped)).build());
        functionInputs.add(NamedValueType.newBuilder().setName(name).setType(types.get(name)).build());
        states.add(new Feature(name, toList(dims), ArrayFeatureType.ArrayDataType.FLOAT16));
        return this;
    }

    /** A block to nest in an op of the function's body: it sees every value defined so far. */
    public Block block() {
        return main.block();
    }

    /** A const tensor of floats in {@code type} (FLOAT16 or FLOAT32); returns its name. */
    public String constFloats(String name, DataType type, long[] dims, float[] values) {
        return main.constFloats(name, type, dims, values);
    }

    /**
     * A const tensor of ints: INT16/UINT16/INT32 (written as ints), INT8/UINT8/UINT32 (written as raw bytes), or a
     * sub-byte type (UINT1/2/3/4/6, INT4) packed least-significant bit first into immediate bytes; returns its name.
     */
    public String constInts(String name, DataType type, long[] dims, int[] values) {
        return main.constInts(name, type, dims, values);
    }

    public String constBools(String name, long[] dims, boolean[] values) {
        return main.constBools(name, dims, values);
    }

    /** Scalar consts. */
    public String constInt(String name, int value) {
        return main.constInt(name, value);
    }

    public String constFloat(String name, DataType type, float value) {
        return main.constFloat(name, type, value);
    }

    public String constBool(String name, boolean value) {
        return main.constBool(name, value);
    }

    public String constString(String name, String value) {
        return main.constString(name, value);
    }

    /** A rank-1 INT32 const (a shape, axes, strides...). */
    public String constIntList(String name, int... values) {
        return main.constIntList(name, values);
    }

    /**
     * A const of any element type (INT64 and FLOAT64 included), from its typed values; written as coremltools
     * writes it ({@link ImmediateValues}).
     */
    public String constValue(String name, ConstValue value) {
        return main.constValue(name, value);
    }

    /**
     * An op writing one tensor. {@code inputs} maps each parameter name to the value names bound to it (one for
     * ordinary parameters, several for variadic ones such as concat's {@code values}).
     */
    public MilNet op(String type, Map<String, List<String>> inputs, String output, DataType outType, long... dims) {
        main.op(type, inputs, output, outType, dims);
        return this;
    }

    /** An op writing several tensors (lstm, gru, rnn...), in the op's output order. */
    public MilNet op(String type, Map<String, List<String>> inputs, List<Out> outputs) {
        main.op(type, inputs, outputs);
        return this;
    }

    /** An op with nested blocks (cond, while_loop); see {@link Block#op(String, Map, List, List)}. */
    public MilNet op(String type, Map<String, List<String>> inputs, List<Out> outputs, List<Block> blocks) {
        main.op(type, inputs, outputs, blocks);
        return this;
    }

    /** An op without outputs; see {@link Block#opWithoutOutputs}. */
    public MilNet opWithoutOutputs(String type, String name, Map<String, List<String>> inputs) {
        main.opWithoutOutputs(type, name, inputs);
        return this;
    }

    /** An op with literal-bound parameters; see {@link Block#op(String, Map, Map, List)}. */
    public MilNet op(String type, Map<String, List<String>> inputs, Map<String, Value> literals, List<Out> outputs) {
        main.op(type, inputs, literals, outputs);
        return this;
    }

    /**
     * An op whose parameters are op attributes (the constexpr_* ops before CoreML8): each value is written as an
     * attribute {@code Value}, large ones to the weight file like consts.
     */
    public MilNet opWithAttributes(String type, Map<String, ConstValue> attributes, String output,
            DataType outType, long... dims) {
        main.opWithAttributes(type, attributes, output, outType, dims);
        return this;
    }

    /**
     * An op writing several tensors (topk, split, non_maximum_suppression): {@code outputs[i]} has element type
     * {@code outTypes[i]} and shape {@code outDims[i]}.
     */
    public MilNet op(String type, Map<String, List<String>> inputs, List<String> outputs, List<DataType> outTypes,
            List<long[]> outDims) {
        if (outputs.isEmpty() || outputs.size() != outTypes.size() || outputs.size() != outDims.size()) {
            throw new IllegalArgumentException("op " + type + ": one type and one shape per output");
        }
        List<Out> outs = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            outs.add(new Out(outputs.get(i), outTypes.get(i), outDims.get(i)));
        }
        return op(type, inputs, outs);
    }

    /** Declares an op output as a model output: a tensor of static shape. */
    public MilNet output(String name) {
        if (!main.visible.contains(name)) {
            throw new IllegalStateException("output '" + name + "' is produced by no op");
        }
        if (!types.get(name).hasTensorType()) {
            throw new IllegalStateException("output '" + name + "' is not a tensor; only tensors (and a "
                    + "classifier's label and probabilities) can be model outputs");
        }
        if (types.get(name).getTensorType().getDimensionsList().stream().anyMatch(Dimension::hasUnknown)) {
            throw new IllegalStateException("output '" + name + "' has a run-time dimension; outputs are static");
        }
        outputs.add(name);
        return this;
    }

    /**
     * Makes the model a classifier: {@code label} (classify's rank-0 STRING or INT64 output) and
     * {@code probabilities} (its dictionary) become the model outputs, in that order, described as a string or
     * int64 feature and a dictionary feature, and named as the predicted feature and predicted probabilities.
     */
    public MilNet classifierOutputs(String label, String probabilities) {
        ValueType l = types.get(label);
        ValueType p = types.get(probabilities);
        if (l == null || p == null) {
            throw new IllegalStateException("classifier outputs '" + label + "', '" + probabilities
                    + "' are produced by no op");
        }
        DataType labelType = l.hasTensorType() && l.getTensorType().getRank() == 0 ? l.getTensorType().getDataType()
                : null;
        if ((labelType != DataType.STRING && labelType != DataType.INT64) || !p.hasDictionaryType()) {
            throw new IllegalStateException("a classifier needs a STRING or INT64 scalar label and a dictionary");
        }
        if (!outputs.isEmpty()) {
            throw new IllegalStateException("a classifier's outputs are its label and probabilities only");
        }
        outputs.add(label);
        outputs.add(probabilities);
        predictedFeature = label;
        predictedProbabilities = probabilities;
        return this;
    }

    public List<Feature> inputs() {
        return List.copyOf(inputs);
    }

    /** The multiarray outputs (all outputs but a classifier's label and probabilities). */
    public List<Feature> outputs() {
        List<Feature> out = new ArrayList<>();
        for (String o : outputs) {
            if (o.equals(predictedFeature) || o.equals(predictedProbabilities)) {
                continue;
            }
            TensorType t = types.get(o).getTensorType();
            List<Long> dims = new ArrayList<>();
            t.getDimensionsList().forEach(d -> dims.add(d.getConstant().getSize()));
            out.add(new Feature(o, dims, arrayType(t.getDataType())));
        }
        return out;
    }

    @Override
    public List<FeatureInfo> outputInfo() {
        List<FeatureInfo> out = new ArrayList<>();
        List<Feature> arrays = outputs();
        int next = 0;
        for (String o : outputs) {
            if (o.equals(predictedFeature)) {
                out.add(new FeatureInfo(o, List.of(), types.get(o).getTensorType().getDataType().name()));
            } else if (o.equals(predictedProbabilities)) {
                DictionaryType d = types.get(o).getDictionaryType();
                out.add(new FeatureInfo(o, List.of(), "DICTIONARY<" + d.getKeyType().getTensorType().getDataType()
                        + "," + d.getValueType().getTensorType().getDataType() + ">"));
            } else {
                Feature f = arrays.get(next++);
                out.add(new FeatureInfo(f.name(), f.shape(), f.dataType().name()));
            }
        }
        return out;
    }

    /** The model's states (spec 9), in declaration order. */
    public List<Feature> states() {
        return List.copyOf(states);
    }

    /** Builds the Model (specification version set from the opset), sending large consts to {@code blobs}. */
    public Model toModel(String probeId, BlobSink blobs) {
        ModelDescription.Builder description = ModelDescription.newBuilder()
                .setMetadata(Metadata.newBuilder().setShortDescription("aneprobe probe " + probeId)
                        .setAuthor("aneprobe"));
        for (Feature f : inputs) {
            description.addInput(describe(f));
        }
        for (String o : outputs) {
            if (o.equals(predictedFeature)) {
                DataType t = types.get(o).getTensorType().getDataType();
                FeatureType.Builder ft = FeatureType.newBuilder();
                if (t == DataType.STRING) {
                    ft.setStringType(StringFeatureType.getDefaultInstance());
                } else {
                    ft.setInt64Type(Int64FeatureType.getDefaultInstance());
                }
                description.addOutput(FeatureDescription.newBuilder().setName(o).setType(ft));
            } else if (o.equals(predictedProbabilities)) {
                DataType key = types.get(o).getDictionaryType().getKeyType().getTensorType().getDataType();
                DictionaryFeatureType.Builder d = DictionaryFeatureType.newBuilder();
                if (key == DataType.STRING) {
                    d.setStringKeyType(StringFeatureType.getDefaultInstance());
                } else {
                    d.setInt64KeyType(Int64FeatureType.getDefaultInstance());
                }
                description.addOutput(FeatureDescription.newBuilder().setName(o)
                        .setType(FeatureType.newBuilder().setDictionaryType(d)));
            } else {
                TensorType t = types.get(o).getTensorType();
                List<Long> dims = new ArrayList<>();
                t.getDimensionsList().forEach(dim -> dims.add(dim.getConstant().getSize()));
                description.addOutput(describe(new Feature(o, dims, arrayType(t.getDataType()))));
            }
        }
        if (predictedFeature != null) {
            description.setPredictedFeatureName(predictedFeature).setPredictedProbabilitiesName(predictedProbabilities);
        }
        for (Feature f : states) {
            description.addState(FeatureDescription.newBuilder().setName(f.name())
                    .setType(FeatureType.newBuilder().setStateType(StateFeatureType.newBuilder()
                            .setArrayType(ArrayFeatureType.newBuilder().addAllShape(f.shape())
                                    .setDataType(f.dataType())))));
        }
        dev.aneprobe.probes.coreml.mil.Block body = main.toProto(blobs).toBuilder().addAllOutputs(outputs).build();
        Function function = Function.newBuilder().addAllInputs(functionInputs).setOpset(opset)
                .putBlockSpecializations(opset, body).build();
        Program program = Program.newBuilder().setVersion(1).putFunctions("main", function).build();
        return Model.newBuilder().setSpecificationVersion(Opsets.specificationVersion(opset))
                .setDescription(description).setMlProgram(program).build();
    }

    private Operation operation(Op op, BlobSink blobs) {
        Operation.Builder b = Operation.newBuilder().setType(op.type())
                .putAttributes("name", stringValue(op.name()));
        for (Out out : op.outs()) {
            b.addOutputs(NamedValueType.newBuilder().setName(out.name()).setType(types.get(out.name())));
        }
        for (Block nested : op.blocks()) {
            b.addBlocks(nested.toProto(blobs));
        }
        for (Map.Entry<String, ConstValue> a : op.inlineValues().entrySet()) {
            ConstValue v = a.getValue();
            b.putAttributes(a.getKey(), constValue(v, tensorType(v.type(), dims(v.dims())), blobs));
        }
        for (Map.Entry<String, List<String>> in : op.inputs().entrySet()) {
            Argument.Builder arg = Argument.newBuilder();
            for (String name : in.getValue()) {
                arg.addArguments(Argument.Binding.newBuilder().setName(name));
            }
            b.putInputs(in.getKey(), arg.build());
        }
        for (Map.Entry<String, Value> lit : op.literals().entrySet()) {
            b.putInputs(lit.getKey(), Argument.newBuilder()
                    .addArguments(Argument.Binding.newBuilder().setValue(lit.getValue())).build());
        }
        if (op.constValue() != null) {
            b.putAttributes("val", constValue(op.constValue(), types.get(op.name()).getTensorType(), blobs));
        }
        return b.build();
    }

    private static Value constValue(ConstValue v, TensorType type, BlobSink blobs) {
        Value.Builder value = Value.newBuilder().setType(ValueType.newBuilder().setTensorType(type));
        if (v.count() >= BLOB_THRESHOLD && blobStorable(v.type())) {
            long offset = blobs.add(v.type(), littleEndian(v), v.count());
            value.setBlobFileValue(Value.BlobFileValue.newBuilder()
                    .setFileName("@model_path/weights/weight.bin").setOffset(offset));
            return value.build();
        }
        return value.setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(immediate(v))).build();
    }

    /** The const's values in the field coremltools writes them in ({@link ImmediateValues#field}). */
    static TensorValue immediate(ConstValue v) {
        TensorValue.Builder t = TensorValue.newBuilder();
        switch (ImmediateValues.field(v.type())) {
            case FLOATS -> {
                TensorValue.RepeatedFloats.Builder b = TensorValue.RepeatedFloats.newBuilder();
                for (float f : v.floats()) {
                    b.addValues(f);
                }
                t.setFloats(b);
            }
            case DOUBLES -> {
                TensorValue.RepeatedDoubles.Builder b = TensorValue.RepeatedDoubles.newBuilder();
                for (double d : v.doubles()) {
                    b.addValues(d);
                }
                t.setDoubles(b);
            }
            case INTS -> {
                TensorValue.RepeatedInts.Builder b = TensorValue.RepeatedInts.newBuilder();
                for (int i : v.ints()) {
                    b.addValues(i);
                }
                t.setInts(b);
            }
            case LONGINTS -> {
                TensorValue.RepeatedLongInts.Builder b = TensorValue.RepeatedLongInts.newBuilder();
                for (long l : v.longs()) {
                    b.addValues(l);
                }
                t.setLongInts(b);
            }
            case BOOLS -> {
                TensorValue.RepeatedBools.Builder b = TensorValue.RepeatedBools.newBuilder();
                for (boolean x : v.bools()) {
                    b.addValues(x);
                }
                t.setBools(b);
            }
            case STRINGS -> t.setStrings(TensorValue.RepeatedStrings.newBuilder().addValues(v.text()));
            case BYTES -> t.setBytes(TensorValue.RepeatedBytes.newBuilder()
                    .setValues(ByteString.copyFrom(littleEndian(v))));
            default -> throw new IllegalArgumentException("a const of " + v.type() + " has no immediate form");
        }
        return t.build();
    }

    private static boolean blobStorable(DataType t) {
        return switch (t) {
            case FLOAT16, FLOAT32, INT8, UINT8, UINT1, UINT2, UINT3, UINT4, UINT6, INT4 -> true;
            default -> false;
        };
    }

    /**
     * The const's raw little-endian bytes, as the weight file and the {@code bytes} field hold them: fp16, fp32,
     * int8, uint8 and uint32 element by element, the sub-byte types packed; null for the other types.
     */
    private static byte[] littleEndian(ConstValue v) {
        switch (v.type()) {
            case FLOAT16:
                return Fp16.toBytes(v.floats());
            case FLOAT32: {
                ByteBuffer bb = ByteBuffer.allocate(v.floats().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asFloatBuffer().put(v.floats());
                return bb.array();
            }
            case UINT32: {
                ByteBuffer bb = ByteBuffer.allocate(v.ints().length * 4).order(ByteOrder.LITTLE_ENDIAN);
                bb.asIntBuffer().put(v.ints());
                return bb.array();
            }
            case INT8:
            case UINT8: {
                byte[] out = new byte[v.ints().length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = (byte) v.ints()[i];
                }
                return out;
            }
            case UINT1:
            case UINT2:
            case UINT3:
            case UINT4:
            case UINT6:
            case INT4:
                return packBits(v.ints(), ImmediateValues.bitsInBytes(v.type()));
            default:
                return null;
        }
    }

    /**
     * Sub-byte values packed least-significant bit first: element i occupies bits [i*bits, (i+1)*bits) of the
     * byte stream, each value's low bit first (negative INT4 values as their two's-complement low bits); unused
     * high bits of the last byte are zero.
     */
    public static byte[] packBits(int[] values, int bits) {
        byte[] out = new byte[(int) ((values.length * (long) bits + 7) / 8)];
        int mask = (1 << bits) - 1;
        for (int i = 0; i < values.length; i++) {
            long pos = (long) i * bits;
            int at = (int) (pos >>> 3);
            int shift = (int) (pos & 7);
            int v = values[i] & mask;
            out[at] |= (byte) (v << shift);
            if (shift + bits > 8) {
                out[at + 1] |= (byte) (v >>> (8 - shift)); // a 3- or 6-bit value crossing a byte boundary
            }
        }
        return out;
    }

    private static Value stringValue(String s) {
        return Value.newBuilder()
                .setType(ValueType.newBuilder().setTensorType(TensorType.newBuilder()
                        .setDataType(DataType.STRING).setRank(0)))
                .setImmediateValue(Value.ImmediateValue.newBuilder()
                        .setTensor(immediate(new ConstValue(DataType.STRING, List.of(), null, null, null, s))))
                .build();
    }

    /** A literal list of scalars (classify's classes): STRING texts or INT64 numbers, as Core ML expects. */
    public static Value stringList(List<String> values) {
        Value.Builder v = Value.newBuilder().setType(listType(DataType.STRING, new long[0], values.size()));
        Value.ImmediateValue.Builder imm = Value.ImmediateValue.newBuilder();
        dev.aneprobe.probes.coreml.mil.ListValue.Builder list = dev.aneprobe.probes.coreml.mil.ListValue.newBuilder();
        for (String s : values) {
            list.addValues(stringValue(s));
        }
        return v.setImmediateValue(imm.setList(list)).build();
    }

    /** A literal list of INT64 scalars; see {@link #stringList}. */
    public static Value int64List(long... values) {
        Value.Builder v = Value.newBuilder().setType(listType(DataType.INT64, new long[0], values.length));
        dev.aneprobe.probes.coreml.mil.ListValue.Builder list = dev.aneprobe.probes.coreml.mil.ListValue.newBuilder();
        for (long x : values) {
            list.addValues(Value.newBuilder().setType(scalarType(DataType.INT64))
                    .setImmediateValue(Value.ImmediateValue.newBuilder().setTensor(immediate(new ConstValue(
                            DataType.INT64, List.of(), null, null, new long[] {x}, null, null, null)))));
        }
        return v.setImmediateValue(Value.ImmediateValue.newBuilder().setList(list)).build();
    }

    static ValueType scalarType(DataType type) {
        return ValueType.newBuilder().setTensorType(tensorType(type)).build();
    }

    static ValueType listType(DataType elemType, long[] elemDims, long length) {
        return ValueType.newBuilder().setListType(ListType.newBuilder()
                .setType(ValueType.newBuilder().setTensorType(tensorType(elemType, elemDims)))
                .setLength(Dimension.newBuilder()
                        .setConstant(Dimension.ConstantDimension.newBuilder().setSize(length)))).build();
    }

    static TensorType tensorType(DataType type, long... dims) {
        TensorType.Builder t = TensorType.newBuilder().setDataType(type).setRank(dims.length);
        for (long d : dims) {
            if (d == UNKNOWN) {
                t.addDimensions(Dimension.newBuilder().setUnknown(Dimension.UnknownDimension.newBuilder()));
            } else {
                t.addDimensions(Dimension.newBuilder()
                        .setConstant(Dimension.ConstantDimension.newBuilder().setSize(d)));
            }
        }
        return t.build();
    }

    /** The multiarray type of a MIL tensor type at the model interface. */
    static ArrayFeatureType.ArrayDataType arrayType(DataType t) {
        switch (t) {
            case FLOAT16:
                return ArrayFeatureType.ArrayDataType.FLOAT16;
            case FLOAT32:
                return ArrayFeatureType.ArrayDataType.FLOAT32;
            case INT32:
                return ArrayFeatureType.ArrayDataType.INT32;
            default:
                throw new IllegalArgumentException("a model input or output cannot be " + t);
        }
    }

    private static FeatureDescription describe(Feature f) {
        return FeatureDescription.newBuilder().setName(f.name())
                .setType(FeatureType.newBuilder().setMultiArrayType(ArrayFeatureType.newBuilder()
                        .addAllShape(f.shape()).setDataType(f.dataType())))
                .build();
    }

    private static List<Long> toList(long... dims) {
        List<Long> out = new ArrayList<>();
        for (long d : dims) {
            out.add(d);
        }
        return out;
    }

    private static long[] dims(List<Long> list) {
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }
}
