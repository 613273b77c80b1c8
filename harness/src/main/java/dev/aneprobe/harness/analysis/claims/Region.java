package dev.aneprobe.harness.analysis.claims;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.harness.analysis.claims.ParamValue.Selector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A parameter region: a predicate over a probe's axis values, written in claims.json as a tree of {@code all},
 * {@code any} and {@code not} nodes over comparisons {@code {"axis", "select", "op", "value"}}. A comparison on an
 * axis the probe does not have is false, so {@code {"not": ...}} is how a rule says "unless".
 */
public sealed interface Region {
    boolean test(ProbeView probe);

    /** Every comparison in this region, for finding the claimed thresholds. */
    void comparisons(Consumer<Compare> sink);

    /** The region, in the words the tables print. */
    String describe();

    /** The whole scope: no restriction. */
    Region EVERYTHING = new All(List.of());

    record All(List<Region> parts) implements Region {
        public All {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(ProbeView probe) {
            for (Region r : parts) {
                if (!r.test(probe)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void comparisons(Consumer<Compare> sink) {
            parts.forEach(p -> p.comparisons(sink));
        }

        @Override
        public String describe() {
            if (parts.isEmpty()) {
                return "any parameters";
            }
            return join(parts, " and ");
        }
    }

    record Any(List<Region> parts) implements Region {
        public Any {
            parts = List.copyOf(parts);
        }

        @Override
        public boolean test(ProbeView probe) {
            for (Region r : parts) {
                if (r.test(probe)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void comparisons(Consumer<Compare> sink) {
            parts.forEach(p -> p.comparisons(sink));
        }

        @Override
        public String describe() {
            return parts.isEmpty() ? "nothing" : "(" + join(parts, " or ") + ")";
        }
    }

    record Not(Region inner) implements Region {
        @Override
        public boolean test(ProbeView probe) {
            return !inner.test(probe);
        }

        @Override
        public void comparisons(Consumer<Compare> sink) {
            // A negated comparison does not state a threshold of its own.
        }

        @Override
        public String describe() {
            return "not " + (inner instanceof Compare ? inner.describe() : "(" + inner.describe() + ")");
        }
    }

    /** One comparison of a selected axis value with a constant. */
    record Compare(String axis, Selector select, Op op, List<String> values, Pattern pattern) implements Region {
        public Compare {
            Objects.requireNonNull(axis, "axis");
            Objects.requireNonNull(op, "op");
            values = List.copyOf(values);
        }

        @Override
        public boolean test(ProbeView probe) {
            String v = probe.value(axis);
            if (v == null) {
                return false;
            }
            switch (op) {
                case MATCHES:
                    return pattern.matcher(v).matches();
                case IN:
                case NOT_IN: {
                    boolean in = false;
                    for (String c : values) {
                        if (equal(v, c)) {
                            in = true;
                            break;
                        }
                    }
                    return op == Op.IN ? in : !in;
                }
                case EQ:
                    return equal(v, values.get(0));
                case NE:
                    return !equal(v, values.get(0));
                default: {
                    double x = ParamValue.select(v, select);
                    double c = Double.parseDouble(values.get(0));
                    if (Double.isNaN(x)) {
                        return false;
                    }
                    switch (op) {
                        case LT:
                            return x < c;
                        case LE:
                            return x <= c;
                        case GT:
                            return x > c;
                        case GE:
                            return x >= c;
                        default:
                            throw new IllegalStateException(op.toString());
                    }
                }
            }
        }

        /** Equality: numerically when a selector is given or both sides are plain numbers, else on the string. */
        private boolean equal(String v, String c) {
            double[] cv = ParamValue.components(c);
            if (select != Selector.VALUE) {
                double x = ParamValue.select(v, select);
                return cv != null && cv.length == 1 && x == cv[0];
            }
            double[] vv = ParamValue.components(v);
            if (cv != null && vv != null && cv.length == 1 && vv.length == 1) {
                return vv[0] == cv[0];
            }
            return v.equals(c);
        }

        /** True for the ordering comparisons that state a numeric threshold. */
        public boolean isThreshold() {
            return op == Op.LT || op == Op.LE || op == Op.GT || op == Op.GE;
        }

        public double threshold() {
            return Double.parseDouble(values.get(0));
        }

        @Override
        public void comparisons(Consumer<Compare> sink) {
            sink.accept(this);
        }

        @Override
        public String describe() {
            String lhs = select == Selector.VALUE ? axis : select.label() + "(" + axis + ")";
            String rhs;
            if (op == Op.MATCHES) {
                rhs = "/" + pattern.pattern() + "/";
            } else if (op == Op.IN || op == Op.NOT_IN) {
                rhs = "{" + String.join(", ", values) + "}";
            } else {
                rhs = values.get(0);
            }
            return lhs + " " + op.symbol + " " + rhs;
        }
    }

    enum Op {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not in"), MATCHES("matches");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Op parse(String s) {
            for (Op o : values()) {
                if (o.symbol.equals(s) || o.name().equalsIgnoreCase(s.replace(' ', '_'))) {
                    return o;
                }
            }
            throw new IllegalArgumentException("unknown operator '" + s
                    + "' (expected =, !=, <, <=, >, >=, in, not in, matches)");
        }
    }

    /** Reads a region from its JSON form; {@code null} or a missing node is the whole scope. */
    static Region parse(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return EVERYTHING;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + ": a region must be a JSON object");
        }
        if (node.has("all")) {
            return new All(parseList(node.get("all"), where + ".all"));
        }
        if (node.has("any")) {
            return new Any(parseList(node.get("any"), where + ".any"));
        }
        if (node.has("not")) {
            return new Not(parse(node.get("not"), where + ".not"));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            String k = it.next().getKey();
            if (!List.of("axis", "select", "op", "value").contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "' in a comparison");
            }
        }
        if (!node.hasNonNull("axis") || !node.hasNonNull("op") || !node.has("value")) {
            throw new IllegalArgumentException(where
                    + ": a comparison needs axis, op and value (or all / any / not)");
        }
        String axis = node.get("axis").asText();
        Selector select = Selector.parse(node.hasNonNull("select") ? node.get("select").asText() : null);
        Op op = Op.parse(node.get("op").asText());
        JsonNode v = node.get("value");
        List<String> values = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(e -> values.add(e.asText()));
        } else {
            values.add(v.asText());
        }
        if ((op == Op.IN || op == Op.NOT_IN) != v.isArray()) {
            throw new IllegalArgumentException(where + ": operator '" + op.symbol + "' "
                    + (v.isArray() ? "takes a single value" : "takes a list of values"));
        }
        Pattern pattern = null;
        if (op == Op.MATCHES) {
            pattern = Pattern.compile(values.get(0));
        }
        Compare c = new Compare(axis, select, op, values, pattern);
        if (c.isThreshold() && ParamValue.components(values.get(0)) == null) {
            throw new IllegalArgumentException(where + ": operator '" + op.symbol + "' needs a number");
        }
        return c;
    }

    private static List<Region> parseList(JsonNode node, String where) {
        if (!node.isArray()) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        List<Region> out = new ArrayList<>();
        int i = 0;
        for (JsonNode n : node) {
            out.add(parse(n, where + "[" + i++ + "]"));
        }
        return out;
    }

    private static String join(List<Region> parts, String sep) {
        StringBuilder sb = new StringBuilder();
        for (Region r : parts) {
            if (sb.length() > 0) {
                sb.append(sep);
            }
            sb.append(r.describe());
        }
        return sb.toString();
    }
}
