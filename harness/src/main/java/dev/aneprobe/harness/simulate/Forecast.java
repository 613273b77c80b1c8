package dev.aneprobe.harness.simulate;

import dev.aneprobe.harness.analysis.TimingStats;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.run.Sweep;
import dev.aneprobe.harness.text.Counted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What a simulated sweep says about the same sweep on a Mac: the Core ML time the device model gives every stage
 * (compile on a cache miss, load, plan, and every prediction: the cold one, the warm-ups and the timed ones), the
 * time the harness waits on a hung line (the timeout), and the harness's own time per line as measured here (all of
 * this run's wall time minus the time spent waiting for hung workers: simulated stages cost almost nothing).
 */
public final class Forecast implements Sweep.Listener {
    private final int warmup;
    private final Duration timeout;
    private final Duration macTimeout;
    private long startNanos;
    private long endNanos;
    private int lines;
    private int hung;
    private double coreMlMs;

    /**
     * @param timeout the timeout this sweep waited for each hung line
     * @param macTimeout the timeout the same sweep on a Mac would wait (the sweep's default unless one was given)
     */
    public Forecast(int warmup, Duration timeout, Duration macTimeout) {
        this.warmup = warmup;
        this.timeout = timeout;
        this.macTimeout = macTimeout;
    }

    @Override
    public void started(Path runDir, HostInfo host, int toRun, int alreadyDone, long tornBytes) {
        startNanos = System.nanoTime();
    }

    @Override
    public void lineStarted(String probeId, ComputeUnits units) {
    }

    @Override
    public void recorded(Observation o) {
        endNanos = System.nanoTime();
        lines++;
        if (o.failure() != null && o.failure().kind() == VerdictKind.TIMEOUT) {
            hung++;
        }
        for (StageOutcome s : o.stages()) {
            if (s.millis() != null && s.stage() != dev.aneprobe.harness.results.Stage.PREDICT) {
                coreMlMs += s.millis();
            }
        }
        if (o.timing() != null && o.timing().samplesNs() != null && !o.timing().samplesNs().isEmpty()) {
            long sum = o.timing().coldNs() == null ? 0 : o.timing().coldNs();
            for (long v : o.timing().samplesNs()) {
                sum += v;
            }
            double median = TimingStats.median(o.timing().samplesNs().stream().mapToDouble(Long::doubleValue)
                    .toArray());
            coreMlMs += (sum + warmup * median) / 1e6;
        }
    }

    public int lines() {
        return lines;
    }

    /** Harness time per line (ms): this run's wall time less the hung lines' timeouts, over the lines. */
    public double harnessMsPerLine() {
        if (lines == 0) {
            return 0;
        }
        double wallMs = (endNanos - startNanos) / 1e6 - hung * (double) timeout.toMillis();
        return Math.max(0, wallMs) / lines;
    }

    /** Core ML's time on the simulated Mac (ms). */
    public double coreMlMs() {
        return coreMlMs;
    }

    /** Forecast wall time of the same sweep on the Mac the device model describes (ms). */
    public double forecastMs() {
        return coreMlMs + hung * (double) macTimeout.toMillis() + lines * harnessMsPerLine();
    }

    public String summary() {
        return String.format(Locale.ROOT, "forecast on the simulated Mac: %s for %s (Core ML %s as the "
                + "device model times it, %s x %s timeout, harness %s = %.1f ms per line)",
                human(forecastMs()), Counted.of(lines, "line"), human(coreMlMs), Counted.of(hung, "hung line"),
                human(macTimeout.toMillis()), human(lines * harnessMsPerLine()), harnessMsPerLine());
    }

    static String human(double ms) {
        long s = Math.round(ms / 1000);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", s / 3600, (s % 3600) / 60);
    }
}
