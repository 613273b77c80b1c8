package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.model.ProbeNetwork;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One family of probes, declared in one place: the layer types it exercises, its axes (parameter → values per
 * profile), which combinations form its sweep, how to build a probe network for one combination, and the lowest
 * specification version its probes need.
 *
 * <p>The sweep of a profile is: the baseline; then every axis swept alone (one at a time, the others at baseline);
 * then every declared grid (the cross product of a few axes, the others at baseline) whose profile is included;
 * then, for a value swept alone that the family cannot build with the other axes at baseline, the combinations of
 * its declared {@link Builder#companions companions} that it can build (a fractional upsampling factor needs
 * bilinear mode and an align-corners mode; a k larger than the baseline input needs a wider input). Combinations the family cannot build validly (a kernel larger than its
 * input, say) are dropped by its {@link Builder#admissible rules}, each of which says in words what it requires, so a
 * dropped request can be explained. Order is deterministic and duplicates are removed.
 */
public final class ProbeFamily {
    private final String name;
    private final List<String> layerTypes;
    private final int minSpec;
    private final String summary;
    private final List<Axis> axes;
    private final Map<Profile, List<List<String>>> grids;
    private final List<Rule> rules;
    private final Map<String, List<String>> companions;
    private final Function<ProbeSpec, ? extends ProbeNetwork> builder;

    /** A requirement every probe of the family meets, with the words that explain it when a request breaks it. */
    public record Rule(String text, Predicate<ProbeSpec> test) {
    }

    private ProbeFamily(Builder b) {
        this.name = b.name;
        this.layerTypes = List.copyOf(b.layerTypes);
        this.minSpec = b.minSpec;
        this.summary = b.summary;
        this.axes = List.copyOf(b.axes);
        Map<Profile, List<List<String>>> g = new LinkedHashMap<>();
        b.grids.forEach((p, list) -> g.put(p, List.copyOf(list)));
        this.grids = Collections.unmodifiableMap(g);
        this.rules = List.copyOf(b.rules);
        Map<String, List<String>> c = new LinkedHashMap<>();
        b.companions.forEach((axisName, list) -> c.put(axisName, List.copyOf(list)));
        this.companions = Collections.unmodifiableMap(c);
        this.builder = Objects.requireNonNull(b.builder, "family " + b.name + " has no builder");
    }

    public static Builder named(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The NeuralNetworkLayer oneof field names (or ML Program op types) this family's probes exercise. */
    public List<String> layerTypes() {
        return layerTypes;
    }

    public int minSpecificationVersion() {
        return minSpec;
    }

    public String summary() {
        return summary;
    }

    public List<Axis> axes() {
        return axes;
    }

    public Axis axis(String axisName) {
        for (Axis a : axes) {
            if (a.name().equals(axisName)) {
                return a;
            }
        }
        return null;
    }

    /** Grids (lists of axis names) swept as cross products in {@code profile}. */
    public List<List<String>> grids(Profile profile) {
        List<List<String>> out = new ArrayList<>();
        grids.forEach((p, list) -> {
            if (profile.includes(p)) {
                out.addAll(list);
            }
        });
        return out;
    }

    /** The layer type a probe exercises: its {@code layer} axis when the family has one, else the only type. */
    public String layerTypeOf(ProbeSpec spec) {
        if (spec.has("layer") && layerTypes.contains(spec.text("layer"))) {
            return spec.text("layer");
        }
        return layerTypes.get(0);
    }

    public ProbeSpec baseline() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Axis a : axes) {
            values.put(a.name(), a.baselineValue());
        }
        return new ProbeSpec(name, values);
    }

    /** The probes of {@code profile}, with the given overrides applied to this family's axes. */
    public List<ProbeSpec> probes(Profile profile, List<ParamOverride> overrides) {
        List<ProbeSpec> result = new ArrayList<>();
        for (ProbeSpec s : candidates(profile, overrides)) {
            if (isAdmissible(s)) {
                result.add(s);
            }
        }
        return result;
    }

    /**
     * Every combination the sweep of {@code profile} considers, before the family's rules drop those it cannot
     * build: the baseline first, each axis alone, the grids, then the companion combinations. An override replaces
     * the values its axis sweeps; the baseline stays, as the reference every variation is compared with.
     */
    public List<ProbeSpec> candidates(Profile profile, List<ParamOverride> overrides) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Axis a : axes) {
            values.put(a.name(), a.values(profile));
        }
        for (ParamOverride o : overrides) {
            if (o.family().equals(name)) {
                values.put(o.axis(), o.values(axis(o.axis())));
            }
        }
        Set<ProbeSpec> out = new LinkedHashSet<>();
        ProbeSpec base = baseline();
        out.add(base);
        for (Axis a : axes) {
            for (String v : values.get(a.name())) {
                out.add(base.with(a.name(), v));
            }
        }
        for (List<String> grid : grids(profile)) {
            cross(grid, 0, new LinkedHashMap<>(base.params()), values, out);
        }
        // After the grids, so that a companion combination a grid already holds keeps the grid's place.
        companions.forEach((axisName, partners) -> {
            for (String v : values.get(axisName)) {
                ProbeSpec alone = base.with(axisName, v);
                if (!isAdmissible(alone)) {
                    companionsOf(alone, partners, 0, values, out);
                }
            }
        });
        return new ArrayList<>(out);
    }

    /**
     * Adds {@code point} with every combination of the partners' values (the rules filter them later): every choice
     * of a choice or bool partner, the values the profile sweeps of any other partner.
     */
    private void companionsOf(ProbeSpec point, List<String> partners, int i, Map<String, List<String>> values,
            Set<ProbeSpec> out) {
        if (i == partners.size()) {
            out.add(point);
            return;
        }
        Axis partner = axis(partners.get(i));
        for (String v : partner.choices().isEmpty() ? values.get(partner.name()) : partner.choices()) {
            companionsOf(point.with(partner.name(), v), partners, i + 1, values, out);
        }
    }

    private void cross(List<String> grid, int i, Map<String, String> point, Map<String, List<String>> values,
            Set<ProbeSpec> out) {
        if (i == grid.size()) {
            out.add(new ProbeSpec(name, point));
            return;
        }
        for (String v : values.get(grid.get(i))) {
            Map<String, String> next = new LinkedHashMap<>(point);
            next.put(grid.get(i), v);
            cross(grid, i + 1, next, values, out);
        }
    }

    public boolean isAdmissible(ProbeSpec spec) {
        return brokenRule(spec) == null;
    }

    /** The first of the family's rules {@code spec} breaks, or null when the family can build it. */
    public Rule brokenRule(ProbeSpec spec) {
        int i = brokenRuleIndex(spec);
        return i < 0 ? null : rules.get(i);
    }

    /**
     * The position in the family's declaration of the first rule {@code spec} breaks, or -1: a combination that
     * breaks a later rule has met the earlier ones, which tells which of several explanations is the closest.
     */
    public int brokenRuleIndex(ProbeSpec spec) {
        for (int i = 0; i < rules.size(); i++) {
            if (!rules.get(i).test().test(spec)) {
                return i;
            }
        }
        return -1;
    }

    /** How many rules the family declares. */
    public int ruleCount() {
        return rules.size();
    }

    /** The axes a value of {@code axisName} is completed with when it cannot be built at baseline (often none). */
    public List<String> companions(String axisName) {
        return companions.getOrDefault(axisName, List.of());
    }

    /** Describes the probe network (a NeuralNetwork or an ML Program) for one combination. */
    public ProbeNetwork build(ProbeSpec spec) {
        return builder.apply(spec);
    }

    /** Declares a family. */
    public static final class Builder {
        private final String name;
        private final List<String> layerTypes = new ArrayList<>();
        private int minSpec = 1;
        private String summary = "";
        private final List<Axis> axes = new ArrayList<>();
        private final Map<Profile, List<List<String>>> grids = new LinkedHashMap<>();
        private final List<Rule> rules = new ArrayList<>();
        private final Map<String, List<String>> companions = new LinkedHashMap<>();
        private Function<ProbeSpec, ? extends ProbeNetwork> builder;

        private Builder(String name) {
            this.name = name;
        }

        public Builder layers(String... types) {
            layerTypes.addAll(List.of(types));
            return this;
        }

        public Builder minSpec(int version) {
            this.minSpec = version;
            return this;
        }

        public Builder summary(String text) {
            this.summary = text;
            return this;
        }

        public Builder axis(Axis axis) {
            for (Axis a : axes) {
                if (a.name().equals(axis.name())) {
                    throw new IllegalArgumentException("family " + name + ": axis " + axis.name() + " twice");
                }
            }
            axes.add(axis);
            return this;
        }

        /** Sweeps the cross product of these axes from {@code from} upward. */
        public Builder grid(Profile from, String... axisNames) {
            grids.computeIfAbsent(from, p -> new ArrayList<>()).add(List.of(axisNames));
            return this;
        }

        /**
         * A requirement every probe meets; combinations that break it are dropped. {@code rule} says in words what
         * is required (it completes "the family requires that ..."), so a request that breaks it can be told why.
         */
        public Builder admissible(String rule, Predicate<ProbeSpec> test) {
            rules.add(new Rule(rule, test));
            return this;
        }

        /**
         * A value of {@code axisName} swept alone that the family cannot build with the other axes at baseline is
         * probed instead with every combination of the {@code partners}' values it can build: all the choices of a
         * choice or bool partner, the values the profile sweeps of a number or shape partner. So a value the family
         * lists is probed, not silently dropped by its rules.
         */
        public Builder companions(String axisName, String... partners) {
            companions.put(axisName, List.of(partners));
            return this;
        }

        public Builder builds(Function<ProbeSpec, ? extends ProbeNetwork> fn) {
            this.builder = fn;
            return this;
        }

        public ProbeFamily build() {
            if (layerTypes.isEmpty()) {
                throw new IllegalStateException("family " + name + " names no layer type");
            }
            for (Axis a : axes) {
                try {
                    a.checkDeclared();
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("family " + name + ": " + e.getMessage(), e);
                }
            }
            companions.forEach((axisName, partners) -> {
                for (String n : concat(axisName, partners)) {
                    if (axes.stream().noneMatch(x -> x.name().equals(n))) {
                        throw new IllegalStateException("family " + name + ": companion axis " + n + " unknown");
                    }
                }
                if (partners.isEmpty() || partners.contains(axisName) || new LinkedHashSet<>(partners).size()
                        != partners.size()) {
                    throw new IllegalStateException("family " + name + ": the companions of " + axisName
                            + " must be other axes, each once");
                }
            });
            for (List<List<String>> list : grids.values()) {
                for (List<String> grid : list) {
                    for (String axisName : grid) {
                        if (axes.stream().noneMatch(a -> a.name().equals(axisName))) {
                            throw new IllegalStateException("family " + name + ": grid axis " + axisName + " unknown");
                        }
                    }
                }
            }
            return new ProbeFamily(this);
        }

        private static List<String> concat(String first, List<String> rest) {
            List<String> out = new ArrayList<>();
            out.add(first);
            out.addAll(rest);
            return out;
        }
    }
}
