package dev.aneprobe.harness.simulate;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rule predicates in Google's Common Expression Language (CEL, {@code dev.cel:cel}): typed, side-effect free,
 * guaranteed to terminate, and checked before anything runs. Each predicate is compiled against the declared
 * variables below (so an unknown name or a type mismatch between them is a compile error) and must be a bool; then
 * the names it reads from the maps ({@code params.X}, {@code input.X}, {@code model.X}, ...) are checked against
 * what the extractor provides for the rule's layer and op types.
 */
final class Predicates {
    private static final MapType DYN_MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

    /** Every variable a predicate may read, with its CEL type. */
    static final Map<String, CelType> VARIABLES;

    static {
        Map<String, CelType> v = new LinkedHashMap<>();
        v.put("type", SimpleType.STRING);
        v.put("format", SimpleType.STRING);
        v.put("params", DYN_MAP);
        v.put("inputs", ListType.create(DYN_MAP));
        v.put("outputs", ListType.create(DYN_MAP));
        v.put("input", DYN_MAP);
        v.put("output", DYN_MAP);
        v.put("weights", ListType.create(DYN_MAP));
        v.put("dtypes", ListType.create(SimpleType.STRING));
        v.put("elements", SimpleType.INT);
        v.put("flops", SimpleType.INT);
        v.put("depth", SimpleType.INT);
        v.put("model", DYN_MAP);
        VARIABLES = java.util.Collections.unmodifiableMap(v);
    }

    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .build();

    private static final Cel CEL = build();

    private static Cel build() {
        var b = CelFactory.standardCelBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(CelExtensions.math(OPTIONS), CelExtensions.strings())
                .addRuntimeLibraries(CelExtensions.math(OPTIONS), CelExtensions.strings())
                .setResultType(SimpleType.BOOL);
        VARIABLES.forEach(b::addVar);
        return b.build();
    }

    private Predicates() {
    }

    /** A compiled predicate. */
    static final class Predicate {
        private final String text;
        private final CelRuntime.Program program;

        Predicate(String text, CelRuntime.Program program) {
            this.text = text;
            this.program = program;
        }

        String text() {
            return text;
        }

        boolean test(Map<String, Object> variables) throws CelEvaluationException {
            return Boolean.TRUE.equals(program.eval(variables));
        }
    }

    /**
     * Compiles a predicate, or says in one line what is wrong with it.
     *
     * @param paramNames the parameter names of the rule's types, or null when the rule names no types (then it may
     *     not read params)
     */
    static Predicate compile(String text, Set<String> paramNames, String typesText) throws ProblemException {
        CelValidationResult r = CEL.compile(text);
        if (r.hasError()) {
            String first = r.getErrorString().lines().findFirst().orElse("").strip()
                    .replaceFirst("^ERROR: <input>:", "");
            if (first.contains("undeclared reference to")) {
                String name = first.replaceAll(".*undeclared reference to '([^']*)'.*", "$1");
                throw new ProblemException("'when' names an unknown value '" + name + "' (at line:column "
                        + first.replaceAll("^(\\d+:\\d+):.*", "$1") + "; the values are "
                        + String.join(", ", VARIABLES.keySet()) + ")");
            }
            throw new ProblemException("'when' does not compile: " + first.replace(" (in container '')", ""));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = r.getAst();
        } catch (Exception e) {
            throw new ProblemException("'when' does not compile: " + e.getMessage());
        }
        new NameCheck(paramNames, typesText).walk(ast.getExpr(), new HashMap<>());
        try {
            return new Predicate(text, CEL.createProgram(ast));
        } catch (Exception e) {
            throw new ProblemException("'when' cannot be prepared: " + e.getMessage());
        }
    }

    /** A problem with one predicate, without the file and rule (the caller adds them). */
    static final class ProblemException extends Exception {
        ProblemException(String message) {
            super(message);
        }
    }

    /** What a map-valued expression holds, for checking the names read from it. */
    private enum Shape { PARAMS, TENSOR, TENSORS, WEIGHT, WEIGHTS, MODEL, OTHER }

    /** Checks every constant name read from the maps the extractor fills. */
    private static final class NameCheck {
        private final Set<String> paramNames;
        private final String typesText;

        NameCheck(Set<String> paramNames, String typesText) {
            this.paramNames = paramNames;
            this.typesText = typesText;
        }

