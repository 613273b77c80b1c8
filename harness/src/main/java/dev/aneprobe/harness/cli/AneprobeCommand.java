package dev.aneprobe.harness.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code aneprobe} root command. Each subcommand is one class in this package. */
@Command(
        name = "aneprobe",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Finds out, by experiment, which Core ML layers and ops the Apple Neural Engine runs.")
public final class AneprobeCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** The subcommands, in the order the help lists them; each name is its class's {@code @Command} name. */
    static final List<String> SUBCOMMANDS = List.of("generate", "check", "lint", "rewrite",
            "split", "list", "devices", "sweep", "claims",
            "report", "verify-run", "help");

    /**
     * A new instance of one subcommand. Only the subcommand a command line names is built (picocli reads each
     * command's annotations by reflection, and its classes cannot be kept in a class-data archive): start-up time
     * matters for lint and check.
     */
    static Object subcommand(String name) {
        return switch (name) {
            case "generate" -> new GenerateCommand();
            case "check" -> new CheckCommand();
            case "lint" -> new LintCommand();
            case "rewrite" -> new RewriteCommand();
            case "split" -> new SplitCommand();
            case "list" -> new ListCommand();
            case "devices" -> new DevicesCommand();
            case "sweep" -> new SweepCommand();
            case "claims" -> new ClaimsCommand();
            case "report" -> new ReportCommand();
            case "verify-run" -> new VerifyRunCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** Builds the command line with every subcommand and aneprobe's exit-code mapping; tests use their own writers. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, SUBCOMMANDS);
    }

    /**
     * The command line for these arguments: when they start with a subcommand's name (other than help), only that
     * subcommand is built — it parses, runs and reports errors exactly as in the whole command line — otherwise all.
     */
    public static CommandLine commandLineFor(PrintWriter out, PrintWriter err, String[] args) {
        boolean one = args.length > 0 && SUBCOMMANDS.contains(args[0]) && !args[0].equals("help");
        return commandLine(out, err, one ? List.of(args[0]) : SUBCOMMANDS);
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err, List<String> subcommands) {
        CommandLine cli = new CommandLine(new AneprobeCommand());
        for (String name : subcommands) {
            cli.addSubcommand(name, subcommand(name));
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(AneprobeCommand::handleExecutionException);
        cli.setParameterExceptionHandler(AneprobeCommand::handleParameterException);
        return cli;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = commandLineFor(out, err, args).execute(args);
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
        if (ex instanceof ModelInput.InvalidModelException) {
            // rewrite and split: the model given is not a valid Core ML model, which is what check exits 1 for
            cli.getErr().println("aneprobe: " + ex.getMessage());
            return ExitCodes.FAILED;
        }
        cli.getErr().println("aneprobe: internal error: " + ex);
        for (StackTraceElement frame : ex.getStackTrace()) {
            cli.getErr().println("    at " + frame);
        }
        cli.getErr().println("This is a bug in aneprobe; please report it with the command line above.");
        return ExitCodes.INTERNAL_ERROR;
    }
}
