package dev.aneprobe.harness.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.CustomLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** split on a rank-5 network with a custom layer (the seed's case): shapes from Core ML's shape propagation. */
class SplitRank5Test {
    private static Model customInTheMiddle() {
        Net net = Net.legacy().input("x", 8, 4, 4)
                .layer(Layer.aux("relu").in("x").out("r", 8, 4, 4).with(b -> b.setActivation(
                        ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()))))
                .layer(Layer.probe().in("r").out("c", 8, 4, 4).with(b -> b.setCustom(CustomLayerParams.newBuilder()
                        .setClassName("AAPLSwish"))))
                .layer(Layer.aux("add").in("c", "r").out("y", 8, 4, 4).with(b -> b.setAdd(
                        dev.aneprobe.probes.coreml.AddLayerParams.getDefaultInstance())))
                .output("y");
        return net.toModel("split").toBuilder().setSpecificationVersion(2).build();
    }

    @Test
    void cutBeforeTheCustomLayer() throws Exception {
        Model model = customInTheMiddle();
        assertTrue(new ModelValidator().validate(model).valid());
        Splitter.Split s = Splitter.split(model, "probe");
        assertEquals(List.of("r"), s.crossing());
        for (Model m : List.of(s.head(), s.tail(), s.pipeline())) {
            ValidationResult v = new ModelValidator().validate(m);
            assertTrue(v.valid(), v.message());
        }
        assertEquals(List.of(8L, 4L, 4L), s.tail().getDescription().getInput(0).getType().getMultiArrayType()
                .getShapeList());
        assertEquals(1, s.head().getNeuralNetwork().getLayersCount());
        assertEquals(2, s.tail().getNeuralNetwork().getLayersCount());
        assertEquals(model.getDescription(), s.pipeline().getDescription());
    }

    @Test
    void refusesWhatItCannotCut() {
        Model model = customInTheMiddle();
        assertThrows(Splitter.CannotSplitException.class, () -> Splitter.split(model, "aux_relu"));
        Splitter.CannotSplitException e = assertThrows(Splitter.CannotSplitException.class,
                () -> Splitter.split(model, "nothing"));
        assertEquals("no layer named 'nothing'", e.getMessage());
    }

    @Test
    void aBlobOfUnknownShapeCannotCrossTheCut() throws Exception {
        Model chain = SurgeryModels.chain();
        var nn = chain.getNeuralNetwork().toBuilder();
        nn.setLayers(2, nn.getLayers(2).toBuilder().clearOutputTensor()); // makes s
        nn.setLayers(3, nn.getLayers(3).toBuilder().clearInputTensor()); // reads s
        Model unknown = chain.toBuilder().setNeuralNetwork(nn).build();
        Splitter.CannotSplitException e = assertThrows(Splitter.CannotSplitException.class,
                () -> Splitter.split(unknown, "aux_cat"));
        assertTrue(e.getMessage().startsWith("blob 's' is made before layer 'aux_cat' and read from it on, but its "
                + "shape is not known"), e.getMessage());
        // Rewrite keeps the layers whose operand shapes are not declared, and says so.
        Rewriter.Result r = Rewriter.rewrite(unknown, java.util.Set.of());
        assertTrue(r.kept().stream().anyMatch(k -> k.where().equals("layer 'aux_cat'")
                && k.reason().startsWith("the shape of 's' is not declared")), r.kept().toString());
    }
}
