package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.testutil.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's probes come from one catalog version: a resume by an aneprobe of another catalog version is refused. */
class ResumeCatalogTest {
    @TempDir
    Path dir;

    private Sweep.Result sweep(Path probes, boolean resume) {
        return new Sweep(WorkerProcess.Launch.defaults(dir.resolve("err")), LogSource.OFF, Clock.systemUTC(), h -> {
        }).run(new Sweep.Plan(dir.resolve("results"), "r", resume, ManifestReader.read(probes), Shard.ALL,
                List.of(ComputeUnits.CPU), 0, 3, Duration.ofSeconds(60), dir.resolve("cache"), null, List.of("sweep")),
                new Sweep.Listener() {
                });
    }

    @Test
    void aResumeByAnotherCatalogVersionIsRefused() throws Exception {
        Path probes = new Probes().add("pooling/a").write(dir.resolve("probes"));
        Path runDir = sweep(probes, false).runDir();
        Path envFile = runDir.resolve("env.json");
        ObjectNode env = (ObjectNode) Json.mapper().readTree(envFile.toFile());
        env.put("catalogHash", "ab".repeat(32));
        Files.write(envFile, Json.mapper().writeValueAsBytes(env));
        UserInputException e = assertThrows(UserInputException.class, () -> sweep(probes, true));
        assertTrue(e.getMessage().startsWith("run r was made by another catalog version (abababababab, this aneprobe "
                + "makes "), e.getMessage());
        assertEquals(1, Files.readAllLines(runDir.resolve("observations.jsonl")).size(), "nothing was added");
    }
}
