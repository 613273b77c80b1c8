package dev.aneprobe.probes.mlpackage;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.validate.ModelKinds;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ProgramValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks an {@code .mlpackage}: the package layout and manifest ({@link MlPackageReader}), the root model's protobuf,
 * the model by {@link ModelValidator} (an ML Program by {@link ProgramValidator}; a package may also hold a
 * NeuralNetwork, or a pipeline of programs), and then every {@code BlobFileValue} anywhere in each program against the package's weight files: the file exists,
 * the offset is a blob's metadata offset, the blob's element type is the value's, and the blob's size is exactly what
 * the value's (fully constant) shape needs. Every problem is one line naming the function, op and value concerned.
 */
public final class MlPackageChecker {

    public ValidationResult check(Path packageDir) {
        MlPackage pkg;
        try {
            pkg = MlPackageReader.read(packageDir);
        } catch (PackageFormatException e) {
            return fail(e.getMessage());
        }
        if (pkg.modelSpec().length == 0) {
            return fail("root model file is empty, not a Core ML model");
        }
        Model model;
        try {
            model = Model.parseFrom(pkg.modelSpec());
        } catch (InvalidProtocolBufferException e) {
            return fail("root model is not a Core ML model (protobuf parse error: " + oneLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            return fail("root model is not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
        ValidationResult result = new ModelValidator().validate(model);
        List<Program> programs = new ArrayList<>();
        programs(model, programs);
        if (programs.isEmpty()) {
            return result;
        }
        BlobChecks blobs = new BlobChecks(pkg);
        List<String> blobProblems = List.of();
        for (Program program : programs) {
            blobProblems = blobs.run(program);
        }
        return result.plus(blobProblems, List.of(), List.of());
    }

    /** Every ML Program in the model: the model itself, or the programs inside its pipelines at any depth. */
    private static void programs(Model model, List<Program> out) {
        if (model.hasMlProgram()) {
            out.add(model.getMlProgram());
        }
        var pipeline = ModelKinds.pipeline(model);
        if (pipeline != null) {
            pipeline.getModelsList().forEach(m -> programs(m, out));
        }
    }

    /** Problems with the BlobFileValues of one program, in a stable order (maps walked by sorted key). */
    static List<String> checkBlobs(Program program, Map<String, byte[]> weightFiles) {
        return new BlobChecks(weightFiles).run(program);
    }

    private static final class BlobChecks {
        private final Map<String, byte[]> files;
        private final Map<String, List<BlobEntry>> parsed = new HashMap<>();
        private final Map<String, String> corrupt = new HashMap<>();
        private final List<String> problems = new ArrayList<>();

        BlobChecks(MlPackage pkg) {
            this(pkg.weightFiles());
        }

        BlobChecks(Map<String, byte[]> files) {
            this.files = files;
        }

        /** Checks one program; returns every problem found so far (a package's programs share its weight files). */
        List<String> run(Program program) {
            // The conventional weight file is blob storage whether or not anything refers to it.
            if (files.containsKey(MlPackageWriter.WEIGHT_FILE_REFERENCE)) {
                entries(MlPackageWriter.WEIGHT_FILE_REFERENCE);
            }
            values("program attribute", program.getAttributesMap());
            for (Map.Entry<String, Function> f : sorted(program.getFunctionsMap()).entrySet()) {
                String fn = "function " + f.getKey();
                values(fn + " attribute", f.getValue().getAttributesMap());
                for (Map.Entry<String, Block> b : sorted(f.getValue().getBlockSpecializationsMap()).entrySet()) {
                    block(fn + " (" + b.getKey() + ")", b.getValue());
                }
            }
            return problems;
        }

        private void block(String where, Block block) {
            values(where + " block attribute", block.getAttributesMap());
            List<Operation> ops = block.getOperationsList();
            for (int i = 0; i < ops.size(); i++) {
                Operation op = ops.get(i);
                String opWhere = where + " op " + opName(op, i);
                values(opWhere + " attribute", op.getAttributesMap());
                for (Map.Entry<String, Argument> in : sorted(op.getInputsMap()).entrySet()) {
                    List<Argument.Binding> bindings = in.getValue().getArgumentsList();
                    for (int j = 0; j < bindings.size(); j++) {
                        if (bindings.get(j).hasValue()) {
                            String label = bindings.size() == 1 ? "input '" + in.getKey() + "'"
                                    : "input '" + in.getKey() + "'[" + j + "]";
                            value(opWhere + " " + label, bindings.get(j).getValue());
                        }
                    }
                }
                List<Block> nested = op.getBlocksList();
                for (int j = 0; j < nested.size(); j++) {
                    block(opWhere + " block " + j, nested.get(j));
                }
            }
        }

        private static String opName(Operation op, int index) {
            Value name = op.getAttributesMap().get("name");
            String n = null;
            if (name != null && name.hasImmediateValue() && name.getImmediateValue().hasTensor()
                    && name.getImmediateValue().getTensor().hasStrings()
                    && name.getImmediateValue().getTensor().getStrings().getValuesCount() == 1) {
                n = name.getImmediateValue().getTensor().getStrings().getValues(0);
            } else if (op.getOutputsCount() > 0) {
                n = op.getOutputs(0).getName();
            }
            return (n == null ? "#" + index : "'" + n + "'") + " (" + op.getType() + ")";
        }

        private void values(String where, Map<String, Value> map) {
            for (Map.Entry<String, Value> e : sorted(map).entrySet()) {
                value(where + " '" + e.getKey() + "'", e.getValue());
            }
        }

        private void value(String where, Value v) {
            if (v.hasBlobFileValue()) {
                blob(where, v);
            } else if (v.hasImmediateValue()) {
                Value.ImmediateValue iv = v.getImmediateValue();
                if (iv.hasTuple()) {
                    List<Value> list = iv.getTuple().getValuesList();
                    for (int i = 0; i < list.size(); i++) {
                        value(where + " [" + i + "]", list.get(i));
                    }
                } else if (iv.hasList()) {
                    List<Value> list = iv.getList().getValuesList();
                    for (int i = 0; i < list.size(); i++) {
                        value(where + " [" + i + "]", list.get(i));
                    }
                } else if (iv.hasDictionary()) {
                    var pairs = iv.getDictionary().getValuesList();
                    for (int i = 0; i < pairs.size(); i++) {
                        value(where + " key " + i, pairs.get(i).getKey());
                        value(where + " value " + i, pairs.get(i).getValue());
                    }
                }
            }
        }

        private void blob(String where, Value v) {
            Value.BlobFileValue ref = v.getBlobFileValue();
            String file = ref.getFileName();
            long offset = ref.getOffset();
            if (!files.containsKey(file)) {
                problems.add(where + ": blob file '" + file + "' is not in the package"
                        + (files.isEmpty() ? "" : " (it has " + String.join(", ", files.keySet()) + ")"));
                return;
            }
            List<BlobEntry> entries = entries(file);
            if (entries == null) {
                return; // the file's own problem is already reported
            }
            BlobEntry entry = null;
            for (BlobEntry e : entries) {
                if (e.metadataOffset() == offset) {
                    entry = e;
                    break;
                }
            }
            if (entry == null) {
                problems.add(where + ": offset " + Long.toUnsignedString(offset) + " is not a blob metadata offset in '"
                        + file + "' (blobs at " + offsets(entries) + ")");
                return;
            }
            if (!v.hasType() || !v.getType().hasTensorType()) {
                problems.add(where + ": a blob file value must have a tensor type");
                return;
            }
            TensorType t = v.getType().getTensorType();
            DataType declared = t.getDataType();
            Optional<BlobDataType> wanted = BlobDataType.forMilType(declared);
            if (wanted.isEmpty()) {
                problems.add(where + ": element type " + declared + " cannot be stored in a blob file");
                return;
            }
            if (wanted.get() != entry.type()) {
                problems.add(where + ": blob at offset " + offset + " holds " + entry.type() + " data but the value is "
                        + declared);
                return;
            }
            long elements = 1;
            if (t.getRank() < 0 || t.getDimensionsCount() != t.getRank()) {
                problems.add(where + ": blob value has rank " + t.getRank() + " with " + t.getDimensionsCount()
                        + " dimensions; its shape must be fully constant");
                return;
            }
            List<String> shape = new ArrayList<>();
            for (Dimension d : t.getDimensionsList()) {
                if (!d.hasConstant()) {
                    problems.add(where + ": blob value has a non-constant dimension; its shape must be fully constant");
                    return;
                }
                long size = d.getConstant().getSize();
                shape.add(Long.toUnsignedString(size));
                try {
                    if (size < 0) {
                        throw new ArithmeticException();
                    }
                    elements = Math.multiplyExact(elements, size);
                } catch (ArithmeticException e) {
                    elements = -1;
                }
            }
            long needed;
            try {
                needed = elements < 0 ? -1 : entry.type().bytesFor(elements);
            } catch (ArithmeticException e) {
                needed = -1;
            }
            String desc = declared + " [" + String.join(", ", shape) + "]";
            if (needed != entry.sizeInBytes()) {
                problems.add(where + ": blob at offset " + offset + " holds " + entry.sizeInBytes() + " bytes but "
                        + desc + " needs " + (needed < 0 ? "more than 2^63" : String.valueOf(needed)));
                return;
            }
            if (entry.type().subByte()) {
                long padding = needed * 8 - elements * entry.type().bitsPerElement();
                if (entry.paddingBits() != padding) {
                    problems.add(where + ": blob at offset " + offset + " records " + entry.paddingBits()
                            + " unused bits but " + desc + " leaves " + padding);
                }
            }
        }

        /** The blobs of a weight file, or null (after reporting it once) when the file is corrupt. */
        private List<BlobEntry> entries(String file) {
            if (parsed.containsKey(file)) {
                return parsed.get(file);
            }
            if (corrupt.containsKey(file)) {
                return null;
            }
            try {
                List<BlobEntry> list = WeightBlobReader.read(files.get(file));
                parsed.put(file, list);
                return list;
            } catch (PackageFormatException e) {
                corrupt.put(file, e.getMessage());
                problems.add("weight file '" + file + "' is corrupt: " + e.getMessage());
                return null;
            }
        }

        private static String offsets(List<BlobEntry> entries) {
            if (entries.isEmpty()) {
                return "none";
            }
            String s = entries.stream().limit(8).map(e -> String.valueOf(e.metadataOffset()))
                    .collect(Collectors.joining(", "));
            return entries.size() > 8 ? s + ", ..." : s;
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private static ValidationResult fail(String message) {
        return new ValidationResult(List.of(message));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
