package dev.aneprobe.probes.model;

import dev.aneprobe.probes.coreml.NeuralNetworkLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One layer of a probe network while it is being described: its name, the blobs it reads, the blobs it writes with
 * their shapes, and a setter that fills the layer's params oneof.
 */
public final class Layer {
    /** The layer under test is always called this, so the compute plan can be matched to the probe. */
    public static final String PROBE = "probe";

    final String name;
    final List<String> inputs = new ArrayList<>();
    final Map<String, List<Long>> outputs = new LinkedHashMap<>();
    Consumer<NeuralNetworkLayer.Builder> params = b -> { };

    private Layer(String name) {
        this.name = name;
    }

    /** The layer under test. */
    public static Layer probe() {
        return new Layer(PROBE);
    }

    /** An auxiliary layer (a constant feeding the probe, say): named {@code aux_<what>}. */
    public static Layer aux(String what) {
        return new Layer("aux_" + what);
    }

    /**
     * A layer of a chain probe (several layers under test, in an order the analysis reads them back in): named by its
     * place in the chain, e.g. {@code s1} or {@code u2}.
     */
    public static Layer named(String name) {
        if (name.equals(PROBE) || name.startsWith("aux_")) {
            throw new IllegalArgumentException("layer name " + name + " is reserved");
        }
        return new Layer(name);
    }

    public Layer in(String... blobs) {
        inputs.addAll(List.of(blobs));
        return this;
    }

    public Layer out(String blob, long... dims) {
        outputs.put(blob, Feature.toList(dims));
        return this;
    }

    public Layer with(Consumer<NeuralNetworkLayer.Builder> setter) {
        this.params = setter;
        return this;
    }

    public String name() {
        return name;
    }
}
