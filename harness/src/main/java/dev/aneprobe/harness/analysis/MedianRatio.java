package dev.aneprobe.harness.analysis;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Compares two latency samples by the ratio of their medians, with a percentile-bootstrap confidence interval
 * (deterministic: the caller passes the seed). Used by the dispatch signal: a Neural-Engine setting whose latency is
 * indistinguishable from the CPU baseline ran on the CPU.
 *
 * <p>With {@code band} = 0.10 the samples are called
 * <ul>
 *   <li>{@link Outcome#DIFFERENT} when the whole 95% interval of median(a)/median(b) lies outside [0.90, 1.10];</li>
 *   <li>{@link Outcome#SAME} when the whole interval lies inside it;</li>
 *   <li>{@link Outcome#UNDECIDED} otherwise, or when either sample has fewer than {@link #MIN_SAMPLES} values.</li>
 * </ul>
 * The confidence is the share of bootstrap ratios on the decided side of the band.
 */
public final class MedianRatio {
    public static final int MIN_SAMPLES = 5;
    public static final int REPLICATES = 1000;
    public static final double DEFAULT_BAND = 0.10;

    public enum Outcome { SAME, DIFFERENT, UNDECIDED }

    /**
     * @param ratio median(a) / median(b)
     * @param low 2.5th percentile of the bootstrap ratios
     * @param high 97.5th percentile
     * @param confidence share of bootstrap ratios supporting the outcome (0 when undecided by sample size)
     */
    public record Result(Outcome outcome, double ratio, double low, double high, double confidence) {
    }

    private MedianRatio() {
    }

    public static Result compare(List<Long> a, List<Long> b, double band, long seed) {
        if (a == null || b == null || a.size() < MIN_SAMPLES || b.size() < MIN_SAMPLES) {
            return new Result(Outcome.UNDECIDED, Double.NaN, Double.NaN, Double.NaN, 0.0);
        }
        double[] x = toArray(a);
        double[] y = toArray(b);
        double ratio = TimingStats.median(x) / TimingStats.median(y);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] ratios = new double[REPLICATES];
        double[] bx = new double[x.length];
        double[] by = new double[y.length];
        for (int r = 0; r < REPLICATES; r++) {
            ratios[r] = resampledMedian(x, bx, rnd) / resampledMedian(y, by, rnd);
        }
        Arrays.sort(ratios);
        double low = TimingStats.quantileSorted(ratios, 0.025);
        double high = TimingStats.quantileSorted(ratios, 0.975);
        double lo = 1.0 - band;
        double hi = 1.0 + band;
        int inside = 0;
        int below = 0;
        int above = 0;
        for (double v : ratios) {
            if (v < lo) {
                below++;
            } else if (v > hi) {
                above++;
            } else {
                inside++;
            }
        }
        if (low >= lo && high <= hi) {
            return new Result(Outcome.SAME, ratio, low, high, inside / (double) REPLICATES);
        }
        if (high < lo) {
            return new Result(Outcome.DIFFERENT, ratio, low, high, below / (double) REPLICATES);
        }
        if (low > hi) {
            return new Result(Outcome.DIFFERENT, ratio, low, high, above / (double) REPLICATES);
        }
        return new Result(Outcome.UNDECIDED, ratio, low, high, Math.max(inside, Math.max(below, above))
                / (double) REPLICATES);
    }

    private static double resampledMedian(double[] src, double[] scratch, SplittableRandom rnd) {
        int n = src.length;
        for (int i = 0; i < n; i++) {
            scratch[i] = src[rnd.nextInt(n)];
        }
        int hi = n / 2;
        double upper = select(scratch, hi);
        if ((n & 1) == 1) {
            return upper;
        }
        // Even n: the lower middle is the largest value left of the selected one (select partitions around it).
        double lower = scratch[0];
        for (int i = 1; i < hi; i++) {
            lower = Math.max(lower, scratch[i]);
        }
        return (lower + upper) / 2;
    }

    /**
     * The k-th smallest value (0-based), by quickselect; leaves a[0..k) &lt;= a[k] &lt;= a(k..]. Linear on average,
     * several times cheaper than sorting each bootstrap replicate.
     */
    static double select(double[] a, int k) {
        int lo = 0;
        int hi = a.length - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static double[] toArray(List<Long> l) {
        double[] d = new double[l.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = l.get(i);
        }
        return d;
    }
}
