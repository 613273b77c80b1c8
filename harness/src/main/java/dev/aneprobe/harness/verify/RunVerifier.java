package dev.aneprobe.harness.verify;

import dev.aneprobe.harness.analysis.claims.Claim;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.Outcome;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.read.EnvParser;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.CatalogHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code aneprobe verify-run} checks before a run goes into {@code results/raw}: its env.json is complete and
 * names no files of the machine; it is neither test data nor (unless this is a dry run) simulated; every observation
 * line parses and is well typed, and carries a search step if and only if the run is adaptive; no (probe, units) pair
 * is recorded twice; timings are sane; verdicts fit the host; every probe belongs to the run's shard; every model is
 * the one this version generates for that probe id (or the run says it was made by another catalog version); and the
 * shards of one sweep, when several are given, are all there.
 */
public final class RunVerifier {
    /** What test data says about itself (see {@link EnvCheck#testDataMarker}). */
    public static final List<String> TEST_DATA_MARKERS = List.of("FIXTURE", "SYNTHETIC", "Test Double");
    /** Line problems listed per run; the rest are counted. */
    public static final int LINE_PROBLEMS_LISTED = 50;

    /**
     * @param dryRun accept simulated runs (for checking a simulated sweep; never for publication)
     * @param testDataMarkers see {@link #TEST_DATA_MARKERS}
     */
    public record Options(boolean dryRun, List<String> testDataMarkers) {
        public Options {
            testDataMarkers = List.copyOf(testDataMarkers);
        }

        public static Options of(boolean dryRun) {
            return new Options(dryRun, TEST_DATA_MARKERS);
        }
    }

    /** One run as the summary shows it. */
    public record RunSummary(Path dir, String runId, String machine, String harness, String catalog, String shard,
            String simulated, long lines, int probes, Map<ComputeUnits, Integer> linesPerUnits,
            Map<VerdictKind, Integer> verdicts, List<String> claimsCovered, List<String> claimsWithEvidence) {
    }

    /** Everything verify-run found; {@link #ok()} when there are no problems. */
    public record Result(List<RunSummary> runs, List<String> notes, List<String> problems, int claimCount) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final Options options;
    private final ClaimSet claims;
    private final Catalog catalog = Catalog.standard();

    public RunVerifier(Options options, ClaimSet claims) {
        this.options = options;
        this.claims = claims;
    }

    /** Verifies run directories (each holds env.json and observations.jsonl). */
    public Result verify(List<Path> runDirs) {
        List<RunSummary> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<ShardRun> shardRuns = new ArrayList<>();
        for (Path dir : runDirs) {
            EnvCheck.Facts env = verifyRun(dir, runs, notes, problems);
            if (env != null && env.shard() != null && env.shard().count() > 1) {
                shardRuns.add(new ShardRun(env, dir));
            }
        }
        shardSets(shardRuns, notes, problems);
        return new Result(runs, notes, problems, claims.claims().size());
    }

