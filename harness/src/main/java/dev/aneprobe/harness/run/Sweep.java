package dev.aneprobe.harness.run;

import dev.aneprobe.harness.analysis.TimingStats;
import dev.aneprobe.harness.analysis.VerdictJudge;
import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.cli.VersionProvider;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.Timing;
import dev.aneprobe.harness.results.Verdict;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import dev.aneprobe.probes.generate.CatalogHash;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The sweep scheduler: for every probe of the shard, every compute-units setting not yet recorded, in the order cpu,
 * gpu (the baselines), ane, all; each in the worker, each line appended to the journal and forced to disk; a worker
 * that crashed or timed out is replaced and the sweep goes on. The unified log is read once per probe and sliced
 * into the lines' windows; ane and all lines get their verdict from {@link VerdictJudge}.
 */
public final class Sweep {
    /** The fixed per-probe order of compute-units settings: baselines first. */
    public static final List<ComputeUnits> ORDER = List.of(ComputeUnits.CPU, ComputeUnits.GPU, ComputeUnits.ANE,
            ComputeUnits.ALL);

    /**
     * What to run.
     *
     * @param out the results directory (the run goes to {@code <out>/raw/<runId>})
     * @param runId the run's id, or null for {@link #defaultRunId} (known once the worker reported the host)
     * @param resume continue an existing run instead of refusing to touch it
     * @param probes the probes (already filtered by family), in manifest order
     * @param shard the shard of the probes this run takes
     * @param units the settings to run (run in {@link #ORDER} whatever the order given)
     * @param warmup untimed predictions after the cold one
     * @param iterations timed predictions
     * @param timeout per probe line (compile + load + plan + predict)
     * @param cacheDir the compiled-model cache root
     * @param profile recorded in env.json
     * @param arguments recorded in env.json
     */
    public record Plan(Path out, String runId, boolean resume, List<ProbeModel> probes, Shard shard,
            List<ComputeUnits> units, int warmup, int iterations, Duration timeout, Path cacheDir, String profile,
            List<String> arguments) {
        public Plan {
            probes = List.copyOf(probes);
            units = ORDER.stream().filter(units::contains).toList();
            arguments = arguments == null ? List.of() : List.copyOf(arguments);
            if (units.isEmpty()) {
                throw new UserInputException("no compute units to run");
            }
            if (iterations < 1 || warmup < 0) {
                throw new UserInputException("need --iterations >= 1 and --warmup >= 0");
            }
        }

        Plan withRunId(String id) {
            return new Plan(out, id, resume, probes, shard, units, warmup, iterations, timeout, cacheDir, profile,
                    arguments);
        }
    }

    /** {@code <UTC time>-<chip>-macos<version>[-s<i>of<n>]}, e.g. {@code 20250301T101500Z-apple-m1-macos14.5}. */
    public static String defaultRunId(Instant now, HostInfo host, Shard shard) {
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(now);
        String chip = host.chip() == null ? "unknown" : host.chip().toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return time + "-" + chip + "-macos" + host.osVersion()
                + (shard.count() > 1 ? "-s" + shard.index() + "of" + shard.count() : "");
    }

    /** Progress callbacks, on the sweep's thread. */
    public interface Listener {
        /** Before the first probe: how many lines this run will record, and how many an earlier session did. */
        default void started(Path runDir, HostInfo host, int toRun, int alreadyDone, long tornBytes) {
        }

        default void lineStarted(String probeId, ComputeUnits units) {
        }

        /** A damaged line of the journal, skipped on resume (one line: file, line number, what is wrong). */
        default void skipped(String warning) {
        }

        default void recorded(Observation o) {
        }
    }

    /** What a run did. */
    public record Result(Path runDir, int recorded, int alreadyDone, Map<VerdictKind, Integer> verdicts,
            int workerRestarts) {
    }

    private final WorkerProcess.Launch launch;
    private final LogSource log;
    private final Clock clock;
    private final Consumer<WorkerMessage> hostCheck;
    /** Recorded text never names the user's home directory (see {@link PrivatePaths}). */
    private final PrivatePaths privatePaths = PrivatePaths.ofThisUser();
    private final EnvRecord.Simulation simulation;

    /**
     * @param hostCheck called with the worker's host answer before anything is written; throws to refuse the host
     */
    public Sweep(WorkerProcess.Launch launch, LogSource log, Clock clock, Consumer<WorkerMessage> hostCheck) {
        this(launch, log, clock, hostCheck, null);
    }

