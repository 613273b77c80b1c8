package dev.aneprobe.harness.report;

import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Device;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.SearchStep;
import dev.aneprobe.harness.results.SignalReading;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.WorkerFailure;
import dev.aneprobe.harness.results.read.ObservationReader;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.results.read.Warnings;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the observation lines of each run into rows (one per probe id and model) of every {@link RowFormat}, in the
 * order the run measured its probes. Each line's cell is rendered on the parser threads ({@link #prepare}); a row
 * is written as soon as the run moves on to another probe, so rows are never held. A sweep writes a probe's lines
 * together; if a run turns out not to (a probe comes back later, as after a resumed sweep), that run's rows are
 * written again from a second read of the run that holds them until its end, so that each probe still gets one
 * row per run.
 */
final class RowCollector implements Closeable, RunListener {
    private final List<RowFormat> formats;
    private final Map<String, Path> parts = new LinkedHashMap<>();
    private final List<FileOutputStream> files = new ArrayList<>();
    private final List<BufferedOutputStream> outs = new ArrayList<>();
    private RunDir run;
    private long rows;
    private long rowsAtRunStart;
    private long[] runStart;
    private Builder open;
    private final Set<String> closed = new HashSet<>();
    private boolean grouped;
    /** True when some run read is adaptive: every row then says it was measured, and gives its search step. */
    private final boolean adaptive;

    RowCollector(List<RowFormat> formats, Path work, boolean adaptive) throws IOException {
        this.formats = List.copyOf(formats);
        this.adaptive = adaptive;
        for (RowFormat f : formats) {
            Path part = work.resolve(f.fileName() + ".rows");
            parts.put(f.fileName(), part);
            FileOutputStream file = new FileOutputStream(part.toFile());
            files.add(file);
            outs.add(new BufferedOutputStream(file, 1 << 16));
        }
    }

    /** The part file of each format, by file name. */
    Map<String, Path> parts() {
        return parts;
    }

