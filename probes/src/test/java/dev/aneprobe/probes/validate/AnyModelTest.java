package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.ArrayFeatureType;
import dev.aneprobe.probes.coreml.FeatureType;
import dev.aneprobe.probes.coreml.ImageFeatureType;
import dev.aneprobe.probes.coreml.Int64FeatureType;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.StringFeatureType;
import dev.aneprobe.probes.samples.RealWorldModels;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code check} on models as people ship them (built by {@link RealWorldModels}): each valid one is valid, naming
 * what aneprobe has no rules for, and never invalid for it; NeuralNetwork layers are checked wherever they sit
 * (classifiers, regressors, pipelines inside pipelines), as strictly as in a plain network; ML Programs with image
 * inputs and outputs, flexible shapes and several functions are checked against their description.
 */
class AnyModelTest {
    private final ModelValidator validator = new ModelValidator();

    private ValidationResult assertValid(Model model, String... notChecked) {
        ValidationResult r = validator.validate(model);
        assertTrue(r.valid(), "expected valid, got: " + r.problems());
        assertEquals(List.of(notChecked), r.notChecked());
        assertEquals(List.of(), r.warnings(), "well-shaped models draw no shape warnings");
        assertArrayEquals(model.toByteArray(), RealWorldModels.reparsed(model).toByteArray());
        return r;
    }

    private void assertInvalid(Model model, String fragment) {
        ValidationResult r = validator.validate(model);
        assertFalse(r.valid(), "expected invalid (" + fragment + ")");
        assertTrue(r.message().contains(fragment), "expected '" + fragment + "' in: " + r.message());
    }

    private static Model edit(Model m, UnaryOperator<Model.Builder> change) {
        return RealWorldModels.reparsed(change.apply(m.toBuilder()).build());
    }

    // ---------------------------------------------------------------- NeuralNetwork classifiers and regressors

    @Test
    void imageClassifierWithLabelsAndProbabilityDictionaryIsValid() {
        assertValid(RealWorldModels.nnImageClassifier());
        assertValid(RealWorldModels.nnInt64Classifier());
    }

    @Test
    void classifierInterfaceRules() {
        Model c = RealWorldModels.nnImageClassifier();
        assertInvalid(edit(c, m -> {
            m.getNeuralNetworkClassifierBuilder().clearStringClassLabels();
            return m;
        }), "the classifier lists no class labels");
        assertInvalid(edit(c, m -> {
            m.getDescriptionBuilder().getOutputBuilder(1).setType(FeatureType.newBuilder().setInt64Type(
                    Int64FeatureType.getDefaultInstance()));
            return m;
        }), "the predicted feature 'label' is a int64 but the class labels are strings");
        assertInvalid(edit(c, m -> {
            m.getDescriptionBuilder().setPredictedFeatureName("nothing");
            return m;
        }), "the predicted feature 'nothing' is not a model output");
        assertInvalid(edit(c, m -> {
            m.getDescriptionBuilder().getOutputBuilder(0).setType(FeatureType.newBuilder().setStringType(
                    StringFeatureType.getDefaultInstance()));
            return m;
        }), "the predicted probabilities 'labelProbabilities' are a string");
        assertInvalid(edit(c, m -> {
            m.getNeuralNetworkClassifierBuilder().setLabelProbabilityLayerName("softmax_out");
            return m;
        }), "takes its probabilities from blob 'softmax_out'");
        // An output that is neither the label nor the probabilities is a blob like any network output.
        assertInvalid(edit(c, m -> {
            m.getDescriptionBuilder().addOutput(m.getDescription().getOutput(0).toBuilder().setName("extra"));
            return m;
        }), "model output 'extra' is produced by no layer");
    }

    @Test
    void layersInsideClassifiersAreCheckedAsStrictlyAsInAPlainNetwork() {
        Model bad = edit(RealWorldModels.nnImageClassifier(), m -> {
            m.getNeuralNetworkClassifierBuilder().getLayersBuilder(2).getPoolingBuilder().clearValid();
            return m;
        });
        assertInvalid(bad, "layer 'aux_pool' (pooling)");
        Model badRegressor = edit(RealWorldModels.nnRegressor(), m -> {
            m.getNeuralNetworkRegressorBuilder().getLayersBuilder(0).getInnerProductBuilder().setInputChannels(9);
            return m;
        });
        assertFalse(validator.validate(badRegressor).valid());
    }

