package dev.aneprobe.probes.validate;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureDescription;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.FunctionDescription;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.ModelDescription;
import dev.aneprobe.probes.coreml.NeuralNetwork;
import dev.aneprobe.probes.coreml.NeuralNetworkImageShapeMapping;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.NeuralNetworkMultiArrayShapeMapping;
import dev.aneprobe.probes.coreml.ReorganizeDataLayerParams;
import dev.aneprobe.probes.coreml.UpsampleLayerParams;
import dev.aneprobe.probes.coreml.mil.Function;
import java.util.List;

/**
 * The lowest Core ML specification version a model can declare, from the features it uses: we compute it
 * ourselves rather than trusting any converter's downgrade logic. Version numbers: 1 iOS 11, 2 iOS 11.2, 3 iOS 12,
 * 4 iOS 13, 5 iOS 14, 6 iOS 15, 7 iOS 16, 8 iOS 17, 9 iOS 18, 10 iOS 26. An ML Program needs 6, and the opset of its
 * main function fixes it further (CoreML5 6, CoreML6 7, CoreML7 8, CoreML8 9, CoreML9 10).
 */
public final class SpecificationVersions {
    public static final int NEWEST = 10;

    private SpecificationVersions() {
    }

    /** The required version and the first feature that requires it. */
    public record Requirement(int version, String reason) {
        Requirement atLeast(int v, String why) {
            return v > version ? new Requirement(v, why) : this;
        }
    }

    public static int required(Model model) {
        return requirement(model).version();
    }

    public static Requirement requirement(Model model) {
        Requirement r = new Requirement(1, "the original format");
        ModelDescription d = model.getDescription();
        if (d.getFunctionsCount() > 0) {
            r = r.atLeast(9, "the model describes several functions");
            for (FunctionDescription fn : d.getFunctionsList()) {
                r = features(r, fn.getInputList(), fn.getOutputList(), fn.getStateList(),
                        " of function '" + fn.getName() + "'");
            }
        } else {
            r = features(r, d.getInputList(), d.getOutputList(), d.getStateList(), "");
        }
        if (model.getIsUpdatable()) {
            r = r.atLeast(4, "the model is updatable");
        }
        NeuralNetwork nn = network(model);
        if (nn != null) {
            r = network(r, nn);
        }
        if (model.hasMlProgram()) {
            r = r.atLeast(ProgramValidator.FIRST_PROGRAM_VERSION, "the model is an ML Program");
            for (var e : new java.util.TreeMap<>(model.getMlProgram().getFunctionsMap()).entrySet()) {
                Function fn = e.getValue();
                int v = ProgramValidator.versionOfOpset(fn.getOpset());
                r = r.atLeast(v, "function '" + e.getKey() + "' uses opset " + fn.getOpset());
            }
        }
        return r;
    }

    private static Requirement features(Requirement r, List<FeatureDescription> inputs,
            List<FeatureDescription> outputs, List<FeatureDescription> states, String where) {
        if (inputs.isEmpty()) {
            r = r.atLeast(9, "the model has no inputs" + where);
        }
        for (FeatureDescription f : inputs) {
            r = feature(r, f, true);
        }
        for (FeatureDescription f : outputs) {
            r = feature(r, f, false);
        }
        if (!states.isEmpty()) {
            r = r.atLeast(9, "the model has states ('" + states.get(0).getName() + "')");
        }
        return r;
    }

    /**
     * The model's NeuralNetwork, whichever of the three NN model types it is; null for other model types. Enum fields
     * are copied by number: an unknown one (from a newer or a broken file) must not throw.
     */
    public static NeuralNetwork network(Model model) {
        if (model.hasNeuralNetwork()) {
            return model.getNeuralNetwork();
        }
        if (model.hasNeuralNetworkClassifier()) {
            var c = model.getNeuralNetworkClassifier();
            NeuralNetwork.Builder b = NeuralNetwork.newBuilder()
                    .addAllLayers(c.getLayersList())
                    .addAllPreprocessing(c.getPreprocessingList())
                    .setArrayInputShapeMappingValue(c.getArrayInputShapeMappingValue())
                    .setImageInputShapeMappingValue(c.getImageInputShapeMappingValue());
            if (c.hasUpdateParams()) {
                b.setUpdateParams(c.getUpdateParams());
            }
            return b.build();
        }
        if (model.hasNeuralNetworkRegressor()) {
            var r = model.getNeuralNetworkRegressor();
            NeuralNetwork.Builder b = NeuralNetwork.newBuilder()
                    .addAllLayers(r.getLayersList())
                    .addAllPreprocessing(r.getPreprocessingList())
                    .setArrayInputShapeMappingValue(r.getArrayInputShapeMappingValue())
                    .setImageInputShapeMappingValue(r.getImageInputShapeMappingValue());
            if (r.hasUpdateParams()) {
                b.setUpdateParams(r.getUpdateParams());
            }
            return b.build();
        }
        return null;
    }

