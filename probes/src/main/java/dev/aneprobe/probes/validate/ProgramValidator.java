package dev.aneprobe.probes.validate;

import static dev.aneprobe.probes.validate.MilTypes.describe;
import static dev.aneprobe.probes.validate.MilTypes.staticDims;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FunctionDescription;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.mil.Argument;
import dev.aneprobe.probes.coreml.mil.Block;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.coreml.mil.Dimension;
import dev.aneprobe.probes.coreml.mil.Function;
import dev.aneprobe.probes.coreml.mil.NamedValueType;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.coreml.mil.Program;
import dev.aneprobe.probes.coreml.mil.TensorType;
import dev.aneprobe.probes.coreml.mil.Value;
import dev.aneprobe.probes.coreml.mil.ValueType;
import dev.aneprobe.probes.mil.ops.AllowedValues;
import dev.aneprobe.probes.mil.ops.InputSpec;
import dev.aneprobe.probes.mil.ops.Kind;
import dev.aneprobe.probes.mil.ops.OpRegistry;
import dev.aneprobe.probes.mil.ops.OpSignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks an ML Program model (model type mlProgram) before it is written: the specification version against the
 * main function's opset, the interface against the function's inputs and block outputs, and every operation
 * against the MIL op registry (known type, parameter names, required and const parameters, element types, output
 * count, string-enum values), the SSA scoping of names and every immediate value against its type
 * ({@link ValueRules}: the field it is written in, its element count); past the signatures, cond and while_loop
 * against their nested blocks ({@link ControlFlowRules}), tensor lists against their element types
 * ({@link ListRules}) and the output shapes of common ops against their inputs ({@link OutputShapes}). Weight
 * files are not opened: a const whose value lives in a blob file is taken as typed by its declaration (and its
 * values as unknown). Problems read as one line each, naming the op or value.
 */
