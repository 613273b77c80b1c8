package dev.aneprobe.harness.analysis.merge;

import java.util.HashMap;
import java.util.Map;

/** Shares equal strings (axis names, values, families) between the many probes that repeat them. */
final class Interner {
    private final Map<String, String> pool = new HashMap<>();

    String intern(String s) {
        if (s == null) {
            return null;
        }
        String p = pool.putIfAbsent(s, s);
        return p == null ? s : p;
    }
}
