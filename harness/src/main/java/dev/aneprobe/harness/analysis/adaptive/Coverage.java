package dev.aneprobe.harness.analysis.adaptive;

import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.harness.analysis.merge.Outcome;
import java.util.List;
import java.util.Map;

/**
 * What the adaptive runs ({@code sweep --adaptive}) of a report measured and what their measurements let a reader
 * infer, per chip/OS and family. An inferred cell is a probe of the run's profile grid that no run measured but that
 * lies, along a searched axis with the other axes fixed, between two measured neighbours with the same outcome
 * (the verdict and the plan's preferred device on every compute-unit setting). It is never a measurement: claims,
 * thresholds and every count of measured probes leave it out, and every format marks it. Grid values between
 * neighbours whose outcomes differ are unknown, not inferred. Empty ({@link #NONE}) when no run is adaptive, and
 * then the report is exactly what it is for grid runs.
 *
 * @param runs the ids of the adaptive runs read, in reading order
 * @param searches one per chip/OS and family searched, in chip/OS then family order
 * @param inferred the inferred cells, in chip/OS then probe-id order
 * @param boundaries where the outcome changes between two measured neighbours along a searched axis
 * @param nonMonotonic intervals a search swept as a grid because a verification disagreed
 */
public record Coverage(List<String> runs, List<Search> searches, List<InferredCell> inferred,
        List<Boundary> boundaries, List<NonMonotonic> nonMonotonic) {
    public static final Coverage NONE = new Coverage(List.of(), List.of(), List.of(), List.of(), List.of());

    public Coverage {
        runs = List.copyOf(runs);
        searches = List.copyOf(searches);
        inferred = List.copyOf(inferred);
        boundaries = List.copyOf(boundaries);
        nonMonotonic = List.copyOf(nonMonotonic);
    }

    /** True when some run read is adaptive: then every format shows measured and inferred cells apart. */
    public boolean present() {
        return !runs.isEmpty();
    }

    /**
     * One family searched on one chip/OS.
     *
     * @param axes the searched axes as recorded ("kernel", "kernel+stride")
     * @param runIds the adaptive runs that searched it
     * @param grid the grid the cells are read against ("profile full, --param pooling.kernel=1..16"), or null when
     *     it cannot be known (then nothing is inferred; {@code note} says why)
     * @param gridProbes how many probes that grid holds (0 when unknown)
     * @param measured how many distinct probes of the family were measured on this chip/OS (by any run)
     * @param searched how many of them the adaptive runs measured
     * @param inferred how many grid probes are inferred (never counted in {@code measured})
     * @param unknown how many grid probes are neither measured nor inferred
     * @param note why nothing could be inferred, or null
     */
    public record Search(String chipOs, String family, List<String> axes, List<String> runIds, String grid,
            int gridProbes, int measured, int searched, int inferred, int unknown, String note) {
    }

    /**
     * A grid probe that was not measured, inferred from its measured neighbours along one searched axis.
     *
     * @param axis the axis along which it lies between {@code below} and {@code above}
     * @param below the measured neighbour below (probe id)
     * @param above the measured neighbour above (probe id)
     * @param outcome what both neighbours showed, per compute-unit setting ("ane: ANE (preferred ane)")
     * @param colour the neighbours' merged outcome, for drawing (never counted as evidence)
     */
    public record InferredCell(String chipOs, String family, String layerType, String probeId,
            Map<String, String> params, String axis, String below, String above, List<String> outcome,
            Outcome colour) implements ProbeView {
        @Override
        public String param(String name) {
            return params.get(name);
        }

        /** The outcome as one text, settings separated by "; ". */
        public String outcomeText() {
            return String.join("; ", outcome);
        }
    }

    /**
     * Two measured neighbours along a searched axis whose outcomes differ: the boundary lies between them.
     *
     * @param where the sweep line: the other axes whose values differ from the family's baseline (empty: the baseline)
     * @param lastBefore the lower neighbour's value of the axis
     * @param firstAfter the upper neighbour's value
     * @param before the lower neighbour's outcome
     * @param after the upper neighbour's outcome
     * @param belowProbe the lower neighbour (probe id)
     * @param aboveProbe the upper neighbour (probe id)
     * @param unmeasured grid values strictly between them that nothing measured (unknown cells), or -1 when the
     *     grid is not known
     */
    public record Boundary(String chipOs, String family, String axis, Map<String, String> where, String lastBefore,
            String firstAfter, String before, String after, String belowProbe, String aboveProbe, int unmeasured) {
        /** True when the two neighbours are adjacent values of the grid: the boundary is exact. */
        public boolean exact() {
            return unmeasured == 0;
        }
    }

    /**
     * An interval swept as a full grid because a verification beside a located boundary disagreed: the outcome is
     * not monotonic there.
     *
     * @param where the other axes whose values differ from the family's baseline (empty: the baseline)
     * @param reason the search's reason, or null
     * @param probes how many probes the grid of the interval measured
     */
    public record NonMonotonic(String chipOs, String family, String axis, String low, String high,
            Map<String, String> where, String reason, String runId, int probes) {
    }
}
