package dev.aneprobe.harness.cli;

import dev.aneprobe.harness.rewrite.Splitter;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.output.OutputDirectory;
import dev.aneprobe.probes.output.OutputPathException;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aneprobe split}: a NeuralNetwork model in two parts around a layer, and a pipeline of both. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Cut a NeuralNetwork model before one of its top-level layers, as the seed document suggests "
                + "for a layer the ANE cannot run (section 'Custom layers'): DIR/head.mlmodel (the layers before "
                + "it, which may then run on the ANE), DIR/tail.mlmodel (the layers from it on) and "
                + "DIR/pipeline.mlmodel (both in a pipeline, with the original's inputs, outputs and metadata). "
                + "Blobs crossing the cut become FLOAT32 outputs of the head and inputs of the tail, with their "
                + "shapes; all three models are validated before anything is written.",
            "Exit codes: 0 done; 1 the model is not a valid Core ML model; 2 bad request (no such file or layer, "
                + "the first layer, a layer inside a branch or loop, an ML Program or a model that is not a plain "
                + "NeuralNetwork, a crossing blob of unknown shape, an output directory that may not be replaced)."})
public final class SplitCommand implements Callable<Integer> {
    static final List<String> FILES = List.of("head.mlmodel", "tail.mlmodel", "pipeline.mlmodel");

    /** What split writes, so that --force replaces only an earlier split's three files. */
    static final OutputDirectory.Kind OUTPUT = new OutputDirectory.Kind() {
        @Override
        public String command() {
            return "aneprobe split";
        }

        @Override
        public Predicate<OutputDirectory.Entry> ownEntries(Path dir) {
            Set<String> own = Set.copyOf(FILES);
            return e -> !e.directory() && own.contains(e.path());
        }
    };

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "an .mlmodel file holding a NeuralNetwork")
    Path model;

    @Option(names = "--at", required = true, paramLabel = "LAYER",
            description = "the top-level layer the second part starts with")
    String at;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the directory to write (new, or "
            + "an earlier split's output with --force)")
    Path out;

    @Option(names = "--force", description = "replace DIR when it holds nothing but an earlier split's three files")
    boolean force;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Model input = ModelInput.read(model);
        Splitter.Split split;
        try {
            split = Splitter.split(input, at);
        } catch (Splitter.CannotSplitException e) {
            throw new UserInputException("cannot split " + CheckCommand.printable(model.toString()) + ": "
                    + CheckCommand.printable(e.getMessage()));
        }
        ModelValidator validator = new ModelValidator();
        List<Model> models = List.of(split.head(), split.tail(), split.pipeline());
        for (int i = 0; i < models.size(); i++) {
            ValidationResult v = validator.validate(models.get(i));
            if (!v.valid()) {
                throw new UserInputException("cannot split " + CheckCommand.printable(model.toString())
                        + " before layer '" + CheckCommand.printable(at) + "': " + FILES.get(i) + " would be invalid ("
                        + CheckCommand.printable(v.message()) + ")");
            }
        }
        try (OutputDirectory dir = OutputDirectory.claim(out, OUTPUT, force, List.of(model))) {
            Path temp = dir.begin();
            for (int i = 0; i < models.size(); i++) {
                Files.write(temp.resolve(FILES.get(i)), ProbeGenerator.serialize(models.get(i)));
            }
            dir.commit();
        } catch (OutputPathException e) {
            throw new UserInputException(e.getMessage());
        } catch (IOException e) {
            throw new UserInputException("cannot write " + CheckCommand.printable(out.toString()) + ": "
                    + CheckCommand.printable(OutputDirectory.reason(e)));
        }
        o.println("wrote " + CheckCommand.printable(out.toString()) + ": head.mlmodel ("
                + split.head().getNeuralNetwork().getLayersCount() + " layers), tail.mlmodel ("
                + split.tail().getNeuralNetwork().getLayersCount() + " layers), pipeline.mlmodel; crossing the cut: "
                + CheckCommand.printable(String.join(", ", split.crossing())));
        o.flush();
        return ExitCodes.OK;
    }
}
