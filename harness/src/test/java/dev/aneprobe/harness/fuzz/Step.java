package dev.aneprobe.harness.fuzz;

/**
 * One mutation step, as plain non-negative numbers that each mutator reads its own way: {@code op} picks what to do,
 * {@code a} where (taken modulo the number of places), {@code b} and {@code c} which value. Shrinking a failing case
 * moves them towards 0, the simplest choice of each, and drops steps.
 */
public record Step(int op, int a, int b, int c) {
    public Step {
        if (op < 0 || a < 0 || b < 0 || c < 0) {
            throw new IllegalArgumentException("negative step " + op + "," + a + "," + b + "," + c);
        }
    }

    /** {@code n} modulo {@code size}, or 0 for an empty range. */
    static int pick(int n, int size) {
        return size <= 0 ? 0 : n % size;
    }
}
