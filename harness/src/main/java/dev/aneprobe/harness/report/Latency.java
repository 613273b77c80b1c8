package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prediction latency per family, chip/OS and compute-unit setting: the median over the family's probes of each
 * probe's median latency (milliseconds), with how many probes were timed.
 *
 * @param family the family
 * @param chipOs the column
 * @param medianMs per units label (cpu, gpu, ane, all): the median, or null when nothing was timed
 * @param probes per units label: how many probes were timed
 */
public record Latency(String family, String chipOs, Map<String, Double> medianMs, Map<String, Integer> probes) {

    public static List<Latency> build(ResultMatrix matrix) {
        List<Latency> out = new ArrayList<>();
        for (ResultMatrix.Column col : matrix.columns()) {
            Map<String, double[][]> byFamily = new TreeMap<>();
            Map<String, int[]> sizes = new TreeMap<>();
            for (ProbeResult p : col.probes()) {
                double[][] v = byFamily.computeIfAbsent(p.family(), k -> new double[4][16]);
                int[] n = sizes.computeIfAbsent(p.family(), k -> new int[4]);
                for (ComputeUnits u : ComputeUnits.values()) {
                    double m = p.medianNs(u);
                    if (Double.isNaN(m)) {
                        continue;
                    }
                    int i = u.ordinal();
                    if (n[i] == v[i].length) {
                        v[i] = Arrays.copyOf(v[i], n[i] * 2);
                    }
                    v[i][n[i]++] = m;
                }
            }
            for (Map.Entry<String, double[][]> e : byFamily.entrySet()) {
                Map<String, Double> med = new TreeMap<>();
                Map<String, Integer> cnt = new TreeMap<>();
                int[] n = sizes.get(e.getKey());
                boolean any = false;
                for (ComputeUnits u : ComputeUnits.values()) {
                    int i = u.ordinal();
                    cnt.put(u.label(), n[i]);
                    if (n[i] > 0) {
                        double[] vs = Arrays.copyOf(e.getValue()[i], n[i]);
                        Arrays.sort(vs);
                        double m = n[i] % 2 == 1 ? vs[n[i] / 2] : (vs[n[i] / 2 - 1] + vs[n[i] / 2]) / 2;
                        med.put(u.label(), Math.round(m / 1e3) / 1e3);
                        any = true;
                    }
                }
                if (any) {
                    out.add(new Latency(e.getKey(), col.chipOs(), med, cnt));
                }
            }
        }
        return out;
    }
}