    private EnvCheck.Facts verifyRun(Path dir, List<RunSummary> runs, List<String> notes, List<String> problems) {
        String where = dir.toString();
        List<String> envProblems = new ArrayList<>();
        EnvCheck.Facts env = null;
        Path envFile = dir.resolve(RunDir.ENV);
        if (!Files.isRegularFile(envFile)) {
            problems.add(where + ": no " + RunDir.ENV + " (a run without its environment cannot be placed or "
                    + "checked)");
        } else {
            try {
                // Read as every reader reads it (a run the report would refuse is refused here, in its words);
                // publication's own checks come on top.
                EnvRecord record = EnvParser.parse(Files.readAllBytes(envFile));
                env = EnvCheck.check(record, dir.getFileName().toString(), options.testDataMarkers(), envProblems);
            } catch (EnvParser.Problem e) {
                envProblems.add(e.getMessage());
            } catch (IOException e) {
                envProblems.add("cannot be read (" + e.getMessage() + ")");
            }
        }
        envProblems.forEach(p -> problems.add(where + ": " + RunDir.ENV + ": " + p));
        if (env != null && env.testData() != null) {
            problems.add(where + ": test data, not a measurement (" + env.testData() + ")");
        }
        if (env != null && env.simulated() != null) {
            if (options.dryRun()) {
                notes.add(where + ": simulated (" + env.simulated() + "): checked as a dry run, never for "
                        + "publication");
            } else {
                problems.add(where + ": simulated (" + env.simulated() + "): never for publication (--dry-run "
                        + "checks it anyway)");
            }
        }
        if (env != null && env.dirty()) {
            notes.add(where + ": made by an aneprobe built from uncommitted changes (commit " + env.gitCommit()
                    + ")");
        }
        Lines lines = readLines(dir, env, problems);
        String catalogText;
        if (env == null || env.catalogHash() == null) {
            catalogText = "unknown";
        } else if (env.sameCatalog()) {
            List<String> regen = new ProbeRegeneration(catalog).check(lines.probes);
            regen.forEach(p -> problems.add(where + ": " + p));
            catalogText = "this version's (" + env.catalogHash().substring(0, 12) + "); " + lines.probes.size()
                    + " model(s) regenerated, " + (regen.isEmpty() ? "all identical" : regen.size() + " differ");
        } else {
            catalogText = "made by another catalog version (" + env.catalogHash().substring(0, 12)
                    + "; this version: " + CatalogHash.current().substring(0, 12) + "); models not compared";
            notes.add(where + ": made by another catalog version: its models were not compared with this "
                    + "version's (verify it with the aneprobe of commit "
                    + (env.gitCommit() == null ? "?" : env.gitCommit()) + " for that)");
        }
        if (lines.incompleteProbes > 0 && env != null) {
            notes.add(where + ": " + lines.incompleteProbes + " probe(s) lack some of the run's units (an unfinished "
                    + "sweep; 'sweep --resume' completes it)");
        }
        List<String> covered = new ArrayList<>();
        List<String> withEvidence = new ArrayList<>();
        for (Claim c : claims.claims()) {
            boolean any = false;
            boolean evidence = false;
            for (Map.Entry<String, ProbeFacts> e : lines.byProbe.entrySet()) {
                ProbeFacts p = e.getValue();
                if (c.inScope(p.first.family(), p.first.layerType()) && c.region().test(p.first)) {
                    any = true;
                    VerdictKind k = p.verdicts.containsKey(ComputeUnits.ANE) ? p.verdicts.get(ComputeUnits.ANE)
                            : p.verdicts.get(ComputeUnits.ALL);
                    evidence |= k != null && Outcome.isEvidence(k);
                }
            }
            if (any) {
                covered.add(c.id());
            }
            if (evidence) {
                withEvidence.add(c.id());
            }
        }
        runs.add(new RunSummary(dir, env == null ? dir.getFileName().toString() : env.runId(),
                env == null ? "unknown" : env.chipOs() + " (" + env.osBuild() + "), " + env.machine()
                        + (env.hasNeuralEngine() ? "" : ", no Neural Engine"),
                env == null ? "unknown" : env.harnessVersion() + ", commit " + env.gitCommit(), catalogText,
                env == null || env.shard() == null ? null : env.shard().toString(),
                env == null ? null : env.simulated(), lines.count, lines.byProbe.size(), lines.perUnits,
                lines.verdicts, covered, withEvidence));
        return env;
    }

    /** What the lines of one probe said: the first line's facts (the probe the claims look at), and per setting. */
    private static final class ProbeFacts {
        final LineCheck.Facts first;
        final int firstLine;
        final Map<ComputeUnits, VerdictKind> verdicts = new EnumMap<>(ComputeUnits.class);
        final Map<ComputeUnits, Integer> lineOf = new EnumMap<>(ComputeUnits.class);

        ProbeFacts(LineCheck.Facts first, int line) {
            this.first = first;
            this.firstLine = line;
        }
    }

    /** What reading observations.jsonl gathered. */
    private static final class Lines {
        long count;
        int incompleteProbes;
        final Map<String, ProbeFacts> byProbe = new LinkedHashMap<>();
        final Map<ComputeUnits, Integer> perUnits = new EnumMap<>(ComputeUnits.class);
        final Map<VerdictKind, Integer> verdicts = new EnumMap<>(VerdictKind.class);
        final List<ProbeRegeneration.Recorded> probes = new ArrayList<>();
    }

