package dev.aneprobe.probes.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One point of a family's parameter space: the family name and a value for every axis, in the family's axis order.
 * Its {@link #id()} is canonical, readable and stable, e.g.
 * {@code pooling/type=max,kernel=15x15,stride=2x2,pad=valid,in=64x56x56}.
 */
public final class ProbeSpec {
    private final String family;
    private final Map<String, String> params;
    private final String id;

    public ProbeSpec(String family, Map<String, String> params) {
        this.family = family;
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        StringBuilder sb = new StringBuilder(family).append('/');
        boolean first = true;
        for (Map.Entry<String, String> e : this.params.entrySet()) {
            sb.append(first ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
            first = false;
        }
        this.id = sb.toString();
    }

    /** This point with one axis set to {@code value} (the axis keeps its place in the id). */
    public ProbeSpec with(String axis, String value) {
        Map<String, String> next = new LinkedHashMap<>(params);
        next.put(axis, value);
        return new ProbeSpec(family, next);
    }

    public String family() {
        return family;
    }

    public Map<String, String> params() {
        return params;
    }

    public String id() {
        return id;
    }

    /**
     * A name for the model file, unique within the family directory and safe on every file system:
     * {@code type-max_kernel-15x15_stride-2x2}. Characters other than letters, digits, '.', 'x' and '-' in a value
     * are replaced, so names stay portable; the generator checks the names are still unique.
     */
    public String fileName() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sb.length() > 0) {
                sb.append('_');
            }
            sb.append(e.getKey()).append('-').append(e.getValue().replaceAll("[^A-Za-z0-9.\\-]", "~"));
        }
        return sb.length() == 0 ? "baseline" : sb.toString();
    }

    public String text(String axis) {
        String v = params.get(axis);
        if (v == null) {
            throw new NoSuchElementException("probe " + id + " has no axis '" + axis + "'");
        }
        return v;
    }

    public boolean has(String axis) {
        return params.containsKey(axis);
    }

    public int integer(String axis) {
        return Math.toIntExact(Long.parseLong(text(axis)));
    }

    public boolean bool(String axis) {
        return Boolean.parseBoolean(text(axis));
    }

    public double decimal(String axis) {
        return Double.parseDouble(text(axis));
    }

    /** A PAIR axis as {@code {h, w}}. */
    public int[] pair(String axis) {
        long[] p = AxisKind.parsePair(text(axis), false);
        return new int[] {Math.toIntExact(p[0]), Math.toIntExact(p[1])};
    }

    /** A DECIMAL_PAIR axis as {@code {h, w}}. */
    public double[] decimalPair(String axis) {
        String[] parts = text(axis).split("x");
        return new double[] {Double.parseDouble(parts[0]), Double.parseDouble(parts[1])};
    }

    /** A SHAPE axis as its dimensions. */
    public long[] shape(String axis) {
        String[] parts = text(axis).split("x");
        long[] dims = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = Long.parseLong(parts[i]);
        }
        return dims;
    }

    /** A seed for this probe's deterministic weights: the same id always gives the same bytes. */
    public long seed() {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProbeSpec && ((ProbeSpec) o).id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return id;
    }
}
