package dev.aneprobe.harness.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.GenerationRequest;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.validate.ModelFileChecker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long fuzz run, by hand only (not in CI): the mutators of {@link CheckFuzzTest} over up to 6 quick probes of
 * every family, in process, many more steps per mutant, looking only for exceptions escaping the checker. Run with
 * {@code mvn -B -ntp -pl harness -am test -Dtest=CheckFuzzExplorer -Dsurefire.failIfNoSpecifiedTests=false
 * -Daneprobe.fuzz.explore=30000} (the number of model-file mutants; a quarter as many packages), and
 * {@code -Daneprobe.fuzz.seed=N} for another sequence. Each distinct crash (by exception and throwing frame) fails
 * the run with its stack, and the mutated model bytes are kept under {@code target/fuzz-crashes/}.
 */
class CheckFuzzExplorer {
    @TempDir
    Path tmp;

    @Test
    @EnabledIfSystemProperty(named = "aneprobe.fuzz.explore", matches = "\\d+")
    void explore() throws IOException {
        int n = Integer.getInteger("aneprobe.fuzz.explore");
        Random random = new Random(Long.getLong("aneprobe.fuzz.seed", 1));
        List<BuiltProbe> nn = new ArrayList<>();
        List<BuiltProbe> mil = new ArrayList<>();
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        for (ProbeFamily family : catalog.families()) {
            List<ProbeSpec> specs = generator.plan(new GenerationRequest(Profile.QUICK, List.of(family.name()),
                    List.of(), Path.of("unused"), false));
            int want = Math.min(6, specs.size());
            for (int i = 0; i < want; i++) {
                BuiltProbe p = generator.build(family, specs.get(i * specs.size() / want));
                if (p.bytes().length <= 100_000 && (p.weights() == null || p.weights().length <= 1_000_000)) {
                    (p.format().equals("mlmodel") ? nn : mil).add(p);
                }
            }
        }
        Map<String, String> crashes = new TreeMap<>();
        ModelFileChecker checker = new ModelFileChecker();
        for (int k = 0; k < n; k++) {
            byte[] bytes = nn.get(random.nextInt(nn.size())).bytes();
            int steps = 1 + random.nextInt(8);
            for (int j = 0; j < steps; j++) {
                Step s = step(random);
                Step inner = new Step(s.op() / 3, s.a(), s.b(), s.c());
                int kind = random.nextInt(10) < 6 ? 1 : s.op() % 3; // mostly field mutations: they reach deepest
                if (kind == 0) {
                    bytes = ByteMutator.apply(bytes, inner);
                } else if (kind == 1) {
                    try {
                        bytes = ProtoMutator.apply(Model.parseFrom(bytes), inner).toByteArray();
                    } catch (IOException e) {
                        // unparseable already: keep the bytes
                    }
                } else {
                    bytes = WireMutator.apply(bytes, Model.getDescriptor(), inner);
                }
            }
            try {
                checker.checkBytes(bytes);
            } catch (RuntimeException | StackOverflowError e) {
                crash(crashes, e, bytes);
            }
        }
        for (int k = 0; k < n / 4; k++) {
            BuiltProbe probe = mil.get(random.nextInt(mil.size()));
            Path pkg = tmp.resolve("p.mlpackage");
            FuzzFiles.deleteTree(pkg);
            MlPackageWriter.write(pkg, probe.bytes(), probe.weights(), probe.spec().id());
            int steps = 1 + random.nextInt(4);
            for (int j = 0; j < steps; j++) {
                PackageMutator.apply(pkg, tmp.resolve("outside"), step(random));
            }
            try {
                checker.check(pkg, (p, r) -> { }, (p, why) -> { });
            } catch (RuntimeException | StackOverflowError e) {
                Path model = pkg.resolve(PackageMutator.MODEL);
                crash(crashes, e, Files.isRegularFile(model) ? Files.readAllBytes(model) : new byte[0]);
            }
        }
        assertEquals(Map.of(), crashes, "exceptions escaped the checker");
    }

    private static Step step(Random random) {
        return new Step(random.nextInt(1000), random.nextInt(1 << 20), random.nextInt(1 << 20),
                random.nextInt(1 << 20));
    }

    private static void crash(Map<String, String> crashes, Throwable e, byte[] bytes) throws IOException {
        String key = e.getClass().getName() + " at " + (e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        if (!crashes.containsKey(key)) {
            Path dir = Files.createDirectories(Path.of("target", "fuzz-crashes"));
            Path file = Files.write(dir.resolve("crash-" + crashes.size() + ".mlmodel"), bytes);
            StringBuilder trace = new StringBuilder(e.toString()).append(" (model: ").append(file).append(')');
            for (StackTraceElement frame : e.getStackTrace()) {
                trace.append("\n    at ").append(frame);
            }
            crashes.put(key, trace.toString());
        }
    }
}
