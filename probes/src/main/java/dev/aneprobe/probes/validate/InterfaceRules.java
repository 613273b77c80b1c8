package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.SizeRange;
import dev.aneprobe.probes.coreml.StateFeatureType;
import java.util.List;

/**
 * Core ML's rules for the interface of a model of any type (its model-independent validation, from coremltools'
 * {@code InterfaceValidators.cpp}): every input, output and state is a well-formed feature for the declared
 * specification version — flexible array shapes and image sizes whose default lies inside them, data types and
 * colour spaces the version has, sequences and states only from the versions that have them — inputs may be empty
 * or optional only where the model type allows it, outputs are never optional, default values only on neural
 * networks from specification 5, on-device update only for the model types that support it. Used for model types
 * whose own rules aneprobe does not implement (their interface is still checked) and for pipelines.
 */
final class InterfaceRules {
    enum Role { INPUT, OUTPUT, STATE }

    private InterfaceRules() {
    }

    /** The model's description by the rules every model type shares. */
    static void model(Model model, List<String> problems) {
        int version = model.getSpecificationVersion();
        ModelDescription d = model.getDescription();
        Model.TypeCase type = model.getTypeCase();
        if (d.getFunctionsCount() > 0 || !d.getDefaultFunctionName().isEmpty()) {
            problems.add("only ML Programs may describe several functions (this is a " + ModelKinds.name(model)
                    + ")");
            return;
        }
        if (d.getInputCount() == 0) {
            if (!allowsNoInput(type)) {
                problems.add("the model declares no inputs (a " + ModelKinds.name(model) + " needs at least one)");
            } else if (version < 9) {
                problems.add("the model declares no inputs, which needs specification version 9 (it declares "
                        + version + ")");
            }
        }
        if (d.getOutputCount() == 0) {
            problems.add("the model declares no outputs");
        }
        for (FeatureDescription f : d.getInputList()) {
            feature(f, version, Role.INPUT, problems);
        }
        for (FeatureDescription f : d.getOutputList()) {
            feature(f, version, Role.OUTPUT, problems);
        }
        for (FeatureDescription f : d.getStateList()) {
            feature(f, version, Role.STATE, problems);
        }
        optional(model, problems);
        if (model.getIsUpdatable()) {
            if (version < 4) {
                problems.add("an updatable model needs specification version 4 (it declares " + version + ")");
            } else if (!updatable(type)) {
                problems.add("a " + ModelKinds.name(model) + " cannot be updatable (on-device update is for neural "
                        + "networks, the nearest-neighbours classifier and pipelines of them)");
            }
        }
    }

    private static boolean allowsNoInput(Model.TypeCase type) {
        return switch (type) {
            case NEURALNETWORK, NEURALNETWORKCLASSIFIER, NEURALNETWORKREGRESSOR, PIPELINE, PIPELINECLASSIFIER,
                    PIPELINEREGRESSOR, MLPROGRAM -> true;
            default -> false;
        };
    }

    private static boolean updatable(Model.TypeCase type) {
        return switch (type) {
            case NEURALNETWORK, NEURALNETWORKCLASSIFIER, NEURALNETWORKREGRESSOR, KNEARESTNEIGHBORSCLASSIFIER,
                    PIPELINE, PIPELINECLASSIFIER, PIPELINEREGRESSOR -> true;
            default -> false;
        };
    }

    private static boolean network(Model.TypeCase type) {
        return switch (type) {
            case NEURALNETWORK, NEURALNETWORKCLASSIFIER, NEURALNETWORKREGRESSOR, SERIALIZEDMODEL, MLPROGRAM -> true;
            default -> false;
        };
    }

