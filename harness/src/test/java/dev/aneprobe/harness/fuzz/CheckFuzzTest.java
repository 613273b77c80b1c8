package dev.aneprobe.harness.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.cli.CliRunner;
import dev.aneprobe.harness.cli.ExitCodes;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.validate.ModelFileChecker;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzing of {@code check} (bounded, with fixed seeds, so every run tries the same cases): real probes from the
 * generator, mutated by bytes, by protobuf fields, by wire encoding, and for packages by Manifest.json, weight.bin
 * and layout, are fed to the checker one by one and to the {@code check} command a batch at a time. Whatever the
 * mutant: the check ends (no hang), nothing escapes (no exception, no exit 3, nothing on stderr), each model gets one
 * verdict line and the run its count line, the checker and the command agree, and nothing on disk changes.
 * Encodings a protobuf parser reads as the same model must keep the verdict exactly: a model Core ML accepts is
 * never INVALID.
 */
class CheckFuzzTest {
    /** Far more than checking a batch of these small models takes; a hang or a blocking read ends the run here. */
    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final Pattern COUNT = Pattern.compile("(\\d+) OK, (\\d+) INVALID");

    private static Path root;

    /** A seed probe (index into the seed list) and the steps that mutate it. */
    record Mutant(int seed, List<Step> steps) {
    }

    @BeforeContainer
    static void createRoot() throws IOException {
        root = Files.createTempDirectory("aneprobe-fuzz-");
        Files.writeString(root.resolve("outside.txt"), "a file outside the package");
    }

    @AfterContainer
    static void deleteRoot() {
        FuzzFiles.deleteTree(root);
    }

