package dev.aneprobe.harness.simulate;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.Tensor;
import dev.aneprobe.probes.coreml.WeightParams;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.TensorValue;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.mlpackage.BlobEntry;
import dev.aneprobe.probes.mlpackage.MlPackage;
import dev.aneprobe.probes.mlpackage.MlPackageReader;
import dev.aneprobe.probes.mlpackage.PackageFormatException;
import dev.aneprobe.probes.mlpackage.WeightBlobReader;
import dev.aneprobe.probes.model.Fp16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a model the way Core ML's compiler gets it, the bytes of an {@code .mlmodel} file or of an
 * {@code .mlpackage} (its model file and weight files), parses them with the project's schema, and extracts for every
 * NeuralNetwork layer and ML Program operation, nested ones included, its type, its parameters as stored, its input
 * and output tensors (shapes and element types) and its weights. It reads nothing else: no manifest.jsonl, no probe
 * id, no file name, and not the model's metadata (where the generator writes the probe id).
 */
public final class ModelExtractor {
    /** Const tensors with more elements than this are described (dtype, shape, elements), not listed value by value. */
    public static final int MAX_LISTED_VALUES = 1024;

    private ModelExtractor() {
    }

    /** A model the simulated compiler cannot read: Core ML's compile would fail on it too. */
    public static final class UnreadableModelException extends Exception {
        public UnreadableModelException(String message) {
            super(message);
        }
    }

