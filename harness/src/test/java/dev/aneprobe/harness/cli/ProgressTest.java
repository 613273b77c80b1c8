package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {
    static final HostInfo HOST = new HostInfo("Apple M1", "Mac", "macOS", "14.5", "23F79", true, 16, List.of());

    static Observation line(ComputeUnits u, VerdictKind k) {
        return new Observation(1, "r", "pooling/a", "pooling", "pooling", null, "x", u, "t", null, null, null, null,
                null, k == null ? null : new Verdict(k, null, null, null, null));
    }

    @Test
    void barOnATerminalShowsDoneTotalAndVerdictCounts() {
        StringWriter s = new StringWriter();
        try (SweepCommand.Progress p = new SweepCommand.Progress(new PrintWriter(s), false, true)) {
            p.started(Path.of("results/raw/r"), HOST, 2, 0, 0);
            p.lineStarted("pooling/a", ComputeUnits.CPU);
            p.recorded(line(ComputeUnits.CPU, null));
            p.lineStarted("pooling/a", ComputeUnits.ANE);
            p.recorded(line(ComputeUnits.ANE, VerdictKind.ANE));
        }
        String out = s.toString();
        assertTrue(out.contains("sweep: Apple M1 / macOS 14.5 -> results/raw/r"), out);
        assertTrue(out.contains("2/2"), out);
        assertTrue(out.contains("100%"), out);
        assertTrue(out.contains("ANE 1"), out);
        assertTrue(out.contains("\r"), "the bar redraws in place");
    }

    @Test
    void linesWhenNotATerminalAndNothingWhenQuiet() {
        StringWriter s = new StringWriter();
        try (SweepCommand.Progress p = new SweepCommand.Progress(new PrintWriter(s), false, false)) {
            p.started(Path.of("r"), HOST, 2, 3, 120);
            p.recorded(line(ComputeUnits.CPU, null));
            p.recorded(line(ComputeUnits.ANE, VerdictKind.NOT_ANE));
        }
        List<String> lines = s.toString().lines().toList();
        assertEquals("resume: 3 lines already recorded, removed a torn last line (120 bytes)", lines.get(1));
        assertEquals("[1/2] cpu pooling/a -> baseline", lines.get(2));
        assertEquals("[2/2] ane pooling/a -> NOT_ANE", lines.get(3));

        StringWriter q = new StringWriter();
        try (SweepCommand.Progress p = new SweepCommand.Progress(new PrintWriter(q), true, true)) {
            p.started(Path.of("r"), HOST, 1, 0, 0);
            p.recorded(line(ComputeUnits.CPU, null));
        }
        assertEquals("", q.toString());
    }
}
