package dev.aneprobe.harness.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.read.RunDir;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the observation lines of one run into {@link SupportRow}s (one per probe id and model), and spills each
 * finished run's rows, sorted by probe id, to a JSON-lines file. Only one run's rows are held at a time.
 */
final class RowCollector implements Closeable, RunListener {
    private static final ObjectWriter WRITER = Json.mapper().writerFor(SupportRow.class);

    private final BufferedWriter spill;
    private final Map<String, Builder> current = new HashMap<>();
    private RunDir run;
    private long rows;

    RowCollector(Path spillFile) throws IOException {
        this.spill = Files.newBufferedWriter(spillFile, StandardCharsets.UTF_8);
    }

    @Override
    public void beginRun(RunDir r) {
        run = r;
        current.clear();
    }

    @Override
    public void observation(RunDir r, Observation o) {
        current.computeIfAbsent(o.probeId() + '\u0000' + o.modelSha256(), k -> new Builder(o)).add(o);
    }

    @Override
    public void endRun(RunDir r) {
        List<Builder> bs = new ArrayList<>(current.values());
        bs.sort(Comparator.comparing((Builder b) -> b.probeId).thenComparing(b -> b.sha));
        try {
            for (Builder b : bs) {
                spill.write(WRITER.writeValueAsString(b.build(run)));
                spill.write('\n');
                rows++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        current.clear();
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        spill.close();
    }

    /** The lines of one probe in the current run. */
    private static final class Builder {
        final String probeId;
        final String sha;
        final String family;
        final String layerType;
        final Map<String, String> params;
        final SupportRow.Cell[] cells = new SupportRow.Cell[ComputeUnits.values().length];

        Builder(Observation o) {
            probeId = o.probeId();
            sha = o.modelSha256();
            family = o.family();
            layerType = o.layerType();
            params = o.params().isEmpty() ? ResultMatrix.paramsFromId(probeId)
                    : o.params();
        }

        void add(Observation o) {
            int i = o.units().ordinal();
            SupportRow.Cell prev = cells[i];
            String history = null;
            if (prev != null && o.units().allowsNeuralEngine()) {
                String before = prev.verdicts() != null ? prev.verdicts() : String.valueOf(prev.verdict());
                history = before + "," + (o.verdict() == null ? null : o.verdict().kind());
            }
            cells[i] = cell(o, prev == null ? 1 : prev.lines() + 1, history);
        }

        SupportRow build(RunDir run) {
            return new SupportRow(run.runId(), run.chipOs(), probeId, family, layerType, sha, params,
                    cells[ComputeUnits.CPU.ordinal()], cells[ComputeUnits.GPU.ordinal()],
                    cells[ComputeUnits.ANE.ordinal()], cells[ComputeUnits.ALL.ordinal()]);
        }
    }

    static SupportRow.Cell cell(Observation o, int lines, String verdicts) {
        Verdict v = o.units().allowsNeuralEngine() ? o.verdict() : null;
        TimingSummary t = o.timing() == null ? null : o.timing().summary();
        boolean timed = t != null && t.n() > 0;
        String failure = o.failure() == null ? null : failure(o);
        return new SupportRow.Cell(lines,
                v == null || v.kind() == null ? null : v.kind().name(),
                verdicts,
                v == null || v.ranOn().isEmpty() ? null : String.join("+", v.ranOn().stream().map(d -> d.label())
                        .toList()),
                v == null || v.agreed().isEmpty() ? null : String.join("+", v.agreed()),
                v == null || v.signals().isEmpty() ? null : signals(v.signals()),
                plan(o.plan()),
                v == null ? null : v.note(),
                failure,
                timed ? t.medianNs() : null,
                timed ? t.p90Ns() : null,
                timed ? t.minNs() : null,
                timed ? t.madNs() : null,
                timed ? t.n() : null);
    }

    private static String failure(Observation o) {
        var f = o.failure();
        StringBuilder sb = new StringBuilder(String.valueOf(f.kind()));
        if (f.signal() != null) {
            sb.append(" signal ").append(f.signal());
        }
        if (f.exitCode() != null) {
            sb.append(" exit ").append(f.exitCode());
        }
        if (f.timeoutSeconds() != null) {
            sb.append(" after ").append(f.timeoutSeconds()).append(" s");
        }
        return sb.toString();
    }

    static String signals(List<SignalReading> signals) {
        StringBuilder sb = new StringBuilder();
        for (SignalReading s : signals) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(s.signal()).append('=').append(s.says() == null ? "-" : s.says().name());
            if (s.detail() != null && !s.detail().isBlank()) {
                sb.append(" (").append(s.detail());
                if (s.confidence() != null) {
                    sb.append(", confidence ").append(s.confidence());
                }
                sb.append(')');
            }
        }
        return sb.toString();
    }

    static String plan(List<PlanEntry> plan) {
        if (plan.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (PlanEntry p : plan) {
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(p.name());
            if (p.kind() != null) {
                sb.append(" [").append(p.kind()).append(']');
            }
            sb.append(": preferred=").append(p.preferred() == null ? "-" : p.preferred().label());
            sb.append(" supported=").append(String.join(",", p.supported().stream().map(d -> d.label()).toList()));
            if (p.cost() != null) {
                sb.append(" cost=").append(p.cost());
            }
        }
        return sb.toString();
    }
}