    /**
     * @param simulation recorded in env.json when the workers run a simulated Core ML (null on a real Mac); a run is
     *     only ever resumed against the same device model
     */
    public Sweep(WorkerProcess.Launch launch, LogSource log, Clock clock, Consumer<WorkerMessage> hostCheck,
            EnvRecord.Simulation simulation) {
        this.launch = launch;
        this.log = log;
        this.clock = clock;
        this.hostCheck = hostCheck;
        this.simulation = simulation;
    }

    private static final Duration HOST_TIMEOUT = Duration.ofSeconds(120);

    public Result run(Plan requested, Listener listener) {
        try (Session session = open(requested, listener)) {
            if (requested.resume() && session.env().arguments().contains("--adaptive")) {
                // A grid's lines would fill an adaptive run with probes no search chose, and its report would take
                // them for search points: each run is one kind of sweep.
                throw new dev.aneprobe.harness.cli.UserInputException("run " + session.plan().runId()
                        + " is an adaptive sweep: resume it with --adaptive");
            }
            List<ProbeModel> mine = session.plan().probes().stream()
                    .filter(p -> session.plan().shard().contains(p.id())).toList();
            int toRun = 0;
            int already = 0;
            for (ProbeModel p : mine) {
                for (ComputeUnits u : session.plan().units()) {
                    if (session.isDone(p.id(), u)) {
                        already++;
                    } else {
                        toRun++;
                    }
                }
            }
            listener.started(session.runDir(), session.host(), toRun, already, session.truncatedBytes());
            for (ProbeModel probe : mine) {
                session.run(probe, session.plan().units(), null, listener);
            }
            return session.result(already);
        }
    }

    /**
     * Opens a run for probes chosen as it goes (an adaptive sweep): starts the worker, checks the host, writes or
     * checks env.json and opens the journal (damaged lines found on resume go to {@code listener}). The plan's probe
     * list is not used.
     */
    public Session open(Plan requested, Listener listener) {
        if (requested.runId() != null) {
            checkRunDir(requested, RunDirectory.of(requested.out(), requested.runId()));
        }
        WorkerProcess worker = WorkerProcess.start(launch);
        try {
            WorkerMessage hostMsg = worker.host(HOST_TIMEOUT);
            hostCheck.accept(hostMsg);
            HostInfo host = hostMsg.host();
            Plan plan = requested.runId() != null ? requested
                    : requested.withRunId(defaultRunId(clock.instant(), host, requested.shard()));
            Path runDir = RunDirectory.of(plan.out(), plan.runId());
            checkRunDir(plan, runDir);
            EnvRecord env = prepareEnv(plan, runDir, host);
            Session session = new Session(plan, runDir, host, env, ObservationJournal.open(runDir, plan.runId(), listener::skipped), worker);
            worker = null;
            return session;
        } finally {
            if (worker != null) {
                worker.close();
            }
        }
    }

    /**
     * An open run: its worker, env.json and journal. Each {@link #run} runs one probe under the settings given that
     * are not yet recorded, in {@link #ORDER}, and appends their lines.
     */
    public final class Session implements AutoCloseable {
        private final Plan plan;
        private final Path runDir;
        private final HostInfo host;
        private final EnvRecord env;
        private final ObservationJournal journal;
        private final Map<String, Map<ComputeUnits, Observation>> byProbe = new HashMap<>();
        private final Map<VerdictKind, Integer> verdicts = new EnumMap<>(VerdictKind.class);
        private WorkerProcess worker;
        private int recorded;
        private int restarts;

        private Session(Plan plan, Path runDir, HostInfo host, EnvRecord env, ObservationJournal journal,
                WorkerProcess worker) {
            this.plan = plan;
            this.runDir = runDir;
            this.host = host;
            this.env = env;
            this.journal = journal;
            this.worker = worker;
            for (Observation o : journal.existing()) {
                byProbe.computeIfAbsent(o.probeId(), k -> new EnumMap<>(ComputeUnits.class)).put(o.units(), o);
            }
        }

        public Plan plan() {
            return plan;
        }

        public Path runDir() {
            return runDir;
        }

        public HostInfo host() {
            return host;
        }

        public EnvRecord env() {
            return env;
        }

        public long truncatedBytes() {
            return journal.truncatedBytes();
        }

        /** The lines recorded before this session began. */
        public List<Observation> existing() {
            return journal.existing();
        }

        public boolean isDone(String probeId, ComputeUnits units) {
            return journal.isDone(probeId, units);
        }