    @Test
    void regressorIsValidAndNeedsItsPrediction() {
        assertValid(RealWorldModels.nnRegressor());
        assertInvalid(edit(RealWorldModels.nnRegressor(), m -> {
            m.getDescriptionBuilder().clearPredictedFeatureName();
            return m;
        }), "the regressor names no predicted feature");
    }

    @Test
    void updatableClassifierIsValidFromSpecification4() {
        assertValid(RealWorldModels.updatableClassifier());
        assertInvalid(edit(RealWorldModels.updatableClassifier(), m -> m.setSpecificationVersion(3)),
                "updatable");
    }

    // ---------------------------------------------------------------- NeuralNetworks

    @Test
    void imageInAndImageOutIsValid() {
        assertValid(RealWorldModels.nnImageToImage());
        assertInvalid(edit(RealWorldModels.nnImageToImage(), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getImageTypeBuilder().setWidth(0);
            return m;
        }), "input 'image' has no positive width");
    }

    @Test
    void flexibleShapesAreValid() {
        for (boolean enumerated : new boolean[] {false, true}) {
            assertValid(RealWorldModels.nnFlexibleRank5(enumerated, false));
            assertValid(RealWorldModels.nnFlexibleRank5(enumerated, true));
            assertValid(RealWorldModels.nnFlexibleNd(enumerated));
        }
        assertInvalid(edit(RealWorldModels.nnFlexibleRank5(false, false), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                    .setShape(1, 100);
            return m;
        }), "outside its shape range");
    }

    @Test
    void customLayerIsValidFromSpecification2() {
        assertValid(RealWorldModels.nnCustomLayer());
        assertInvalid(edit(RealWorldModels.nnCustomLayer(), m -> m.setSpecificationVersion(1)),
                "specification version 1 is too low");
    }

    // ---------------------------------------------------------------- pipelines and other model types

    @Test
    void pipelineOfVectorizerNetworkAndGlmIsValidNamingWhatIsNotChecked() {
        assertValid(RealWorldModels.pipelineVectorizerNnGlm(), "featureVectorizer", "glmClassifier");
    }

    @Test
    void pipelineRules() {
        Model p = RealWorldModels.pipelineVectorizerNnGlm();
        assertInvalid(edit(p, m -> {
            m.getPipelineClassifierBuilder().getPipelineBuilder().getModelsBuilder(2).getDescriptionBuilder()
                    .getInputBuilder(0).setName("embeddings");
            return m;
        }), "pipeline model 3 (glmClassifier) reads 'embeddings', which is neither a pipeline input nor the output "
                + "of an earlier model");
        assertInvalid(edit(p, m -> {
            m.getDescriptionBuilder().getOutputBuilder(0).setName("prediction");
            return m;
        }), "pipeline output 'prediction'");
        assertInvalid(edit(p, m -> {
            m.getPipelineClassifierBuilder().getPipelineBuilder().clearModels();
            return m;
        }), "the pipeline holds no models");
        assertInvalid(edit(p, m -> {
            m.getPipelineClassifierBuilder().getPipelineBuilder().addNames("only-one");
            return m;
        }), "names 1 models but holds 3");
    }

    @Test
    void networksInsidePipelinesInsidePipelinesAreChecked() {
        assertValid(RealWorldModels.nestedPipeline(RealWorldModels.nnImageClassifier()));
        Model broken = edit(RealWorldModels.nnImageClassifier(), m -> {
            NeuralNetworkLayer.Builder pool = m.getNeuralNetworkClassifierBuilder().getLayersBuilder(2);
            pool.getPoolingBuilder().setType(PoolingLayerParams.PoolingType.MAX).clearValid();
            return m;
        });
        assertInvalid(RealWorldModels.nestedPipeline(broken), "pipeline model 1 'stage' (pipeline): pipeline model 1 "
                + "'classifier' (neuralNetworkClassifier): layer 'aux_pool' (pooling)");
    }

    @Test
    void modelTypesWithoutRulesAreValidAndNamed() {
        assertValid(RealWorldModels.treeEnsembleClassifier(), "treeEnsembleClassifier");
        assertValid(RealWorldModels.textClassifier(), "textClassifier");
        // Their interface is still held to the rules every model shares.
        assertInvalid(edit(RealWorldModels.textClassifier(), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().setIsOptional(true);
            return m;
        }), "input 'text' is optional, which a textClassifier does not allow");
        assertInvalid(edit(RealWorldModels.treeEnsembleClassifier(), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder().clearShape();
            return m;
        }), "input 'x' has no shape");
    }

    // ---------------------------------------------------------------- ML Programs

    @Test
    void programWithImageInputIsValid() {
        assertValid(RealWorldModels.milImageInput(false));
        assertValid(RealWorldModels.milImageInput(true));
        assertInvalid(edit(RealWorldModels.milImageInput(false), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getImageTypeBuilder()
                    .setColorSpace(ImageFeatureType.ColorSpace.GRAYSCALE);
            return m;
        }), "its channel dimension is 3");
        assertInvalid(edit(RealWorldModels.milImageInput(false), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getImageTypeBuilder().setWidth(65);
            return m;
        }), "its width dimension is 64");
    }

    @Test
    void programWithImageOutputIsValid() {
        assertValid(RealWorldModels.milImageOutput());
    }

    @Test
    void programWithFlexibleShapesIsValid() {
        assertValid(RealWorldModels.milFlexibleArray(false));
        assertValid(RealWorldModels.milFlexibleArray(true));
        // Without the flexibility in the description, the unknown dimension is still a problem, as before.
        assertInvalid(edit(RealWorldModels.milFlexibleArray(false), m -> {
            m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder().getMultiArrayTypeBuilder()
                    .clearShapeRange();
            return m;
        }), "input 'lpb_magnitude' has no static shape in function 'main'");
        assertInvalid(edit(RealWorldModels.milFlexibleArray(false), m -> {
            ArrayFeatureType.Builder a = m.getDescriptionBuilder().getInputBuilder(0).getTypeBuilder()
                    .getMultiArrayTypeBuilder();
            a.getShapeRangeBuilder().removeSizeRanges(0);
            a.clearShape().addShape(257).addShape(100);
            return m;
        }), "input 'lpb_magnitude' has rank 2 in the description but 3 in function 'main'");
    }

    @Test
    void programWithSeveralFunctionsIsValid() {
        assertValid(RealWorldModels.milTwoFunctions());
        assertInvalid(edit(RealWorldModels.milTwoFunctions(), m -> {
            m.getDescriptionBuilder().setDefaultFunctionName("large");
            return m;
        }), "the default function 'large' is not among the described functions");
        assertInvalid(edit(RealWorldModels.milTwoFunctions(), m -> {
            m.getDescriptionBuilder().getFunctionsBuilder(1).getInputBuilder(0).getTypeBuilder()
                    .getMultiArrayTypeBuilder().setShape(3, 33);
            return m;
        }), "input 'x' has shape [1, 3, 32, 33] in the description but [1, 3, 32, 32] in function 'small'");
        assertInvalid(edit(RealWorldModels.milTwoFunctions(), m -> m.setSpecificationVersion(8)),
                "several functions, which needs specification version 9");
    }

    // ---------------------------------------------------------------- specification versions

    @Test
    void everySpecificationVersionFrom1To9() {
        for (int v = 1; v <= 9; v++) {
            final int version = v;
            if (v <= 5) {
                assertValid(edit(RealWorldModels.nnImageClassifier(), m -> m.setSpecificationVersion(version)));
                assertValid(edit(RealWorldModels.pipelineVectorizerNnGlm(), m -> m.setSpecificationVersion(version)),
                        "featureVectorizer", "glmClassifier");
                assertValid(edit(RealWorldModels.treeEnsembleClassifier(), m -> m.setSpecificationVersion(version)),
                        "treeEnsembleClassifier");
            }
            if (v >= 6) {
                String opset = "CoreML" + (v - 1);
                assertValid(RealWorldModels.milRelu(opset, "x"));
                assertEquals(v, RealWorldModels.milRelu(opset, "x").getSpecificationVersion());
            }
            if (v >= 4) {
                assertValid(edit(RealWorldModels.nnFlexibleNd(false), m -> m.setSpecificationVersion(version)));
            }
        }
    }
}