    /** Which inputs may be optional, and default values for them; outputs never are. */
    private static void optional(Model model, List<String> problems) {
        Model.TypeCase type = model.getTypeCase();
        List<FeatureDescription> inputs = model.getDescription().getInputList();
        for (FeatureDescription f : inputs) {
            if (f.getType().getIsOptional() && f.getType().hasMultiArrayType()
                    && f.getType().getMultiArrayType().getDefaultOptionalValueCase()
                    != ArrayFeatureType.DefaultOptionalValueCase.DEFAULTOPTIONALVALUE_NOT_SET) {
                if (!network(type)) {
                    problems.add("input '" + f.getName() + "' has a default value, which only neural networks and "
                            + "ML Programs may have");
                } else if (model.getSpecificationVersion() < 5) {
                    problems.add("input '" + f.getName() + "' has a default value, which needs specification "
                            + "version 5 (the model declares " + model.getSpecificationVersion() + ")");
                }
            }
        }
        switch (type) {
            case IMPUTER, TREEENSEMBLEREGRESSOR, TREEENSEMBLECLASSIFIER, PIPELINE, PIPELINEREGRESSOR,
                    PIPELINECLASSIFIER, ITEMSIMILARITYRECOMMENDER, IDENTITY -> {
                // optional inputs allowed (pipelines: as their models allow)
            }
            case NEURALNETWORK, NEURALNETWORKREGRESSOR, NEURALNETWORKCLASSIFIER, SERIALIZEDMODEL, MLPROGRAM -> {
                boolean required = inputs.isEmpty();
                for (FeatureDescription f : inputs) {
                    required |= f.getType().hasStateType() || !f.getType().getIsOptional();
                }
                if (!required) {
                    problems.add("every model input is optional; at least one must be required");
                }
            }
            default -> {
                for (FeatureDescription f : inputs) {
                    if (f.getType().getIsOptional()) {
                        problems.add("input '" + f.getName() + "' is optional, which a " + ModelKinds.name(model)
                                + " does not allow");
                        break;
                    }
                }
            }
        }
        for (FeatureDescription f : model.getDescription().getOutputList()) {
            if (f.getType().getIsOptional()) {
                problems.add("output '" + f.getName() + "' is optional (outputs never are)");
                break;
            }
        }
    }

    /** One feature by Core ML's rules for its type, in the given role, at the declared specification version. */
    static void feature(FeatureDescription f, int version, Role role, List<String> problems) {
        String who = role.name().toLowerCase() + " '" + f.getName() + "'";
        if (f.getName().isEmpty()) {
            problems.add("a model " + role.name().toLowerCase() + " has an empty name");
            return;
        }
        if (!f.hasType() || f.getType().getTypeCase() == FeatureType.TypeCase.TYPE_NOT_SET) {
            problems.add(who + " has no feature type");
            return;
        }
        FeatureType t = f.getType();
        if (t.hasStateType() && role == Role.OUTPUT) {
            problems.add(who + " is a state; states are declared among the states (or inputs), not the outputs");
            return;
        }
        if (!t.hasStateType() && role == Role.STATE) {
            problems.add(who + " is declared among the states but is a " + ModelKinds.featureKind(t));
            return;
        }
        switch (t.getTypeCase()) {
            case MULTIARRAYTYPE -> array(who, t.getMultiArrayType(), version, role, problems);
            case DICTIONARYTYPE -> {
                if (t.getDictionaryType().getKeyTypeCase()
                        == dev.aneprobe.probes.coreml.DictionaryFeatureType.KeyTypeCase.KEYTYPE_NOT_SET) {
                    problems.add(who + " is a dictionary without a key type (int64 or string)");
                }
            }
            case IMAGETYPE -> image(who, t.getImageType(), version, problems);
            case SEQUENCETYPE -> {
                if (version < 3) {
                    problems.add(who + " is a sequence, which needs specification version 3 (the model declares "
                            + version + ")");
                } else if (!validRange(t.getSequenceType().getSizeRange())) {
                    problems.add(who + " has an empty length range " + range(t.getSequenceType().getSizeRange()));
                } else if (t.getSequenceType().getTypeCase()
                        == dev.aneprobe.probes.coreml.SequenceFeatureType.TypeCase.TYPE_NOT_SET) {
                    problems.add(who + " is a sequence of no element type (int64 or string)");
                }
            }
            case STATETYPE -> state(who, t, version, problems);
            default -> {
                // int64, double, string: nothing more to check
            }
        }
    }