    private static Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> any = Arbitraries.integers().between(0, 1 << 20);
        return Combinators.combine(Arbitraries.integers().between(0, 999), any, any, any).as(Step::new)
                .list().ofMinSize(1).ofMaxSize(3);
    }

    private static Arbitrary<List<Mutant>> batches(int seeds, int size) {
        return Combinators.combine(Arbitraries.integers().between(0, seeds - 1), steps()).as(Mutant::new)
                .list().ofMinSize(1).ofMaxSize(size);
    }

    @Provide
    Arbitrary<List<Mutant>> modelFiles() {
        return batches(FuzzSeeds.neuralNetworks().size(), 10);
    }

    @Provide
    Arbitrary<List<Mutant>> packages() {
        return batches(FuzzSeeds.programs().size(), 6);
    }

    @Provide
    Arbitrary<List<Step>> encodings() {
        return steps();
    }

    // ---- the seeds themselves ----

    @Example
    void everySeedIsOk() throws IOException {
        Path dir = fresh();
        for (int i = 0; i < FuzzSeeds.neuralNetworks().size(); i++) {
            Files.write(dir.resolve("nn-" + i + ".mlmodel"), FuzzSeeds.neuralNetworks().get(i).bytes());
        }
        for (int i = 0; i < FuzzSeeds.programs().size(); i++) {
            writePackage(dir.resolve("mil-" + i + ".mlpackage"), FuzzSeeds.programs().get(i));
        }
        for (ValidationResult r : checkBoth(dir).values()) {
            assertEquals(List.of(), r.problems());
        }
    }

    // ---- mutants ----

    @Property(tries = 200, seed = "20240901", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void mutatedModelFiles(@ForAll("modelFiles") List<Mutant> batch) throws IOException {
        Path dir = fresh();
        for (int i = 0; i < batch.size(); i++) {
            byte[] bytes = FuzzSeeds.neuralNetworks().get(batch.get(i).seed()).bytes();
            for (Step s : batch.get(i).steps()) {
                Step inner = new Step(s.op() / 3, s.a(), s.b(), s.c());
                bytes = switch (s.op() % 3) {
                    case 0 -> ByteMutator.apply(bytes, inner);
                    case 1 -> fieldMutation(bytes, inner);
                    default -> WireMutator.apply(bytes, Model.getDescriptor(), inner);
                };
            }
            Files.write(dir.resolve("m" + i + ".mlmodel"), bytes);
        }
        assertEquals(batch.size(), checkBoth(dir).size());
    }

    @Property(tries = 80, seed = "20240902", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void mutatedPackages(@ForAll("packages") List<Mutant> batch) throws IOException {
        Path dir = fresh();
        for (int i = 0; i < batch.size(); i++) {
            Path pkg = writePackage(dir.resolve("p" + i + ".mlpackage"), FuzzSeeds.programs().get(batch.get(i).seed()));
            for (Step s : batch.get(i).steps()) {
                PackageMutator.apply(pkg, root.resolve("outside.txt"), s);
            }
        }
        // A package whose layout mutation made it something else (a link, a file) may not be found as a package.
        assertTrue(checkBoth(dir).size() <= batch.size());
    }

    /** Fields in another order, packed scalars unpacked, a sub-message split in two: the same model, the same verdict. */
    @Property(tries = 30, seed = "20240903", shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void equivalentEncodingsKeepTheVerdict(@ForAll("encodings") List<Step> steps) throws IOException {
        Path dir = fresh();
        for (int i = 0; i < FuzzSeeds.neuralNetworks().size(); i++) {
            byte[] original = FuzzSeeds.neuralNetworks().get(i).bytes();
            byte[] bytes = original;
            for (Step s : steps) {
                bytes = WireMutator.equivalent(bytes, Model.getDescriptor(), s);
            }
            assertEquals(Model.parseFrom(original), Model.parseFrom(bytes), "the re-encoding must not change the model");
            Files.write(dir.resolve("nn-" + i + ".mlmodel"), bytes);
        }
        for (int i = 0; i < FuzzSeeds.programs().size(); i++) {
            BuiltProbe program = FuzzSeeds.programs().get(i);
            byte[] bytes = program.bytes();
            for (Step s : steps) {
                bytes = WireMutator.equivalent(bytes, Model.getDescriptor(), s);
            }
            assertEquals(Model.parseFrom(program.bytes()), Model.parseFrom(bytes));
            Path pkg = writePackage(dir.resolve("mil-" + i + ".mlpackage"), program);
            Files.write(pkg.resolve(PackageMutator.MODEL), bytes);
        }
        for (Map.Entry<Path, ValidationResult> e : checkBoth(dir).entrySet()) {
            assertTrue(e.getValue().valid(), e.getKey().getFileName() + ": " + e.getValue().message());
        }
    }

    private static byte[] fieldMutation(byte[] bytes, Step s) {
        try {
            return ProtoMutator.apply(Model.parseFrom(bytes), s).toByteArray();
        } catch (IOException e) {
            return bytes; // an earlier step made it unparseable: that is the mutant
        }
    }

    private static Path writePackage(Path pkg, BuiltProbe probe) throws IOException {
        MlPackageWriter.write(pkg, probe.bytes(), probe.weights(), probe.spec().id());
        return pkg;
    }

    private static Path fresh() throws IOException {
        Path dir = root.resolve("case");
        FuzzFiles.deleteTree(dir);
        return Files.createDirectories(dir);
    }

    /**
     * Checks every model in {@code dir} with the checker, one by one, and the whole folder with the command: both end
     * in time and throw nothing; every model is checked (these are small regular files and packages, never skipped);
     * the command prints one line per model, in the checker's order and with its verdict, then the count line, nothing
     * on stderr, and exits 1 exactly when a model is invalid; nothing under the fuzz folder changes. Returns the
     * checker's verdicts.
     */
    private static Map<Path, ValidationResult> checkBoth(Path dir) {
        Map<String, String> before = FuzzFiles.snapshot(root);
        List<String> workingDirectory = FuzzFiles.names(Path.of(""));
        Map<Path, ValidationResult> checked = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        assertTimeoutPreemptively(LIMIT, () -> new ModelFileChecker().check(dir, (p, r) -> {
            assertEquals(null, checked.put(p, r), "checked twice: " + p);
        }, (p, why) -> skipped.add(p + ": " + why)));
        assertEquals(List.of(), skipped, "small regular model files and packages are always checked");
        int invalid = 0;
        for (ValidationResult r : checked.values()) {
            invalid += r.valid() ? 0 : 1;
            for (String problem : r.problems()) {
                assertFalse(problem.isBlank());
                assertFalse(problem.contains("Exception") || problem.contains("java."), problem);
            }
        }

        CliRunner.Result cli = assertTimeoutPreemptively(LIMIT, () -> CliRunner.run("check", dir.toString()));
        assertEquals("", cli.err());
        assertEquals(invalid > 0 ? ExitCodes.FAILED : ExitCodes.OK, cli.exitCode(), cli.out());
        List<String> lines = cli.out().lines().toList();
        assertEquals(checked.size() + 1, lines.size(), cli.out());
        int i = 0;
        for (Map.Entry<Path, ValidationResult> e : checked.entrySet()) {
            String expected = (e.getValue().valid() ? "OK " : "INVALID ") + e.getKey();
            assertTrue(lines.get(i).startsWith(expected), lines.get(i) + " (expected " + expected + ")");
            i++;
        }
        Matcher count = COUNT.matcher(lines.get(i));
        assertTrue(count.matches(), lines.get(i));
        assertEquals(checked.size() - invalid, Integer.parseInt(count.group(1)));
        assertEquals(invalid, Integer.parseInt(count.group(2)));

        assertEquals(before, FuzzFiles.snapshot(root), "check wrote something");
        assertEquals(workingDirectory, FuzzFiles.names(Path.of("")), "check wrote in the working directory");
        return checked;
    }
}
