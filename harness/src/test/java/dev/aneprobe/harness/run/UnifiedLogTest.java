package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.ReasonPatterns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unified-log reader against a fixture script standing in for /usr/bin/log. */
class UnifiedLogTest {
    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private Path script(String body) throws Exception {
        Path s = dir.resolve("fake-log");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private Path fixture() throws Exception {
        Path f = dir.resolve("canned.txt");
        try (var in = getClass().getResourceAsStream("/fixtures/log-show-compact.txt")) {
            Files.copy(in, f);
        }
        return f;
    }

    @Test
    void slicesCannedOutputIntoWindowsKeepingOnlyTheWorkerAndTheAneDaemons() throws Exception {
        Path args = dir.resolve("args.txt");
        Path s = script("for a in \"$@\"; do echo \"$a\"; done > " + args + "\ncat " + fixture());
        UnifiedLog log = new UnifiedLog(List.of(s.toString()), ZoneOffset.UTC, 30);
        List<LogSource.Window> windows = List.of(
                new LogSource.Window(T0, T0.plusMillis(200), 4242),
                new LogSource.Window(T0.plusMillis(200), T0.plusMillis(1000), 4242),
                new LogSource.Window(T0.plusMillis(1000), T0.plusMillis(2000), 5555));
        LogSource.Capture c = log.read(windows);
        assertNull(c.problem());
        assertEquals(1, c.lines(0).size());
        assertTrue(c.lines(0).get(0).endsWith("Loading model from /cache/23F79/abc/model.mlmodelc"));
        assertEquals(2, c.lines(1).size(), c.lines(1).toString());
        assertTrue(c.lines(1).get(0).contains("kernel width = 28 > 13"));
        assertTrue(c.lines(1).get(1).endsWith("FAILED: err=( CompilationFailure)"), "continuation folded in");
        assertTrue(c.lines(1).stream().noneMatch(l -> l.contains("Safari")), "other apps are ignored");
        assertEquals(List.of("2025-03-01 10:00:01.500 I  aned[200:10] [com.apple.ane:daemon] SUCCESS: model=x"),
                c.lines(2));
        assertEquals("kernel-limit", ReasonPatterns.find(c.lines(1)).orElseThrow().pattern());

        assertEquals(List.of("show", "--start", "2025-03-01 10:00:00", "--end", "2025-03-01 10:00:03", "--predicate",
                UnifiedLog.PREDICATE, "--style", "compact", "--info", "--debug"), Files.readAllLines(args));
    }

    @Test
    void aFailingLogCommandIsAProblemNotAnError() throws Exception {
        Path s = script("echo 'log: Cannot run while sandboxed' >&2\nexit 64");
        LogSource.Capture c = new UnifiedLog(List.of(s.toString()), ZoneOffset.UTC, 30)
                .read(List.of(new LogSource.Window(T0, T0.plusSeconds(1), 1)));
        assertNull(c.lines(0));
        assertEquals("'log show' exited with status 64: log: Cannot run while sandboxed", c.problem());

        LogSource.Capture missing = new UnifiedLog(List.of(dir.resolve("nope").toString()), ZoneOffset.UTC, 30)
                .read(List.of(new LogSource.Window(T0, T0.plusSeconds(1), 1)));
        assertTrue(missing.problem().startsWith("cannot run "), missing.problem());
    }
}