    private static void array(String who, ArrayFeatureType a, int version, Role role, List<String> problems) {
        boolean hasDefault = a.getShapeCount() > 0;
        boolean flexible = false;
        // Before specification 3 the flexibility fields do not exist for Core ML and are ignored.
        if (version >= 3) {
            switch (a.getShapeFlexibilityCase()) {
                case ENUMERATEDSHAPES -> {
                    flexible = true;
                    var shapes = a.getEnumeratedShapes().getShapesList();
                    if (shapes.isEmpty()) {
                        problems.add(who + " enumerates no shapes");
                        return;
                    }
                    for (ArrayFeatureType.Shape s : shapes) {
                        if (s.getShapeCount() == 0) {
                            problems.add(who + " enumerates a shape with no dimensions");
                            return;
                        }
                    }
                    if (hasDefault && shapes.stream().noneMatch(s -> s.getShapeList().equals(a.getShapeList()))) {
                        problems.add(who + " has default shape " + a.getShapeList()
                                + ", which is not among its enumerated shapes");
                        return;
                    }
                }
                case SHAPERANGE -> {
                    flexible = true;
                    List<SizeRange> ranges = a.getShapeRange().getSizeRangesList();
                    for (int i = 0; i < ranges.size(); i++) {
                        if (!validRange(ranges.get(i))) {
                            problems.add(who + " has an empty range " + range(ranges.get(i)) + " for dimension " + i);
                            return;
                        }
                    }
                    if (hasDefault) {
                        if (ranges.size() != a.getShapeCount()) {
                            problems.add(who + " has a rank-" + a.getShapeCount() + " default shape but a rank-"
                                    + ranges.size() + " shape range");
                            return;
                        }
                        for (int i = 0; i < ranges.size(); i++) {
                            if (!inside(a.getShape(i), ranges.get(i))) {
                                problems.add(who + " has default shape " + a.getShapeList() + ", outside its shape "
                                        + "range in dimension " + i + " " + range(ranges.get(i)));
                                return;
                            }
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (role == Role.INPUT && !hasDefault && !flexible) {
            problems.add(who + " has no shape");
            return;
        }
        for (long d : a.getShapeList()) {
            if (d < 0) {
                problems.add(who + " has a negative dimension " + d);
                return;
            }
        }
        switch (a.getDataType()) {
            case DOUBLE, FLOAT32, INT32 -> {
            }
            case FLOAT16 -> {
                if (version < 7) {
                    problems.add(who + " is FLOAT16, which needs specification version 7 (the model declares "
                            + version + ")");
                    return;
                }
            }
            case INT8 -> {
                if (version < 10) {
                    problems.add(who + " is INT8, which needs specification version 10 (the model declares "
                            + version + ")");
                    return;
                }
            }
            default -> {
                problems.add(who + " has no valid data type (" + a.getDataType() + ")");
                return;
            }
        }
        ArrayFeatureType.ArrayDataType dt = a.getDataType();
        boolean fits = switch (a.getDefaultOptionalValueCase()) {
            case DOUBLEDEFAULTVALUE -> dt == ArrayFeatureType.ArrayDataType.DOUBLE;
            case FLOATDEFAULTVALUE -> dt == ArrayFeatureType.ArrayDataType.FLOAT32
                    || dt == ArrayFeatureType.ArrayDataType.FLOAT16;
            case INTDEFAULTVALUE -> dt == ArrayFeatureType.ArrayDataType.INT32
                    || (dt == ArrayFeatureType.ArrayDataType.INT8 && a.getIntDefaultValue() >= Byte.MIN_VALUE
                    && a.getIntDefaultValue() <= Byte.MAX_VALUE);
            default -> true;
        };
        if (!fits) {
            problems.add(who + " has a default value (" + a.getDefaultOptionalValueCase() + ") that does not fit its "
                    + "data type " + dt);
        }
    }

    private static void image(String who, ImageFeatureType im, int version, List<String> problems) {
        long width = im.getWidth();
        long height = im.getHeight();
        boolean hasDefault = width > 0 && height > 0;
        if (version >= 3) {
            switch (im.getSizeFlexibilityCase()) {
                case ENUMERATEDSIZES -> {
                    var sizes = im.getEnumeratedSizes().getSizesList();
                    if (sizes.isEmpty()) {
                        problems.add(who + " enumerates no image sizes");
                        return;
                    }
                    if (!hasDefault) {
                        width = sizes.get(0).getWidth();
                        height = sizes.get(0).getHeight();
                    } else {
                        final long w = width;
                        final long h = height;
                        if (sizes.stream().noneMatch(s -> s.getWidth() == w && s.getHeight() == h)) {
                            problems.add(who + " has default size " + w + "x" + h + ", which is not among its "
                                    + "enumerated sizes");
                            return;
                        }
                    }
                }
                case IMAGESIZERANGE -> {
                    SizeRange wr = im.getImageSizeRange().getWidthRange();
                    SizeRange hr = im.getImageSizeRange().getHeightRange();
                    if (!validRange(wr) || !validRange(hr)) {
                        problems.add(who + " has an empty " + (validRange(wr) ? "height range " + range(hr)
                                : "width range " + range(wr)));
                        return;
                    }
                    if (!hasDefault) {
                        width = wr.getLowerBound();
                        height = hr.getLowerBound();
                    } else if (!inside(width, wr) || !inside(height, hr)) {
                        problems.add(who + " has default size " + width + "x" + height + ", outside its size range "
                                + range(wr) + " x " + range(hr));
                        return;
                    }
                }
                default -> {
                }
            }
        }
        if (width <= 0 || height <= 0) {
            problems.add(who + " has no positive " + (width <= 0 ? "width" : "height") + " ("
                    + (width <= 0 ? im.getWidth() : im.getHeight()) + ")");
            return;
        }
        switch (im.getColorSpace()) {
            case GRAYSCALE, RGB, BGR -> {
            }
            case GRAYSCALE_FLOAT16 -> {
                if (version < 7) {
                    problems.add(who + " is a GRAYSCALE_FLOAT16 image, which needs specification version 7 (the "
                            + "model declares " + version + ")");
                }
            }
            default -> problems.add(who + " has no valid colour space (" + im.getColorSpace()
                    + "; RGB, BGR or GRAYSCALE)");
        }
    }

    private static void state(String who, FeatureType t, int version, List<String> problems) {
        if (version < 9) {
            problems.add(who + " is a state, which needs specification version 9 (the model declares " + version
                    + ")");
            return;
        }
        if (t.getIsOptional()) {
            problems.add(who + " is a state and cannot be optional");
            return;
        }
        StateFeatureType s = t.getStateType();
        ArrayFeatureType a = s.getArrayType();
        if (a.getShapeCount() == 0) {
            problems.add(who + " is a state without a shape");
        } else if (a.getShapeList().stream().anyMatch(d -> d < 0)) {
            problems.add(who + " has a negative dimension in " + a.getShapeList());
        } else if (a.getDataType() != ArrayFeatureType.ArrayDataType.FLOAT16
                && a.getDataType() != ArrayFeatureType.ArrayDataType.INT8) {
            problems.add(who + " is a state of " + a.getDataType() + " (states are FLOAT16)");
        } else if (a.getShapeFlexibilityCase() != ArrayFeatureType.ShapeFlexibilityCase.SHAPEFLEXIBILITY_NOT_SET) {
            problems.add(who + " is a state with a flexible shape (states have one shape)");
        } else if (a.getDefaultOptionalValueCase()
                != ArrayFeatureType.DefaultOptionalValueCase.DEFAULTOPTIONALVALUE_NOT_SET) {
            problems.add(who + " is a state with a default value");
        }
    }

    /** Core ML's test: an upper bound above 0 below the lower bound is empty; any other is fine. */
    static boolean validRange(SizeRange r) {
        return !(r.getUpperBound() > 0 && Long.compareUnsigned(r.getLowerBound(), r.getUpperBound()) > 0);
    }

    static boolean inside(long value, SizeRange r) {
        return value >= r.getLowerBound() && (r.getUpperBound() < 0 || value <= r.getUpperBound());
    }

    static String range(SizeRange r) {
        return "[" + Long.toUnsignedString(r.getLowerBound()) + ", "
                + (r.getUpperBound() < 0 ? "unbounded" : String.valueOf(r.getUpperBound())) + "]";
    }
}
