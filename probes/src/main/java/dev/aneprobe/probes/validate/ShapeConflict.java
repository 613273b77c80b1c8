package dev.aneprobe.probes.validate;

/** A blob shape that rank-5 shape propagation cannot determine; the message says which size conflicts with what. */
final class ShapeConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ShapeConflict(String message) {
        super(message, null, false, false);
    }
}