    private Lines readLines(Path dir, EnvCheck.Facts env, List<String> problems) {
        Lines out = new Lines();
        Path file = dir.resolve(RunDir.OBSERVATIONS);
        String where = dir + ": " + RunDir.OBSERVATIONS;
        if (!Files.isRegularFile(file)) {
            problems.add(where + ": missing (the run has no observations)");
            return out;
        }
        List<String> lineProblems = new ArrayList<>();
        try {
            if (Files.size(file) == 0) {
                problems.add(where + ": empty (the run has no observations)");
                return out;
            }
            if (lastByte(file) != '\n') {
                problems.add(where + ": the last line is torn (no newline at its end: the sweep was cut off while "
                        + "writing it; 'sweep --resume' repairs the run)");
            }
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String raw;
                int n = 0;
                while ((raw = r.readLine()) != null) {
                    n++;
                    out.count++;
                    line(raw, n, env, out, lineProblems);
                }
            }
        } catch (IOException e) {
            problems.add(where + ": cannot be read as UTF-8 text (" + e + ")");
        }
        for (int i = 0; i < lineProblems.size() && i < LINE_PROBLEMS_LISTED; i++) {
            problems.add(where + ":" + lineProblems.get(i));
        }
        if (lineProblems.size() > LINE_PROBLEMS_LISTED) {
            problems.add(where + ": " + (lineProblems.size() - LINE_PROBLEMS_LISTED) + " more line problem(s) ("
                    + lineProblems.size() + " in all)");
        }
        if (env != null && !env.units().isEmpty()) {
            for (ProbeFacts p : out.byProbe.values()) {
                if (!p.lineOf.keySet().containsAll(env.units())) {
                    out.incompleteProbes++;
                }
            }
        }
        return out;
    }

    private static int lastByte(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, ch.size() - 1);
            return b.get(0);
        }
    }

    /** Checks one line; its problems go to {@code problems} as "N: what". */
    private void line(String raw, int n, EnvCheck.Facts env, Lines out, List<String> problems) {
        List<String> own = new ArrayList<>();
        LineCheck.Facts f = LineCheck.check(raw, env == null ? null : env.runId(),
                env == null ? java.util.Set.of() : env.units(), own);
        own.forEach(p -> problems.add(n + ": " + p));
        if (f == null) {
            return;
        }
        out.perUnits.merge(f.units(), 1, Integer::sum);
        if (f.verdict() != null) {
            out.verdicts.merge(f.verdict(), 1, Integer::sum);
            if (env != null && !env.hasNeuralEngine() && Outcome.isEvidence(f.verdict())) {
                problems.add(n + ": verdict " + f.verdict() + " from a host without a Neural Engine (such a host "
                        + "gives NO_ANE)");
            }
        }
        if (env != null && env.argumentsKnown() && env.adaptive() != f.searched()) {
            // sweep --adaptive writes a search step on every line and a grid sweep on none: a line that breaks this
            // was not written by the sweep the run's arguments name (edited, or moved from another run).
            problems.add(n + ": " + (env.adaptive() ? "no search step, yet the run's arguments say "
                    + EnvRecord.ADAPTIVE_OPTION + " (its sweep writes one on every line)"
                    : "a search step, yet the run's arguments do not say " + EnvRecord.ADAPTIVE_OPTION
                            + " (only an adaptive sweep writes one)"));
        }
        if (env != null && env.shard() != null && env.shard().count() > 1) {
            // An adaptive sweep splits by family, so that each search stays in one shard; a grid sweep by probe id.
            int belongs = Shard.of(env.adaptive() ? f.family() : f.probeId(), env.shard().count());
            if (belongs != env.shard().index()) {
                problems.add(n + ": " + (env.adaptive() ? "family " + f.family() + " (an adaptive sweep's shards "
                        + "split by family)" : "probe " + f.probeId()) + " belongs to shard " + belongs + "/"
                        + env.shard().count() + ", not to this run's " + env.shard());
            }
        }
        ProbeFacts p = out.byProbe.get(f.probeId());
        if (p == null) {
            p = new ProbeFacts(f, n);
            out.byProbe.put(f.probeId(), p);
            out.probes.add(new ProbeRegeneration.Recorded(f.probeId(), f.family(), f.layerType(), f.params(),
                    f.sha256()));
        } else {
            if (!p.first.sha256().equals(f.sha256())) {
                problems.add(n + ": probe " + f.probeId() + " has model " + f.sha256().substring(0, 12)
                        + "..., at line " + p.firstLine + " " + p.first.sha256().substring(0, 12) + "...");
            }
            if (!p.first.family().equals(f.family()) || !p.first.layerType().equals(f.layerType())
                    || !Objects.equals(p.first.params(), f.params())) {
                problems.add(n + ": probe " + f.probeId() + " has another family, layer type or params than at line "
                        + p.firstLine);
            }
        }
        Integer first = p.lineOf.putIfAbsent(f.units(), n);
        if (first != null) {
            problems.add(n + ": duplicate record: probe " + f.probeId() + " under " + f.units().label()
                    + " is already at line " + first);
        } else if (f.verdict() != null) {
            p.verdicts.put(f.units(), f.verdict());
        }
    }

    /** A run that is one shard of a sweep. */
    private record ShardRun(EnvCheck.Facts env, Path dir) {
        Shard shard() {
            return env.shard();
        }
    }

    /** Shards of one sweep given together must be all of them. */
    private static void shardSets(List<ShardRun> shardRuns, List<String> notes, List<String> problems) {
        Map<String, List<ShardRun>> sets = new TreeMap<>();
        for (ShardRun r : shardRuns) {
            sets.computeIfAbsent(r.shard().count() + " shards; " + r.env().sweepKey(), k -> new ArrayList<>()).add(r);
        }
        for (List<ShardRun> set : sets.values()) {
            int n = set.get(0).shard().count();
            if (set.size() == 1) {
                notes.add(set.get(0).dir() + ": shard " + set.get(0).shard() + " given alone; the other shards of its "
                        + "sweep are checked when given with it");
                continue;
            }
            TreeSet<Integer> have = new TreeSet<>();
            set.forEach(r -> have.add(r.shard().index()));
            List<String> missing = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                if (!have.contains(i)) {
                    missing.add(i + "/" + n);
                }
            }
            List<String> given = new ArrayList<>();
            have.forEach(i -> given.add(i + "/" + n));
            String runs = String.join(", ", set.stream().map(r -> r.env().runId()).toList());
            if (!missing.isEmpty()) {
                problems.add("shards of one sweep (runs " + runs + "): incomplete: given " + String.join(", ", given)
                        + "; missing " + String.join(", ", missing));
            } else {
                notes.add("shards " + String.join(", ", given) + " of one sweep (runs " + runs + "): complete");
            }
        }
    }
}