    @Override
    public void beginRun(RunDir r) {
        run = r;
        open = null;
        closed.clear();
        grouped = true;
        rowsAtRunStart = rows;
        try {
            runStart = new long[outs.size()];
            for (int i = 0; i < outs.size(); i++) {
                outs.get(i).flush();
                runStart[i] = files.get(i).getChannel().position();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renders the line's cell in every format, on a parser thread. */
    @Override
    public Object prepare(Observation o) {
        RowFormat.Cell c = cell(o);
        byte[][] out = new byte[formats.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = formats.get(i).cell(c);
        }
        return out;
    }

    @Override
    public void observation(RunDir r, Observation o, Object prepared) {
        if (!grouped) {
            return;
        }
        if (open == null || !open.probeId.equals(o.probeId()) || !open.sha.equals(o.modelSha256())) {
            if (open != null) {
                closed.add(open.key);
                emit(open);
            }
            String key = o.probeId() + '\u0000' + o.modelSha256();
            if (closed.contains(key)) {
                grouped = false; // written again, held, at the end of the run
                open = null;
                return;
            }
            open = new Builder(key, o);
        }
        open.add(o, (byte[][]) prepared);
    }

    @Override
    public void endRun(RunDir r) {
        if (grouped) {
            if (open != null) {
                emit(open);
            }
        } else {
            rewrite(r);
        }
        open = null;
        closed.clear();
    }

    /** Drops what was written for the run and writes its rows again, holding them until the run ends. */
    private void rewrite(RunDir r) {
        try {
            for (int i = 0; i < outs.size(); i++) {
                outs.get(i).flush();
                files.get(i).getChannel().truncate(runStart[i]);
                files.get(i).getChannel().position(runStart[i]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows = rowsAtRunStart;
        Map<String, Builder> held = new LinkedHashMap<>();
        ObservationReader.read(r, Warnings.IGNORE, o -> new Object[] {o, prepare(o)}, (Object[] p) -> {
            Observation o = (Observation) p[0];
            String key = o.probeId() + '\u0000' + o.modelSha256();
            held.computeIfAbsent(key, k -> new Builder(k, o)).add(o, (byte[][]) p[1]);
        });
        held.values().forEach(this::emit);
    }

    private void emit(Builder b) {
        RowFormat.RowHead head = new RowFormat.RowHead(run.runId(), run.chipOs(), b.probeId, b.family,
                b.layerType, b.sha, b.params, adaptive, b.search);
        int[] lines = new int[ORDER.length];
        String[] history = new String[ORDER.length];
        for (int i = 0; i < ORDER.length; i++) {
            lines[i] = b.lines[ORDER[i].ordinal()];
            history[i] = b.verdicts[ORDER[i].ordinal()];
        }
        try {
            for (int f = 0; f < formats.size(); f++) {
                byte[][] cells = new byte[ORDER.length][];
                for (int i = 0; i < ORDER.length; i++) {
                    byte[][] c = b.cells[ORDER[i].ordinal()];
                    cells[i] = c == null ? null : c[f];
                }
                formats.get(f).row(rows == 0, head, cells, lines, history, outs.get(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows++;
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        for (OutputStream o : outs) {
            o.close();
        }
    }

    /** The order of the settings in a row. */
    private static final ComputeUnits[] ORDER = {ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE,
        ComputeUnits.ALL};

    /** The lines of one probe in the current run: per compute-unit setting, the last cell and the line count. */
    private static final class Builder {
        final String key;
        final String probeId;
        final String sha;
        final String family;
        final String layerType;
        final Map<String, String> params;
        /** Per setting (by ordinal), the last line's cell in every format. */
        final byte[][][] cells = new byte[ComputeUnits.values().length][][];
        final int[] lines = new int[ComputeUnits.values().length];
        final String[] verdicts = new String[ComputeUnits.values().length];
        final String[] last = new String[ComputeUnits.values().length];
        SearchStep search;

        Builder(String key, Observation o) {
            this.key = key;
            probeId = o.probeId();
            sha = o.modelSha256();
            family = o.family();
            layerType = o.layerType();
            params = o.params().isEmpty() ? ResultMatrix.paramsFromId(probeId) : o.params();
        }

        void add(Observation o, byte[][] cell) {
            if (search == null) {
                search = o.search();
            }
            int i = o.units().ordinal();
            String kind = o.units().allowsNeuralEngine() && o.verdict() != null
                    ? String.valueOf(o.verdict().kind()) : null;
            if (lines[i] > 0 && o.units().allowsNeuralEngine()) {
                verdicts[i] = (verdicts[i] != null ? verdicts[i] : String.valueOf(last[i])) + "," + kind;
            }
            last[i] = kind;
            cells[i] = cell;
            lines[i]++;
        }
    }

    /** The cell of one line. */
    static RowFormat.Cell cell(Observation o) {
        Verdict v = o.units().allowsNeuralEngine() ? o.verdict() : null;
        TimingSummary t = o.timing() == null ? null : o.timing().summary();
        boolean timed = t != null && t.n() > 0;
        return new RowFormat.Cell(
                v == null || v.kind() == null ? null : v.kind().name(),
                v == null || v.ranOn().isEmpty() ? null : devices(v.ranOn(), '+'),
                v == null || v.agreed().isEmpty() ? null : String.join("+", v.agreed()),
                v == null || v.signals().isEmpty() ? null : signals(v.signals()),
                plan(o.plan()),
                v == null ? null : v.note(),
                o.failure() == null ? null : failure(o.failure()),
                timed ? RowFormat.number(t.medianNs()) : null,
                timed ? RowFormat.number(t.p90Ns()) : null,
                timed ? Long.toString(t.minNs()) : null,
                timed ? RowFormat.number(t.madNs()) : null,
                timed ? Integer.toString(t.n()) : null);
    }

    private static String failure(WorkerFailure f) {
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
            if (s == null) {
                continue;
            }
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

    private static String devices(List<Device> devices, char sep) {
        if (devices.size() == 1) {
            return String.valueOf(label(devices.get(0)));
        }
        StringBuilder sb = new StringBuilder();
        for (Device d : devices) {
            if (sb.length() > 0) {
                sb.append(sep);
            }
            sb.append(label(d));
        }
        return sb.toString();
    }

    private static String label(Device d) {
        return d == null ? "-" : d.label();
    }

    static String plan(List<PlanEntry> plan) {
        if (plan.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (PlanEntry p : plan) {
            if (p == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(" | ");
            }
            sb.append(p.name());
            if (p.kind() != null) {
                sb.append(" [").append(p.kind()).append(']');
            }
            sb.append(": preferred=").append(p.preferred() == null ? "-" : p.preferred().label());
            sb.append(" supported=").append(devices(p.supported(), ','));
            if (p.cost() != null) {
                sb.append(" cost=").append(p.cost());
            }
        }
        return sb.toString();
    }
}
