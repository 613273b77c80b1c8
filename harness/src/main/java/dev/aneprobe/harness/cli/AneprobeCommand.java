package dev.aneprobe.harness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aneprobe} root command. Each subcommand is one class in this package. */
@Command(
        name = "aneprobe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Finds out, by experiment, which Core ML layers and ops the Apple Neural Engine runs.",
        subcommands = {
            GenerateCommand.class,
            CheckCommand.class,
            LintCommand.class,
            RewriteCommand.class,
            SplitCommand.class,
            ListCommand.class,
            DevicesCommand.class,
            SweepCommand.class,
            ClaimsCommand.class,
            ReportCommand.class,
            VerifyRunCommand.class,
            CommandLine.HelpCommand.class})
public final class AneprobeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Builds the command line with aneprobe's exit-code mapping; tests call this with their own writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new AneprobeCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(AneprobeCommand::handleExecutionException);
        cli.setParameterExceptionHandler(AneprobeCommand::handleParameterException);
        return cli;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    private static int handleParameterException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cli = ex.getCommandLine();
        cli.getErr().println("aneprobe: " + ex.getMessage());
        cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
        return ExitCodes.BAD_INPUT;
    }

    private static int handleExecutionException(
            Exception ex, CommandLine cli, CommandLine.ParseResult parseResult) {
        if (ex instanceof UserInputException) {
            cli.getErr().println("aneprobe: " + ex.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        cli.getErr().println("aneprobe: internal error: " + ex);
        for (StackTraceElement frame : ex.getStackTrace()) {
            cli.getErr().println("    at " + frame);
        }
        cli.getErr().println("This is a bug in aneprobe; please report it with the command line above.");
        return ExitCodes.INTERNAL_ERROR;
    }
}
