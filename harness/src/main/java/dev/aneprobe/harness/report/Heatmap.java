package dev.aneprobe.harness.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.analysis.adaptive.Coverage;
import dev.aneprobe.harness.analysis.claims.ParamValue;
import dev.aneprobe.harness.analysis.claims.ParamValue.Selector;
import dev.aneprobe.harness.analysis.claims.Region;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A 2-D sweep drawn as a grid coloured by verdict: one grid per chip/OS, one cell per (x, y) value pair, counting
 * the probes' outcomes in it (other axes collapsed). Which sweeps are drawn is data: {@code heatmaps.json} beside
 * this class.
 *
 * @param id stable id
 * @param title what it shows
 * @param xLabel x axis name
 * @param yLabel y axis name
 * @param grids one per chip/OS that has probes in it
 */
public record Heatmap(String id, String title, String xLabel, String yLabel, List<Grid> grids) {

    /**
     * One chip/OS: x values, y values, and cells[y][x] of measured probes only. With adaptive runs, {@code inferred}
     * holds, in the same layout, the cells inferred between measured neighbours (null where none; absent, and the
     * grid exactly as for grid runs, when nothing is inferred); the page draws them apart, never as measured.
     */
    public record Grid(String chipOs, List<String> xs, List<String> ys, List<List<Cell>> cells,
            @com.fasterxml.jackson.annotation.JsonInclude(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<List<Cell>> inferred) {
        public Grid(String chipOs, List<String> xs, List<String> ys, List<List<Cell>> cells) {
            this(chipOs, xs, ys, cells, null);
        }
    }

    /** Outcome counts of the probes in one cell; null in {@link Grid#cells} where nothing was swept. */
    public record Cell(int ane, int notAne, int split, int disputed, int noEvidence) {
    }

    private record Axis(String axis, Selector select, String label) {
        String value(dev.aneprobe.harness.analysis.claims.ProbeView p) {
            String v = p.value(axis);
            if (v == null || select == Selector.VALUE) {
                return v;
            }
            double d = ParamValue.select(v, select);
            return Double.isNaN(d) ? null : ParamValue.format(d);
        }
    }

    private record Spec(String id, String title, Set<String> families, Region filter, Axis x, Axis y) {
    }

    /** The heatmaps for a matrix, in spec order; a spec with no probes yields a heatmap with no grids. */
    public static List<Heatmap> build(ResultMatrix matrix) {
        return build(matrix, Coverage.NONE);
    }

    /** The heatmaps, with the cells {@code adaptive} infers kept apart from the measured ones. */
    public static List<Heatmap> build(ResultMatrix matrix, Coverage adaptive) {
        List<Heatmap> out = new ArrayList<>();
        for (Spec s : specs()) {
            List<Grid> grids = new ArrayList<>();
            for (ResultMatrix.Column col : matrix.columns()) {
                List<Coverage.InferredCell> inferred = new ArrayList<>();
                for (Coverage.InferredCell c : adaptive.inferred()) {
                    if (c.chipOs().equals(col.chipOs())) {
                        inferred.add(c);
                    }
                }
                Grid g = grid(s, col, inferred);
                if (g != null) {
                    grids.add(g);
                }
            }
            out.add(new Heatmap(s.id, s.title, s.x.label, s.y.label, grids));
        }
        return out;
    }

    private static Grid grid(Spec s, ResultMatrix.Column col, List<Coverage.InferredCell> inferred) {
        Map<String, Map<String, int[]>> counts = new TreeMap<>();
        Map<String, Map<String, int[]>> inferredCounts = new TreeMap<>();
        Set<String> xs = new HashSet<>();
        Set<String> ys = new HashSet<>();
        for (Coverage.InferredCell c : inferred) {
            if ((!s.families.isEmpty() && !s.families.contains(c.family())) || !s.filter.test(c)) {
                continue;
            }
            String x = s.x.value(c);
            String y = s.y.value(c);
            if (x == null || y == null) {
                continue;
            }
            xs.add(x);
            ys.add(y);
            count(inferredCounts.computeIfAbsent(y, k -> new TreeMap<>()).computeIfAbsent(x, k -> new int[5]),
                    c.colour());
        }
        for (ProbeResult p : col.probes()) {
            if ((!s.families.isEmpty() && !s.families.contains(p.family())) || !s.filter.test(p)) {
                continue;
            }
            String x = s.x.value(p);
            String y = s.y.value(p);
            if (x == null || y == null) {
                continue;
            }
            xs.add(x);
            ys.add(y);
            count(counts.computeIfAbsent(y, k -> new TreeMap<>()).computeIfAbsent(x, k -> new int[5]), p.outcome());
        }
        if (ys.isEmpty()) {
            return null;
        }
        List<String> xl = sorted(xs);
        List<String> yl = sorted(ys);
        return new Grid(col.chipOs(), xl, yl, cells(counts, xl, yl),
                inferredCounts.isEmpty() ? null : cells(inferredCounts, xl, yl));
    }

    private static void count(int[] c, Outcome o) {
        c[o == Outcome.ON_ANE ? 0 : o == Outcome.OFF_ANE ? 1 : o == Outcome.SPLIT ? 2
                : o == Outcome.DISPUTED ? 3 : 4]++;
    }

    private static List<List<Cell>> cells(Map<String, Map<String, int[]>> counts, List<String> xl,
            List<String> yl) {
        List<List<Cell>> rows = new ArrayList<>();
        for (String y : yl) {
            List<Cell> row = new ArrayList<>();
            Map<String, int[]> byX = counts.getOrDefault(y, Map.of());
            for (String x : xl) {
                int[] c = byX.get(x);
                row.add(c == null ? null : new Cell(c[0], c[1], c[2], c[3], c[4]));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Numbers in numeric order, then other values in text order. */
    static List<String> sorted(Set<String> values) {
        List<String> l = new ArrayList<>(values);
        l.sort(Comparator.comparingDouble((String v) -> {
            double[] c = ParamValue.components(v);
            return c != null && c.length == 1 ? c[0] : Double.POSITIVE_INFINITY;
        }).thenComparing(Comparator.naturalOrder()));
        return l;
    }

    private static List<Spec> specs() {
        try (InputStream in = Heatmap.class.getResourceAsStream("heatmaps.json")) {
            JsonNode root = Json.mapper().readTree(in);
            List<Spec> out = new ArrayList<>();
            for (JsonNode n : root) {
                Set<String> fam = new HashSet<>();
                n.path("families").forEach(f -> fam.add(f.asText()));
                out.add(new Spec(n.get("id").asText(), n.get("title").asText(), fam,
                        Region.parse(n.get("filter"), "heatmaps.json " + n.get("id").asText()),
                        axis(n.get("x")), axis(n.get("y"))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read heatmaps.json", e);
        }
    }

    private static Axis axis(JsonNode n) {
        String axis = n.get("axis").asText();
        return new Axis(axis, Selector.parse(n.hasNonNull("select") ? n.get("select").asText() : null),
                n.hasNonNull("label") ? n.get("label").asText() : axis);
    }
}
