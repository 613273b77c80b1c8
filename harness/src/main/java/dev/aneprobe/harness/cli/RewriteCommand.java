package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.rewrite.RewriteRule;
import dev.aneprobe.harness.rewrite.RewriteVerifier;
import dev.aneprobe.harness.rewrite.Rewriter;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aneprobe rewrite}: the seed document's model surgery, where it is exact. */
@Command(name = "rewrite", mixinStandardHelpOptions = true,
        description = {"Replace broadcastable and ND layers of a NeuralNetwork model (plain, classifier, regressor, "
                + "inside pipelines too) by the original Core ML layers, as the seed document suggests (section "
                + "'Broadcastable layers'), wherever the declared shapes make the replacement compute exactly the "
                + "same function; everything else stays as it was. Prints one line per layer replaced "
                + "(REPLACED) and per candidate kept with the reason (KEPT), then a summary. The output has the "
                + "same inputs, outputs and metadata, is validated before it is written, and is written to a "
                + "hidden temporary file then linked into place; an existing --out is never replaced.",
            "Rules (--only): add-broadcastable (AddBroadcastable -> Add; a constant operand: linear Activation or "
                + "Scale with bias), multiply-broadcastable (-> Multiply, Scale, or linear Activation for a "
                + "constant scalar), subtract-broadcastable (-> linear Activation alpha -1 then Add; a constant "
                + "operand: one Activation or Scale with bias), concat-nd (ConcatND along axis -3 or -5 -> "
                + "Concat), load-constant-nd (LoadConstantND [1,1,C,H,W] -> LoadConstant [C,H,W]).",
            "Exit codes: 0 done (also when nothing could be rewritten: no file is written then); 1 the model is "
                + "not a valid Core ML model, or --verify found a difference; 2 bad request (no such file, an "
                + "existing --out, an unknown rule, an ML Program)."})
public final class RewriteCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an .mlmodel file (or .mlpackage) to rewrite")
    Path model;

    @Option(names = "--out", paramLabel = "NEW", description = "where to write the rewritten .mlmodel (must not "
            + "exist); not needed with --dry-run")
    Path out;

    @Option(names = "--only", paramLabel = "RULE", split = ",", description = "apply only these rules (default: "
            + "all): add-broadcastable, multiply-broadcastable, subtract-broadcastable, concat-nd, "
            + "load-constant-nd")
    List<String> only = new ArrayList<>();

    @Option(names = "--dry-run", description = "only report what would be replaced; write nothing")
    boolean dryRun;

    @Option(names = "--verify", description = "run every replaced part and its replacement through aneprobe's fp32 "
            + "reference evaluator on seeded random inputs and compare (exit 1 on a difference)")
    boolean verify;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Set<RewriteRule> rules = EnumSet.noneOf(RewriteRule.class);
        for (String id : only) {
            RewriteRule r = RewriteRule.byId(id.trim());
            if (r == null) {
                throw new UserInputException("unknown rule '" + CheckCommand.printable(id) + "' (rules: "
                        + RewriteRule.ids() + ")");
            }
            rules.add(r);
        }
        if (!dryRun) {
            checkOut();
        }
        Model input = ModelInput.read(model);
        if (input.hasMlProgram()) {
            throw new UserInputException(CheckCommand.printable(model.toString()) + " is an ML Program: none of "
                    + "rewrite's rules apply (they replace NeuralNetwork layers; an ML Program's add, mul, sub, "
                    + "concat and const ops have no broadcastable and original variants to choose between)");
        }
        Rewriter.Result result = Rewriter.rewrite(input, rules);
        boolean differs = false;
        for (Rewriter.Applied a : result.applied()) {
            String line = "REPLACED " + a.where() + " (" + a.layerType() + ") -> " + a.replacement() + " ["
                    + a.rule().id() + "]";
            if (verify) {
                RewriteVerifier.Outcome v = RewriteVerifier.verify(a);
                line += v.equal()
                        ? String.format(Locale.ROOT, "; verified: equal on %,d values (%d seeded inputs, largest "
                                + "difference %s)", v.values(), RewriteVerifier.TRIALS, v.maxAbsDifference())
                        : "; VERIFY FAILED: " + v.problem();
                differs |= !v.equal();
            }
            o.println(CheckCommand.printable(line));
        }
        for (Rewriter.Kept k : result.kept()) {
            o.println(CheckCommand.printable("KEPT " + k.where() + " (" + k.layerType() + "): " + k.reason() + " ["
                    + k.rule().id() + "]"));
        }
        for (String other : result.notNeuralNetwork()) {
            o.println(CheckCommand.printable("NOT REWRITTEN " + other + ": not a NeuralNetwork"));
        }
        String counts = result.applied().size() + " replaced, " + result.kept().size() + " kept";
        if (differs) {
            o.println("verification failed: " + counts + "; nothing written");
            o.flush();
            return ExitCodes.FAILED;
        }
        if (result.applied().isEmpty()) {
            o.println("nothing to rewrite in " + CheckCommand.printable(model.toString())
                    + (result.kept().isEmpty() ? ": no layer of a type the rules replace" : ": " + counts)
                    + "; nothing written");
            o.flush();
            return ExitCodes.OK;
        }
        ValidationResult v = new ModelValidator().validate(result.model());
        if (!v.valid()) {
            throw new IllegalStateException("the rewritten model is invalid: " + v.message());
        }
        if (dryRun) {
            o.println("dry run: " + counts + "; nothing written");
        } else {
            write(result.model());
            o.println("wrote " + CheckCommand.printable(out.toString()) + ": " + counts);
        }
        o.flush();
        return ExitCodes.OK;
    }

    private void checkOut() {
        if (out == null || out.toString().isBlank()) {
            throw new UserInputException("--out is required (or pass --dry-run)");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserInputException("--out " + CheckCommand.printable(out.toString()) + " exists; rewrite "
                    + "never replaces a file (the input model included): name a new file");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserInputException("--out " + CheckCommand.printable(out.toString()) + ": no such directory "
                    + (parent == null ? "" : CheckCommand.printable(parent.toString())));
        }
    }

    /**
     * Writes a hidden temporary file beside --out, forces it to disk, and links it into place (never over a file;
     * where hard links are not supported, renamed after a last check), then removes the temporary name.
     */
    private void write(Model rewritten) {
        Path target = out.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Thread cleanup = new Thread(() -> deleteQuietly(temp), "aneprobe-rewrite-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(ProbeGenerator.serialize(rewritten));
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            try {
                // A hard link is made atomically and never over an existing file.
                Files.createLink(target, temp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException f) {
                    throw f;
                }
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw new FileAlreadyExistsException(target.toString());
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE); // no hard links here
            }
        } catch (FileAlreadyExistsException e) {
            throw new UserInputException("--out " + CheckCommand.printable(out.toString()) + " appeared while the "
                    + "model was written; it was left as it is");
        } catch (IOException e) {
            throw new UserInputException("cannot write " + CheckCommand.printable(out.toString()) + ": "
                    + CheckCommand.printable(String.valueOf(e.getMessage())));
        } finally {
            deleteQuietly(temp);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook removes the temporary file
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover hidden temporary file is named after --out
        }
    }
}