    public static ModelFacts extract(Path model) throws UnreadableModelException {
        try {
            if (Files.isDirectory(model)) {
                MlPackage pkg = MlPackageReader.read(model);
                MessageDigest sha = sha256();
                sha.update(pkg.modelSpec());
                long bytes = pkg.modelSpec().length;
                // The package reader only lists weight files; the simulated compiler reads them as Core ML's would.
                Map<String, byte[]> weights = new java.util.TreeMap<>();
                for (Map.Entry<String, Path> e : pkg.weightFiles().entrySet()) {
                    byte[] w = Files.readAllBytes(e.getValue());
                    weights.put(e.getKey(), w);
                    sha.update(w);
                    bytes += w.length;
                }
                return extract(Model.parseFrom(pkg.modelSpec()), weights, bytes,
                        HexFormat.of().formatHex(sha.digest()));
            }
            byte[] b = Files.readAllBytes(model);
            return extract(Model.parseFrom(b), Map.of(), b.length, HexFormat.of().formatHex(sha256().digest(b)));
        } catch (InvalidProtocolBufferException e) {
            throw new UnreadableModelException("the model is not a Core ML model (" + e.getMessage() + ")");
        } catch (PackageFormatException e) {
            throw new UnreadableModelException("the package is not a valid .mlpackage: " + e.getMessage());
        } catch (IOException e) {
            throw new UnreadableModelException("cannot read the model: " + e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static ModelFacts extract(Model model, Map<String, byte[]> weightFiles, long bytes, String sha)
            throws UnreadableModelException {
        List<TensorFacts> inputs = new ArrayList<>();
        List<TensorFacts> outputs = new ArrayList<>();
        boolean[] flexible = {false};
        for (FeatureDescription f : model.getDescription().getInputList()) {
            inputs.add(feature(f, flexible));
        }
        for (FeatureDescription f : model.getDescription().getOutputList()) {
            outputs.add(feature(f, null));
        }
        List<OpFacts> ops = new ArrayList<>();
        int spec = model.getSpecificationVersion();
        switch (model.getTypeCase()) {
            case NEURALNETWORK -> new NeuralNetworkWalk(inputs, outputs, ops).layers(
                    model.getNeuralNetwork().getLayersList(), 0);
            case NEURALNETWORKCLASSIFIER -> new NeuralNetworkWalk(inputs, outputs, ops).layers(
                    model.getNeuralNetworkClassifier().getLayersList(), 0);
            case NEURALNETWORKREGRESSOR -> new NeuralNetworkWalk(inputs, outputs, ops).layers(
                    model.getNeuralNetworkRegressor().getLayersList(), 0);
            case MLPROGRAM -> {
                ProgramWalk w = new ProgramWalk(weightFiles, ops);
                String opset = w.program(model.getMlProgram());
                for (TensorFacts t : w.functionInputs) {
                    if (t.shape() != null && t.shape().contains(-1L)) {
                        flexible[0] = true;
                    }
                }
                return new ModelFacts(ModelFacts.ML_PROGRAM, spec, opset, inputs, outputs, flexible[0], bytes, sha,
                        ops);
            }
            default -> throw new UnreadableModelException("the model is neither a NeuralNetwork nor an ML Program");
        }
        return new ModelFacts(ModelFacts.NEURAL_NETWORK, spec, "", inputs, outputs, flexible[0], bytes, sha, ops);
    }

    private static TensorFacts feature(FeatureDescription f, boolean[] flexible) {
        FeatureType t = f.getType();
        switch (t.getTypeCase()) {
            case MULTIARRAYTYPE -> {
                ArrayFeatureType a = t.getMultiArrayType();
                if (flexible != null && a.getShapeFlexibilityCase() != ArrayFeatureType.ShapeFlexibilityCase
                        .SHAPEFLEXIBILITY_NOT_SET) {
                    flexible[0] = true;
                }
                return new TensorFacts(f.getName(), null, a.getShapeList(), arrayDtype(a.getDataType()), false);
            }
            case IMAGETYPE -> {
                var im = t.getImageType();
                if (flexible != null && im.getSizeFlexibilityCase() != dev.aneprobe.probes.coreml.ImageFeatureType
                        .SizeFlexibilityCase.SIZEFLEXIBILITY_NOT_SET) {
                    flexible[0] = true;
                }
                long c = switch (im.getColorSpace()) {
                    case GRAYSCALE, GRAYSCALE_FLOAT16 -> 1;
                    default -> 3;
                };
                return new TensorFacts(f.getName(), null, List.of(c, im.getHeight(), im.getWidth()),
                        im.getColorSpace() == dev.aneprobe.probes.coreml.ImageFeatureType.ColorSpace.GRAYSCALE_FLOAT16
                                ? "fp16" : "uint8", false);
            }
            case INT64TYPE -> {
                return new TensorFacts(f.getName(), null, List.of(), "int64", false);
            }
            case DOUBLETYPE -> {
                return new TensorFacts(f.getName(), null, List.of(), "fp64", false);
            }
            case STRINGTYPE -> {
                return new TensorFacts(f.getName(), null, List.of(), "string", false);
            }
            default -> {
                return new TensorFacts(f.getName(), null, null, t.getTypeCase().name().toLowerCase(Locale.ROOT),
                        false);
            }
        }
    }

    static String arrayDtype(ArrayFeatureType.ArrayDataType d) {
        return switch (d) {
            case FLOAT32 -> "fp32";
            case FLOAT16 -> "fp16";
            case DOUBLE -> "fp64";
            case INT32 -> "int32";
            case INT8 -> "int8";
            default -> "";
        };
    }

    /** ML Program element type names: FLOAT16 is fp16, INT32 is int32, BOOL is bool. */
    static String milDtype(DataType d) {
        return switch (d) {
            case FLOAT16 -> "fp16";
            case FLOAT32 -> "fp32";
            case FLOAT64 -> "fp64";
            case BFLOAT16 -> "bf16";
            case UNUSED_TYPE, UNRECOGNIZED -> "";
            default -> d.name().toLowerCase(Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------ NeuralNetwork

    /** Walks a NeuralNetwork's layers, nested networks included, tracking the blobs whose shapes are known. */
    private static final class NeuralNetworkWalk {
        private final Map<String, TensorFacts> blobs = new HashMap<>();
        private final List<OpFacts> ops;

        NeuralNetworkWalk(List<TensorFacts> inputs, List<TensorFacts> outputs, List<OpFacts> ops) {
            this.ops = ops;
            for (TensorFacts t : inputs) {
                blobs.put(t.name(), t);
            }
            for (TensorFacts t : outputs) {
                blobs.put(t.name(), t);
            }
        }

        void layers(List<NeuralNetworkLayer> layers, int depth) {
            for (NeuralNetworkLayer l : layers) {
                layer(l, depth);
            }
        }

        private void layer(NeuralNetworkLayer l, int depth) {
            FieldDescriptor field = l.getDescriptor().findFieldByNumber(l.getLayerCase().getNumber());
            String type = field == null ? "unknown" : field.getName();
            Message params = field == null ? null : (Message) l.getField(field);
            List<WeightFacts> weights = new ArrayList<>();
            List<NeuralNetwork> nested = new ArrayList<>();
            Map<String, Object> p = params == null ? new LinkedHashMap<>() : messageMap(params, "", weights, nested);
            List<TensorFacts> ins = new ArrayList<>();
            for (int i = 0; i < l.getInputCount(); i++) {
                ins.add(blob(l.getInput(i), i < l.getInputTensorCount() ? l.getInputTensor(i) : null));
            }
            List<TensorFacts> outs = new ArrayList<>();
            for (int i = 0; i < l.getOutputCount(); i++) {
                TensorFacts known = blob(l.getOutput(i), i < l.getOutputTensorCount() ? l.getOutputTensor(i) : null);
                if (type.equals("loadConstant") || type.equals("loadConstantND")) {
                    // A constant layer's output is a compile-time constant, shaped by its own parameter.
                    List<Long> shape = known.shape() == null && p.get("shape") instanceof List<?> s ? longs(s)
                            : known.shape();
                    known = new TensorFacts(known.name(), null, shape, known.dtype(), true);
                    blobs.put(known.name(), known);
                }
                outs.add(known);
                blobs.putIfAbsent(known.name(), known);
                if (blobs.get(known.name()).shape() == null && known.shape() != null) {
                    blobs.put(known.name(), known);
                }
            }
            boolean constant = type.equals("loadConstant") || type.equals("loadConstantND");
            OpFacts op = new OpFacts(l.getName(), type, depth, p, ins, outs, weights, 0, constant);
            ops.add(new OpFacts(op.name(), op.type(), depth, p, ins, outs, weights, Flops.estimate(op), constant));
            for (NeuralNetwork n : nested) {
                layers(n.getLayersList(), depth + 1);
            }
        }

        private TensorFacts blob(String name, Tensor declared) {
            TensorFacts t = blobs.get(name);
            if (t != null && t.shape() != null) {
                return t;
            }
            if (declared != null && declared.getDimValueCount() > 0) {
                return new TensorFacts(name, null, declared.getDimValueList(), t == null ? "" : t.dtype(), false);
            }
            return t != null ? t : new TensorFacts(name, null, null, "", false);
        }
    }

    private static List<Long> longs(List<?> values) {
        List<Long> out = new ArrayList<>();
        for (Object o : values) {
            out.add(((Number) o).longValue());
        }
        return out;
    }

    /**
     * A parameter message as the rules see it: every field by its schema name; scalars always (proto3 defaults
     * included), repeated fields as lists, enums by value name, bytes by length; message fields (and the set member
     * of a oneof) only when present. WeightParams become {dtype, elements} and are collected into {@code weights};
     * nested NeuralNetworks become {layers: n} and are collected into {@code nested}.
     */
    static Map<String, Object> messageMap(Message m, String path, List<WeightFacts> weights,
            List<NeuralNetwork> nested) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
            String name = f.getName();
            if (f.isRepeated()) {
                List<Object> list = new ArrayList<>();
                int n = m.getRepeatedFieldCount(f);
                for (int i = 0; i < n; i++) {
                    list.add(fieldValue(f, m.getRepeatedField(f, i), path + name, weights, nested));
                }
                out.put(name, list);
            } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE || f.getRealContainingOneof() != null) {
                if (m.hasField(f)) {
                    out.put(name, fieldValue(f, m.getField(f), path + name, weights, nested));
                }
            } else {
                out.put(name, fieldValue(f, m.getField(f), path + name, weights, nested));
            }
        }
        return out;
    }

    private static Object fieldValue(FieldDescriptor f, Object v, String path, List<WeightFacts> weights,
            List<NeuralNetwork> nested) {
        switch (f.getJavaType()) {
            case INT, LONG -> {
                return ((Number) v).longValue();
            }
            case FLOAT, DOUBLE -> {
                return ((Number) v).doubleValue();
            }
            case BOOLEAN, STRING -> {
                return v;
            }
            case BYTE_STRING -> {
                return (long) ((ByteString) v).size();
            }
            case ENUM -> {
                return ((EnumValueDescriptor) v).getName();
            }
            default -> {
                if (v instanceof WeightParams w) {
                    WeightFacts wf = weightFacts(path, w);
                    if (wf.elements() > 0) {
                        weights.add(wf);
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("dtype", wf.dtype());
                    m.put("elements", wf.elements());
                    return m;
                }
                if (v instanceof NeuralNetwork n) {
                    nested.add(n);
                    return Map.of("layers", (long) n.getLayersCount());
                }
                return messageMap((Message) v, path + ".", weights, nested);
            }
        }
    }

    static WeightFacts weightFacts(String name, WeightParams w) {
        if (w.getFloatValueCount() > 0) {
            return new WeightFacts(name, "fp32", w.getFloatValueCount());
        }
        if (!w.getFloat16Value().isEmpty()) {
            return new WeightFacts(name, "fp16", w.getFloat16Value().size() / 2);
        }
        if (!w.getInt8RawValue().isEmpty()) {
            return new WeightFacts(name, "int8", w.getInt8RawValue().size());
        }
        if (!w.getRawValue().isEmpty()) {
            long bits = Math.max(1, w.getQuantization().getNumberOfBits());
            return new WeightFacts(name, "quantized" + bits, w.getRawValue().size() * 8L / bits);
        }
        return new WeightFacts(name, "", 0);
    }

    // ------------------------------------------------------------------ ML Program

    /** Walks an ML Program's functions and blocks, resolving const values (inline or in weight files). */
    private static final class ProgramWalk {
        private final Map<String, byte[]> weightFiles;
        private final Map<String, List<BlobEntry>> blobTables = new HashMap<>();
        private final List<OpFacts> ops;
        private final Map<String, TensorFacts> values = new HashMap<>();
        private final Map<String, Object> constValues = new HashMap<>();
        final List<TensorFacts> functionInputs = new ArrayList<>();

        ProgramWalk(Map<String, byte[]> weightFiles, List<OpFacts> ops) {
            this.weightFiles = weightFiles;
            this.ops = ops;
        }

        String program(Program p) throws UnreadableModelException {
            String opset = "";
            // Functions in name order; "main" is the usual (and the probes' only) one.
            for (Map.Entry<String, Function> e : new TreeMap<>(p.getFunctionsMap()).entrySet()) {
                Function f = e.getValue();
                if (opset.isEmpty()) {
                    opset = f.getOpset();
                }
                for (NamedValueType in : f.getInputsList()) {
                    TensorFacts t = tensor(in.getName(), null, in.getType(), false);
                    values.put(in.getName(), t);
                    functionInputs.add(t);
                }
                Block b = f.getBlockSpecializationsMap().get(f.getOpset());
                if (b == null && !f.getBlockSpecializationsMap().isEmpty()) {
                    b = new TreeMap<>(f.getBlockSpecializationsMap()).firstEntry().getValue();
                }
                if (b != null) {
                    block(b, 0);
                }
            }
            return opset;
        }

        private void block(Block b, int depth) throws UnreadableModelException {
            for (NamedValueType in : b.getInputsList()) {
                values.put(in.getName(), tensor(in.getName(), null, in.getType(), false));
            }
            for (Operation op : b.getOperationsList()) {
                operation(op, depth);
            }
        }

        private void operation(Operation op, int depth) throws UnreadableModelException {
            boolean isConst = op.getType().equals("const");
            Map<String, Object> params = new LinkedHashMap<>();
            List<TensorFacts> ins = new ArrayList<>();
            List<WeightFacts> weights = new ArrayList<>();
            for (Map.Entry<String, Argument> e : new TreeMap<>(op.getInputsMap()).entrySet()) {
                List<Object> bound = new ArrayList<>();
                for (Argument.Binding b : e.getValue().getArgumentsList()) {
                    if (b.hasValue()) {
                        TensorFacts t = tensor("", e.getKey(), b.getValue().getType(), true);
                        ins.add(t);
                        weight(e.getKey(), t, weights);
                        bound.add(resolved(b.getValue(), t));
                    } else {
                        TensorFacts known = values.get(b.getName());
                        boolean c = constValues.containsKey(b.getName());
                        TensorFacts t = known == null ? new TensorFacts(b.getName(), e.getKey(), null, "", c)
                                : new TensorFacts(known.name(), e.getKey(), known.shape(), known.dtype(), c);
                        ins.add(t);
                        if (c) {
                            weight(e.getKey(), t, weights);
                            bound.add(constValues.get(b.getName()));
                        } else {
                            bound.add(t.celValue());
                        }
                    }
                }
                params.put(e.getKey(), bound.size() == 1 ? bound.get(0) : bound);
            }
            Object constValue = null;
            for (Map.Entry<String, Value> e : new TreeMap<>(op.getAttributesMap()).entrySet()) {
                if (e.getKey().equals("name")) {
                    continue;
                }
                TensorFacts t = tensor("", e.getKey(), e.getValue().getType(), true);
                Object v = resolved(e.getValue(), t);
                params.put(e.getKey(), v);
                if (isConst && e.getKey().equals("val")) {
                    constValue = v;
                } else if (!isConst) {
                    weight(e.getKey(), t, weights);
                }
            }
            List<TensorFacts> outs = new ArrayList<>();
            for (NamedValueType o : op.getOutputsList()) {
                TensorFacts t = tensor(o.getName(), null, o.getType(), isConst);
                outs.add(t);
                values.put(o.getName(), t);
                if (isConst) {
                    constValues.put(o.getName(), constValue);
                }
            }
            String name = op.getOutputsCount() > 0 ? op.getOutputs(0).getName() : "";
            OpFacts facts = new OpFacts(name, op.getType(), depth, params, ins, outs, weights, 0, isConst);
            ops.add(new OpFacts(name, op.getType(), depth, params, ins, outs, weights, Flops.estimate(facts),
                    isConst));
            for (Block nested : op.getBlocksList()) {
                block(nested, depth + 1);
            }
        }

        /** Consts with 10 or more elements count as weights (the generator's threshold for weight.bin, too). */
        private static void weight(String param, TensorFacts t, List<WeightFacts> weights) {
            if (t.elements() >= 10) {
                weights.add(new WeightFacts(param, t.dtype(), t.elements()));
            }
        }

        private TensorFacts tensor(String name, String param, ValueType vt, boolean isConst) {
            if (vt.hasTensorType()) {
                TensorType tt = vt.getTensorType();
                List<Long> shape = new ArrayList<>();
                for (Dimension d : tt.getDimensionsList()) {
                    shape.add(d.hasConstant() ? d.getConstant().getSize() : -1L);
                }
                return new TensorFacts(name, param, shape, milDtype(tt.getDataType()), isConst);
            }
            if (vt.hasStateType() && vt.getStateType().getWrappedType().hasTensorType()) {
                TensorFacts t = tensor(name, param, vt.getStateType().getWrappedType(), isConst);
                return new TensorFacts(name, param, t.shape(), t.dtype(), isConst);
            }
            String kind = vt.getTypeCase().name().toLowerCase(Locale.ROOT).replace("type", "");
            return new TensorFacts(name, param, null, kind, isConst);
        }

        /** A value: a scalar for rank 0, a flat list for a tensor, a description for a large tensor. */
        private Object resolved(Value v, TensorFacts t) throws UnreadableModelException {
            if (t.elements() > MAX_LISTED_VALUES) {
                return describe(t);
            }
            List<Object> flat;
            if (v.hasImmediateValue()) {
                Value.ImmediateValue iv = v.getImmediateValue();
                if (!iv.hasTensor()) {
                    return iv.getValueCase().name().toLowerCase(Locale.ROOT);
                }
                flat = tensorValues(iv.getTensor(), t.dtype());
            } else if (v.hasBlobFileValue()) {
                flat = blobValues(v.getBlobFileValue(), t);
                if (flat == null) {
                    return describe(t);
                }
            } else {
                return describe(t);
            }
            return t.rank() == 0 && flat.size() == 1 ? flat.get(0) : flat;
        }

        private static Map<String, Object> describe(TensorFacts t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dtype", t.dtype());
            m.put("shape", t.shape() == null ? List.of() : t.shape());
            m.put("elements", t.elements());
            return m;
        }

        private static List<Object> tensorValues(TensorValue tv, String dtype) {
            List<Object> out = new ArrayList<>();
            switch (tv.getValueCase()) {
                case FLOATS -> tv.getFloats().getValuesList().forEach(f -> out.add(f.doubleValue()));
                case DOUBLES -> out.addAll(tv.getDoubles().getValuesList());
                case INTS -> tv.getInts().getValuesList().forEach(i -> out.add(i.longValue()));
                case LONGINTS -> out.addAll(tv.getLongInts().getValuesList());
                case BOOLS -> out.addAll(tv.getBools().getValuesList());
                case STRINGS -> out.addAll(tv.getStrings().getValuesList());
                case BYTES -> out.addAll(decode(tv.getBytes().getValues().toByteArray(), dtype));
                default -> {
                }
            }
            return out;
        }

        private List<Object> blobValues(Value.BlobFileValue bf, TensorFacts t) throws UnreadableModelException {
            byte[] file = weightFiles.get(bf.getFileName());
            if (file == null) {
                throw new UnreadableModelException("the program refers to weight file " + bf.getFileName()
                        + ", which the package does not have");
            }
            List<BlobEntry> table = blobTables.get(bf.getFileName());
            if (table == null) {
                try {
                    table = WeightBlobReader.read(file);
                } catch (PackageFormatException e) {
                    throw new UnreadableModelException("weight file " + bf.getFileName() + ": " + e.getMessage());
                }
                blobTables.put(bf.getFileName(), table);
            }
            for (BlobEntry b : table) {
                if (b.metadataOffset() == bf.getOffset()) {
                    if (b.type().subByte()) {
                        return null;
                    }
                    byte[] data = java.util.Arrays.copyOfRange(file, (int) b.dataOffset(),
                            (int) (b.dataOffset() + b.sizeInBytes()));
                    return decode(data, milDtype(b.type().milType()));
                }
            }
            throw new UnreadableModelException("weight file " + bf.getFileName() + " has no blob at offset "
                    + bf.getOffset());
        }

        private static List<Object> decode(byte[] data, String dtype) {
            ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            List<Object> out = new ArrayList<>();
            switch (dtype) {
                case "fp16" -> {
                    while (buf.remaining() >= 2) {
                        out.add((double) Fp16.toFloat(buf.getShort()));
                    }
                }
                case "fp32" -> {
                    while (buf.remaining() >= 4) {
                        out.add((double) buf.getFloat());
                    }
                }
                case "int32" -> {
                    while (buf.remaining() >= 4) {
                        out.add((long) buf.getInt());
                    }
                }
                case "uint32" -> {
                    while (buf.remaining() >= 4) {
                        out.add(Integer.toUnsignedLong(buf.getInt()));
                    }
                }
                case "int16" -> {
                    while (buf.remaining() >= 2) {
                        out.add((long) buf.getShort());
                    }
                }
                case "uint16" -> {
                    while (buf.remaining() >= 2) {
                        out.add((long) Short.toUnsignedInt(buf.getShort()));
                    }
                }
                case "int8" -> {
                    for (byte x : data) {
                        out.add((long) x);
                    }
                }
                case "uint8" -> {
                    for (byte x : data) {
                        out.add((long) Byte.toUnsignedInt(x));
                    }
                }
                default -> out.add((long) data.length);
            }
            return out;
        }
    }
}
