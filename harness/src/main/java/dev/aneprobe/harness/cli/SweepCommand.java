package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.run.AdaptiveSweep;
import dev.aneprobe.harness.run.CompiledModelCache;
import dev.aneprobe.harness.run.LogFile;
import dev.aneprobe.harness.run.LogSource;
import dev.aneprobe.harness.run.ManifestReader;
import dev.aneprobe.harness.run.ProbeModel;
import dev.aneprobe.harness.run.ProbeSource;
import dev.aneprobe.harness.run.RunDirectory;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.harness.run.Sweep;
import dev.aneprobe.harness.run.UnifiedLog;
import dev.aneprobe.harness.run.WorkerException;
import dev.aneprobe.harness.run.WorkerProcess;
import dev.aneprobe.harness.simulate.DeviceModel;
import dev.aneprobe.harness.simulate.Forecast;
import dev.aneprobe.harness.simulate.Provenance;
import dev.aneprobe.harness.simulate.SimulatedShim;
import dev.aneprobe.harness.text.Counted;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeKind;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.output.OutputDirectory;
import dev.aneprobe.probes.output.OutputPathException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aneprobe sweep}: runs probes on this Mac's Core ML and records observations and verdicts. */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run probes under cpu, gpu, ane and all compute units; record every line to "
                + "<out>/raw/<run-id>/observations.jsonl with a verdict for ane and all (needs macOS 13+).",
                "Resumable (--resume) and shardable (--shard i/n). See docs/sweep.md."})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--probes", paramLabel = "DIR",
            description = "A directory written by 'aneprobe generate' (manifest.jsonl and models).")
    Path probes;

    @Option(names = "--profile", paramLabel = "P", description = "Probe profile to generate when --probes is absent.")
    String profile;

    @Option(names = "--family", paramLabel = "F", split = ",", arity = "1..*",
            description = "Only these families (repeatable, or comma-separated).")
    List<String> families = new ArrayList<>();

    @Option(names = "--kind", paramLabel = "K", defaultValue = "all",
            description = "Only NeuralNetwork (nn) or ML Program (mil) probes, or all (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--units", paramLabel = "U[,U...]", split = ",", defaultValue = "cpu,gpu,ane,all",
            converter = UnitsConverter.class,
            description = "Compute units: cpu, gpu, ane, all (always run in that order; default: ${DEFAULT-VALUE}).")
    List<ComputeUnits> units;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "5",
            description = "Untimed predictions after the cold one (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50",
            description = "Timed predictions per probe and setting (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "120",
            description = "Seconds one probe may take under one setting before its worker is killed "
                    + "(default: ${DEFAULT-VALUE}; with --simulate: 10, and the forecast counts ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Results directory; the run goes to DIR/raw/<run-id> (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "Run id (default: UTC time, chip and shard; with --resume: the latest run in --out).")
    String runId;

    @Option(names = "--resume", description = "Continue the run: skip recorded lines, repair a torn last line.")
    boolean resume;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only shard i of n (split by probe id hash).")
    String shard;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "Compiled-model cache (default: $ANEPROBE_CACHE or ~/.cache/aneprobe/compiled).")
    Path cache;

    @Option(names = "--log", paramLabel = "show|off", defaultValue = "show",
            description = "Read Core ML's unified log for the reason signal (default: ${DEFAULT-VALUE}).")
    String logMode;

    @Option(names = "--log-command", paramLabel = "PATH", hidden = true,
            description = "A 'log'-compatible executable (tests feed canned output through it).")
    String logCommand;

    @Option(names = "--quiet", description = "No progress output.")
    boolean quiet;

    @Option(names = "--adaptive", description = {"Search each family's boundaries instead of running every probe: "
            + "the ends of each ordered axis' range (and each declared 2-D grid's edges), bisection between "
            + "neighbours whose outcomes differ, verification beside each boundary, and a grid wherever a "
            + "verification disagrees (non-monotonic truth). Probes are generated as needed (--profile, --family, "
            + "--param); not with --probes. See docs/sweep.md."})
    boolean adaptive;

    @Option(names = "--param", paramLabel = "FAMILY.AXIS=VALUES",
            description = "With --adaptive: replace the values one axis ranges over, as in 'generate --param'.")
    List<String> params = new ArrayList<>();

    @Option(names = "--simulate", paramLabel = "DEVICE_MODEL",
            description = {"Run against a simulated Core ML instead of this Mac's: a device-model file (YAML or JSON) "
                    + "or a shipped one (" + "seed-v1, seed-v2, field-notes, contrarian). Works on any OS. "
                    + "Calibration and dry runs only, never evidence: the run is marked simulated everywhere, its "
                    + "default --out is " + SIMULATED_OUT + ", and results/ is refused. See docs/simulate.md."})
    String simulate;

    /** How long a simulated sweep waits for a line unless told otherwise (only planted hangs take that long). */
    static final int SIMULATED_TIMEOUT_SECONDS = 10;

    /** Where a simulated sweep writes unless told otherwise: never results/. */
    static final String SIMULATED_OUT = "simulated-results";

    /** Where probes come from without --probes: the generator seam. */
    ProbeSource probeSource = new ProbeSource();

    static final class UnitsConverter implements picocli.CommandLine.ITypeConverter<ComputeUnits> {
        @Override
        public ComputeUnits convert(String value) {
            return ComputeUnits.fromLabel(value.strip());
        }
    }

    @Override
    public Integer call() throws IOException {
        // A simulated sweep: the device model is checked before anything is generated or written.
        DeviceModel simulated = simulate == null ? null : DeviceModel.load(simulate);
        if (simulated == null) {
            CoreMlHost.requireShim("sweep");
        } else {
            if (!spec.commandLine().getParseResult().hasMatchedOption("--out")) {
                out = Path.of(SIMULATED_OUT);
            } else if (Provenance.inPublishedResults(out)) {
                throw new UserInputException("a simulated sweep never writes into results/ (" + out + "): its "
                        + "runs are calibration, never evidence; give --out another directory");
            }
            if (cache == null) {
                cache = out.resolve("cache");
            }
            // Simulated compiled models never share a key with real ones, nor with another device model's.
            cache = cache.resolve("simulated").resolve(simulated.name() + "-" + simulated.sha256().substring(0, 12));
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter outw = spec.commandLine().getOut();
        if (!"show".equals(logMode) && !"off".equals(logMode)) {
            throw new UserInputException("--log must be show or off (got '" + logMode + "')");
        }
        if (timeoutSeconds <= 0) {
            throw new UserInputException("--timeout must be positive");
        }
        try {
            OutputDirectory.requireDirectoryPath(out);
        } catch (OutputPathException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        Shard sh = shard == null ? Shard.ALL : Shard.parse(shard);
        ProbeKind probeKind = parseKind(kind);
        AdaptiveSweep.Request adaptiveRequest = null;
        List<ProbeModel> chosen = List.of();
        if (adaptive) {
            if (probes != null) {
                throw new UserInputException("--adaptive generates the probes it needs: give --profile, --family and "
                        + "--param instead of --probes");
            }
            AdaptiveSweep.searchedUnits(units);
            GenerationRequest g = GenerateCommand.request(profile == null
                    ? GenerationRequest.DEFAULT_PROFILE.label() : profile, GenerateCommand.familiesOfKind(kind,
                    families), params, out, false);
            adaptiveRequest = new AdaptiveSweep.Request(g.profile(), g.families(), g.overrides());
            if (profile == null) {
                profile = g.profile().label();
            }
        } else {
            if (!params.isEmpty()) {
                throw new UserInputException("--param needs --adaptive (for a grid sweep, give 'generate --param' "
                        + "and sweep its output with --probes)");
            }
            Path probesDir = probes != null ? probes : probeSource.probesDir(profile,
                    GenerateCommand.familiesOfKind(kind, families), out.resolve("probes"));
            List<ProbeModel> all = ManifestReader.read(probesDir);
            chosen = filterKind(filterFamilies(all, families), probeKind);
        }
        String id = runId;
        if (id == null && resume) {
            id = RunDirectory.latestRunId(out).orElseThrow(() -> new UserInputException(
                    "nothing to resume in " + out + "/raw; give --run-id"));
        }
        Path errors = Files.createTempDirectory("aneprobe-worker");
        Path simulatedLog = simulated != null && !"off".equals(logMode)
                ? Files.createTempFile("aneprobe-simulated", ".log") : null;
        LogSource log = "off".equals(logMode) ? LogSource.OFF
                : simulatedLog != null ? new LogFile(simulatedLog, ZoneId.systemDefault())
                : logCommand != null ? new UnifiedLog(List.of(logCommand), ZoneId.systemDefault(), 120)
                : UnifiedLog.system();
        WorkerProcess.Launch launch = WorkerProcess.Launch.defaults(errors);
        EnvRecord.Simulation simulation = null;
        if (simulated != null) {
            launch = launch.withJvmArgs(SimulatedShim.jvmArgs(simulated, simulatedLog));
            simulation = new EnvRecord.Simulation(true, simulated.name(), simulated.sha256(), simulated.shipped());
        }
        Sweep sweep = new Sweep(launch, log, Clock.systemUTC(), host -> CoreMlHost.requireMacOs("sweep", host),
                simulation);
        Path cacheDir = cache != null ? cache : CompiledModelCache.defaultRoot();
        Duration timeout = Duration.ofMillis((long) (timeoutSeconds * 1000));
        Duration macTimeout = timeout;
        if (simulated != null && !spec.commandLine().getParseResult().hasMatchedOption("--timeout")) {
            // Simulated stages answer at once, so only a planted hang meets the timeout: wait less for it here, and
            // charge the forecast what a Mac sweep would wait.
            timeout = Duration.ofSeconds(SIMULATED_TIMEOUT_SECONDS);
        }
        Progress progress = new Progress(err, quiet, System.console() != null);
        Forecast forecast = simulated == null ? null : new Forecast(warmup, timeout, macTimeout);
        Sweep.Result r;
        AdaptiveSweep.Report adaptiveReport = null;
        try {
            Sweep.Plan plan = new Sweep.Plan(out, id, resume, chosen, sh, units, warmup, iterations, timeout, cacheDir,
                    profile, recordedArguments(spec, spec.commandLine().getParseResult().originalArgs()));
            if (adaptiveRequest != null) {
                adaptiveReport = new AdaptiveSweep(Catalog.standard()).run(sweep, plan, adaptiveRequest,
                        both(progress, forecast));
                r = adaptiveReport.result();
            } else {
                r = sweep.run(plan, both(progress, forecast));
            }
        } catch (WorkerException e) {
            progress.close();
            err.println("aneprobe: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            progress.close();
            removeIfEmpty(errors);
            if (simulatedLog != null) {
                Files.deleteIfExists(simulatedLog);
            }
        }
        outw.printf("recorded %s in %s (%s already there)%n", Counted.of(r.recorded(), "line"), r.runDir(),
                Counted.number(r.alreadyDone()));
        outw.printf("verdicts: %s%n", r.verdicts().isEmpty() ? "none" : r.verdicts().entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
        if (r.workerRestarts() > 0) {
            outw.printf("worker restarts: %d (after crashes or timeouts; see the CRASHED/TIMEOUT lines)%n",
                    r.workerRestarts());
        }
        if (adaptiveReport != null) {
            printAdaptive(outw, adaptiveReport, simulated != null);
        }
        if (simulated != null) {
            outw.printf("SIMULATED run (device model %s, sha256 %s): calibration only, never evidence%n",
                    simulated.name(), simulated.sha256());
            outw.println(forecast.summary());
        }
        return ExitCodes.OK;
    }

    /**
     * The end of an adaptive sweep: its run count next to the grid's for the same ranges, per family too; the
     * unordered axes once per family; the boundaries per family, search and setting, non-monotonic ones flagged.
     */
    static void printAdaptive(PrintWriter out, AdaptiveSweep.Report report, boolean simulated) {
        out.printf("adaptive: %s in this run; the grid of the same ranges: %s (%s)%n",
                Counts.of(report.lines(), "line", "lines"), Counts.of(report.gridLines(), "line", "lines"),
                percent(report.lines(), report.gridLines()));
        for (AdaptiveSweep.FamilyReport f : report.families()) {
            out.printf("  %s: %d of %d probes (%s); searched axes and grids: %d of %d probes (%s)%s%n", f.family(),
                    f.probes(), f.gridProbes(), percent(f.probes(), f.gridProbes()), f.searchedProbes(),
                    f.searchedCells(), percent(f.searchedProbes(), f.searchedCells()), (f.unordered().isEmpty() ? ""
                    : "; not ordered, swept as the grid sweeps them: " + String.join(", ", f.unordered()))
                    + (f.unsearched().isEmpty() ? "" : "; not worth searching, swept likewise: " + f.unsearched()
                    .stream().map(Object::toString).collect(Collectors.joining(", "))));
        }
        out.println("boundaries" + (simulated ? " (SIMULATED)" : "") + ", per family, search and setting"
                + " (value (verdict/preferred device) | next value (...)):");
        for (AdaptiveSweep.FamilyReport f : report.families()) {
            for (AdaptiveSweep.Searched s : f.searched()) {
                for (dev.aneprobe.harness.search.BoundarySearch.Result r : s.result().searches()) {
                    String head = "  " + f.family() + " " + r.search().name()
                            + (r.search().context().isEmpty() ? "" : " " + r.search().contextText())
                            + " [" + s.units().label() + "]";
                    if (r.nonMonotonic()) {
                        out.println(head + ": NON-MONOTONIC, every value run as the grid runs it (" + r.why()
                                + ")");
                    }
                    for (dev.aneprobe.harness.search.BoundarySearch.Finding fd : r.findings()) {
                        String where = fd.where().isEmpty() ? "" : " " + fd.where();
                        out.println(head + where + ": " + (fd.boundaries().isEmpty() ? "no boundary ("
                                + "one outcome throughout)" : fd.boundaries().stream().map(Object::toString)
                                .collect(Collectors.joining("; "))));
                    }
                }
            }
        }
    }

    private static String percent(int part, int whole) {
        return whole == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** What a path option's value is recorded as: a run records nothing about the machine's file system. */
    static final String PATH_PLACEHOLDER = "<path>";

    /**
     * The arguments as env.json records them: each value of an option that names a file or directory (--probes,
     * --out, --cache, --log-command) becomes {@value #PATH_PLACEHOLDER}, since such paths carry user names and home
     * directories, and a published run must not.
     */
    static List<String> recordedArguments(CommandSpec sweep, List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        boolean nextIsPath = false;
        for (String a : args) {
            if (nextIsPath) {
                out.add(PATH_PLACEHOLDER);
                nextIsPath = false;
                continue;
            }
            int eq = a.indexOf('=');
            String name = a.startsWith("-") && eq > 0 ? a.substring(0, eq) : a;
            picocli.CommandLine.Model.OptionSpec o = a.startsWith("-") ? sweep.findOption(name) : null;
            if (o != null && (o.type() == Path.class || o.longestName().equals("--log-command"))) {
                if (eq > 0) {
                    out.add(name + "=" + PATH_PLACEHOLDER);
                } else {
                    out.add(a);
                    nextIsPath = true;
                }
                continue;
            }
            out.add(a);
        }
        return out;
    }

    /** The progress display, and the forecast when there is one, see every event. */
    private static Sweep.Listener both(Sweep.Listener a, Sweep.Listener b) {
        if (b == null) {
            return a;
        }
        return new Sweep.Listener() {
            @Override
            public void started(Path runDir, HostInfo host, int toRun, int alreadyDone, long tornBytes) {
                a.started(runDir, host, toRun, alreadyDone, tornBytes);
                b.started(runDir, host, toRun, alreadyDone, tornBytes);
            }

            @Override
            public void lineStarted(String probeId, ComputeUnits u) {
                a.lineStarted(probeId, u);
                b.lineStarted(probeId, u);
            }

            @Override
            public void recorded(Observation o) {
                a.recorded(o);
                b.recorded(o);
            }

            @Override
            public void skipped(String warning) {
                a.skipped(warning);
                b.skipped(warning);
            }
        };
    }

    /** Removes a worker crash-report directory unless a crash left a report in it. */
    static void removeIfEmpty(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // not empty: a worker crashed and its JVM report (named in the CRASHED line) stays
        }
    }

    static ProbeKind parseKind(String kind) {
        try {
            return ProbeKind.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new UserInputException(e.getMessage(), e);
        }
    }

    /** The probes of one kind (a family's kind follows from its name); none left is a one-line error. */
    static List<ProbeModel> filterKind(List<ProbeModel> probes, ProbeKind kind) {
        if (kind == ProbeKind.ALL) {
            return probes;
        }
        List<ProbeModel> out = probes.stream().filter(p -> kind.includes(p.entry().family())).toList();
        if (out.isEmpty() && !probes.isEmpty()) {
            throw new UserInputException("no " + kind.label() + " probes among the " + probes.size() + " selected");
        }
        return out;
    }

    static List<ProbeModel> filterFamilies(List<ProbeModel> all, List<String> families) {
        if (families == null || families.isEmpty()) {
            return all;
        }
        Set<String> want = new LinkedHashSet<>();
        for (String f : families) {
            want.add(f.strip());
        }
        Set<String> known = all.stream().map(p -> p.entry().family()).collect(Collectors.toCollection(LinkedHashSet::new));
        for (String f : want) {
            if (!known.contains(f)) {
                throw new UserInputException("no probes of family '" + f + "' (families here: "
                        + String.join(", ", known) + ")");
            }
        }
        return all.stream().filter(p -> want.contains(p.entry().family())).toList();
    }

    /** Progress on stderr: a bar on a terminal, one line per record otherwise, nothing with --quiet. */
    static final class Progress implements Sweep.Listener, AutoCloseable {
        private final PrintWriter err;
        private final boolean quiet;
        private final boolean interactive;
        private final Map<VerdictKind, Integer> counts = new EnumMap<>(VerdictKind.class);
        private ProgressBar bar;
        private int done;
        private int total;

        Progress(PrintWriter err, boolean quiet, boolean interactive) {
            this.err = err;
            this.quiet = quiet;
            this.interactive = interactive;
        }

        @Override
        public void skipped(String warning) {
            // Even with --quiet: a damaged record is worth knowing about.
            err.println("aneprobe: warning: " + warning);
            err.flush();
        }

        @Override
        public void started(Path runDir, HostInfo host, int toRun, int alreadyDone, long tornBytes) {
            total = toRun;
            if (quiet) {
                return;
            }
            err.printf("sweep: %s / macOS %s -> %s%n", host.chip(), host.osVersion(), runDir);
            if (alreadyDone > 0 || tornBytes > 0) {
                err.printf("resume: %s already recorded%s%n", Counted.of(alreadyDone, "line"),
                        tornBytes > 0 ? ", removed a torn last line (" + tornBytes + " bytes)" : "");
            }
            if (interactive) {
                bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(toRun)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                        .setConsumer(new WriterConsumer(err)).build();
            }
            err.flush();
        }

        @Override
        public void lineStarted(String probeId, ComputeUnits units) {
            if (bar != null) {
                bar.setExtraMessage(units.label() + " " + probeId + " | " + countsText());
            }
        }

        @Override
        public void recorded(Observation o) {
            done++;
            if (o.verdict() != null) {
                counts.merge(o.verdict().kind(), 1, Integer::sum);
            }
            if (quiet) {
                return;
            }
            if (bar != null) {
                bar.step();
            } else {
                String what = o.verdict() != null ? o.verdict().kind().name()
                        : o.failure() != null ? o.failure().kind().name() : "baseline";
                err.printf("[%d/%d] %s %s -> %s%n", done, total, o.units().label(), o.probeId(), what);
                err.flush();
            }
        }

        private String countsText() {
            return counts.isEmpty() ? "no verdicts yet" : counts.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(" "));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.setExtraMessage(countsText());
                bar.close();
                bar = null;
            }
            err.flush();
        }
    }

    /** Renders the bar onto the command's stderr writer (carriage return, no newline until closed). */
    static final class WriterConsumer implements ProgressBarConsumer {
        private final PrintWriter err;

        WriterConsumer(PrintWriter err) {
            this.err = err;
        }

        @Override
        public int getMaxRenderedLength() {
            return 120;
        }

        @Override
        public void accept(String rendered) {
            err.print('\r');
            err.print(rendered);
            err.flush();
        }

        @Override
        public void close() {
            err.println();
            err.flush();
        }
    }
}
