package dev.aneprobe.harness.rewrite;

import dev.aneprobe.harness.rewrite.ReferenceEvaluator.NotEvaluableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Proves a replacement computes the same function: runs the layers it removed and the layers it added through the
 * {@link ReferenceEvaluator} on seeded random inputs (the same for both sides; the seed is derived from the layer's
 * name, so a run is repeatable) and compares the replaced layer's output element by element within fp32 tolerance.
 */
public final class RewriteVerifier {
    /** Seeded random input sets tried per replacement. */
    public static final int TRIALS = 3;
    /** Allowed difference, in units in the last place of the larger value (the replacements are exact: 0 expected). */
    public static final float ULPS = 4;

    /** The outcome for one replacement: the largest difference seen and the values compared. */
    public record Outcome(boolean equal, double maxAbsDifference, long values, String problem) {
    }

    private RewriteVerifier() {
    }

    public static Outcome verify(Rewriter.Applied a) {
        SplittableRandom random = new SplittableRandom(a.where().hashCode() * 0x9E3779B97F4A7C15L);
        double max = 0;
        long compared = 0;
        for (int t = 0; t < TRIALS; t++) {
            Map<String, FloatTensor> inputs = new LinkedHashMap<>();
            a.inputShapes().forEach((blob, shape) -> inputs.put(blob, FloatTensor.random(shape, random)));
            FloatTensor x;
            FloatTensor y;
            try {
                x = ReferenceEvaluator.run(a.before(), inputs).get(a.output());
                y = ReferenceEvaluator.run(a.after(), inputs).get(a.output());
            } catch (NotEvaluableException e) {
                return new Outcome(false, Double.NaN, compared, e.getMessage());
            }
            if (!java.util.Arrays.equals(x.shape(), y.shape())) {
                return new Outcome(false, Double.NaN, compared, "shapes differ: "
                        + ReferenceEvaluator.text(x.shape()) + " and " + ReferenceEvaluator.text(y.shape()));
            }
            for (int i = 0; i < x.data().length; i++) {
                float p = x.data()[i];
                float q = y.data()[i];
                double d = Math.abs((double) p - q);
                max = Math.max(max, d);
                if (!(d <= ULPS * Math.ulp(Math.max(Math.abs(p), Math.abs(q)))) && !(Float.isNaN(p) && Float.isNaN(q))) {
                    return new Outcome(false, d, compared + i + 1, "element " + i + ": " + p + " vs " + q);
                }
            }
            compared += x.data().length;
        }
        return new Outcome(true, max, compared, null);
    }
}
