package dev.aneprobe.harness.cli;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.analysis.merge.RunListener;
import dev.aneprobe.harness.lint.Lint;
import dev.aneprobe.harness.lint.Placement;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.read.RunDir;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.validate.ModelFiles;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code aneprobe lint}: which layers of a model will leave the Neural Engine, and why. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = {"For every NeuralNetwork layer and ML Program op of each model (inside classifiers, "
                + "pipelines, branches, loops and nested blocks too): its probe family and axis values, and where it "
                + "is expected to run on each chip/OS - from a probe measured with the same values, else from a "
                + "measured threshold the values lie beyond, else from the claims (said as claimed, untested), else "
                + "unknown - with the deciding probe or claim and its source; then a summary with the layers "
                + "expected on the ANE, off it and unknown, and the places where the model switches device.",
            "Exit codes: 0 done; 1 a model could not be read, or a --fail-on condition holds; 2 bad request."})
public final class LintCommand implements Callable<Integer> {
    private static final Set<String> FAIL_ON = Set.of("not-ane", "split", "untested");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "MODEL",
            description = ".mlmodel files, .mlpackage directories, or directories searched for both")
    List<Path> models;

    @Mixin
    RunsOptions options = new RunsOptions();

    @Option(names = "--chip", paramLabel = "C", description = "Only chip/OS whose chip contains C (e.g. M1).")
    String chip;

    @Option(names = "--os", paramLabel = "V", description = "Only chip/OS whose OS contains V (e.g. 14.5).")
    String os;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--fail-on", split = ",", paramLabel = "WHAT",
            description = "Exit 1 when: not-ane (a layer is expected off the ANE, in full or in part), split (the "
                    + "model switches device, or a layer is split), untested (a layer's placement is not measured: "
                    + "claimed or unknown). Several may be given, comma-separated.")
    List<String> failOn = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String f : failOn) {
            if (!FAIL_ON.contains(f)) {
                throw new UserInputException("unknown --fail-on value '" + f + "' (expected not-ane, split or "
                        + "untested)");
            }
        }
        for (Path p : models) {
            if (p.toString().isEmpty()) {
                throw new UserInputException("an empty string is not a path (to lint the current directory, "
                        + "pass '.')");
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserInputException("no such file or directory: " + CheckCommand.printable(p.toString()));
            }
        }
        // The catalog, the claims, the runs and the schema's descriptors load on other threads while the models
        // are read: on a cold JVM most of lint's time is class loading and start-up, which the cores can share.
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lint-load");
            t.setDaemon(true);
            return t;
        });
        // Without --runs, a missing results/raw just means nothing is measured: the claims decide.
        boolean defaultRuns = options.runs == null || options.runs.isEmpty();
        Future<Measured> measured = pool.submit(() -> {
            List<RunDir> found = defaultRuns && !Files.isDirectory(RunsOptions.DEFAULT_RUNS) ? List.of()
                    : options.discover(err);
            return new Measured(found, found.isEmpty() ? null
                    : ResultMatrix.read(found, RunsOptions.warnings(err), RunListener.NONE));
        });
        Future<ClaimSet> claimsLoaded = pool.submit(() -> options.claimSet(err));
        Future<Catalog> catalog = pool.submit(Catalog::standard);
        // Layer type names come from the NeuralNetwork part of the schema's descriptors, a while to build.
        Future<?> descriptors = pool.submit(() -> dev.aneprobe.probes.coreml.NeuralNetworkLayer.getDescriptor());
        List<ModelFiles.Read> found = new ArrayList<>();
        List<RunDir> runs;
        ResultMatrix matrix;
        ClaimSet claims;
        Catalog families;
        try {
            for (Path p : models) {
                // As check reads them (same limits, same skips); a package's raw bytes are not kept, only its model.
                ModelFiles.read(p, r -> found.add(r.pkg() == null ? r
                        : new ModelFiles.Read(r.path(), r.model(), null, r.invalid(), r.skipped())));
            }
            Measured m = get(measured);
            runs = m.runs();
            matrix = m.matrix();
            claims = get(claimsLoaded);
            families = get(catalog);
            get(descriptors);
        } finally {
            pool.shutdownNow();
        }
        Lint lint = new Lint(families, claims, Lint.targets(matrix, chip, os));

        List<Lint.ModelResult> results = new ArrayList<>();
        List<ModelFiles.Read> unread = new ArrayList<>();
        for (ModelFiles.Read f : found) {
            if (f.model() == null) {
                unread.add(f);
                if (!json) {
                    out.println((f.invalid() != null ? "INVALID " : "SKIPPED ") + CheckCommand.printable(
                            f.path().toString()) + ": " + CheckCommand.printable(f.invalid() != null ? f.invalid()
                            : f.skipped()));
                }
                continue;
            }
            Lint.ModelResult r = lint.lint(f.path().toString(), f.model());
            results.add(r);
            if (!json) {
                text(out, r);
            }
        }
        if (json) {
            out.println(Json.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(
                    toJson(runs.size(), results, unread)));
        }
        out.flush();
        boolean failed = unread.stream().anyMatch(f -> f.invalid() != null);
        for (Lint.ModelResult r : results) {
            for (Lint.ColumnResult c : r.columns()) {
                failed |= failOn.contains("not-ane") && c.summary().notAne() + c.summary().split() > 0;
                failed |= failOn.contains("split") && (!c.summary().switches().isEmpty() || c.summary().split() > 0);
                failed |= failOn.contains("untested") && c.rows().stream().anyMatch(row ->
                        row.placement().basis() == Placement.Basis.CLAIMED
                                || row.placement().basis() == Placement.Basis.UNKNOWN);
            }
        }
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** The runs read, and what they measured (null when there are none). */
    private record Measured(List<RunDir> runs, ResultMatrix matrix) {
    }

    /** A loader's result; its failure as the exception it threw (a bad claims file is a UserInputException). */
    private static <T> T get(Future<T> f) throws Exception {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    private static void text(PrintWriter out, Lint.ModelResult r) {
        int layers = r.columns().isEmpty() ? 0 : r.columns().get(0).rows().size();
        out.println(r.path() + ": " + r.type() + ", specification " + r.specificationVersion() + ", " + layers
                + (layers == 1 ? " layer" : " layers")
                + (r.notLinted().isEmpty() ? "" : " (not linted: " + String.join(", ", r.notLinted()) + ")"));
        for (Lint.ColumnResult c : r.columns()) {
            out.println("  on " + c.target().chipOs() + ":");
            for (Lint.Row row : c.rows()) {
                Placement p = row.placement();
                String family = row.layer().family() == null ? "no family"
                        : row.layer().family() + (row.layer().params().isEmpty() ? "" : " " + row.layer().paramText());
                out.printf("    %-8s %-28s %s  [%s]%n", p.where(), p.basis().words(), row.layer().where(), family);
                out.println("             " + p.reason());
                if (row.rewrite() != null) {
                    out.println("             rewrite: " + row.rewrite());
                }
            }
            Lint.Summary s = c.summary();
            out.println("  summary: " + s.layers() + (s.layers() == 1 ? " layer" : " layers") + ": " + s.ane()
                    + " on the ANE, " + (s.notAne() + s.split()) + " off it" + (s.split() > 0 ? " (" + s.split()
                    + " split)" : "") + ", " + s.unknown() + " unknown; " + basis(s));
            if (s.switches().isEmpty()) {
                out.println("  device switches: none");
            } else {
                out.println("  device switches: " + s.switches().size() + " (likely partition points)");
                for (Lint.Switch w : s.switches()) {
                    out.println("    " + w.from() + " -> " + w.to() + ": after " + w.after() + ", before "
                            + w.before() + (w.unknownBetween() > 0 ? " (" + w.unknownBetween()
                            + " of unknown placement between)" : ""));
                }
            }
        }
    }

    private static String basis(Lint.Summary s) {
        List<String> parts = new ArrayList<>();
        for (Placement.Basis b : Placement.Basis.values()) {
            parts.add(b.words() + " " + s.byBasis().getOrDefault(b, 0));
        }
        return String.join(", ", parts);
    }

    private static Map<String, Object> toJson(int runs, List<Lint.ModelResult> results,
            List<ModelFiles.Read> unread) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", 1);
        root.put("runs", runs);
        List<Map<String, Object>> models = new ArrayList<>();
        for (Lint.ModelResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", r.path());
            m.put("type", r.type());
            m.put("specificationVersion", r.specificationVersion());
            m.put("notLinted", r.notLinted());
            List<Map<String, Object>> columns = new ArrayList<>();
            for (Lint.ColumnResult c : r.columns()) {
                Map<String, Object> col = new LinkedHashMap<>();
                col.put("chipOs", c.target().chipOs());
                col.put("measured", c.target().measured());
                List<Map<String, Object>> layers = new ArrayList<>();
                for (Lint.Row row : c.rows()) {
                    Map<String, Object> l = new LinkedHashMap<>();
                    l.put("where", row.layer().where());
                    l.put("name", row.layer().name());
                    l.put("layerType", row.layer().layerType());
                    l.put("family", row.layer().family());
                    l.put("params", row.layer().params());
                    l.put("unread", row.layer().unread());
                    l.put("placement", row.placement().where().name());
                    l.put("basis", row.placement().basis().name());
                    l.put("reason", row.placement().reason());
                    l.put("probes", row.placement().probes());
                    l.put("claims", row.placement().claims());
                    l.put("rewrite", row.rewrite());
                    layers.add(l);
                }
                col.put("layers", layers);
                Lint.Summary s = c.summary();
                Map<String, Object> sum = new LinkedHashMap<>();
                sum.put("layers", s.layers());
                sum.put("ane", s.ane());
                sum.put("notAne", s.notAne());
                sum.put("split", s.split());
                sum.put("unknown", s.unknown());
                Map<String, Integer> byBasis = new LinkedHashMap<>();
                for (Placement.Basis b : Placement.Basis.values()) {
                    byBasis.put(b.name(), s.byBasis().getOrDefault(b, 0));
                }
                sum.put("byBasis", byBasis);
                List<Map<String, Object>> switches = new ArrayList<>();
                for (Lint.Switch w : s.switches()) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("after", w.after());
                    x.put("from", w.from().name());
                    x.put("before", w.before());
                    x.put("to", w.to().name());
                    x.put("unknownBetween", w.unknownBetween());
                    switches.add(x);
                }
                sum.put("switches", switches);
                col.put("summary", sum);
                columns.add(col);
            }
            m.put("columns", columns);
            models.add(m);
        }
        root.put("models", models);
        List<Map<String, Object>> bad = new ArrayList<>();
        for (ModelFiles.Read f : unread) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("path", f.path().toString());
            x.put(f.invalid() != null ? "invalid" : "skipped", f.invalid() != null ? f.invalid() : f.skipped());
            bad.add(x);
        }
        root.put("unread", bad);
        return root;
    }
}
