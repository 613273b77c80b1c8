package dev.aneprobe.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.Profile;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aneprobe list}: the catalog's families, their layer types, axes and probe counts. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List probe families: layer types, axes (baseline first) and probe counts per profile.")
public final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", description = "show the axis values of this profile "
            + "(default: ${DEFAULT-VALUE})")
    String profile = "standard";

    @Option(names = "--kind", paramLabel = "K", description = "nn (NeuralNetwork layers), mil (ML Program ops) or all "
            + "(default: ${DEFAULT-VALUE})")
    String kind = ProbeKind.ALL.label();

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Profile shown;
        ProbeKind wanted;
        try {
            shown = Profile.parse(profile);
            wanted = ProbeKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Catalog catalog = Catalog.standard();
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = new ArrayList<>();
        int[] totals = new int[Profile.values().length];
        // What the selected families exercise, by kind: NeuralNetwork layer types, ML Program ops.
        Set<String> layerTypes = new TreeSet<>();
        Set<String> ops = new TreeSet<>();
        for (ProbeFamily f : catalog.families()) {
            if (!wanted.includes(f.name())) {
                continue;
            }
            (ProbeKind.of(f.name()) == ProbeKind.MIL ? ops : layerTypes).addAll(f.layerTypes());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("family", f.name());
            row.put("layerTypes", f.layerTypes());
            row.put("minSpecificationVersion", f.minSpecificationVersion());
            row.put("summary", f.summary());
            Map<String, Object> axes = new LinkedHashMap<>();
            for (Axis a : f.axes()) {
                axes.put(a.name(), a.values(shown));
            }
            row.put("axes", axes);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Profile p : Profile.values()) {
                int n = f.probes(p, List.of()).size();
                counts.put(p.label(), n);
                totals[p.ordinal()] += n;
            }
            row.put("probes", counts);
            rows.add(row);
        }
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("profile", shown.label());
            doc.put("layerTypes", layerTypes.size() + ops.size());
            Map<String, Integer> t = new LinkedHashMap<>();
            for (Profile p : Profile.values()) {
                t.put(p.label(), totals[p.ordinal()]);
            }
            doc.put("totals", t);
            doc.put("families", rows);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } else {
            for (Map<String, Object> row : rows) {
                @SuppressWarnings("unchecked")
                Map<String, Integer> counts = (Map<String, Integer>) row.get("probes");
                out.printf(Locale.ROOT, "%-24s %s  (spec %s)  probes: quick %,d, standard %,d, full %,d%n",
                        row.get("family"), row.get("layerTypes"), row.get("minSpecificationVersion"),
                        counts.get("quick"), counts.get("standard"), counts.get("full"));
                @SuppressWarnings("unchecked")
                Map<String, List<String>> axes = (Map<String, List<String>>) row.get("axes");
                for (Map.Entry<String, List<String>> a : axes.entrySet()) {
                    out.printf("    %-10s %s%n", a.getKey(), String.join(" ", a.getValue()));
                }
            }
            List<String> exercised = new ArrayList<>();
            if (wanted != ProbeKind.MIL) {
                exercised.add(Counts.of(layerTypes.size(), "layer type", "layer types"));
            }
            if (wanted != ProbeKind.NN) {
                exercised.add(Counts.of(ops.size(), "ML Program op", "ML Program ops"));
            }
            out.printf(Locale.ROOT, "%s (%s); probes: quick %,d, standard %,d, full %,d%n",
                    Counts.of(rows.size(), "family", "families"), String.join(", ", exercised),
                    totals[0], totals[1], totals[2]);
        }
        return ExitCodes.OK;
    }
}
