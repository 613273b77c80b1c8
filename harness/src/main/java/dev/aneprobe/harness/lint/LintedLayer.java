package dev.aneprobe.harness.lint;

import dev.aneprobe.harness.analysis.claims.ProbeView;
import java.util.List;
import java.util.Map;

/**
 * One NeuralNetwork layer or ML Program op of a model, read as a probe would describe it: its probe family and the
 * values of that family's axes, in the family's axis order, so it can be matched with measured probes and with the
 * claims' regions.
 *
 * @param where where it sits, e.g. {@code pipeline model 2 'net' > layer 'pool1'} or
 *     {@code function 'main' > op 'y' (conv)}
 * @param name the layer's name, or the op's first output
 * @param layerType the NeuralNetworkLayer oneof field ({@code pooling}) or the op type ({@code conv})
 * @param family the probe family, or null when none exercises this layer type
 * @param params the axis values aneprobe could read from the model, in the family's axis order
 * @param unread the family's axes whose value the model does not tell (a shape only known at run time, say)
 */
public record LintedLayer(String where, String name, String layerType, String family, Map<String, String> params,
        List<String> unread) implements ProbeView {
    public LintedLayer {
        params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
        unread = List.copyOf(unread);
    }

    @Override
    public String param(String axis) {
        return params.get(axis);
    }

    /** The values in probe-id form: {@code kernel=15x15,stride=1x1,...}. */
    public String paramText() {
        StringBuilder sb = new StringBuilder();
        params.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }
}
