package dev.aneprobe.harness.analysis.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.RunLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is inferred from variants of the FIXTURE adaptive run (hand-written lines, not measurements): which runs count
 * as adaptive, when the grid cannot be known, and that a disputed neighbour or another chip/OS infers nothing.
 */
class CoverageFinderTest {
    static final String RUN = "fixture-m3-adaptive";

    static String id(String type, int kernel, int stride) {
        return "pooling/type=" + type + ",kernel=" + kernel + "x" + kernel + ",stride=" + stride + "x" + stride
                + ",pad=valid,global=false,in=64x56x56";
    }

    /** A copy of the fixture run with its env.json edited and its lines rewritten (a null line is dropped). */
    static Path variant(Path dir, String runId, Consumer<ObjectNode> env, UnaryOperator<String> line)
            throws Exception {
        Path src = Fixtures.path("adaptive/" + RUN);
        Path run = Files.createDirectories(dir.resolve(runId));
        ObjectNode e = (ObjectNode) Json.mapper().readTree(src.resolve("env.json").toFile());
        e.put("runId", runId);
        env.accept(e);
        Files.writeString(run.resolve("env.json"), Json.mapper().writeValueAsString(e));
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(src.resolve("observations.jsonl"))) {
            String r = line.apply(l.replace("\"runId\":\"" + RUN + "\"", "\"runId\":\"" + runId + "\""));
            if (r != null) {
                lines.add(r);
            }
        }
        Files.write(run.resolve("observations.jsonl"), lines);
        return run;
    }

    static Coverage coverage(Path... runs) {
        ResultMatrix m = ResultMatrix.read(RunLoader.discover(List.of(runs), false, w -> { }), w -> { },
                RunListener.NONE);
        return CoverageFinder.find(m);
    }

    static Set<String> inferred(Coverage c, String chipOs) {
        Set<String> out = new TreeSet<>();
        c.inferred().stream().filter(x -> x.chipOs().equals(chipOs)).forEach(x -> out.add(x.probeId()));
        return out;
    }

    static final String M3 = "FIXTURE Apple M3 / macOS 15.1";

    @Test
    void aRunIsAdaptiveWhenItsArgumentsSaySo(@TempDir Path tmp) throws Exception {
        Path run = variant(tmp, "no-flag", e -> {
            ArrayNode args = Json.mapper().createArrayNode();
            e.get("arguments").forEach(a -> {
                if (!a.asText().equals("--adaptive")) {
                    args.add(a);
                }
            });
            e.set("arguments", args);
        }, l -> l);
        assertSame(Coverage.NONE, coverage(run), "search steps alone do not make a grid run adaptive");
    }

    @Test
    void withoutAKnownGridNothingIsInferredAndTheNoteSaysWhy(@TempDir Path tmp) throws Exception {
        Path unknownProfile = variant(tmp, "unknown-profile", e -> e.put("profile", "fixture"), l -> l);
        Coverage c = coverage(unknownProfile);
        assertTrue(c.inferred().isEmpty());
        Coverage.Search s = c.searches().get(0);
        assertNull(s.grid());
        assertEquals(26, s.measured(), "measured cells are still shown");
        assertTrue(s.note().contains("profile 'fixture' is not quick, standard or full"), s.note());
        assertTrue(c.boundaries().stream().allMatch(b -> b.unmeasured() == -1), "exactness unknown without a grid");

        Path otherCatalog = variant(tmp, "other-catalog", e -> e.put("catalogHash", "0".repeat(64)), l -> l);
        c = coverage(otherCatalog);
        assertTrue(c.inferred().isEmpty());
        assertTrue(c.searches().get(0).note().contains("another catalog version"), c.searches().get(0).note());

        Path badParam = variant(tmp, "bad-param", e -> {
            ArrayNode args = (ArrayNode) e.get("arguments");
            args.add("--param");
            args.add("pooling.kernel=big");
        }, l -> l);
        c = coverage(badParam);
        assertTrue(c.inferred().isEmpty());
        assertTrue(c.searches().get(0).note().contains("--param values cannot be read"), c.searches().get(0).note());
    }

    @Test
    void aDisputedNeighbourInfersNothing(@TempDir Path tmp) throws Exception {
        // A second ane line for max kernel 8 that says NOT_ANE: the probe is disputed.
        String eight = "\"probeId\":\"" + id("max", 8, 1) + "\"";
        List<String> extra = new ArrayList<>();
        Path run = variant(tmp, "disputed", e -> { }, l -> {
            if (l.contains(eight) && l.contains("\"units\":\"ane\"")) {
                extra.add(l.replace("\"kind\":\"ANE\"", "\"kind\":\"NOT_ANE\""));
            }
            return l;
        });
        Files.write(run.resolve("observations.jsonl"), extra, java.nio.file.StandardOpenOption.APPEND);
        Set<String> inferred = inferred(coverage(run), M3);
        assertTrue(inferred.contains(id("max", 2, 1)), "between 1 and 3, both agreed");
        for (int k : new int[] {4, 5, 6, 7, 9, 10}) {
            assertFalse(inferred.contains(id("max", k, 1)), "kernel " + k + " has the disputed 8 as a neighbour");
        }
    }

    @Test
    void eachChipAndOsInfersFromItsOwnMeasurements(@TempDir Path tmp) throws Exception {
        Path m3 = variant(tmp, "m3", e -> { }, l -> l);
        // The same search on another chip where kernel 8 is NOT_ANE (planned on the CPU): 4..7 now lie between
        // neighbours whose outcomes differ.
        String eight = "\"probeId\":\"" + id("max", 8, 1) + "\"";
        Path m4 = variant(tmp, "m4", e -> ((ObjectNode) e.get("host")).put("chip", "FIXTURE Apple M4"), l ->
                l.contains(eight) && l.contains("\"units\":\"ane\"")
                        ? l.replace("\"kind\":\"ANE\"", "\"kind\":\"NOT_ANE\"")
                                .replace("\"preferred\":\"ane\"", "\"preferred\":\"cpu\"") : l);
        Coverage c = coverage(m3, m4);
        assertEquals(2, c.searches().size());
        Set<String> onM3 = inferred(c, M3);
        Set<String> onM4 = inferred(c, "FIXTURE Apple M4 / macOS 15.1");
        assertTrue(onM3.contains(id("max", 5, 1)));
        assertFalse(onM4.contains(id("max", 5, 1)));
        assertFalse(onM4.contains(id("max", 9, 1)), "9 lies between 8 (NOT_ANE) and 11 (ANE) on the M4");
        assertTrue(onM4.contains(id("max", 2, 1)));
    }

    @Test
    void valuesWithSeveralComponentsAreOrderedComponentByComponent() {
        assertTrue(CoverageFinder.lessThan(new double[] {3, 3}, new double[] {3, 5}));
        assertTrue(CoverageFinder.lessThan(new double[] {3, 3}, new double[] {5, 5}));
        assertFalse(CoverageFinder.lessThan(new double[] {3, 5}, new double[] {5, 3}), "not comparable");
        assertFalse(CoverageFinder.lessThan(new double[] {3, 3}, new double[] {3, 3}));
        assertFalse(CoverageFinder.lessThan(new double[] {3}, new double[] {3, 3}));
    }

    @Test
    void paramValuesAreReadInBothSpellings() {
        assertEquals(List.of("pooling.kernel=1..16", "pooling.stride=2"), CoverageFinder.params(
                List.of("sweep", "--adaptive", "--param", "pooling.kernel=1..16", "--param=pooling.stride=2")));
    }
}
