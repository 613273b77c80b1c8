package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.chains.ChainTally;
import dev.aneprobe.harness.analysis.chains.DeviceSequence;
import dev.aneprobe.harness.analysis.merge.ProbeResult;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chain probes' device sequences, per probe and chip/OS, per compute-units setting: what the report draws for
 * the switching claims (each layer's planned device in chain order, the switch count, the verdict).
 */
public final class ChainTable {
    /**
     * One chain probe.
     *
     * @param family the chain family
     * @param probeId the probe
     * @param order {@code SU} (S first) or {@code US}
     * @param alternations S/U pairs
     * @param layers the layer names in chain order
     * @param cells one per chip/OS column, in column order (null where the probe was not measured)
     */
    public record Row(String family, String probeId, String order, String alternations, List<String> layers,
            List<Cell> cells) {
    }

    /** One chip/OS: the sequences seen under each setting (cpu, gpu, ane, all; settings without lines left out). */
    public record Cell(Map<String, List<Sequence>> units) {
        /** The sequences under {@code units}, or an empty list. */
        public List<Sequence> under(String label) {
            return units.getOrDefault(label, List.of());
        }
    }

    /**
     * One distinct sequence.
     *
     * @param devices each layer's planned device ({@code ane}, {@code gpu}, {@code cpu}, or {@code ?} unknown)
     * @param switches device switches between consecutive layers
     * @param leavesAneForGpu how often the model leaves the ANE for the GPU
     * @param leavesAneForCpu how often it leaves the ANE for the CPU
     * @param verdict the lines' verdict (null for cpu and gpu lines)
     * @param lines how many lines showed it
     */
    public record Sequence(List<String> devices, int switches, int leavesAneForGpu, int leavesAneForCpu, String verdict,
            int lines) {
        /** e.g. {@code ane → gpu → gpu → gpu (1 switch)}. */
        public String text() {
            return String.join(" \u2192 ", devices) + " (" + switches + (switches == 1 ? " switch)" : " switches)");
        }
    }

    private ChainTable() {
    }

    static List<Row> build(ResultMatrix m) {
        List<ResultMatrix.Column> cols = m.columns();
        Map<String, Row> rows = new TreeMap<>();
        Map<String, Cell[]> cells = new LinkedHashMap<>();
        for (int ci = 0; ci < cols.size(); ci++) {
            for (ProbeResult p : cols.get(ci).probes()) {
                ChainTally t = p.chain();
                if (t == null) {
                    continue;
                }
                String key = p.family() + "\u0000" + p.label();
                Cell[] row = cells.computeIfAbsent(key, k -> new Cell[cols.size()]);
                Map<String, List<Sequence>> byUnits = new LinkedHashMap<>();
                List<String> layers = null;
                for (ComputeUnits u : List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE,
                        ComputeUnits.ALL)) {
                    List<Sequence> seqs = new ArrayList<>();
                    for (ChainTally.Reading r : t.readings(u)) {
                        DeviceSequence s = r.sequence();
                        layers = s.layers();
                        seqs.add(new Sequence(Arrays.asList(s.text().split(" ")), s.switches(), s.leaves(Device.GPU),
                                s.leaves(Device.CPU), r.verdict() == null ? null : r.verdict().name(), r.lines()));
                    }
                    if (!seqs.isEmpty()) {
                        byUnits.put(u.label(), seqs);
                    }
                }
                row[ci] = new Cell(byUnits);
                final List<String> names = layers;
                rows.computeIfAbsent(key, k -> new Row(p.family(), p.label(), p.param("order"),
                        p.param("alternations"), names == null ? List.of() : names, null));
            }
        }
        List<Row> out = new ArrayList<>();
        rows.forEach((key, r) -> out.add(new Row(r.family(), r.probeId(), r.order(), r.alternations(), r.layers(),
                Arrays.asList(cells.get(key)))));
        // Family, then S first before U first, then by alternations as numbers.
        out.sort((a, b) -> {
            int c = a.family().compareTo(b.family());
            if (c != 0) {
                return c;
            }
            c = String.valueOf(a.order()).compareTo(String.valueOf(b.order())); // SU before US
            if (c != 0) {
                return c;
            }
            return Integer.compare(number(a.alternations()), number(b.alternations()));
        });
        return out;
    }

    private static int number(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
