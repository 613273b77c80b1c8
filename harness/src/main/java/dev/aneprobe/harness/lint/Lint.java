package dev.aneprobe.harness.lint;

import dev.aneprobe.harness.analysis.claims.ClaimSet;
import dev.aneprobe.harness.analysis.merge.ResultMatrix;
import dev.aneprobe.harness.lint.Placement.Basis;
import dev.aneprobe.harness.lint.Placement.Where;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.validate.ModelKinds;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lints models: every layer and op, read as a probe, with its expected placement on each chip/OS asked for, and per
 * chip/OS a summary — how many layers are expected on the ANE, off it and unknown, on what grounds, and where the
 * model will switch device (the likely partition points: consecutive layers, in the order Core ML runs them, one
 * expected on the ANE and the other off it; layers of unknown placement in between are skipped over and counted).
 */
public final class Lint {
    private final FamilyAxes axes;
    private final ClaimSet claims;
    private final List<Target> targets;

    /** One chip/OS to predict for: a measured column, or (nothing measured for it) the claims alone. */
    public record Target(String chipOs, ResultMatrix.Column column) {
        public boolean measured() {
            return column != null;
        }
    }

    /** A place where the expected device changes: between {@code after} and {@code before}. */
    public record Switch(String after, Where from, String before, Where to, int unknownBetween) {
    }

    /** The counts for one chip/OS. */
    public record Summary(int layers, int ane, int notAne, int split, int unknown, Map<Basis, Integer> byBasis,
            List<Switch> switches) {
    }

    /**
     * One layer's placement on one chip/OS; {@code rewrite}, when not null, the {@code aneprobe rewrite} rule that
     * would replace it by layers all expected on the ANE there (the layer itself is not).
     */
    public record Row(LintedLayer layer, Placement placement, String rewrite) {
    }

    /** One model on one chip/OS. */
    public record ColumnResult(Target target, List<Row> rows, Summary summary) {
    }

    /** One model: its type, what was not linted, and its results per chip/OS. */
    public record ModelResult(String path, String type, int specificationVersion, List<String> notLinted,
            List<ColumnResult> columns) {
    }

    public Lint(Catalog catalog, ClaimSet claims, List<Target> targets) {
        this.axes = new FamilyAxes(catalog);
        this.claims = claims;
        this.targets = List.copyOf(targets);
    }

    /**
     * The chip/OS to predict for: the measured columns whose name contains {@code chip} and {@code os} (case
     * ignored; null matches all); when none does (or nothing is measured), one target named after the request
     * that the claims alone decide.
     */
    public static List<Target> targets(ResultMatrix matrix, String chip, String os) {
        List<Target> out = new ArrayList<>();
        if (matrix != null) {
            for (ResultMatrix.Column c : matrix.columns()) {
                String key = c.chipOs().toLowerCase(Locale.ROOT);
                if ((chip == null || key.contains(chip.toLowerCase(Locale.ROOT)))
                        && (os == null || key.contains(os.toLowerCase(Locale.ROOT)))) {
                    out.add(new Target(c.chipOs(), c));
                }
            }
        }
        if (out.isEmpty()) {
            out.add(new Target((chip == null ? "any chip" : chip) + " / " + (os == null ? "any OS" : os)
                    + " (not measured)", null));
        }
        return out;
    }

    public ModelResult lint(String path, Model model) {
        ModelWalker.Walked walked = ModelWalker.walk(model, axes);
        Rewrites rewrites = Rewrites.of(model, axes);
        List<ColumnResult> columns = new ArrayList<>();
        for (Target t : targets) {
            Predictor predictor = new Predictor(t.column(), claims);
            List<Row> rows = new ArrayList<>(walked.layers().size());
            for (LintedLayer l : walked.layers()) {
                Placement p = predictor.predict(l);
                rows.add(new Row(l, p, p.where() == Where.ANE ? null : rewrites.movesToAne(l, predictor)));
            }
            columns.add(new ColumnResult(t, rows, summarize(rows)));
        }
        return new ModelResult(path, ModelKinds.name(model), model.getSpecificationVersion(), walked.notLinted(),
                columns);
    }

    static Summary summarize(List<Row> rows) {
        int[] where = new int[Where.values().length];
        Map<Basis, Integer> byBasis = new EnumMap<>(Basis.class);
        List<Switch> switches = new ArrayList<>();
        Row last = null;
        int unknownSince = 0;
        for (Row r : rows) {
            Where w = r.placement().where();
            where[w.ordinal()]++;
            byBasis.merge(r.placement().basis(), 1, Integer::sum);
            if (w == Where.UNKNOWN) {
                unknownSince++;
                continue;
            }
            if (last != null && last.placement().where().offAne() != w.offAne()) {
                switches.add(new Switch(last.layer().where(), last.placement().where(), r.layer().where(), w,
                        unknownSince));
            }
            last = r;
            unknownSince = 0;
        }
        return new Summary(rows.size(), where[Where.ANE.ordinal()], where[Where.NOT_ANE.ordinal()],
                where[Where.SPLIT.ordinal()], where[Where.UNKNOWN.ordinal()], byBasis, switches);
    }
}