public final class ProgramValidator {
    /** The first specification version that has ML Programs. */
    public static final int FIRST_PROGRAM_VERSION = 6;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_@]*");

    private final OpRegistry registry;

    public ProgramValidator() {
        this(OpRegistry.standard());
    }

    public ProgramValidator(OpRegistry registry) {
        this.registry = registry;
    }

    /** The specification version an ML Program opset belongs to (CoreML5 -> 6 ... CoreML9 -> 10), or -1. */
    public static int versionOfOpset(String opset) {
        int rank = OpRegistry.opsetRank(opset);
        return rank < 0 ? -1 : rank + 1;
    }

    public ValidationResult validate(Model model) {
        List<String> problems = new ArrayList<>();
        if (!model.hasMlProgram()) {
            problems.add("not an ML Program model (model type " + model.getTypeCase() + ")");
            return new ValidationResult(problems);
        }
        int version = model.getSpecificationVersion();
        if (version < FIRST_PROGRAM_VERSION || version > SpecificationVersions.NEWEST) {
            problems.add("specification version " + version + " is outside " + FIRST_PROGRAM_VERSION + ".."
                    + SpecificationVersions.NEWEST + " for an ML Program");
            return new ValidationResult(problems);
        }
        Program program = model.getMlProgram();
        for (String name : program.getFunctionsMap().keySet()) {
            identifier(name, "function name", problems);
        }
        List<String> notChecked = new ArrayList<>();
        Set<Integer> mismatchedOpsets = new HashSet<>();
        ModelDescription d = model.getDescription();
        if (d.getFunctionsCount() > 0 || !d.getDefaultFunctionName().isEmpty()) {
            if (!multiFunction(model, version, problems)) {
                return new ValidationResult(problems);
            }
            for (FunctionDescription fd : d.getFunctionsList()) {
                Function fn = program.getFunctionsMap().get(fd.getName());
                if (fn == null) {
                    problems.add("the description has function '" + fd.getName() + "', which the program does "
                            + "not have (it has " + new TreeSet<>(program.getFunctionsMap().keySet()) + ")");
                    continue;
                }
                checkFunction(fd.getName(), fn, Interface.of(fd), version, mismatchedOpsets, problems, notChecked);
            }
        } else {
            Function main = program.getFunctionsMap().get("main");
            if (main == null) {
                problems.add("the ML Program has no function 'main'");
                return new ValidationResult(problems);
            }
            checkFunction("main", main, Interface.of(d), version, mismatchedOpsets, problems, notChecked);
        }
        SpecificationVersions.Requirement needed = SpecificationVersions.requirement(model);
        if (needed.version() > version && !mismatchedOpsets.contains(needed.version())) {
            problems.add("specification version " + version + " is too low: " + needed.reason() + ", which needs "
                    + needed.version());
        }
        return new ValidationResult(problems, List.of(), notChecked);
    }

    /**
     * The rules of a multi-function description (Core ML's): nothing described at the top level, specification 9
     * or later, a default function among the described ones. False when the functions cannot be checked further.
     */
    private static boolean multiFunction(Model model, int version, List<String> problems) {
        ModelDescription d = model.getDescription();
        if (d.getInputCount() > 0 || d.getOutputCount() > 0 || d.getStateCount() > 0
                || !d.getPredictedFeatureName().isEmpty() || !d.getPredictedProbabilitiesName().isEmpty()
                || d.getTrainingInputCount() > 0) {
            problems.add("the description has several functions and also top-level inputs, outputs, states, "
                    + "training inputs or predicted names (with functions, each function describes its own)");
            return false;
        }
        if (version < 9) {
            problems.add("the description has several functions, which needs specification version 9 (the model "
                    + "declares " + version + ")");
            return false;
        }
        List<String> names = d.getFunctionsList().stream().map(FunctionDescription::getName).toList();
        if (!names.contains(d.getDefaultFunctionName())) {
            problems.add("the default function '" + d.getDefaultFunctionName() + "' is not among the described "
                    + "functions " + names);
            return false;
        }
        return true;
    }

    /** One function of the program against its description. */
    private void checkFunction(String name, Function fn, Interface described, int version,
            Set<Integer> mismatchedOpsets, List<String> problems, List<String> notChecked) {
        String where = "function '" + name + "'";
        String opset = fn.getOpset();
        int opsetVersion = versionOfOpset(opset);
        if (opsetVersion < 0) {
            problems.add(where + " has unknown opset '" + opset + "' (expected CoreML5..CoreML9)");
            return;
        }
        // An opset newer than the declared version is one the Core ML of that version does not know ("Unknown
        // opset" when it loads). An older opset is accepted: each Core ML reads the opsets of the versions before
        // its own (coremltools happens to write the declared version's opset, but that is its choice, not a rule).
        if (opsetVersion > version) {
            mismatchedOpsets.add(opsetVersion);
            problems.add(where + " uses opset " + opset + ", which belongs to specification version "
                    + opsetVersion + ", but the model declares " + version);
        }
        Block block = fn.getBlockSpecializationsMap().get(opset);
        if (block == null) {
            problems.add(where + " has no block for its opset " + opset + " (block_specializations has "
                    + new TreeSet<>(fn.getBlockSpecializationsMap().keySet()) + ")");
            return;
        }
        for (String key : fn.getBlockSpecializationsMap().keySet()) {
            if (OpRegistry.opsetRank(key) < 0) {
                problems.add(where + " has a block for unknown opset '" + key + "'");
            }
        }
        checkInputs(described, where, fn, problems, notChecked);

        Walk walk = new Walk(opset, problems);
        Map<String, Known> scope = new HashMap<>();
        for (NamedValueType in : fn.getInputsList()) {
            if (identifier(in.getName(), "function input", problems)) {
                if (scope.put(in.getName(), new Known(in.getType(), false)) != null) {
                    problems.add("function input '" + in.getName() + "' is declared twice");
                }
                walk.allNames.add(in.getName());
            }
        }
        Map<String, Known> produced = walk.block(block, scope, where, true).produced();
        checkOutputs(described, where, block, produced, problems, notChecked);
    }

    /** The features a function is described with: the model's (single function) or one FunctionDescription's. */
    private record Interface(List<FeatureDescription> inputs, List<FeatureDescription> outputs,
            List<FeatureDescription> states, String label, String probabilities) {
        static Interface of(ModelDescription d) {
            return new Interface(d.getInputList(), d.getOutputList(), d.getStateList(), d.getPredictedFeatureName(),
                    d.getPredictedProbabilitiesName());
        }

        static Interface of(FunctionDescription d) {
            return new Interface(d.getInputList(), d.getOutputList(), d.getStateList(), d.getPredictedFeatureName(),
                    d.getPredictedProbabilitiesName());
        }
    }

    // ---------------------------------------------------------------- interface

    /**
     * The description's inputs and states against the function's inputs: the function's tensor inputs are the
     * model inputs and its state inputs the model states, each in the same order. An array input matches its
     * tensor's element type and shape (with a flexible shape, its rank); an image input is a [1, C, H, W] tensor
     * with C = 3 for RGB and BGR, 1 for grayscale (and H, W its size when the size is fixed).
     */
    private static void checkInputs(Interface described, String where, Function fn, List<String> problems,
            List<String> notChecked) {
        List<NamedValueType> tensors = new ArrayList<>();
        List<NamedValueType> states = new ArrayList<>();
        for (NamedValueType in : fn.getInputsList()) {
            (in.getType().hasStateType() ? states : tensors).add(in);
        }
        List<String> dNames = described.inputs().stream().map(FeatureDescription::getName).toList();
        List<String> fNames = tensors.stream().map(NamedValueType::getName).toList();
        if (!dNames.equals(fNames)) {
            problems.add("description inputs " + dNames + " do not match " + where + " inputs " + fNames
                    + " (same names, same order)");
        } else {
            for (int i = 0; i < described.inputs().size(); i++) {
                FeatureDescription f = described.inputs().get(i);
                ValueType t = tensors.get(i).getType();
                String who = "input '" + f.getName() + "'";
                if (f.getType().hasImageType()) {
                    if (!t.hasTensorType()) {
                        problems.add(who + " is an image but not a tensor in " + where);
                    } else {
                        checkImage(who, f.getType().getImageType(), t.getTensorType(), where, problems);
                    }
                } else if (!f.getType().hasMultiArrayType()) {
                    notChecked.add(ModelKinds.featureKind(f.getType()) + " input '" + f.getName() + "'");
                } else if (!t.hasTensorType()) {
                    problems.add(who + " is not a tensor in " + where);
                } else {
                    checkArray(who, f.getType().getMultiArrayType(), t.getTensorType(), where, problems);
                }
            }
        }
        List<String> sNames = described.states().stream().map(FeatureDescription::getName).toList();
        List<String> fStates = states.stream().map(NamedValueType::getName).toList();
        if (!sNames.equals(fStates)) {
            problems.add("description states " + sNames + " do not match " + where + " state inputs " + fStates
                    + " (same names, same order)");
            return;
        }
        for (int i = 0; i < described.states().size(); i++) {
            FeatureDescription f = described.states().get(i);
            String who = "state '" + f.getName() + "'";
            ValueType wrapped = states.get(i).getType().getStateType().getWrappedType();
            if (!f.getType().hasStateType() || !f.getType().getStateType().hasArrayType()) {
                problems.add(who + " is not described as a state of a multiarray");
            } else if (!wrapped.hasTensorType()) {
                problems.add(who + " does not wrap a tensor in " + where);
            } else {
                ArrayFeatureType a = f.getType().getStateType().getArrayType();
                if (a.getDataType() != ArrayFeatureType.ArrayDataType.FLOAT16) {
                    problems.add(who + " is " + a.getDataType() + " (Core ML keeps states in FLOAT16 only)");
                }
                checkArray(who, a, wrapped.getTensorType(), where, problems);
            }
        }
    }

    private static void checkArray(String who, ArrayFeatureType a, TensorType tt, String where,
            List<String> problems) {
        DataType expected = milType(a.getDataType());
        if (expected == null) {
            problems.add(who + " has data type " + a.getDataType() + " (expected FLOAT32, FLOAT16 or INT32)");
        } else if (tt.getDataType() != expected) {
            problems.add(who + " is " + a.getDataType() + " in the description but " + tt.getDataType()
                    + " in " + where);
        }
        if (a.getShapeFlexibilityCase() != ArrayFeatureType.ShapeFlexibilityCase.SHAPEFLEXIBILITY_NOT_SET) {
            // A flexible input reaches the function with unknown dimensions; only its rank is fixed.
            int rank = flexibleRank(a);
            if (rank >= 0 && tt.getRank() >= 0 && rank != tt.getRank()) {
                problems.add(who + " has rank " + rank + " in the description but " + tt.getRank() + " in "
                        + where);
            }
            return;
        }
        List<Long> dims = staticDims(tt);
        if (dims == null) {
            problems.add(who + " has no static shape in " + where + " (and no flexible shape in the description)");
        } else if (!dims.equals(a.getShapeList())) {
            problems.add(who + " has shape " + a.getShapeList() + " in the description but " + dims
                    + " in " + where);
        }
    }

    /** A flexible array's rank: its default shape's, its range's, or its enumerated shapes' if they agree; or -1. */
    private static int flexibleRank(ArrayFeatureType a) {
        if (a.getShapeCount() > 0) {
            return a.getShapeCount();
        }
        if (a.hasShapeRange()) {
            return a.getShapeRange().getSizeRangesCount();
        }
        Set<Integer> ranks = new HashSet<>();
        a.getEnumeratedShapes().getShapesList().forEach(s -> ranks.add(s.getShapeCount()));
        return ranks.size() == 1 ? ranks.iterator().next() : -1;
    }

    /** An image as a function input or output: a rank-4 [1, C, H, W] tensor; what is unknown is not held against it. */
    private static void checkImage(String who, ImageFeatureType image, TensorType tt, String where,
            List<String> problems) {
        if (tt.getRank() >= 0 && tt.getRank() != 4) {
            problems.add(who + " is an image, a rank-4 [1, C, H, W] tensor, but has rank " + tt.getRank() + " in "
                    + where);
            return;
        }
        if (tt.getDimensionsCount() != 4) {
            return;
        }
        long channels = image.getColorSpace() == ImageFeatureType.ColorSpace.RGB
                || image.getColorSpace() == ImageFeatureType.ColorSpace.BGR ? 3 : 1;
        long[] want = {1, channels, image.getHeight(), image.getWidth()};
        boolean fixedSize = image.getSizeFlexibilityCase()
                == ImageFeatureType.SizeFlexibilityCase.SIZEFLEXIBILITY_NOT_SET && image.getHeight() > 0
                && image.getWidth() > 0;
        String[] names = {"batch", "channel", "height", "width"};
        for (int i = 0; i < (fixedSize ? 4 : 2); i++) {
            Dimension dim = tt.getDimensions(i);
            if (dim.hasConstant() && dim.getConstant().getSize() != want[i]) {
                problems.add(who + " is a " + image.getColorSpace() + " image of " + image.getWidth() + "x"
                        + image.getHeight() + ", a [1, " + channels + ", " + image.getHeight() + ", "
                        + image.getWidth() + "] tensor, but its " + names[i] + " dimension is "
                        + dim.getConstant().getSize() + " in " + where);
                return;
            }
        }
    }

    private static void checkOutputs(Interface described, String where, Block block, Map<String, Known> produced,
            List<String> problems, List<String> notChecked) {
        List<String> dNames = described.outputs().stream().map(FeatureDescription::getName).toList();
        if (dNames.isEmpty()) {
            problems.add("the model declares no outputs");
        }
        if (!dNames.equals(block.getOutputsList())) {
            problems.add("description outputs " + dNames + " do not match the block outputs "
                    + block.getOutputsList() + " (same names, same order)");
            return;
        }
        String label = described.label();
        String probabilities = described.probabilities();
        if (!label.isEmpty() && !dNames.contains(label)) {
            problems.add("the predicted feature '" + label + "' is not a model output");
        }
        if (!probabilities.isEmpty() && !dNames.contains(probabilities)) {
            problems.add("the predicted probabilities '" + probabilities + "' are not a model output");
        }
        for (FeatureDescription f : described.outputs()) {
            Known k = produced.get(f.getName());
            if (k == null) {
                continue;
            }
            String who = "output '" + f.getName() + "'";
            switch (f.getType().getTypeCase()) {
                case MULTIARRAYTYPE -> checkArrayOutput(who, f.getType().getMultiArrayType(), k.type, problems);
                case STRINGTYPE, INT64TYPE -> {
                    DataType want = f.getType().hasStringType() ? DataType.STRING : DataType.INT64;
                    if (!f.getName().equals(label)) {
                        problems.add(who + " is a " + want + " feature but not the predicted feature (only a "
                                + "classifier's label can be)");
                    } else if (!k.type.hasTensorType() || k.type.getTensorType().getRank() != 0
                            || k.type.getTensorType().getDataType() != want) {
                        problems.add(who + " is described as " + want + " but produced as " + describe(k.type));
                    }
                }
                case DICTIONARYTYPE -> {
                    DataType wantKey = f.getType().getDictionaryType().hasStringKeyType() ? DataType.STRING
                            : f.getType().getDictionaryType().hasInt64KeyType() ? DataType.INT64 : null;
                    if (!f.getName().equals(probabilities)) {
                        problems.add(who + " is a dictionary but not the predicted probabilities");
                    } else if (wantKey == null) {
                        problems.add(who + " is a dictionary without a key type");
                    } else if (!k.type.hasDictionaryType()
                            || !k.type.getDictionaryType().getKeyType().hasTensorType()
                            || k.type.getDictionaryType().getKeyType().getTensorType().getDataType() != wantKey) {
                        problems.add(who + " is described as a dictionary with " + wantKey + " keys but produced as "
                                + describe(k.type));
                    }
                }
                case IMAGETYPE -> {
                    if (!k.type.hasTensorType()) {
                        problems.add(who + " is an image in the description but " + describe(k.type)
                                + " where it is produced");
                    } else {
                        checkImage(who, f.getType().getImageType(), k.type.getTensorType(), where, problems);
                    }
                }
                default -> notChecked.add(ModelKinds.featureKind(f.getType()) + " output '" + f.getName() + "'");
            }
        }
    }

    private static void checkArrayOutput(String who, ArrayFeatureType a, ValueType produced, List<String> problems) {
        if (!produced.hasTensorType()) {
            problems.add(who + " is a multiarray in the description but " + describe(produced)
                    + " where it is produced");
            return;
        }
        DataType expected = milType(a.getDataType());
        DataType actual = produced.getTensorType().getDataType();
        if (expected != null && actual != expected) {
            problems.add(who + " is " + a.getDataType() + " in the description but " + actual
                    + " where it is produced");
        }
        List<Long> dims = staticDims(produced.getTensorType());
        if (a.getShapeCount() > 0 && dims != null && !dims.equals(a.getShapeList())) {
            problems.add(who + " has shape " + a.getShapeList() + " in the description but " + dims
                    + " where it is produced");
        }
    }

    private static DataType milType(ArrayFeatureType.ArrayDataType t) {
        return switch (t) {
            case FLOAT32 -> DataType.FLOAT32;
            case FLOAT16 -> DataType.FLOAT16;
            case INT32 -> DataType.INT32;
            default -> null;
        };
    }

    private static boolean identifier(String name, String what, List<String> problems) {
        if (IDENTIFIER.matcher(name).matches()) {
            return true;
        }
        problems.add(what + " '" + name + "' is not an identifier ([A-Za-z_][A-Za-z0-9_@]*)");
        return false;
    }

    // ---------------------------------------------------------------- operations

    /**
     * A value in scope: its type, whether it is a compile-time constant, and for a const op's output or an inline
     * value the value itself (null otherwise).
     */
    private record Known(ValueType type, boolean constant, Value value) {
        Known(ValueType type, boolean constant) {
            this(type, constant, null);
        }
    }

    /**
     * What one binding of an op input resolved to, for the rules that look past element types: the name bound
     * ("inline value" for a value written in the binding), its type, and its value when it is a const's.
     */
    record Bound(String name, ValueType type, Value value) {
    }

    /** An op after its signature check: the signature (null for an unknown op) and its inputs' resolved bindings. */
    private record Checked(boolean constant, OpSignature signature, Map<String, List<Bound>> inputs) {
    }

    /** A walked block: what its own ops produced, and its outputs' bindings (null where a name is unresolved). */
    private record Walked(Map<String, Known> produced, List<Bound> outputs) {
    }

    private final class Walk {
        final String opset;
        final List<String> problems;
        /** Every name defined anywhere in the function: names are single-assignment across nested blocks. */
        final Set<String> allNames = new HashSet<>();

        Walk(String opset, List<String> problems) {
            this.opset = opset;
            this.problems = problems;
        }

        /**
         * Walks one block with the given outer scope; returns what the block's own ops produced and what its
         * outputs are. The top-level block's outputs must be produced by its ops; a nested block may also pass on
         * any value it can see.
         */
        Walked block(Block block, Map<String, Known> outer, String where, boolean top) {
            Map<String, Known> scope = new HashMap<>(outer);
            Map<String, Known> produced = new LinkedHashMap<>();
            for (NamedValueType in : block.getInputsList()) {
                if (identifier(in.getName(), where + " block input", problems)) {
                    if (!allNames.add(in.getName())) {
                        problems.add(where + " block input '" + in.getName() + "' redefines an existing value");
                    }
                    scope.put(in.getName(), new Known(in.getType(), false));
                }
            }
            for (Operation op : block.getOperationsList()) {
                operation(op, scope, produced);
            }
            List<Bound> outputs = new ArrayList<>();
            for (String out : block.getOutputsList()) {
                Known k = top ? produced.get(out) : scope.get(out);
                outputs.add(k == null ? null : new Bound(out, k.type, k.value));
                if (!identifier(out, where + " block output", problems)) {
                    continue;
                }
                if (k == null) {
                    problems.add(where + " block output '" + out + "' is not produced by any op"
                            + (top ? " of the block" : " before it"));
                }
            }
            return new Walked(produced, outputs);
        }

        private void operation(Operation op, Map<String, Known> scope, Map<String, Known> produced) {
            String label = label(op);
            checkOtherAttributes(op, label);
            boolean constant;
            Value constValue = null;
            Checked checked = null;
            if (op.getType().equals("const")) {
                checkConst(op, label);
                constant = true;
                constValue = op.getAttributesMap().get("val");
            } else {
                checked = checkOp(op, label, scope);
                constant = checked.constant();
            }
            List<ControlFlowRules.BlockView> nested = new ArrayList<>();
            for (int b = 0; b < op.getBlocksCount(); b++) {
                Block inner = op.getBlocks(b);
                Walked w = block(inner, scope, label + " nested block " + b, false);
                nested.add(new ControlFlowRules.BlockView(inner.getInputsList(), inner.getOutputsList(), w.outputs()));
            }
            if (checked != null && checked.signature() != null && !checked.signature().paramsAsAttributes()) {
                if (ControlFlowRules.applies(op.getType())) {
                    ControlFlowRules.check(op, label, checked.inputs(), nested, problems);
                }
                if (ListRules.applies(op.getType())) {
                    ListRules.check(op, label, checked.inputs(), problems);
                }
                checkOutputShape(op, label, checked);
            }
            for (NamedValueType out : op.getOutputsList()) {
                if (!identifier(out.getName(), label + " output", problems)) {
                    continue;
                }
                if (!allNames.add(out.getName())) {
                    problems.add(label + " output '" + out.getName() + "' redefines an existing value");
                    continue;
                }
                Known k = new Known(out.getType(), constant, constValue);
                scope.put(out.getName(), k);
                produced.put(out.getName(), k);
            }
        }

        /**
         * The values of an op's attributes that are not its parameters ({@code name} on every op), each against its
         * type; a const's {@code val} and a constexpr op's attribute parameters are checked with the op.
         */
        private void checkOtherAttributes(Operation op, String label) {
            Optional<OpSignature> sig = registry.signature(op.getType(), opset);
            for (Map.Entry<String, Value> a : new TreeMap<>(op.getAttributesMap()).entrySet()) {
                String key = a.getKey();
                boolean parameter = op.getType().equals("const") ? key.equals("val")
                        : sig.isPresent() && sig.get().paramsAsAttributes() && sig.get().input(key).isPresent();
                if (!parameter) {
                    checkValue(a.getValue(), label + " attribute '" + key + "'");
                }
            }
        }

        private String label(Operation op) {
            Value name = op.getAttributesMap().get("name");
            String n = null;
            if (name != null && name.hasImmediateValue() && name.getImmediateValue().getTensor().hasStrings()
                    && name.getImmediateValue().getTensor().getStrings().getValuesCount() == 1) {
                n = name.getImmediateValue().getTensor().getStrings().getValues(0);
            } else if (op.getOutputsCount() > 0) {
                n = op.getOutputs(0).getName();
            }
            return "op " + (n == null ? "#" : "'" + n + "'") + " (" + (op.getType().isEmpty() ? "no type" : op.getType())
                    + ")";
        }

        private void checkConst(Operation op, String label) {
            if (op.getInputsCount() > 0) {
                problems.add(label + " has inputs " + new TreeSet<>(op.getInputsMap().keySet())
                        + " (a const takes none)");
            }
            if (op.getOutputsCount() != 1) {
                problems.add(label + " has " + op.getOutputsCount() + " outputs (a const has 1)");
                return;
            }
            Value val = op.getAttributesMap().get("val");
            if (val == null) {
                problems.add(label + " has no 'val' attribute");
                return;
            }
            ValueType declared = op.getOutputs(0).getType();
            if (!val.getType().equals(declared)) {
                problems.add(label + " 'val' has type " + describe(val.getType()) + " but its output is declared "
                        + describe(declared));
                return;
            }
            checkValue(val, label + " 'val'");
        }

        /** Checks a value against its declared type ({@link ValueRules}). */
        private void checkValue(Value v, String what) {
            ValueRules.check(v, what, problems);
        }

        /**
         * Checks an op against its signature; returns whether its outputs are compile-time constants, its
         * signature and its inputs' bindings (an input is left out when any of its bindings does not resolve).
         */
        private Checked checkOp(Operation op, String label, Map<String, Known> scope) {
            Map<String, List<Bound>> resolved = new HashMap<>();
            if (op.getType().isEmpty()) {
                problems.add(label + " has no op type");
                return new Checked(false, null, resolved);
            }
            Optional<OpSignature> found = registry.signature(op.getType(), opset);
            if (found.isEmpty()) {
                Optional<String> first = registry.firstOpset(op.getType());
                if (first.isPresent()) {
                    problems.add(label + ": op type '" + op.getType() + "' needs opset " + first.get()
                            + ", the function uses " + opset);
                } else {
                    problems.add(label + ": unknown op type '" + op.getType() + "'");
                }
                return new Checked(false, null, resolved);
            }
            OpSignature sig = found.get();
            if (!sig.acceptsOutputCount(op.getOutputsCount())) {
                problems.add(label + " has " + op.getOutputsCount() + " output" + (op.getOutputsCount() == 1 ? "" : "s")
                        + ", " + op.getType() + " (" + sig.opset() + ") produces " + sig.outputCountText());
            }
            boolean constant = op.getType().startsWith("constexpr_");
            if (sig.paramsAsAttributes()) {
                checkAttributeParams(op, label, sig);
                return new Checked(true, sig, resolved);
            }
            for (String given : new TreeSet<>(op.getInputsMap().keySet())) {
                if (sig.input(given).isEmpty()) {
                    problems.add(label + " has input '" + given + "', which " + op.getType() + " (" + sig.opset()
                            + ") does not take");
                }
            }
            boolean allConst = op.getInputsCount() > 0 && op.getBlocksCount() == 0;
            Map<String, DataType> domains = new HashMap<>();
            Map<String, String> domainFirst = new HashMap<>();
            for (InputSpec spec : sig.inputs()) {
                Argument arg = op.getInputsMap().get(spec.name());
                if (arg == null || arg.getArgumentsCount() == 0) {
                    if (!spec.optional()) {
                        problems.add(label + " is missing required input '" + spec.name() + "'");
                    }
                    continue;
                }
                if (!spec.variadic() && arg.getArgumentsCount() != 1) {
                    problems.add(label + " input '" + spec.name() + "' has " + arg.getArgumentsCount()
                            + " bindings (it takes exactly 1)");
                }
                List<Bound> bound = new ArrayList<>();
                for (Argument.Binding b : arg.getArgumentsList()) {
                    Known k = binding(b, label, spec.name(), scope);
                    if (k == null) {
                        allConst = false;
                        bound = null;
                        continue;
                    }
                    if (bound != null) {
                        bound.add(new Bound(b.hasValue() ? "inline value" : b.getName(), k.type, k.value));
                    }
                    allConst &= k.constant;
                    if (spec.mustBeConst() && !k.constant) {
                        problems.add(label + " input '" + spec.name() + "' must be const, but '" + b.getName()
                                + "' is computed at run time");
                    }
                    checkType(spec, k.type, label, domains, domainFirst);
                    checkAllowed(op, sig, spec, k.value, label + " input '" + spec.name() + "'");
                }
                if (bound != null) {
                    resolved.put(spec.name(), List.copyOf(bound));
                }
            }
            if (op.getType().equals("classify")) {
                checkClassify(op, label, scope);
            }
            return new Checked(constant || allConst, sig, resolved);
        }

        /**
         * An op with a shape rule ({@link OutputShapes#RULES}): its declared output shape against the shape
         * inferred from its inputs, when both are static.
         */
        private void checkOutputShape(Operation op, String label, Checked checked) {
            OutputShapes.Inferred inferred = OutputShapes.infer(op.getType(), checked.signature().opset(),
                    checked.inputs());
            if (inferred == null || op.getOutputsCount() != 1) {
                return;
            }
            if (inferred.problem() != null) {
                problems.add(label + " " + inferred.problem());
                return;
            }
            List<Long> declared = staticDims(op.getOutputs(0).getType());
            if (declared != null && !declared.equals(inferred.shape())) {
                problems.add(label + " output shape " + declared + " does not match the shape inferred from its inputs "
                        + inferred.shape());
            }
        }

        /**
         * classify: as many classes as probabilities, STRING or INT64 classes, and outputs typed as the label and
         * the dictionary from class to probability (Core ML builds the classifier's outputs from them).
         */
        private void checkClassify(Operation op, String label, Map<String, Known> scope) {
            Argument classes = op.getInputsMap().get("classes");
            Argument probs = op.getInputsMap().get("probabilities");
            if (classes == null || probs == null || classes.getArgumentsCount() != 1 || probs.getArgumentsCount() != 1) {
                return;
            }
            Argument.Binding c = classes.getArguments(0);
            ValueType ct = c.hasValue() ? c.getValue().getType()
                    : scope.containsKey(c.getName()) ? scope.get(c.getName()).type : null;
            Known p = scope.get(probs.getArguments(0).getName());
            if (ct == null || !ct.hasListType()) {
                return;
            }
            ValueType elem = ct.getListType().getType();
            DataType classType = elem.hasTensorType() && elem.getTensorType().getRank() == 0
                    ? elem.getTensorType().getDataType() : null;
            if (classType != DataType.STRING && classType != DataType.INT64) {
                problems.add(label + " classes must be STRING or INT64 scalars, got " + describe(elem));
                return;
            }
            if (p != null && p.type.hasTensorType() && ct.getListType().getLength().hasConstant()) {
                List<Long> dims = staticDims(p.type.getTensorType());
                long count = 1;
                for (long d : dims == null ? List.<Long>of() : dims) {
                    count *= d;
                }
                long n = ct.getListType().getLength().getConstant().getSize();
                if (dims != null && count != n) {
                    problems.add(label + " has " + n + " classes for " + count + " probabilities (they must match)");
                }
            }
            if (op.getOutputsCount() == 2) {
                ValueType out0 = op.getOutputs(0).getType();
                ValueType out1 = op.getOutputs(1).getType();
                if (!out0.equals(elem)) {
                    problems.add(label + " label output is " + describe(out0) + ", the classes are " + describe(elem));
                }
                if (!out1.hasDictionaryType() || !out1.getDictionaryType().getKeyType().equals(elem)
                        || !out1.getDictionaryType().getValueType().hasTensorType()
                        || out1.getDictionaryType().getValueType().getTensorType().getDataType() != DataType.FLOAT64) {
                    problems.add(label + " probabilities output must be a dictionary from " + describe(elem)
                            + " to FLOAT64, got " + describe(out1));
                }
            }
        }

        private void checkAttributeParams(Operation op, String label, OpSignature sig) {
            if (op.getInputsCount() > 0) {
                problems.add(label + " has inputs " + new TreeSet<>(op.getInputsMap().keySet()) + " ("
                        + op.getType() + " in " + sig.opset() + " takes its parameters as attributes)");
            }
            Map<String, DataType> domains = new HashMap<>();
            Map<String, String> domainFirst = new HashMap<>();
            for (String given : new TreeSet<>(op.getAttributesMap().keySet())) {
                if (!given.equals("name") && sig.input(given).isEmpty()) {
                    problems.add(label + " has attribute '" + given + "', which " + op.getType() + " (" + sig.opset()
                            + ") does not take");
                }
            }
            for (InputSpec spec : sig.inputs()) {
                Value v = op.getAttributesMap().get(spec.name());
                if (v == null) {
                    if (!spec.optional()) {
                        problems.add(label + " is missing required attribute '" + spec.name() + "'");
                    }
                    continue;
                }
                checkValue(v, label + " attribute '" + spec.name() + "'");
                checkType(spec, v.getType(), label, domains, domainFirst);
                checkAllowed(op, sig, spec, v, label + " attribute '" + spec.name() + "'");
            }
        }

        /**
         * A string-enum parameter's const value against the values its op takes ({@link InputSpec#allowed}), in
         * this function's opset; skipped when the value is not a const scalar string (other rules report that) or
         * when the op binds the parameter that makes this one unread.
         */
        private void checkAllowed(Operation op, OpSignature sig, InputSpec spec, Value value, String what) {
            AllowedValues allowed = spec.allowed();
            String text = MilTypes.string(value);
            if (allowed == null || text == null) {
                return;
            }
            String other = allowed.unlessBound();
            if (!other.isEmpty()
                    && (op.getInputsMap().containsKey(other) || op.getAttributesMap().containsKey(other))) {
                return;
            }
            String rejection = allowed.rejection(text, opset);
            if (rejection != null) {
                problems.add(what + " is \"" + text + "\", which " + op.getType() + " (" + sig.opset()
                        + ") does not take (" + rejection + ")");
            }
        }

        /** The value a binding refers to, or null (after reporting) when it refers to nothing visible. */
        private Known binding(Argument.Binding b, String label, String param, Map<String, Known> scope) {
            if (b.hasValue()) {
                checkValue(b.getValue(), label + " input '" + param + "' inline value");
                return new Known(b.getValue().getType(), true, b.getValue());
            }
            if (!b.hasName() || b.getName().isEmpty()) {
                problems.add(label + " input '" + param + "' has an empty binding");
                return null;
            }
            Known k = scope.get(b.getName());
            if (k == null) {
                problems.add(label + " input '" + param + "' refers to '" + b.getName()
                        + "', which is not defined before it");
            }
            return k;
        }

        private void checkType(InputSpec spec, ValueType type, String label, Map<String, DataType> domains,
                Map<String, String> domainFirst) {
            String what = label + " input '" + spec.name() + "'";
            Kind kind = spec.kind();
            if (kind == Kind.STATE) {
                if (!type.hasStateType()) {
                    problems.add(what + " must be a state, got " + describe(type));
                }
                return;
            }
            if (kind == Kind.LIST) {
                if (!type.hasListType()) {
                    problems.add(what + " must be a list, got " + describe(type));
                }
                return;
            }
            if (kind != Kind.TENSOR) {
                return;
            }
            if (!type.hasTensorType()) {
                problems.add(what + " must be a tensor or scalar, got " + describe(type));
                return;
            }
            DataType dt = type.getTensorType().getDataType();
            if (!spec.allows(dt)) {
                problems.add(what + " has data type " + dt + ", allowed: " + spec.types());
                return;
            }
            if (!spec.typeDomain().isEmpty()) {
                DataType prior = domains.putIfAbsent(spec.typeDomain(), dt);
                domainFirst.putIfAbsent(spec.typeDomain(), spec.name());
                if (prior != null && prior != dt) {
                    problems.add(what + " has data type " + dt + " but input '" + domainFirst.get(spec.typeDomain())
                            + "' has " + prior + " (they must match)");
                }
            }
        }
    }
}
