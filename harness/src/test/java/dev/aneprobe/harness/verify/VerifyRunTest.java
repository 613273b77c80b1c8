package dev.aneprobe.harness.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.run.LogSource;
import dev.aneprobe.harness.run.ManifestReader;
import dev.aneprobe.harness.run.Shard;
import dev.aneprobe.harness.run.Sweep;
import dev.aneprobe.harness.run.WorkerProcess;
import dev.aneprobe.harness.testutil.Cli;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.generate.GenerationListener;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify-run on runs the sweep really made: real generated probes (pooling and mil.pool, quick profile) swept
 * through the C test double, then damaged one way per test. The double's host calls itself "Test Double D1", which
 * verify-run refuses as test data; every other check is shown to pass by a verifier that does not count that one
 * marker ({@link #ALL_BUT_DOUBLE}). These runs are test data and never leave the temporary directory.
 */
class VerifyRunTest {
    @TempDir
    static Path shared;
    static Path good;
    static Path adaptive;
    static List<Path> shards;
    static final ClaimSet CLAIMS = Fixtures.claims();
    static final List<String> ALL_BUT_DOUBLE = RunVerifier.TEST_DATA_MARKERS.stream()
            .filter(m -> !m.equals("Test Double")).toList();

    @TempDir
    Path dir;

    @BeforeAll
    static void sweep() throws IOException {
        Path probes = shared.resolve("probes");
        new ProbeGenerator(Catalog.standard()).generate(new GenerationRequest(Profile.QUICK,
                List.of("pooling", "mil.pool"), List.of(), probes, false), GenerationListener.NONE);
        Path results = shared.resolve("results");
        Cli.Run r = Cli.run("sweep", "--probes", probes.toString(), "--out", results.toString(), "--cache",
                shared.resolve("cache").toString(), "--log", "off", "--units", "cpu,ane", "--warmup", "0",
                "--iterations", "5", "--run-id", "good", "--quiet");
        assertEquals(0, r.exit(), r.err());
        good = results.resolve("raw").resolve("good");
        // An adaptive sweep of pooling against a simulated device model (the double answers no search): simulated,
        // so it passes only as a dry run.
        Cli.Run a = Cli.run("sweep", "--adaptive", "--simulate", "contrarian", "--profile", "quick", "--family",
                "pooling", "--out", results.toString(), "--cache", shared.resolve("cache").toString(), "--log", "off",
                "--units", "cpu,ane", "--warmup", "0", "--iterations", "5", "--run-id", "adaptive", "--quiet");
        assertEquals(0, a.exit(), a.err());
        adaptive = results.resolve("raw").resolve("adaptive");
        // Three shards of one sweep on a host without a Neural Engine (as on a hosted CI virtual machine).
        shards = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            List<String> args = List.of("sweep", "--probes", "<path>", "--units", "cpu,ane", "--shard", i + "/3",
                    "--run-id", "shard-" + i);
            Sweep.Result s = new Sweep(WorkerProcess.Launch.defaults(shared.resolve("err"))
                    .withEnvironment(Map.of("ANEPROBE_DOUBLE_NO_ANE", "1")), LogSource.OFF, Clock.systemUTC(), h -> {
                    }).run(new Sweep.Plan(results, "shard-" + i, false, ManifestReader.read(probes), new Shard(i, 3),
                            List.of(ComputeUnits.CPU, ComputeUnits.ANE), 0, 5, Duration.ofSeconds(60),
                            shared.resolve("cache"), null, args), new Sweep.Listener() {
                            });
            shards.add(s.runDir());
        }
    }

    private static RunVerifier.Result verify(boolean dryRun, Path... runs) {
        return new RunVerifier(new RunVerifier.Options(dryRun, ALL_BUT_DOUBLE), CLAIMS).verify(List.of(runs));
    }

    private static RunVerifier.Result verify(Path... runs) {
        return verify(false, runs);
    }

    /** A copy of the good run, under its own name (a run directory keeps its run id as its name). */
    private Path copy(Path run) throws IOException {
        Path to = dir.resolve(run.getFileName());
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return to;
    }

    private static void editEnv(Path run, Consumer<ObjectNode> edit) throws IOException {
        Path f = run.resolve("env.json");
        ObjectNode env = (ObjectNode) Json.mapper().readTree(f.toFile());
        edit.accept(env);
        Files.write(f, Json.mapper().writeValueAsBytes(env));
    }

    private static List<String> lines(Path run) throws IOException {
        return Files.readAllLines(run.resolve("observations.jsonl"), StandardCharsets.UTF_8);
    }

    private static void writeLines(Path run, List<String> lines) throws IOException {
        Files.writeString(run.resolve("observations.jsonl"), String.join("\n", lines) + "\n");
    }

    /** Rewrites line {@code n} (1-based) as JSON. */
    private static void editLine(Path run, int n, Consumer<ObjectNode> edit) throws IOException {
        List<String> lines = new ArrayList<>(lines(run));
        ObjectNode o = (ObjectNode) Json.mapper().readTree(lines.get(n - 1));
        edit.accept(o);
        lines.set(n - 1, Json.mapper().writeValueAsString(o));
        writeLines(run, lines);
    }

    /** The first line (1-based) under the given units. */
    private static int firstLine(Path run, String units) throws IOException {
        List<String> lines = lines(run);
        for (int i = 0; i < lines.size(); i++) {
            if (Json.mapper().readTree(lines.get(i)).path("units").asText().equals(units)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + units + " line");
    }

    /** Exactly these problems (each named by a fragment), in any order. */
    private static void assertProblems(RunVerifier.Result r, String... fragments) {
        assertFalse(r.ok(), "expected problems");
        for (String f : fragments) {
            assertTrue(r.problems().stream().anyMatch(p -> p.contains(f)), "no problem with '" + f + "' in "
                    + r.problems());
        }
        assertEquals(fragments.length, r.problems().size(), r.problems().toString());
    }

    @Test
    void aGoodRunPassesEveryCheckAndIsSummarized() {
        RunVerifier.Result r = verify(good);
        assertTrue(r.ok(), r.problems().toString());
        RunVerifier.RunSummary s = r.runs().get(0);
        assertEquals("good", s.runId());
        assertEquals(10, s.probes());
        assertEquals(20, s.lines());
        assertEquals(Map.of(ComputeUnits.CPU, 10, ComputeUnits.ANE, 10), s.linesPerUnits());
        assertEquals(10, s.verdicts().values().stream().mapToInt(Integer::intValue).sum());
        assertTrue(s.catalog().startsWith("this version's") && s.catalog().endsWith("10 model(s) regenerated, all "
                + "identical"), s.catalog());
        // Max pooling kernels 3..14 and strides 1..3 fall under both sides of two seed rules; the double puts every
        // layer on the cpu (NOT_ANE), which is evidence.
        List<String> pooling = List.of("pooling-kernel-gt13-not-ane", "pooling-stride-gt2-not-ane",
                "pooling-within-limits-ane");
        assertEquals(pooling, s.claimsCovered());
        assertEquals(pooling, s.claimsWithEvidence());
        assertEquals(Map.of(VerdictKind.NOT_ANE, 10), s.verdicts());
    }

    @Test
    void theSweepRecordsNoPathsOfTheMachine() throws IOException {
        JsonNode env = Json.mapper().readTree(good.resolve("env.json").toFile());
        List<String> args = new ArrayList<>();
        env.get("arguments").forEach(a -> args.add(a.asText()));
        assertEquals("<path>", args.get(args.indexOf("--probes") + 1), args.toString());
        assertEquals("<path>", args.get(args.indexOf("--out") + 1), args.toString());
        assertEquals("<path>", args.get(args.indexOf("--cache") + 1), args.toString());
        String all = Files.readString(good.resolve("env.json")) + Files.readString(good.resolve("observations.jsonl"));
        assertFalse(all.contains(shared.toString()), "a temporary path was recorded");
        assertFalse(all.contains(System.getProperty("user.home") + "/"), "the home directory was recorded");
    }

    @Test
    void theDoublesRunIsTestDataForPublication() {
        RunVerifier.Result r = new RunVerifier(RunVerifier.Options.of(false), CLAIMS).verify(List.of(good));
        assertProblems(r, "test data, not a measurement (host.chip \"Test Double D1\")");
    }

    @Test
    void aFixtureIsRefusedEvenInADryRun() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> ((ObjectNode) env.get("host")).put("chip", "FIXTURE Apple M1"));
        assertProblems(verify(run), "test data, not a measurement (host.chip \"FIXTURE Apple M1\")");
        assertProblems(verify(true, run), "test data");
    }

    /** The simulated mark as sweep --simulate writes it: a top-level "simulation" naming the device model. */
    @Test
    void aSimulatedRunIsRefusedForPublicationAndAcceptedInADryRun() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> env.putObject("simulation").put("simulated", true).put("deviceModel", "contrarian")
                .put("sha256", "ab".repeat(32)).put("shipped", true));
        String mark = "device model contrarian, sha256 " + "ab".repeat(32) + ", shipped with aneprobe";
        assertProblems(verify(run), "simulated (" + mark + "): never for publication");
        RunVerifier.Result dry = verify(true, run);
        assertTrue(dry.ok(), dry.problems().toString());
        assertEquals(mark, dry.runs().get(0).simulated());
        assertTrue(dry.notes().stream().anyMatch(n -> n.contains("never for publication")), dry.notes().toString());
        Cli.Run cli = Cli.run("verify-run", "--dry-run", run.toString());
        assertTrue(cli.out().contains("  SIMULATED: " + mark), cli.out());
    }

    @Test
    void anyOtherFormOfTheSimulatedMarkIsRefusedToo() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> env.put("simulated", true));
        assertProblems(verify(run), "simulated (simulated): never for publication");
        editEnv(run, env -> {
            env.remove("simulated");
            ((ObjectNode) env.get("host")).put("chip", "SIMULATED Apple M2");
        });
        assertProblems(verify(run), "simulated (host.chip SIMULATED Apple M2)");
    }

    /** What a reader can do without but publication cannot: each field missing is one problem. */
    @Test
    void anIncompleteEnvNamesEachMissingField() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> {
            ObjectNode host = (ObjectNode) env.get("host");
            host.remove(List.of("machineModel", "osBuild"));
            env.put("jvm", " ");
            env.remove(List.of("harnessVersion", "gitCommit", "catalogHash", "units"));
        });
        assertProblems(verify(run), "env.json: missing host.machineModel", "env.json: missing host.osBuild",
                "env.json: jvm is empty", "env.json: missing harnessVersion", "env.json: missing gitCommit",
                "env.json: missing catalogHash", "env.json: missing units");
    }

    /** What no reader can do without is read by the readers' parser: the run is refused in its words. */
    @Test
    void anEnvTheReadersRefuseIsRefusedInTheirWords() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> {
            ObjectNode host = (ObjectNode) env.get("host");
            host.remove("chip");
            host.put("osVersion", "");
        });
        assertProblems(verify(run), "env.json: missing host.chip");
        editEnv(run, env -> {
            ((ObjectNode) env.get("host")).put("chip", "Apple M1").put("osVersion", "14.5").put("hasNeuralEngine",
                    "yes");
            env.put("schema", "1");
        });
        assertProblems(verify(run), "env.json: schema: text, expected a whole number");
        editEnv(run, env -> env.put("schema", 1));
        assertProblems(verify(run), "env.json: host.hasNeuralEngine: text, expected true or false");
        Files.writeString(run.resolve("env.json"), "{\"schema\": 1,");
        assertProblems(verify(run), "env.json: not JSON (error at line 1, character 14)");
    }

    /** verify-run once passed what the report then refused to read: a control character, a damaged mark. */
    @Test
    void anEnvTheReportWouldRefuseIsNotPublished() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> ((ObjectNode) env.get("host")).put("osBuild", "23F\u0007"));
        assertProblems(verify(run), "env.json: host.osBuild: \"23F?\" has a control character");
        editEnv(run, env -> {
            ((ObjectNode) env.get("host")).put("osBuild", "23F79");
            env.put("simulation", false);
        });
        assertProblems(verify(true, run), "env.json: simulation: true/false, expected an object");
    }

    @Test
    void envFieldsMustBeWhatTheSweepWrites() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> {
            ((ObjectNode) env.get("host")).put("osVersion", "fourteen").putArray("computeDevices").add("npu");
            env.put("gitCommit", "main");
            env.put("shard", "4/3");
            ((ArrayNode) env.get("units")).add("cpu");
        });
        assertProblems(verify(run), "host.osVersion \"fourteen\" is not a version like 14.5",
                "host.computeDevices[] is \"npu\", not one of cpu, gpu, ane, other",
                "gitCommit \"main\" is not a 40-digit commit", "shard: shard must be i/n with 1 <= i <= n (got 4/3)",
                "units lists cpu twice");
    }

    @Test
    void argumentsThatNameFilesAreRefused() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> ((ArrayNode) env.get("arguments")).add("--cache").add("/Users/someone/.cache/x"));
        assertProblems(verify(run), "arguments record a path (\"/Users/someone/.cache/x\")");
    }

    @Test
    void aRenamedRunDirectoryIsRefused() throws IOException {
        Path run = copy(good);
        Path renamed = Files.move(run, dir.resolve("renamed"));
        assertProblems(verify(renamed), "runId is good but the directory is renamed");
    }

    @Test
    void malformedLinesAreEachOneProblem() throws IOException {
        Path run = copy(good);
        int cpu = firstLine(run, "cpu");
        int ane = firstLine(run, "ane");
        editLine(run, cpu, o -> o.put("units", 3));
        editLine(run, ane, o -> ((ObjectNode) o.get("verdict")).put("kind", "MAYBE"));
        List<String> lines = new ArrayList<>(lines(run));
        lines.add("{\"schema\": 1, \"probeId\": ");
        lines.add("   ");
        writeLines(run, lines);
        int n = lines.size();
        assertProblems(verify(run), ":" + cpu + ": units: ",
                ":" + ane + ": verdict.kind: \"MAYBE\" is not a verdict (ANE, NOT_ANE",
                ":" + (n - 1) + ": cut short: it ends inside a value", ":" + n + ": blank line");
    }

    @Test
    void aVerdictBelongsOnAneAndAllLinesOnly() throws IOException {
        Path run = copy(good);
        int cpu = firstLine(run, "cpu");
        int ane = firstLine(run, "ane");
        JsonNode verdict = Json.mapper().readTree(lines(run).get(ane - 1)).get("verdict");
        editLine(run, cpu, o -> o.set("verdict", verdict));
        editLine(run, ane, o -> o.remove("verdict"));
        assertProblems(verify(run), ":" + cpu + ": verdict: not expected on a cpu line",
                ":" + ane + ": missing verdict (required on ane lines)");
    }

    @Test
    void aTornLastLineIsRefused() throws IOException {
        Path run = copy(good);
        String text = Files.readString(run.resolve("observations.jsonl"));
        Files.writeString(run.resolve("observations.jsonl"), text.substring(0, text.length() - 40));
        RunVerifier.Result r = verify(run);
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("the last line is torn")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains(":20: cut short")), r.problems().toString());
    }

    @Test
    void aDuplicateRecordIsRefused() throws IOException {
        Path run = copy(good);
        List<String> lines = new ArrayList<>(lines(run));
        lines.add(lines.get(1));
        writeLines(run, lines);
        assertProblems(verify(run), ":21: duplicate record: probe ");
    }

    @Test
    void aModelThisVersionDoesNotGenerateIsRefused() throws IOException {
        Path run = copy(good);
        String probe = Json.mapper().readTree(lines(run).get(0)).get("probeId").asText();
        List<String> lines = new ArrayList<>();
        for (String l : lines(run)) {
            ObjectNode o = (ObjectNode) Json.mapper().readTree(l);
            if (o.get("probeId").asText().equals(probe)) {
                o.put("modelSha256", "0".repeat(64));
            }
            lines.add(Json.mapper().writeValueAsString(o));
        }
        writeLines(run, lines);
        assertProblems(verify(run), "probe " + probe + ": modelSha256 000000000000... is not the model this version "
                + "generates");
    }

    @Test
    void paramsThatDoNotMakeTheProbeIdAreRefused() throws IOException {
        Path run = copy(good);
        editLine(run, 1, o -> ((ObjectNode) o.get("params")).put("kernel", "2x2"));
        // The readers' own check refuses the line, naming where the id and the params part.
        assertProblems(verify(run), ":1: probeId: \"...,kernel=3x3,stride=1...\" is not family/params "
                + "(\"...,kernel=2x2,stride=1...\")");
    }

    @Test
    void aRunOfAnotherCatalogVersionIsMarkedAndItsModelsNotCompared() throws IOException {
        Path run = copy(good);
        editEnv(run, env -> env.put("catalogHash", "cd".repeat(32)));
        editLine(run, 1, o -> o.put("modelSha256", "1".repeat(64)));
        editLine(run, 2, o -> o.put("modelSha256", "1".repeat(64)));
        RunVerifier.Result r = verify(run);
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.runs().get(0).catalog().startsWith("made by another catalog version (cdcdcdcdcdcd"),
                r.runs().get(0).catalog());
        assertTrue(r.notes().stream().anyMatch(n -> n.contains("made by another catalog version")), r.notes().toString());
    }

    @Test
    void insaneTimingsAreRefused() throws IOException {
        Path run = copy(good);
        editLine(run, 1, o -> ((ArrayNode) o.get("timing").get("samplesNs")).set(0, -5));
        editLine(run, 2, o -> {
            ((ObjectNode) o.get("timing")).putArray("samplesNs");
            ((ObjectNode) o.get("timing").get("summary")).put("n", 0);
        });
        editLine(run, 3, o -> ((ObjectNode) o.get("timing").get("summary")).put("medianNs", 1.0));
        editLine(run, 4, o -> ((ObjectNode) o.get("timing")).put("loadMs", -1.5));
        // In order and counting its samples, which is all a reader asks, but not what the samples give.
        editLine(run, 5, o -> ((ObjectNode) o.get("timing").get("summary")).put("madNs", 12345.0));
        assertProblems(verify(run), ":1: timing.samplesNs[0]: -5 is negative",
                ":2: timing.summary.n: 0",
                ":3: timing.summary: minNs, medianNs and p90Ns are not in order",
                ":4: timing.loadMs: -1.5 is negative",
                ":5: timing.summary is not the summary of its samples (madNs 12345.0, the samples give ");
    }

    @Test
    void unitsTheRunDoesNotMeasureAreRefused() throws IOException {
        Path run = copy(good);
        editLine(run, firstLine(run, "cpu"), o -> o.put("units", "gpu"));
        assertProblems(verify(run), "units gpu is not among the run's units cpu,ane");
    }

    @Test
    void aHomeDirectoryInALineIsRefused() throws IOException {
        Path run = copy(good);
        editLine(run, 1, o -> o.putArray("log").add("E coreml: cannot open /Users/someone/.cache/aneprobe/m"));
        assertProblems(verify(run), ":1: names a user's home directory (/Users/someone)");
    }

    @Test
    void anAdaptiveRunWithASearchStepOnEveryLinePasses() throws IOException {
        RunVerifier.Result r = verify(true, adaptive);
        assertTrue(r.ok(), r.problems().toString());
        assertTrue(r.runs().get(0).lines() > 0);
        assertTrue(lines(adaptive).stream().allMatch(l -> l.contains("\"search\":{")), "sweep --adaptive writes a "
                + "search step on every line");
    }

    @Test
    void anAdaptiveRunsLineWithoutASearchStepIsRefused() throws IOException {
        Path run = copy(adaptive);
        editLine(run, 2, o -> o.remove("search"));
        assertProblems(verify(true, run), "observations.jsonl:2: no search step, yet the run's arguments say "
                + "--adaptive");
    }

    @Test
    void aGridRunsLineWithASearchStepIsRefused() throws IOException {
        Path run = copy(good);
        JsonNode step = Json.mapper().readTree(lines(adaptive).get(0)).get("search");
        editLine(run, 3, o -> o.set("search", step));
        assertProblems(verify(run), "observations.jsonl:3: a search step, yet the run's arguments do not say "
                + "--adaptive");
        // and the command reports it as any other line problem: one PROBLEM line, exit code 1
        Cli.Run cli = Cli.run("verify-run", run.toString());
        assertEquals(1, cli.exit(), cli.out() + cli.err());
        assertTrue(cli.out().contains("PROBLEM " + run + ": observations.jsonl:3: a search step, yet the run's "
                + "arguments do not say --adaptive (only an adaptive sweep writes one)\n"), cli.out());
    }

    @Test
    void aHostWithoutNeuralEngineGivesNoAneAndPasses() throws IOException {
        RunVerifier.Result r = verify(shards.toArray(Path[]::new));
        assertTrue(r.ok(), r.problems().toString());
        int verdicts = 0;
        for (RunVerifier.RunSummary s : r.runs()) {
            for (Map.Entry<VerdictKind, Integer> e : s.verdicts().entrySet()) {
                assertEquals(VerdictKind.NO_ANE, e.getKey());
                verdicts += e.getValue();
            }
        }
        assertEquals(10, verdicts, "every probe's ane line, across the three shards");
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("shards 1/3, 2/3, 3/3 of one sweep")),
                r.notes().toString());
        // and the same run claiming a verdict that needs a Neural Engine is refused
        Path run = copy(shards.get(0));
        editLine(run, firstLine(run, "ane"), o -> ((ObjectNode) o.get("verdict")).put("kind", "NOT_ANE"));
        assertProblems(verify(run), "verdict NOT_ANE from a host without a Neural Engine");
    }

    @Test
    void anIncompleteShardSetIsRefused() {
        assertProblems(verify(shards.get(0), shards.get(2)), "incomplete: given 1/3, 3/3; missing 2/3");
        RunVerifier.Result alone = verify(shards.get(1));
        assertTrue(alone.ok(), alone.problems().toString());
        assertTrue(alone.notes().stream().anyMatch(n -> n.contains("shard 2/3 given alone")), alone.notes().toString());
    }

    @Test
    void aProbeOfAnotherShardIsRefused() throws IOException {
        Path one = copy(shards.get(0));
        Path two = shards.get(1);
        List<String> lines = new ArrayList<>(lines(one));
        ObjectNode stranger = (ObjectNode) Json.mapper().readTree(lines(two).get(0));
        stranger.put("runId", "shard-1");
        lines.add(Json.mapper().writeValueAsString(stranger));
        writeLines(one, lines);
        assertProblems(verify(one), ":" + lines.size() + ": probe " + stranger.get("probeId").asText()
                + " belongs to shard 2/3, not to this run's 1/3");
    }

    @Test
    void theCommandPrintsTheSummaryAndOneLinePerProblem() throws IOException {
        Path run = copy(good);
        editLine(run, 1, o -> o.put("schema", "one"));
        Cli.Run r = Cli.run("verify-run", run.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("run good (" + run + ")\n"), r.out());
        // The refused line is not counted.
        assertTrue(r.out().contains("  probes:   10, in 20 lines (cpu 9, ane 10)"), r.out());
        assertTrue(r.out().contains("  claims:   "), r.out());
        List<String> problems = r.out().lines().filter(l -> l.startsWith("PROBLEM ")).toList();
        assertEquals(List.of("PROBLEM " + run + ": test data, not a measurement (host.chip \"Test Double D1\")",
                "PROBLEM " + run + ": observations.jsonl:1: schema: text, expected a whole number"), problems);
        assertTrue(r.out().endsWith("FAILED: 2 problem(s) in 1 run(s)\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void aBadRequestIsOneLineAndExitCodeTwo() throws IOException {
        Cli.Run missing = Cli.run("verify-run", dir.resolve("nope").toString());
        assertEquals(2, missing.exit());
        assertEquals("aneprobe: " + dir.resolve("nope") + " does not exist\n", missing.err());
        Files.createDirectories(dir.resolve("empty"));
        Cli.Run empty = Cli.run("verify-run", dir.resolve("empty").toString());
        assertEquals(2, empty.exit());
        assertTrue(empty.err().startsWith("aneprobe: " + dir.resolve("empty") + " holds no run"), empty.err());
        Cli.Run none = Cli.run("verify-run");
        assertEquals(2, none.exit());
        Cli.Run parent = Cli.run("verify-run", "--dry-run", good.getParent().toString());
        assertEquals(1, parent.exit(), "the double's runs are test data");
        assertTrue(parent.out().contains("run shard-2 ("), parent.out());
    }
}
