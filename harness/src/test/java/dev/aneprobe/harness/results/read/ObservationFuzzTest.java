package dev.aneprobe.harness.results.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.results.EnvRecord;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.TimingSummary;
import dev.aneprobe.harness.testutil.JsonMutator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing of what claims and report read (issue 9), deterministic and bounded: thousands of mutations of the FIXTURE
 * observation lines and env.json files (values of other types, huge and non-finite numbers, fields removed, added
 * and doubled, nested garbage, truncation, bit flips, inserted bytes, and the cases the issue found accepted). Each
 * is either read whole, meeting every rule an observation must meet, or refused with one short plain line; never an
 * exception. The command-line fuzzing is in {@code ClaimsReportFuzzTest}.
 */
class ObservationFuzzTest {
    static final long SEED = 20_250_909L;
    static final int LINES = 3000;
    static final int ENVS = 1000;

    /** A warning or refusal as a user sees it: short, one line, no library or class names. */
    static void assertPlain(String message, String context) {
        assertNotNull(message, context);
        assertTrue(message.length() <= 100, "short: " + message + " <- " + context);
        String lower = message.toLowerCase(Locale.ROOT);
        for (String leak : List.of("jackson", "fasterxml", "exception", "unexpected", "was expecting", "cannot "
                + "construct", "dev.aneprobe", "streamreadfeature", "\n", "\r")) {
            assertTrue(!lower.contains(leak), "plain words: " + message + " <- " + context);
        }
    }

    record Line(String text, String runId) {
    }

    static List<Line> fixtureLines() throws Exception {
        List<Line> out = new ArrayList<>();
        for (String run : List.of("fixture-m1-a", "fixture-m1-b", "fixture-m2")) {
            for (String l : Files.readAllLines(Fixtures.runs().resolve(run).resolve(RunDir.OBSERVATIONS))) {
                byte[] b = l.getBytes(StandardCharsets.UTF_8);
                String[] p = new String[1];
                if (ObservationReader.parseLine(b, 0, b.length, run, p, 0) != null) {
                    out.add(new Line(l, run));
                }
            }
        }
        assertEquals(69, out.size());
        return out;
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedLinesAreReadWholeOrRefusedInOnePlainLine() throws Exception {
        List<Line> lines = fixtureLines();
        JsonMutator m = new JsonMutator(SEED);
        Map<JsonMutator.Kind, int[]> seen = new EnumMap<>(JsonMutator.Kind.class); // used, refused
        for (int i = 0; i < LINES; i++) {
            Line base = lines.get(m.nextInt(lines.size()));
            byte[] ob = base.text().getBytes(StandardCharsets.UTF_8);
            Observation original = ObservationReader.parseLine(ob, 0, ob.length, base.runId(), new String[1], 0);
            JsonMutator.Mutation mu = m.mutate(base.text(), true);
            String context = "#" + i + " " + mu.kind() + " " + mu.where() + ": " + cut(mu.text());
            String[] problem = new String[1];
            Observation o = ObservationReader.parseLine(mu.bytes(), 0, mu.bytes().length, base.runId(), problem, 0);
            int[] counts = seen.computeIfAbsent(mu.kind(), k -> new int[2]);
            if (o == null) {
                counts[1]++;
                if (!blank(mu.bytes())) {
                    assertPlain(problem[0], context);
                }
            } else {
                counts[0]++;
                assertNull(problem[0], context);
                assertObservation(o, base.runId(), context);
            }
            switch (mu.kind()) {
                case UNKNOWN_FIELD -> assertEquals(original, o, "a field no reader knows changes nothing: " + context);
                case ISSUE_CASE, DUPLICATE_FIELD -> assertNull(o, "must be refused: " + context);
                default -> { }
            }
        }
        // Every kind of mutation was tried, and most refuse the line (but not all: a flipped digit can stay valid).
        assertEquals(JsonMutator.Kind.values().length, seen.size(), seen.keySet().toString());
        assertTrue(seen.get(JsonMutator.Kind.TYPE_SWAP)[1] > seen.get(JsonMutator.Kind.TYPE_SWAP)[0]);
    }

    /** Every rule an observation that was read must meet. */
    static void assertObservation(Observation o, String runId, String context) {
        assertEquals(Observation.SCHEMA, o.schema(), context);
        assertEquals(runId, o.runId(), context);
        assertTrue(ObservationParser.idMatches(o.probeId(), o.family(), o.params()), context);
        assertTrue(o.modelSha256().matches("[0-9a-f]{64}"), context);
        assertNotNull(o.units(), context);
        assertEquals(o.units().allowsNeuralEngine(), o.verdict() != null, context);
        if (o.verdict() != null) {
            assertNotNull(o.verdict().kind(), context);
        }
        TimingSummary s = o.timing() == null ? null : o.timing().summary();
        if (s != null) {
            assertTrue(s.n() >= 1 && s.minNs() >= 0 && s.minNs() <= s.medianNs() && s.medianNs() <= s.p90Ns()
                    && s.p90Ns() <= ObservationParser.MAX_NS && s.madNs() >= 0 && s.madNs() <= ObservationParser.MAX_NS,
                    context);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void mutatedEnvFilesAreReadWholeOrRefusedInOnePlainLine() throws Exception {
        List<String> envs = new ArrayList<>();
        for (String run : List.of("fixture-m1-a", "fixture-m1-b", "fixture-m2")) {
            envs.add(Files.readString(Fixtures.runs().resolve(run).resolve(RunDir.ENV)));
        }
        JsonMutator m = new JsonMutator(SEED + 1);
        int refused = 0;
        for (int i = 0; i < ENVS; i++) {
            String base = envs.get(m.nextInt(envs.size()));
            EnvRecord original = EnvParser.parse(base.getBytes(StandardCharsets.UTF_8));
            JsonMutator.Mutation mu = m.mutate(base, false);
            String context = "#" + i + " " + mu.kind() + " " + mu.where() + ": " + cut(mu.text());
            EnvRecord e;
            try {
                e = EnvParser.parse(mu.bytes());
            } catch (EnvParser.Problem p) {
                refused++;
                assertPlain(p.getMessage(), context);
                assertTrue(mu.kind() != JsonMutator.Kind.UNKNOWN_FIELD, "an unknown field is ignored: " + context);
                continue;
            }
            assertEquals(EnvRecord.SCHEMA, e.schema(), context);
            for (String s : List.of(e.runId(), e.host().chip(), e.host().osName(), e.host().osVersion())) {
                assertTrue(!s.isBlank() && s.chars().noneMatch(c -> c < 0x20), context);
            }
            assertTrue(!e.runId().contains("/") && !e.runId().startsWith("."), context);
            if (mu.kind() == JsonMutator.Kind.UNKNOWN_FIELD) {
                assertEquals(Json.mapper().writeValueAsString(original), Json.mapper().writeValueAsString(e), context);
            }
        }
        assertTrue(refused > ENVS / 3, "most mutations refuse the file: " + refused);
    }

    private static boolean blank(byte[] b) {
        for (byte c : b) {
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static String cut(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
