package dev.aneprobe.harness.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Random shapes (fixed seeds: every run tries the same cases) for the binary rules. A second operand drawn within
 * the exact-rewrite rules (equal rank, one of the four patterns in the last three axes) is always rewritten; one
 * drawn from all NumPy-broadcastable shapes is rewritten or kept; whatever is rewritten is valid and computes the
 * same values as the original on the reference evaluator.
 */
class RewritePropertyTest {
    private static final String[] TYPES = {"add", "multiply", "subtract"};

    @Property(tries = 150, seed = "20261203", shrinking = ShrinkingMode.OFF)
    void withinTheRulesAlwaysRewrittenAndEqual(@ForAll @IntRange(min = 3, max = 5) int rank,
            @ForAll @IntRange(min = 0, max = 3) int pattern, @ForAll @IntRange(min = 0, max = 2) int type,
            @ForAll boolean constant, @ForAll boolean broadcastFirst, @ForAll @IntRange(min = 0, max = 9999) int dims) {
        long[] out = new long[rank];
        int d = dims;
        for (int i = 0; i < rank; i++) {
            out[i] = 1 + d % 3 + (i >= rank - 3 ? 1 : 0); // the last three axes at least 2, so patterns differ
            d /= 3;
        }
        long[] other = out.clone();
        if (pattern == 0 || pattern == 1) {
            other[rank - 2] = 1;
            other[rank - 1] = 1;
        }
        if (pattern == 0 || pattern == 2) {
            other[rank - 3] = 1;
        }
        Model model = constant
                ? SurgeryModels.binaryConstant(TYPES[type], out, constantShape(other), out, broadcastFirst, dims)
                : broadcastFirst ? SurgeryModels.binary(TYPES[type], other, out, out)
                : SurgeryModels.binary(TYPES[type], out, other, out);
        Rewriter.Result r = Rewriter.rewrite(model, Set.of());
        assertEquals(1, r.applied().size(), r.kept().toString());
        check(r);
    }

    @Property(tries = 150, seed = "20261204", shrinking = ShrinkingMode.OFF)
    void anyBroadcastRewrittenOnlyWhenEqual(@ForAll @IntRange(min = 1, max = 5) int rank,
            @ForAll @IntRange(min = 0, max = 31) int ones, @ForAll @IntRange(min = 0, max = 5) int drop,
            @ForAll @IntRange(min = 0, max = 2) int type, @ForAll boolean constant, @ForAll boolean swap,
            @ForAll @IntRange(min = 0, max = 9999) int dims) {
        long[] out = new long[rank];
        int d = dims;
        for (int i = 0; i < rank; i++) {
            out[i] = 1 + d % 4;
            d /= 4;
        }
        int otherRank = Math.max(1, rank - drop);
        long[] other = new long[otherRank];
        for (int i = 0; i < otherRank; i++) {
            other[i] = (ones >> i & 1) == 1 ? 1 : out[rank - otherRank + i];
        }
        Model model = constant ? SurgeryModels.binaryConstant(TYPES[type], out, other, out, swap, dims)
                : swap ? SurgeryModels.binary(TYPES[type], other, out, out)
                : SurgeryModels.binary(TYPES[type], out, other, out);
        Rewriter.Result r = Rewriter.rewrite(model, Set.of());
        // The binary layer is either replaced or kept with a reason (a constant it leaves is reported on its own).
        assertEquals(1, r.applied().stream().filter(a -> a.layer().equals("probe")).count()
                + r.kept().stream().filter(k -> k.where().equals("layer 'probe'")).count());
        check(r);
    }

    /** A constant of the pattern's shape, with the leading axes dropped (NumPy aligns it on the right). */
    private static long[] constantShape(long[] other) {
        return java.util.Arrays.copyOfRange(other, other.length - 3, other.length);
    }

    private static void check(Rewriter.Result r) {
        ValidationResult v = new ModelValidator().validate(r.model());
        assertTrue(v.valid(), v.message());
        for (Rewriter.Applied a : r.applied()) {
            RewriteVerifier.Outcome o = RewriteVerifier.verify(a);
            assertTrue(o.equal(), a.where() + " " + a.replacement() + ": " + o.problem());
        }
    }
}
