package dev.aneprobe.harness.report;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * One row of support.csv / support.json: one probe in one run, with what each compute-unit setting gave.
 *
 * @param runId the run
 * @param chipOs the run's chip/OS column
 * @param probeId the probe
 * @param family its family
 * @param layerType its layer type
 * @param modelSha256 the model measured
 * @param params the axis values
 * @param cpu the CPU-only baseline, or null when the run has no such line
 * @param gpu CPU and GPU, or null
 * @param ane CPU and Neural Engine, or null
 * @param all all units, or null
 */
@JsonPropertyOrder({"runId", "chipOs", "probeId", "family", "layerType", "modelSha256", "params", "cpu", "gpu", "ane",
        "all"})
public record SupportRow(String runId, String chipOs, String probeId, String family, String layerType,
        String modelSha256, Map<String, String> params, Cell cpu, Cell gpu, Cell ane, Cell all) {

    /**
     * One compute-unit setting of a probe in a run. Verdict fields are set on ane and all lines only.
     *
     * @param lines how many observation lines the run has for it (more than 1: measured again in the same run)
     * @param verdict the verdict kind (of the run's last line for this setting)
     * @param verdicts every verdict the lines gave, in order, when the run has more than one line; else null
     * @param ranOn where it ran, e.g. "cpu" or "cpu+ane"
     * @param agreed the signals that agreed with the verdict
     * @param signals every signal's reading, e.g. "plan=ANE (preferred=ane); dispatch=ANE (...); reason=- ()"
     * @param plan the compute plan's entries, e.g. "pool [pooling]: preferred=ane supported=cpu,gpu,ane"
     * @param note the verdict's note
     * @param failure the worker failure, when the worker died
     * @param medianNs median prediction latency
     * @param p90Ns 90th percentile
     * @param minNs fastest sample
     * @param madNs median absolute deviation
     * @param samples number of timed samples
     */
    @JsonPropertyOrder({"lines", "verdict", "verdicts", "ranOn", "agreed", "signals", "plan", "note", "failure",
            "medianNs", "p90Ns", "minNs", "madNs", "samples"})
    public record Cell(int lines, String verdict, String verdicts, String ranOn, String agreed, String signals,
            String plan, String note, String failure, Double medianNs, Double p90Ns, Long minNs, Double madNs,
            Integer samples) {
    }
}