        /** The line recorded for a probe under a setting (in this session or before it), or null. */
        public Observation line(String probeId, ComputeUnits units) {
            Map<ComputeUnits, Observation> lines = byProbe.get(probeId);
            return lines == null ? null : lines.get(units);
        }

        /**
         * Runs {@code probe} under each of {@code units} not yet recorded (in {@link #ORDER}), appending each line
         * with {@code search} (null on a grid sweep) once the unified log of the probe's lines is read.
         */
        public void run(ProbeModel probe, List<ComputeUnits> units, dev.aneprobe.harness.results.SearchStep search,
                Listener listener) {
            List<ComputeUnits> pending = ORDER.stream()
                    .filter(u -> units.contains(u) && !journal.isDone(probe.id(), u)).toList();
            if (pending.isEmpty()) {
                return;
            }
            List<LineRun> runs = new ArrayList<>();
            List<LogSource.Window> windows = new ArrayList<>();
            for (ComputeUnits u : pending) {
                listener.lineStarted(probe.id(), u);
                if (worker == null || !worker.alive()) {
                    worker = WorkerProcess.start(launch);
                    restarts++;
                }
                Instant start = clock.instant();
                WorkerProcess.Outcome outcome = worker.probe(new WorkerRequest("probe", probe.id(),
                        probe.modelPath().toString(), probe.sha256(), u, plan.warmup(), plan.iterations(),
                        plan.cacheDir().toString()), plan.timeout());
                Instant end = clock.instant();
                runs.add(new LineRun(u, start, outcome));
                windows.add(new LogSource.Window(start, end, worker.pid()));
                if (outcome instanceof WorkerProcess.Died) {
                    worker.close();
                    worker = null;
                }
            }
            LogSource.Capture capture = log.read(windows);
            Map<ComputeUnits, Observation> lines = byProbe.computeIfAbsent(probe.id(),
                    k -> new EnumMap<>(ComputeUnits.class));
            for (int i = 0; i < runs.size(); i++) {
                Observation o = privatePaths.scrub(observation(env, probe, runs.get(i), capture.lines(i),
                        capture.problem(), host.hasNeuralEngine(), lines, search));
                journal.append(o);
                lines.put(o.units(), o);
                recorded++;
                if (o.verdict() != null) {
                    verdicts.merge(o.verdict().kind(), 1, Integer::sum);
                }
                listener.recorded(o);
            }
        }

        /** Lines in the run: recorded before this session and by it. */
        public int lines() {
            return byProbe.values().stream().mapToInt(Map::size).sum();
        }

        /** Distinct probes with at least one line in the run. */
        public int probes() {
            return byProbe.size();
        }

        /** What this session did; {@code alreadyDone} is what the caller counts as recorded before it. */
        public Result result(int alreadyDone) {
            return new Result(runDir, recorded, alreadyDone, verdicts, restarts);
        }

        @Override
        public void close() {
            try {
                journal.close();
            } finally {
                if (worker != null) {
                    worker.close();
                    worker = null;
                }
            }
        }
    }

    private static void checkRunDir(Plan plan, Path runDir) {
        boolean exists = Files.exists(runDir.resolve(RunDirectory.ENV))
                || Files.exists(runDir.resolve(ObservationJournal.FILE));
        if (exists && !plan.resume()) {
            throw new UserInputException("run " + plan.runId() + " already exists in " + runDir
                    + "; add --resume to continue it, or choose another --run-id");
        }
        if (!exists && plan.resume()) {
            throw new UserInputException("nothing to resume: no run " + plan.runId() + " in " + runDir);
        }
    }

