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

    /**
     * The type oneof's field names, so that naming a model's type does not build the descriptors of the whole
     * schema (a good part of a second on a cold JVM, for lint); ModelKindsTest holds this list to the schema.
     */
    private static final Map<Model.TypeCase, String> TYPE_NAMES = typeNames(
            "arrayFeatureExtractor audioFeaturePrint bayesianProbitRegressor categoricalMapping "
            + "classConfidenceThresholding customModel dictVectorizer featureVectorizer gazetteer glmClassifier "
            + "glmRegressor identity imputer itemSimilarityRecommender kNearestNeighborsClassifier linkedModel "
            + "mlProgram neuralNetwork neuralNetworkClassifier neuralNetworkRegressor nonMaximumSuppression "
            + "normalizer oneHotEncoder pipeline pipelineClassifier pipelineRegressor scaler serializedModel "
            + "soundAnalysisPreprocessing supportVectorClassifier supportVectorRegressor textClassifier "
            + "treeEnsembleClassifier treeEnsembleRegressor visionFeaturePrint wordEmbedding wordTagger");

    private ModelKinds() {
    }

    private static Map<Model.TypeCase, String> typeNames(String names) {
        Map<Model.TypeCase, String> m = new java.util.EnumMap<>(Model.TypeCase.class);
        for (String n : names.split(" ")) {
            m.put(Model.TypeCase.valueOf(n.toUpperCase(java.util.Locale.ROOT)), n);
        }
        return m;
    }

    /**
     * The model's type as the format names it ({@code neuralNetworkClassifier}, {@code treeEnsembleRegressor}, ...);
     * for a type this schema does not know (a newer format), {@code model type <number>}; without any type,
     * {@code model with no type}.
     */
    public static String name(Model model) {
        if (model.getTypeCase() != Model.TypeCase.TYPE_NOT_SET) {
            String name = TYPE_NAMES.get(model.getTypeCase());
            if (name != null) {
                return name;
            }
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