        void walk(CelExpr e, Map<String, Shape> scope) throws ProblemException {
            switch (e.getKind()) {
                case SELECT -> {
                    check(shapeOf(e.select().operand(), scope), e.select().field());
                    walk(e.select().operand(), scope);
                }
                case CALL -> {
                    var c = e.call();
                    if (c.function().equals("_[_]") && c.args().size() == 2
                            && c.args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                            && c.args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                        check(shapeOf(c.args().get(0), scope), c.args().get(1).constant().stringValue());
                    }
                    if (c.target().isPresent()) {
                        walk(c.target().get(), scope);
                    }
                    for (CelExpr a : c.args()) {
                        walk(a, scope);
                    }
                }
                case LIST -> {
                    for (CelExpr x : e.list().elements()) {
                        walk(x, scope);
                    }
                }
                case MAP -> {
                    for (var entry : e.map().entries()) {
                        walk(entry.key(), scope);
                        walk(entry.value(), scope);
                    }
                }
                case COMPREHENSION -> {
                    var c = e.comprehension();
                    walk(c.iterRange(), scope);
                    Shape range = shapeOf(c.iterRange(), scope);
                    Map<String, Shape> inner = new HashMap<>(scope);
                    inner.put(c.iterVar(), range == Shape.TENSORS ? Shape.TENSOR
                            : range == Shape.WEIGHTS ? Shape.WEIGHT : Shape.OTHER);
                    inner.put(c.accuVar(), Shape.OTHER);
                    walk(c.accuInit(), inner);
                    walk(c.loopCondition(), inner);
                    walk(c.loopStep(), inner);
                    walk(c.result(), inner);
                }
                default -> {
                }
            }
        }

        private static Shape shapeOf(CelExpr e, Map<String, Shape> scope) {
            switch (e.getKind()) {
                case IDENT -> {
                    String n = e.ident().name();
                    if (scope.containsKey(n)) {
                        return scope.get(n);
                    }
                    return switch (n) {
                        case "params" -> Shape.PARAMS;
                        case "input", "output" -> Shape.TENSOR;
                        case "inputs", "outputs" -> Shape.TENSORS;
                        case "weights" -> Shape.WEIGHTS;
                        case "model" -> Shape.MODEL;
                        default -> Shape.OTHER;
                    };
                }
                case SELECT -> {
                    Shape s = shapeOf(e.select().operand(), scope);
                    String f = e.select().field();
                    if (s == Shape.MODEL && (f.equals("inputs") || f.equals("outputs"))) {
                        return Shape.TENSORS;
                    }
                    return Shape.OTHER;
                }
                case CALL -> {
                    var c = e.call();
                    if (c.function().equals("_[_]") && c.args().size() == 2) {
                        Shape s = shapeOf(c.args().get(0), scope);
                        return s == Shape.TENSORS ? Shape.TENSOR : s == Shape.WEIGHTS ? Shape.WEIGHT : Shape.OTHER;
                    }
                    return Shape.OTHER;
                }
                default -> {
                    return Shape.OTHER;
                }
            }
        }

        private void check(Shape s, String field) throws ProblemException {
            switch (s) {
                case PARAMS -> {
                    if (paramNames == null) {
                        throw new ProblemException("'when' reads params." + field
                                + " but the rule names no types, so its parameters are unknown (add 'types')");
                    }
                    if (!paramNames.contains(field)) {
                        throw new ProblemException("'when' names an unknown value 'params." + field + "': "
                                + typesText + " " + (paramNames.isEmpty() ? "has no parameters"
                                : "has " + String.join(", ", new java.util.TreeSet<>(paramNames))));
                    }
                }
                case TENSOR -> known(field, TensorFacts.KEYS, "a tensor");
                case WEIGHT -> known(field, WeightFacts.KEYS, "a weight");
                case MODEL -> known(field, ModelFacts.KEYS, "model");
                case TENSORS, WEIGHTS -> throw new ProblemException("'when' reads ." + field
                        + " from a list (index it, or use exists/all)");
                default -> {
                }
            }
        }

        private static void known(String field, List<String> keys, String what) throws ProblemException {
            if (!keys.contains(field)) {
                throw new ProblemException("'when' names an unknown value '" + field + "' of " + what + " (it has "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    /** For messages: a short list. */
    static String list(List<String> items) {
        List<String> l = new ArrayList<>(items);
        return l.size() <= 12 ? String.join(", ", l) : String.join(", ", l.subList(0, 12)) + ", ...";
    }
}