    private EnvRecord prepareEnv(Plan plan, Path runDir, HostInfo host) {
        if (plan.resume()) {
            EnvRecord env = RunDirectory.readEnv(runDir).orElseThrow(() -> new UserInputException(
                    "cannot resume " + plan.runId() + ": " + runDir.resolve(RunDirectory.ENV) + " is missing"));
            HostInfo was = env.host();
            if (was != null && (!Objects.equals(was.chip(), host.chip())
                    || !Objects.equals(was.osVersion(), host.osVersion())
                    || !Objects.equals(was.osBuild(), host.osBuild()))) {
                throw new UserInputException("run " + plan.runId() + " was made on " + was.chip() + " / macOS "
                        + was.osVersion() + " (" + was.osBuild() + "), this is " + host.chip() + " / macOS "
                        + host.osVersion() + " (" + host.osBuild() + "): start a new run instead");
            }
            if (env.catalogHash() != null && !env.catalogHash().equals(CatalogHash.current())) {
                throw new UserInputException("run " + plan.runId() + " was made by another catalog version ("
                        + env.catalogHash().substring(0, Math.min(12, env.catalogHash().length()))
                        + ", this aneprobe makes " + CatalogHash.current().substring(0, 12)
                        + "): resume it with the aneprobe that started it, or start a new run");
            }
            if (!Objects.equals(env.simulation(), simulation)) {
                throw new UserInputException("run " + plan.runId() + " was made " + describe(env.simulation())
                        + ", this sweep runs " + describe(simulation) + ": start a new run instead");
            }
            String shard = plan.shard().count() > 1 ? plan.shard().toString() : null;
            if (!Objects.equals(env.shard(), shard)) {
                throw new UserInputException("run " + plan.runId() + " is shard " + (env.shard() == null ? "none"
                        : env.shard()) + ", not " + (shard == null ? "none" : shard) + "; resume it with the same --shard");
            }
            return env;
        }
        String jvm = System.getProperty("java.vendor") + " " + System.getProperty("java.version") + " ("
                + System.getProperty("os.arch") + ")";
        EnvRecord env = new EnvRecord(EnvRecord.SCHEMA, plan.runId(), clock.instant().toString(), host,
                VersionProvider.version(), VersionProvider.gitCommit(), jvm, plan.profile(), plan.arguments(),
                plan.shard().count() > 1 ? plan.shard().toString() : null, CatalogHash.current(), plan.units(),
                simulation);
        RunDirectory.writeEnv(runDir, env);
        return env;
    }

    private static String describe(EnvRecord.Simulation s) {
        return s == null ? "on a real Core ML" : "against simulated device model " + s.deviceModel() + " (sha256 "
                + s.sha256().substring(0, Math.min(12, s.sha256().length())) + ")";
    }

    /** One worker round trip for one probe under one setting. */
    record LineRun(ComputeUnits units, Instant start, WorkerProcess.Outcome outcome) {
    }

    static Observation observation(EnvRecord env, ProbeModel probe, LineRun run, List<String> logLines,
            String logProblem, boolean hasNeuralEngine, Map<ComputeUnits, Observation> sameProbe,
            dev.aneprobe.harness.results.SearchStep search) {
        List<StageOutcome> stages = new ArrayList<>();
        List<PlanEntry> plan = List.of();
        Double compileMs = null;
        Double loadMs = null;
        Long coldNs = null;
        List<Long> samples = null;
        for (WorkerMessage m : run.outcome().messages()) {
            stages.add(m.outcome());
            if (m.plan() != null) {
                plan = m.plan();
            }
            compileMs = m.compileMs() != null ? m.compileMs() : compileMs;
            loadMs = m.loadMs() != null ? m.loadMs() : loadMs;
            if (m.samplesNs() != null) {
                coldNs = m.coldNs();
                samples = m.samplesNs();
            }
        }
        WorkerFailure failure = null;
        if (run.outcome() instanceof WorkerProcess.Died d) {
            failure = d.failure();
            // The stage the worker died in failed (without a Core ML error: there was no answer); later ones never ran.
            boolean marked = false;
            for (Stage s : Stage.values()) {
                boolean present = stages.stream().anyMatch(o -> o.stage() == s);
                if (present) {
                    continue;
                }
                boolean failedHere = !marked && (d.inProgress() == null || d.inProgress() == s);
                stages.add(new StageOutcome(s, failedHere ? StageOutcome.Status.FAILED : StageOutcome.Status.SKIPPED,
                        null, null));
                marked |= failedHere;
            }
        }
        Timing timing = compileMs == null && loadMs == null && samples == null ? null
                : new Timing(compileMs, loadMs, coldNs, samples, TimingStats.summarize(samples));
        ManifestEntry e = probe.entry();
        Verdict verdict = null;
        if (run.units().allowsNeuralEngine()) {
            verdict = VerdictJudge.judge(new VerdictJudge.Input(probe.id(), e.layerType(), run.units(),
                    hasNeuralEngine, stages, failure, plan, samples, samplesOf(sameProbe.get(ComputeUnits.CPU)),
                    samplesOf(sameProbe.get(ComputeUnits.GPU)), logLines, logProblem));
        }
        return new Observation(Observation.SCHEMA, env.runId(), e.id(), e.family(), e.layerType(), e.params(),
                probe.sha256(), run.units(), run.start().toString(), stages, plan, timing,
                logLines == null ? List.of() : logLines, failure, verdict, search);
    }

    private static List<Long> samplesOf(Observation o) {
        return o == null || o.timing() == null ? null : o.timing().samplesNs();
    }
}
