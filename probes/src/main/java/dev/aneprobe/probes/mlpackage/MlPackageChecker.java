package dev.aneprobe.probes.mlpackage;

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
import dev.aneprobe.probes.validate.CannotCheckException;
import dev.aneprobe.probes.validate.ModelFiles;
import dev.aneprobe.probes.validate.ModelKinds;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ProgramValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Checks an {@code .mlpackage}: the package layout and manifest ({@link MlPackageReader}), the root model's protobuf,
 * the model by {@link ModelValidator} (an ML Program by {@link ProgramValidator}; a package may also hold a
 * NeuralNetwork, or a pipeline of programs), and then every {@code BlobFileValue} anywhere in each program against the package's weight files: the file exists,
 * the offset is a blob's metadata offset, the blob's element type is the value's, and the blob's size is exactly what
 * the value's (fully constant) shape needs. Every problem is one line naming the function, op and value concerned.
 * Weight files are read by position, only their header and blob metadata records, so their size does not matter.
 */
public final class MlPackageChecker {

    /**
     * Checks a package this program wrote: anything that cannot be checked here (see {@link #checkPackage}) is a
     * problem too, since generated packages are always readable and small enough.
     */
    public ValidationResult check(Path packageDir) {
        try {
            return checkPackage(packageDir);
        } catch (CannotCheckException e) {
            return fail("cannot check: " + e.getMessage());
        }
    }

    /**
     * Checks any package.
     *
     * @throws CannotCheckException when it cannot be judged here: a file cannot be read, or the manifest or root model
     *         is larger than {@code check} reads into memory (weight files are read by position, whatever their size)
     */
    public ValidationResult checkPackage(Path packageDir) throws CannotCheckException {
        ModelFiles.Read read = ModelFiles.readPackage(packageDir);
        return read.model() == null ? fail(read.invalid()) : validate(read.model(), read.pkg());
    }

    /**
     * Checks a package's parsed root model, and each of its programs' weight references against the package's
     * weight files (read by position).
     *
     * @throws CannotCheckException when a weight file cannot be read
     */
    public ValidationResult validate(Model model, MlPackage pkg) throws CannotCheckException {
        ValidationResult result = new ModelValidator().validate(model);
        List<Program> programs = new ArrayList<>();
        programs(model, programs);
        if (programs.isEmpty()) {
            return result;
        }
        // Each program is checked on its own against the package's weight files; a problem of the shared files
        // (the conventional weight file's header, say) is said once.
        Set<String> blobProblems = new java.util.LinkedHashSet<>();
        for (Program program : programs) {
            blobProblems.addAll(new BlobChecks<>(pkg.weightFiles(), WeightBlobReader::index).run(program));
        }
        return result.plus(List.copyOf(blobProblems), List.of(), List.of());
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
        try {
            return new BlobChecks<>(weightFiles, WeightBlobReader::index).run(program);
        } catch (CannotCheckException e) {
            throw new IllegalStateException("reading a byte array cannot fail", e);
        }
    }

    /** Reads the index of one weight file, in memory or on disk. */
    private interface Indexer<F> {
        WeightBlobReader.Index index(F file, Set<Long> wanted) throws IOException, PackageFormatException;
    }

    /** A BlobFileValue of the program and where it is, for messages. */
    private record Reference(String where, Value value) {
    }

    private static final class BlobChecks<F> {
        private final Map<String, F> files;
        private final Indexer<F> indexer;
        private final List<Reference> references = new ArrayList<>();
        private final Map<String, Set<Long>> wanted = new HashMap<>();
        private final Map<String, WeightBlobReader.Index> parsed = new HashMap<>();
        private final Map<String, String> corrupt = new HashMap<>();
        private final List<String> problems = new ArrayList<>();

        BlobChecks(Map<String, F> files, Indexer<F> indexer) {
            this.files = files;
            this.indexer = indexer;
        }

        /**
         * First every reference is collected (so each weight file is read once, keeping only the blobs referred to),
         * then each is checked in program order.
         */
        List<String> run(Program program) throws CannotCheckException {
            values("program attribute", program.getAttributesMap());
            for (Map.Entry<String, Function> f : sorted(program.getFunctionsMap()).entrySet()) {
                String fn = "function " + f.getKey();
                values(fn + " attribute", f.getValue().getAttributesMap());
                for (Map.Entry<String, Block> b : sorted(f.getValue().getBlockSpecializationsMap()).entrySet()) {
                    block(fn + " (" + b.getKey() + ")", b.getValue());
                }
            }
            // The conventional weight file is blob storage whether or not anything refers to it.
            if (files.containsKey(MlPackageWriter.WEIGHT_FILE_REFERENCE)) {
                entries(MlPackageWriter.WEIGHT_FILE_REFERENCE);
            }
            for (Reference r : references) {
                blob(r.where(), r.value());
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
                references.add(new Reference(where, v));
                wanted.computeIfAbsent(v.getBlobFileValue().getFileName(), k -> new HashSet<>())
                        .add(v.getBlobFileValue().getOffset());
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

        private void blob(String where, Value v) throws CannotCheckException {
            Value.BlobFileValue ref = v.getBlobFileValue();
            String file = ref.getFileName();
            long offset = ref.getOffset();
            if (!files.containsKey(file)) {
                problems.add(where + ": blob file '" + file + "' is not in the package"
                        + (files.isEmpty() ? "" : " (it has " + String.join(", ", files.keySet()) + ")"));
                return;
            }
            WeightBlobReader.Index index = entries(file);
            if (index == null) {
                return; // the file's own problem is already reported
            }
            BlobEntry entry = index.wanted().get(offset);
            if (entry == null) {
                problems.add(where + ": offset " + Long.toUnsignedString(offset) + " is not a blob metadata offset in '"
                        + file + "' (blobs at " + offsets(index) + ")");
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

        /** The referred-to blobs of a weight file, or null (after reporting it once) when the file is corrupt. */
        private WeightBlobReader.Index entries(String file) throws CannotCheckException {
            if (parsed.containsKey(file)) {
                return parsed.get(file);
            }
            if (corrupt.containsKey(file)) {
                return null;
            }
            try {
                WeightBlobReader.Index index = indexer.index(files.get(file), wanted.getOrDefault(file, Set.of()));
                parsed.put(file, index);
                return index;
            } catch (PackageFormatException e) {
                corrupt.put(file, e.getMessage());
                problems.add("weight file '" + file + "' is corrupt: " + e.getMessage());
                return null;
            } catch (CannotCheckException e) {
                throw e;
            } catch (IOException e) {
                throw new CannotCheckException("cannot read weight file '" + file + "': " + e.getMessage());
            }
        }

        private static String offsets(WeightBlobReader.Index index) {
            if (index.count() == 0) {
                return "none";
            }
            String s = index.firstOffsets().stream().map(String::valueOf).collect(Collectors.joining(", "));
            return index.count() > index.firstOffsets().size() ? s + ", ..." : s;
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return new TreeMap<>(map);
    }

    private static ValidationResult fail(String message) {
        return new ValidationResult(List.of(message));
    }
}
