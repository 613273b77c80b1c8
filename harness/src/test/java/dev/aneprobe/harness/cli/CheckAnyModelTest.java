package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.samples.RealWorldModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on models as people ship them, written as files: valid ones print OK and name what aneprobe has no
 * rules for; a broken layer deep inside a pipeline is still found.
 */
class CheckAnyModelTest {
    @TempDir
    Path tmp;

    private Path write(String name, Model model) throws IOException {
        return Files.write(tmp.resolve(name), model.toByteArray());
    }

    @Test
    void realWorldModelsAreOkAndSayWhatWasNotChecked() throws IOException {
        Path classifier = write("classifier.mlmodel", RealWorldModels.nnImageClassifier());
        Path pipeline = write("pipeline.mlmodel", RealWorldModels.pipelineVectorizerNnGlm());
        Path trees = write("trees.mlmodel", RealWorldModels.treeEnsembleClassifier());
        Path flexible = write("flexible.mlmodel", RealWorldModels.milFlexibleArray(false));
        Path image = write("image.mlmodel", RealWorldModels.milImageInput(true));
        CliRunner.Result r = CliRunner.run("check", classifier.toString(), pipeline.toString(), trees.toString(),
                flexible.toString(), image.toString());
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("OK " + classifier + "\n"), r.out());
        assertTrue(r.out().contains("OK " + pipeline + " (not checked: featureVectorizer, glmClassifier)\n"),
                r.out());
        assertTrue(r.out().contains("OK " + trees + " (not checked: treeEnsembleClassifier)\n"), r.out());
        assertTrue(r.out().contains("OK " + flexible + "\n"), r.out());
        assertTrue(r.out().contains("OK " + image + "\n"), r.out());
    }

    @Test
    void brokenLayerInsideNestedPipelineIsInvalid() throws IOException {
        Model broken = RealWorldModels.nnImageClassifier().toBuilder()
                .setNeuralNetworkClassifier(RealWorldModels.nnImageClassifier().getNeuralNetworkClassifier()
                        .toBuilder().removeLayers(3))
                .build();
        Path file = write("nested.mlmodel", RealWorldModels.nestedPipeline(broken));
        CliRunner.Result r = CliRunner.run("check", file.toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.out().startsWith("INVALID " + file + ": pipeline model 1 'stage' (pipeline): pipeline model 1 "
                + "'classifier' (neuralNetworkClassifier): layer 'aux_dense' reads blob 'flat'"), r.out());
    }
}
