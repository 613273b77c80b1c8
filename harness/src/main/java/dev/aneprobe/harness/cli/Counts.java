package dev.aneprobe.harness.cli;

import java.util.Locale;

/** How command messages write counts and sizes: {@code 1 probe}, {@code 10,428 probes}, {@code 2.9 GB}. */
final class Counts {
    private Counts() {
    }

    /** {@code n} with thousands separators and the singular or plural noun: {@code 1 family}, {@code 177 families}. */
    static String of(long n, String singular, String plural) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? singular : plural);
    }

    /** A byte count in decimal units with one decimal (kB, MB, GB), or in bytes below a kilobyte. */
    static String size(long bytes) {
        if (bytes < 1_000) {
            return of(bytes, "byte", "bytes");
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes / 1e3;
        int u = 0;
        while (v >= 999.95 && u < units.length - 1) {
            v /= 1e3;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
