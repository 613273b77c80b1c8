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
 * then every declared grid (the cross product of a few axes, the others at baseline) whose profile is included.
 * Combinations the family cannot build validly (a kernel larger than its input, say) are dropped by
 * {@link Builder#admissible}. Order is deterministic and duplicates are removed.
 */
public final class ProbeFamily {
    private final String name;
    private final List<String> layerTypes;
    private final int minSpec;
    private final String summary;
    private final List<Axis> axes;
    private final Map<Profile, List<List<String>>> grids;
    private final Predicate<ProbeSpec> admissible;
    private final Function<ProbeSpec, ? extends ProbeNetwork> builder;

    private ProbeFamily(Builder b) {
        this.name = b.name;
        this.layerTypes = List.copyOf(b.layerTypes);
        this.minSpec = b.minSpec;
        this.summary = b.summary;
        this.axes = List.copyOf(b.axes);
        Map<Profile, List<List<String>>> g = new LinkedHashMap<>();
        b.grids.forEach((p, list) -> g.put(p, List.copyOf(list)));
        this.grids = Collections.unmodifiableMap(g);
        this.admissible = b.admissible;
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
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Axis a : axes) {
            values.put(a.name(), a.values(profile));
        }
        for (ParamOverride o : overrides) {
            if (o.family().equals(name)) {
                values.put(o.axis(), o.values(axis(o.axis())));
            }
        }
        // The baseline always comes first: it is the reference every variation is compared with.
        Set<ProbeSpec> out = new LinkedHashSet<>();
        ProbeSpec base = baseline();
        out.add(base);
        for (Axis a : axes) {
            for (String v : values.get(a.name())) {
                Map<String, String> point = new LinkedHashMap<>(base.params());
                point.put(a.name(), v);
                out.add(new ProbeSpec(name, point));
            }
        }
        for (List<String> grid : grids(profile)) {
            cross(grid, 0, new LinkedHashMap<>(base.params()), values, out);
        }
        List<ProbeSpec> result = new ArrayList<>();
        for (ProbeSpec s : out) {
            if (admissible.test(s)) {
                result.add(s);
            }
        }
        return result;
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
        return admissible.test(spec);
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
        private Predicate<ProbeSpec> admissible = s -> true;
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

        public Builder admissible(Predicate<ProbeSpec> test) {
            this.admissible = this.admissible.and(test);
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
    }
}
