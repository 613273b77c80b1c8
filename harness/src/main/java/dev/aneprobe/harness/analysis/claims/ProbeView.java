package dev.aneprobe.harness.analysis.claims;

/** What a claim's scope and region can look at in a probe: its family, layer type and axis values. */
public interface ProbeView {
    String family();

    String layerType();

    /** The value of one axis, or null when the probe has no such axis. */
    String param(String axis);

    /**
     * An axis value, including the pseudo-axes {@code @family} and {@code @layerType}, so that a region can also
     * talk about the layer itself.
     */
    default String value(String axis) {
        if ("@family".equals(axis)) {
            return family();
        }
        if ("@layerType".equals(axis)) {
            return layerType();
        }
        return param(axis);
    }
}
