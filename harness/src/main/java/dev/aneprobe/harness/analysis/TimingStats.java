package dev.aneprobe.harness.analysis;

import dev.aneprobe.harness.results.TimingSummary;
import java.util.Arrays;
import java.util.List;

/** Robust summaries of prediction samples: min, median, p90 and the median absolute deviation. */
public final class TimingStats {
    private TimingStats() {
    }

    /** Summary of the samples, or null when there are none. */
    public static TimingSummary summarize(List<Long> samplesNs) {
        if (samplesNs == null || samplesNs.isEmpty()) {
            return null;
        }
        double[] s = new double[samplesNs.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = samplesNs.get(i);
        }
        Arrays.sort(s);
        double median = quantileSorted(s, 0.5);
        double[] dev = new double[s.length];
        for (int i = 0; i < s.length; i++) {
            dev[i] = Math.abs(s[i] - median);
        }
        Arrays.sort(dev);
        return new TimingSummary(s.length, (long) s[0], median, quantileSorted(s, 0.9), quantileSorted(dev, 0.5));
    }

    /** Linear-interpolation quantile (type 7, as R and NumPy default) of sorted values. */
    public static double quantileSorted(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Median of values (copied, not modified). */
    public static double median(double[] values) {
        double[] c = values.clone();
        Arrays.sort(c);
        return quantileSorted(c, 0.5);
    }
}
