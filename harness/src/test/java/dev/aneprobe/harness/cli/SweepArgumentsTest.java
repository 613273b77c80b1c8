package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What env.json records of the sweep's command line: no path of the machine. */
class SweepArgumentsTest {
    private final CommandLine.Model.CommandSpec sweep = new CommandLine(new SweepCommand()).getCommandSpec();

    @Test
    void pathValuesAreReplacedInBothOptionForms() {
        assertEquals(List.of("sweep", "--probes", "<path>", "--out=<path>", "--cache", "<path>", "--log-command",
                "<path>", "--profile", "quick", "--shard", "1/2", "--family", "pooling,upsample"),
                SweepCommand.recordedArguments(sweep, List.of("sweep", "--probes", "/Users/alice/probes-out",
                        "--out=/Users/alice/results", "--cache", "~/c", "--log-command", "/tmp/log", "--profile",
                        "quick", "--shard", "1/2", "--family", "pooling,upsample")));
    }

    @Test
    void anOptionWithoutItsValueIsKeptAsIs() {
        assertEquals(List.of("sweep", "--resume", "--probes"),
                SweepCommand.recordedArguments(sweep, List.of("sweep", "--resume", "--probes")));
    }
}
