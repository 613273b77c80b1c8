package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** main() builds only the subcommand it runs: the list of names and the classes agree, and nothing else changes. */
class SubcommandsTest {
    private static PrintWriter sink() {
        return new PrintWriter(new StringWriter());
    }

    @Test
    void everyListedNameIsItsClassCommandName() {
        for (String name : AneprobeCommand.SUBCOMMANDS) {
            CommandLine cli = new CommandLine(AneprobeCommand.subcommand(name));
            assertEquals(name, cli.getCommandName());
        }
    }

    @Test
    void aNamedSubcommandIsBuiltAloneAnythingElseGetsThemAll() {
        assertEquals(Set.of("lint"), AneprobeCommand.commandLineFor(sink(), sink(), new String[] {"lint", "x"})
                .getSubcommands().keySet());
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"help", "lint"},
                new String[] {"lnt"})) {
            assertEquals(List.copyOf(AneprobeCommand.SUBCOMMANDS), List.copyOf(AneprobeCommand.commandLineFor(
                    sink(), sink(), args).getSubcommands().keySet()), String.join(" ", args));
        }
    }

    @Test
    void aSubcommandAloneParsesAndFailsAsInTheWholeCommandLine() {
        String[] args = {"lint", "--fail-on"};
        StringWriter aloneErr = new StringWriter();
        StringWriter allErr = new StringWriter();
        int alone = AneprobeCommand.commandLineFor(sink(), new PrintWriter(aloneErr, true), args).execute(args);
        int all = AneprobeCommand.commandLine(sink(), new PrintWriter(allErr, true)).execute(args);
        assertEquals(ExitCodes.BAD_INPUT, alone);
        assertEquals(all, alone);
        assertEquals(allErr.toString(), aloneErr.toString());
    }
}
