package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.testutil.TestNative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real worker JVMs driving the C test double: answers, crashes, hangs. */
class WorkerProcessTest {
    static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private WorkerProcess start() {
        return WorkerProcess.start(WorkerProcess.Launch.defaults(dir.resolve("errors")));
    }

    private WorkerRequest request(String name, String... directives) throws Exception {
        Path model = TestNative.model(dir, name + ".mlmodel", directives);
        return new WorkerRequest("probe", name, model.toString(), ManifestReader.sha256(model), ComputeUnits.ANE, 2,
                10, dir.resolve("cache").toString());
    }

    private static List<StageOutcome> stages(WorkerProcess.Outcome o) {
        return o.messages().stream().map(WorkerMessage::outcome).toList();
    }

    @Test
    void answersHostAndProbeRequestsAndCachesCompiledModels() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerMessage h = w.host(GENEROUS);
            assertEquals("Test Double D1", h.host().chip());
            assertEquals(1, h.abi());
            assertEquals(w.pid(), h.pid());

            WorkerRequest r = request("ok", "compile_ms=20", "latency.ane=40000");
            WorkerProcess.Outcome first = w.probe(r, GENEROUS);
            WorkerProcess.Completed c = assertInstanceOf(WorkerProcess.Completed.class, first);
            assertEquals(List.of(Stage.COMPILE, Stage.LOAD, Stage.PLAN, Stage.PREDICT),
                    stages(c).stream().map(StageOutcome::stage).toList());
            assertTrue(stages(c).stream().allMatch(s -> s.status() == StageOutcome.Status.OK));
            assertEquals(20.0, c.messages().get(0).compileMs());
            assertEquals(3.25, c.messages().get(1).loadMs());
            assertEquals("probe", c.messages().get(2).plan().get(0).name());
            assertEquals(10, c.messages().get(3).samplesNs().size());
            assertEquals(40000L * 20 + 12345, c.messages().get(3).coldNs());

            WorkerProcess.Completed again = assertInstanceOf(WorkerProcess.Completed.class, w.probe(r, GENEROUS));
            assertNull(again.messages().get(0).compileMs(), "second run must hit the compiled-model cache");
            assertTrue(Files.isDirectory(new CompiledModelCache(dir.resolve("cache")).location("23F79", r.sha256())));
        }
    }

    @Test
    void coreMlErrorsAreStageResultsNotDeaths() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerProcess.Outcome o = w.probe(request("refused", "fault=error@load",
                    "error=com.apple.CoreML|0|Failed to load model"), GENEROUS);
            List<StageOutcome> s = stages(assertInstanceOf(WorkerProcess.Completed.class, o));
            assertEquals(StageOutcome.Status.FAILED, s.get(1).status());
            assertEquals("Failed to load model", s.get(1).error().description());
            assertEquals(StageOutcome.Status.SKIPPED, s.get(2).status());
            assertEquals(StageOutcome.Status.SKIPPED, s.get(3).status());
            assertTrue(w.alive());
        }
    }

    @Test
    void abortIsACrashWithSignal6AndTheStderrTail() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerProcess.Died d = assertInstanceOf(WorkerProcess.Died.class,
                    w.probe(request("abort", "fault=abort@predict"), GENEROUS));
            assertEquals(VerdictKind.CRASHED, d.failure().kind());
            assertEquals(6, d.failure().signal());
            assertNull(d.failure().exitCode());
            assertTrue(d.failure().stderrTail().stream().anyMatch(l -> l.contains("aborting in predict")),
                    d.failure().stderrTail().toString());
            assertEquals(Stage.PREDICT, d.inProgress());
            assertEquals(3, d.messages().size(), "compile, load and plan finished before the crash");
            assertFalse(w.alive());
            assertThrows(IllegalStateException.class, () -> w.probe(request("x"), GENEROUS));
        }
    }

    @Test
    void segfaultIsACrashWithSignal11() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerProcess.Died d = assertInstanceOf(WorkerProcess.Died.class,
                    w.probe(request("segv", "fault=segv@load"), GENEROUS));
            assertEquals(VerdictKind.CRASHED, d.failure().kind());
            assertEquals(11, d.failure().signal(), d.failure().toString());
            assertEquals(Stage.LOAD, d.inProgress());
            assertTrue(d.failure().stderrTail().stream().anyMatch(l -> l.contains("writing to address 16")),
                    d.failure().stderrTail().toString());
        }
    }

    @Test
    void hangIsKilledAfterTheTimeout() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerProcess.Died d = assertInstanceOf(WorkerProcess.Died.class,
                    w.probe(request("hang", "fault=hang@predict"), Duration.ofSeconds(2)));
            assertEquals(VerdictKind.TIMEOUT, d.failure().kind());
            assertEquals(2.0, d.failure().timeoutSeconds());
            assertEquals(9, d.failure().signal());
            assertEquals(Stage.PREDICT, d.inProgress());
            assertTrue(d.failure().stderrTail().stream().anyMatch(l -> l.contains("hanging in predict")));
        }
    }

    @Test
    void plainExitIsACrashWithItsStatus() throws Exception {
        try (WorkerProcess w = start()) {
            WorkerProcess.Died d = assertInstanceOf(WorkerProcess.Died.class,
                    w.probe(request("exit", "fault=exit@compile"), GENEROUS));
            assertEquals(VerdictKind.CRASHED, d.failure().kind());
            assertNull(d.failure().signal());
            assertEquals(3, d.failure().exitCode());
            assertEquals(Stage.COMPILE, d.inProgress());
            assertTrue(d.messages().isEmpty());
        }
    }

    @Test
    void aCrashReadingTheHostIsAWorkerException() {
        WorkerProcess.Launch l = WorkerProcess.Launch.defaults(dir.resolve("errors"))
                .withEnvironment(Map.of("ANEPROBE_DOUBLE_FAULT", "abort@host"));
        try (WorkerProcess w = WorkerProcess.start(l)) {
            WorkerException e = assertThrows(WorkerException.class, () -> w.host(GENEROUS));
            assertTrue(e.getMessage().contains("killed by signal 6"), e.getMessage());
            assertTrue(e.getMessage().contains("aborting in host"), e.getMessage());
        }
    }
}
