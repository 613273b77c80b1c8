package dev.aneprobe.probes.catalog;

import dev.aneprobe.probes.sweep.ParamOverride;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every probe family aneprobe knows. Families are declared in groups (one class per group of related layer types);
 * adding a layer type means adding one declaration to its group.
 */
public final class Catalog {
    private final Map<String, ProbeFamily> families = new LinkedHashMap<>();

    private Catalog(List<ProbeFamily> all) {
        for (ProbeFamily f : all) {
            if (families.put(f.name(), f) != null) {
                throw new IllegalStateException("family " + f.name() + " declared twice");
            }
        }
    }

    /** A catalog of just these families (tests declare small ones). */
    public static Catalog of(List<ProbeFamily> families) {
        return new Catalog(families);
    }

    /** The standard catalog. */
    public static Catalog standard() {
        List<ProbeFamily> all = new ArrayList<>();
        all.addAll(SpatialFamilies.all());
        all.addAll(MiscNdFamilies.all());
        all.addAll(TensorFamilies.all());
        all.addAll(ElementwiseFamilies.all());
        all.addAll(LegacyFamilies.all());
        all.addAll(MilFamilies.all());
        // Last, so that a layer type's own family comes before the chains that also use it (lint reads a layer as
        // the first family of its type).
        all.addAll(ChainFamilies.all());
        return new Catalog(all);
    }

    public List<ProbeFamily> families() {
        return List.copyOf(families.values());
    }

    public ProbeFamily family(String name) {
        return families.get(name);
    }

    /** Every NeuralNetworkLayer type some family exercises, sorted. */
    public TreeSet<String> layerTypes() {
        TreeSet<String> out = new TreeSet<>();
        for (ProbeFamily f : families.values()) {
            out.addAll(f.layerTypes());
        }
        return out;
    }

    /**
     * The family names a selection of {@code kind} stands for: {@code names} (all families when empty) restricted to
     * the kind, a name given twice counted once. Throws IllegalArgumentException with one line when a named family
     * is unknown or of another kind.
     */
    public List<String> namesOfKind(ProbeKind kind, List<String> names) {
        List<String> out = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            for (String n : families.keySet()) {
                if (kind.includes(n)) {
                    out.add(n);
                }
            }
            return out;
        }
        for (String n : new LinkedHashSet<>(names)) {
            require(n);
            if (!kind.includes(n)) {
                throw new IllegalArgumentException("family " + n + " is " + (ProbeKind.of(n) == ProbeKind.MIL
                        ? "an ML Program (mil)" : "a NeuralNetwork (nn)") + " family, not " + kind.label());
            }
            out.add(n);
        }
        return out;
    }

    /**
     * Resolves a selection: the named families (all when empty; a name given twice counts once) and the overrides,
     * checked against the catalog and each other. Throws IllegalArgumentException with one line naming an unknown
     * family or axis, a bad value, an override given twice for the same axis, or one for a family not selected.
     */
    public List<ProbeFamily> select(List<String> names, List<ParamOverride> overrides) {
        List<ProbeFamily> out = new ArrayList<>();
        if (names == null || names.isEmpty()) {
            out.addAll(families.values());
        } else {
            for (String n : new LinkedHashSet<>(names)) {
                out.add(require(n));
            }
        }
        Set<String> given = new HashSet<>();
        for (ParamOverride o : overrides) {
            ProbeFamily f = require(o.family());
            if (f.axis(o.axis()) == null) {
                List<String> axisNames = new ArrayList<>();
                f.axes().forEach(a -> axisNames.add(a.name()));
                throw new IllegalArgumentException("family " + f.name() + " has no axis '" + o.axis()
                        + "' (axes: " + String.join(", ", axisNames) + ")");
            }
            if (!given.add(o.key())) {
                throw new IllegalArgumentException("--param " + o.key() + " is given twice (give all its values in "
                        + "one --param, separated by commas)");
            }
            if (!out.contains(f)) {
                throw new IllegalArgumentException("--param " + o.key() + ": family " + f.name()
                        + " is not selected (add it to --family, or drop the --param)");
            }
            o.values(f.axis(o.axis())); // fails with a clear message on a bad value
        }
        return out;
    }

    private ProbeFamily require(String name) {
        ProbeFamily f = families.get(name);
        if (f == null) {
            throw new IllegalArgumentException("unknown family '" + name + "' (see 'aneprobe list')");
        }
        return f;
    }
}
