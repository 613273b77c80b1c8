package dev.aneprobe.harness.testutil;

import dev.aneprobe.harness.cli.AneprobeCommand;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the CLI in this JVM with captured writers. */
public final class Cli {
    public record Run(int exit, String out, String err) {
    }

    private Cli() {
    }

    public static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AneprobeCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    public static List<Observation> observations(Path runDir) throws IOException {
        List<Observation> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("observations.jsonl"))) {
            out.add(Json.mapper().readValue(line, Observation.class));
        }
        return out;
    }
}
