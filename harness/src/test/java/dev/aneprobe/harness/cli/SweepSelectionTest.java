package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aneprobe.harness.run.ProbeModel;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's probe selection by --family and --kind, on a manifest's probes (no Core ML involved). */
class SweepSelectionTest {
    private static ProbeModel probe(String family, String format) {
        ManifestEntry e = new ManifestEntry(family + "/in=1", family, "t", Map.of("in", "1"), 7, format,
                family + "/in-1." + format, List.of(), List.of(), "00");
        return new ProbeModel(e, Path.of(e.path()), "00");
    }

    private final List<ProbeModel> probes = List.of(probe("pooling", "mlmodel"), probe("mil.pool", "mlpackage"),
            probe("mil.state", "mlpackage"));

    @Test
    void kindKeepsOnlyThatKind() {
        assertEquals(List.of("mil.pool", "mil.state"), SweepCommand.filterKind(probes, ProbeKind.MIL).stream()
                .map(p -> p.entry().family()).toList());
        assertEquals(List.of("pooling"), SweepCommand.filterKind(probes, ProbeKind.NN).stream()
                .map(p -> p.entry().family()).toList());
        assertEquals(probes, SweepCommand.filterKind(probes, ProbeKind.ALL));
    }

    @Test
    void kindAndFamilyWithNothingLeftIsOneLineError() {
        List<ProbeModel> pooling = SweepCommand.filterFamilies(probes, List.of("pooling"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> SweepCommand.filterKind(pooling, ProbeKind.MIL));
        assertEquals("no mil probes among the 1 selected", e.getMessage());
        assertThrows(UserInputException.class, () -> SweepCommand.parseKind("both"));
    }
}
