package dev.aneprobe.harness.results;

/**
 * Why an adaptive sweep ({@code sweep --adaptive}) ran a probe: the search it belongs to and the interval that search
 * held open when it chose the probe. A grid sweep writes no search step; everything else on the line is the same, so
 * claims, thresholds and reports read adaptive runs as they read grid runs.
 *
 * @param axis the searched axis as named in the probe's params ("kernel"); a declared 2-D grid is named by both axes
 *     joined with {@code '+'} ("kernel+stride")
 * @param role why the probe was chosen
 * @param low the axis value at the lower end of the open interval when the probe was chosen (null for {@link
 *     Role#END} and {@link Role#EDGE}, which open the search)
 * @param high the axis value at the upper end of that interval (null likewise)
 * @param reason one short sentence for people, e.g. "outcomes differ at 3x3 (ANE) and 15x15 (NOT_ANE)"
 */
public record SearchStep(String axis, Role role, String low, String high, String reason) {
    /** The longest reason a reader accepts: a line's search step stays a short sentence. */
    public static final int MAX_REASON = 200;

    /** Why a probe was chosen. */
    public enum Role {
        /** An end of the profile's range of the axis, the other axes at their baseline. */
        END,
        /** A point on the edge of a declared 2-D grid. */
        EDGE,
        /** The midpoint between two measured neighbours whose outcomes differ. */
        BISECT,
        /** An extra point beside a located boundary, run to check that the outcome is monotonic there. */
        VERIFY,
        /** A point of an interval swept as a full grid because a verification disagreed. */
        GRID
    }
}
