package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.testutil.JsonMutator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of claims and report through the command line (issue 9), deterministic and bounded: the FIXTURE run
 * fixture-m1-a (24 probes in 51 good lines, and 3 malformed ones) with one line, the env.json or the whole file
 * mutated (see {@link JsonMutator}), then {@code report} or {@code claims --json} run as a user would. Never exit 3,
 * never a stack trace or a library message, never a hang, nothing written outside the output folder, the run left
 * as it was, and only the rows the good lines make: a mutated line adds at most one row (a flipped hex digit of its
 * model hash is another model) and never a probe that was not measured.
 */
class ClaimsReportFuzzTest {
    static final long SEED = 20_250_910L;
    static final int RUNS = 50;
    static final Pattern ROWS = Pattern.compile("\\n1 run, 1 chip/OS, (\\d+) probe rows?; claims: ");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedRunsNeverBreakClaimsOrReport() throws Exception {
        Path source = Fixtures.runs().resolve("fixture-m1-a");
        String env = Files.readString(source.resolve("env.json"));
        List<String> lines = Files.readAllLines(source.resolve("observations.jsonl"));
        List<String> good = lines.subList(0, 51);
        Map<String, Integer> linesPerRow = new HashMap<>();
        Set<String> ids = new TreeSet<>();
        for (String l : good) {
            JsonNode o = Json.mapper().readTree(l);
            linesPerRow.merge(o.get("probeId").asText() + " " + o.get("modelSha256").asText(), 1, Integer::sum);
            ids.add(o.get("probeId").asText());
        }
        assertEquals(24, linesPerRow.size());
        String claims = Fixtures.repo().resolve("results/claims/claims.json").toString();
        Path run = Files.createDirectories(tmp.resolve("runs/fixture-m1-a"));
        JsonMutator m = new JsonMutator(SEED);
        int refusedRuns = 0;
        for (int i = 0; i < RUNS; i++) {
            int pick = m.nextInt(20);
            byte[] envBytes = env.getBytes(StandardCharsets.UTF_8);
            List<byte[]> obs = new ArrayList<>();
            lines.forEach(l -> obs.add(l.getBytes(StandardCharsets.UTF_8)));
            String target;
            JsonMutator.Mutation mu;
            int lineNo = -1;
            if (pick < 3) {
                mu = m.mutate(env, false);
                envBytes = mu.bytes();
                target = "env.json";
            } else if (pick < 4) {
                // The whole file: cut short or damaged anywhere, newlines included.
                mu = m.mutate(String.join("\n", lines) + "\n", m.nextInt(2) == 0 ? JsonMutator.Kind.TRUNCATE
                        : JsonMutator.Kind.BYTE_FLIP, false);
                obs.clear();
                obs.add(mu.bytes());
                target = "observations.jsonl";
            } else {
                lineNo = 1 + m.nextInt(good.size());
                mu = m.mutate(good.get(lineNo - 1), true);
                obs.set(lineNo - 1, mu.bytes());
                target = "observations.jsonl:" + lineNo;
            }
            byte[] obsBytes = join(obs, pick == 3);
            Files.write(run.resolve("env.json"), envBytes);
            Files.write(run.resolve("observations.jsonl"), obsBytes);
            boolean report = i % 2 == 0;
            Path out = tmp.resolve("out-" + i);
            String context = "#" + i + " " + (report ? "report" : "claims") + " " + target + " " + mu.kind() + " "
                    + mu.where();
            CliRunner.Result r = report
                    ? CliRunner.run("report", "--runs", run.toString(), "--claims", claims, "--out", out.toString())
                    : CliRunner.run("claims", "--runs", run.toString(), "--claims", claims, "--json");

            assertNotEquals(ExitCodes.INTERNAL_ERROR, r.exitCode(), context + "\n" + r.err());
            assertStderrIsPlain(r.err().replace(tmp.toString(), "<tmp>"), context);
            assertTrue(!r.out().contains("Exception"), context);
            // The run is left as it was, and nothing is written but the report's own folder.
            assertArrayEquals(envBytes, Files.readAllBytes(run.resolve("env.json")), context);
            assertArrayEquals(obsBytes, Files.readAllBytes(run.resolve("observations.jsonl")), context);
            try (Stream<Path> s = Files.list(tmp)) {
                List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
                assertEquals(report && r.exitCode() == 0 ? List.of(out.getFileName().toString(), "runs")
                        : List.of("runs"), names, context);
            }
            if (r.exitCode() != 0) {
                assertEquals(ExitCodes.BAD_INPUT, r.exitCode(), context);
                assertTrue(target.equals("env.json"), "only a refused env.json leaves nothing to read: " + context);
                List<String> errors = r.err().lines().filter(l -> !l.startsWith("aneprobe: warning: ")).toList();
                assertEquals(1, errors.size(), context + "\n" + r.err());
                assertTrue(errors.get(0).startsWith("aneprobe: no readable run in "), context);
                refusedRuns++;
                continue;
            }
            if (report) {
                Matcher rm = ROWS.matcher(r.out());
                assertTrue(rm.find(), context + "\n" + r.out());
                int rows = Integer.parseInt(rm.group(1));
                JsonNode json = Json.mapper().readTree(out.resolve("support.json").toFile());
                assertEquals(rows, json.get("rows").size(), context);
                for (JsonNode row : json.get("rows")) {
                    assertTrue(ids.contains(row.get("probeId").asText()), "a probe that was measured: " + context);
                }
                if (target.equals("env.json")) {
                    assertEquals(24, rows, context);
                } else if (lineNo < 0) {
                    assertTrue(rows <= 25, context);
                } else {
                    assertTrue(rows >= 23 && rows <= 25, rows + " rows: " + context);
                }
                if (lineNo > 0 && (mu.kind() == JsonMutator.Kind.ISSUE_CASE
                        || mu.kind() == JsonMutator.Kind.DUPLICATE_FIELD)) {
                    JsonNode o = Json.mapper().readTree(good.get(lineNo - 1));
                    boolean only = linesPerRow.get(o.get("probeId").asText() + " "
                            + o.get("modelSha256").asText()) == 1;
                    assertEquals(only ? 23 : 24, rows, context);
                    assertTrue(r.err().contains("observations.jsonl:" + lineNo + ": skipped: "), context);
                    assertEquals(4, r.err().lines().count(), "three fixture warnings and this line's: " + context);
                }
                deleteTree(out);
            } else {
                JsonNode json = Json.mapper().readTree(r.out());
                assertEquals(1, json.get("runs").asInt(), context);
                assertEquals(35, json.get("claims").size(), context);
            }
        }
        assertTrue(refusedRuns > 0 && refusedRuns < RUNS / 4, "some env.json mutations refuse the run: " + refusedRuns);
    }

    /**
     * Every stderr line is aneprobe's own, short and plain: no stack trace, no library message. (The temporary
     * folder's long path is shortened by the caller; a run in results/raw has a short one.)
     */
    static void assertStderrIsPlain(String err, String context) {
        for (String line : err.lines().toList()) {
            assertTrue(line.startsWith("aneprobe: "), context + "\n" + err);
            int said = Math.max(line.indexOf(": skipped: "), line.indexOf(": refused: "));
            String message = said < 0 ? line : line.substring(said + 11);
            assertTrue(message.length() <= 150, "short: " + line + " <- " + context);
            String lower = line.toLowerCase(Locale.ROOT);
            for (String leak : List.of("exception", "jackson", "fasterxml", "\tat ", "cannot construct",
                    "streamreadfeature", "was expecting")) {
                assertTrue(!lower.contains(leak), line + " <- " + context);
            }
        }
    }

    private static byte[] join(List<byte[]> lines, boolean whole) {
        int n = 0;
        for (byte[] l : lines) {
            n += l.length + (whole ? 0 : 1);
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] l : lines) {
            System.arraycopy(l, 0, out, at, l.length);
            at += l.length;
            if (!whole) {
                out[at++] = '\n';
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
