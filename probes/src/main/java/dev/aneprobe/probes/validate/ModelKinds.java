package dev.aneprobe.probes.validate;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.Pipeline;
import java.util.Map;
import java.util.TreeSet;

/** Names for model types and feature kinds as the format spells them, for messages and for what was not checked. */
public final class ModelKinds {
    /** The numbers of Model's type oneof lie in this range (pipelines at 200 ... Apple's models up to 3000). */
    private static final int FIRST_TYPE_NUMBER = 200;
    private static final int LAST_TYPE_NUMBER = 3999;

    private ModelKinds() {
    }

    /**
     * The model's type as the format names it ({@code neuralNetworkClassifier}, {@code treeEnsembleRegressor}, ...);
     * for a type this schema does not know (a newer format), {@code model type <number>}; without any type,
     * {@code model with no type}.
     */
    public static String name(Model model) {
        if (model.getTypeCase() != Model.TypeCase.TYPE_NOT_SET) {
            FieldDescriptor f = Model.getDescriptor().findFieldByNumber(model.getTypeCase().getNumber());
            return f.getName();
        }
        Integer unknown = unknownType(model);
        return unknown == null ? "model with no type" : "model type " + unknown;
    }

    /** The field number of a model type newer than this schema, carried as an unknown field; null if none. */
    static Integer unknownType(Model model) {
        Map<Integer, ?> unknown = model.getUnknownFields().asMap();
        for (Integer number : new TreeSet<>(unknown.keySet())) {
            if (number >= FIRST_TYPE_NUMBER && number <= LAST_TYPE_NUMBER) {
                return number;
            }
        }
        return null;
    }

    /** The pipeline of the three pipeline types; null for any other model. */
    public static Pipeline pipeline(Model model) {
        return switch (model.getTypeCase()) {
            case PIPELINE -> model.getPipeline();
            case PIPELINECLASSIFIER -> model.getPipelineClassifier().getPipeline();
            case PIPELINEREGRESSOR -> model.getPipelineRegressor().getPipeline();
            default -> null;
        };
    }

    /** A feature's kind in words: multiarray, image, dictionary, sequence, state, int64, double, string. */
    public static String featureKind(FeatureType t) {
        return switch (t.getTypeCase()) {
            case MULTIARRAYTYPE -> "multiarray";
            case IMAGETYPE -> "image";
            case DICTIONARYTYPE -> "dictionary";
            case SEQUENCETYPE -> "sequence";
            case STATETYPE -> "state";
            case INT64TYPE -> "int64";
            case DOUBLETYPE -> "double";
            case STRINGTYPE -> "string";
            default -> "feature of no type";
        };
    }
}