    private static Requirement feature(Requirement r, FeatureDescription f, boolean input) {
        FeatureType t = f.getType();
        String what = (input ? "input '" : "output '") + f.getName() + "'";
        if (t.hasMultiArrayType()) {
            ArrayFeatureType a = t.getMultiArrayType();
            if (a.getDataType() == ArrayFeatureType.ArrayDataType.FLOAT16) {
                r = r.atLeast(7, what + " is FLOAT16");
            }
            if (a.getDataType() == ArrayFeatureType.ArrayDataType.INT8) {
                r = r.atLeast(10, what + " is INT8");
            }
            // Flexible shapes and image sizes (ranges, enumerated) raise nothing: Core ML's interface validator reads
            // those fields only from specification 3 on and ignores them before, so an older model that carries
            // them (with a default shape or size) is accepted as a fixed-shape model.
            if (input && a.getDefaultOptionalValueCase()
                    != ArrayFeatureType.DefaultOptionalValueCase.DEFAULTOPTIONALVALUE_NOT_SET) {
                r = r.atLeast(5, what + " has a default value");
            }
        }
        if (t.hasImageType()) {
            ImageFeatureType im = t.getImageType();
            if (im.getColorSpace() == ImageFeatureType.ColorSpace.GRAYSCALE_FLOAT16) {
                r = r.atLeast(7, what + " is a GRAYSCALE_FLOAT16 image");
            }
        }
        return r;
    }

    private static Requirement network(Requirement start, NeuralNetwork nn) {
        Requirement[] r = {start};
        if (nn.getArrayInputShapeMapping() != NeuralNetworkMultiArrayShapeMapping.RANK5_ARRAY_MAPPING) {
            r[0] = r[0].atLeast(4, "the network uses " + nn.getArrayInputShapeMapping());
        }
        if (nn.getImageInputShapeMapping() != NeuralNetworkImageShapeMapping.RANK5_IMAGE_MAPPING) {
            r[0] = r[0].atLeast(4, "the network uses " + nn.getImageInputShapeMapping());
        }
        if (nn.hasUpdateParams()) {
            r[0] = r[0].atLeast(4, "the network is updatable");
        }
        Messages.forEachLayer(nn, layer -> r[0] = layer(r[0], layer));
        return r[0];
    }

    private static Requirement layer(Requirement r, NeuralNetworkLayer layer) {
        String type = Messages.layerType(layer);
        if (type == null) {
            return r;
        }
        String who = "layer '" + layer.getName() + "' (" + type + ")";
        LayerRule rule = LayerRules.of(type);
        if (rule != null) {
            r = r.atLeast(rule.minSpec(), who + " is a specification " + rule.minSpec() + " layer type");
        }
        String option = ndOption(layer);
        if (option != null) {
            r = r.atLeast(optionVersion(layer), who + " uses " + option);
        }
        Requirement[] holder = {r};
        Messages.forEachWeights(Messages.params(layer), (field, w) -> {
            if (Messages.isFp16(w)) {
                holder[0] = holder[0].atLeast(2, who + " has float16 weights");
            }
            if (!w.getRawValue().isEmpty() && w.hasQuantization()) {
                holder[0] = holder[0].atLeast(3, who + " has quantized weights");
            }
        });
        return holder[0];
    }

    /**
     * A specification-4/5 option on one of the original layer types, which makes the network an ND network, or
     * a specification-5 option on an ND layer; null when there is none.
     */
    static String ndOption(NeuralNetworkLayer layer) {
        switch (layer.getLayerCase()) {
            case CONVOLUTION:
                return layer.getInputCount() > 1 ? "a second input for dynamic weights" : null;
            case INNERPRODUCT:
                return layer.getInnerProduct().getInt8DynamicQuantize() ? "int8 dynamic quantization" : null;
            case UPSAMPLE: {
                UpsampleLayerParams u = layer.getUpsample();
                if (u.getFractionalScalingFactorCount() > 0) {
                    return "fractional scaling factors";
                }
                return u.getLinearUpsampleMode() != UpsampleLayerParams.LinearUpsampleMode.DEFAULT
                        ? "linear upsample mode " + u.getLinearUpsampleMode() : null;
            }
            case REORGANIZEDATA:
                return layer.getReorganizeData().getMode() == ReorganizeDataLayerParams.ReorganizationType.PIXEL_SHUFFLE
                        ? "PIXEL_SHUFFLE" : null;
            case BATCHEDMATMUL:
                return layer.getBatchedMatmul().getInt8DynamicQuantize() ? "int8 dynamic quantization" : null;
            case CONCATND:
                return layer.getConcatND().getInterleave() ? "interleave" : null;
            case SLICEDYNAMIC:
                if (layer.getInputCount() == 7) {
                    return "seven inputs";
                }
                return layer.getSliceDynamic().getSqueezeMasksCount() > 0 ? "squeeze masks" : null;
            default:
                return null;
        }
    }

    private static int optionVersion(NeuralNetworkLayer layer) {
        return layer.getLayerCase() == NeuralNetworkLayer.LayerCase.CONVOLUTION ? 4 : 5;
    }

    /** True when the layer makes the network an ND network (a non-original layer type, or an ND option). */
    public static boolean needsNd(NeuralNetworkLayer layer) {
        String type = Messages.layerType(layer);
        return (type != null && !LayerRules.isLegacy(type)) || ndOption(layer) != null;
    }
}
