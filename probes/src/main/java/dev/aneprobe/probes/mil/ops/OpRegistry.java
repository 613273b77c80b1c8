package dev.aneprobe.probes.mil.ops;

import dev.aneprobe.probes.coreml.mil.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIL op signatures, read from the {@code ops.txt} resource (its header documents the format). Each op may have
 * several versions; {@link #signature} picks the latest version whose opset is not newer than the one asked for.
 */
public final class OpRegistry {
    public static final String RESOURCE = "/dev/aneprobe/probes/mil/ops.txt";
    public static final String OLDEST_OPSET = "CoreML5";
    public static final String NEWEST_OPSET = "CoreML9";

    private static final Pattern OPSET = Pattern.compile("CoreML([5-9])");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern OUTPUTS = Pattern.compile("\\*|(\\d+)(?:\\.\\.(\\d+))?");

    private static final class Holder {
        static final OpRegistry STANDARD = load();
    }

    /** op -> (opset rank -> version) */
    private final Map<String, TreeMap<Integer, OpSignature>> ops;

    private OpRegistry(Map<String, TreeMap<Integer, OpSignature>> ops) {
        this.ops = ops;
    }

    /** The registry built from the bundled resource (parsed once). */
    public static OpRegistry standard() {
        return Holder.STANDARD;
    }

    /** 5..9 for "CoreML5".."CoreML9"; -1 for anything else. */
    public static int opsetRank(String opset) {
        Matcher m = opset == null ? null : OPSET.matcher(opset);
        return m != null && m.matches() ? m.group(1).charAt(0) - '0' : -1;
    }

    /** The version of the op in force in the opset, if the op exists there. */
    public Optional<OpSignature> signature(String op, String opset) {
        int rank = opsetRank(opset);
        TreeMap<Integer, OpSignature> versions = ops.get(op);
        if (rank < 0 || versions == null) {
            return Optional.empty();
        }
        Map.Entry<Integer, OpSignature> e = versions.floorEntry(rank);
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }

    /** Every op available in the opset, sorted by name; empty for an unknown opset. */
    public List<String> opsIn(String opset) {
        int rank = opsetRank(opset);
        List<String> names = new ArrayList<>();
        if (rank < 0) {
            return names;
        }
        for (Map.Entry<String, TreeMap<Integer, OpSignature>> e : ops.entrySet()) {
            if (e.getValue().floorKey(rank) != null) {
                names.add(e.getKey());
            }
        }
        return names;
    }

    /** All versions of the op, oldest first (empty when unknown). */
    public List<OpSignature> versions(String op) {
        TreeMap<Integer, OpSignature> v = ops.get(op);
        return v == null ? List.of() : List.copyOf(v.values());
    }

    /** The opset in which the op first appears, if it exists at all. */
    public Optional<String> firstOpset(String op) {
        TreeMap<Integer, OpSignature> v = ops.get(op);
        return v == null ? Optional.empty() : Optional.of(v.firstEntry().getValue().opset());
    }

    private static OpRegistry load() {
        try (InputStream in = OpRegistry.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(r.lines().toList(), "ops.txt");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses registry text. Throws IllegalArgumentException naming the source and the 1-based line number of the
     * first malformed line.
     */
    public static OpRegistry parse(List<String> lines, String source) {
        Map<String, TreeMap<Integer, OpSignature>> ops = new TreeMap<>();
        Header header = null;
        List<InputSpec> inputs = new ArrayList<>();
        Set<String> inputNames = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] f = trimmed.split("\\s+");
            if (!Character.isWhitespace(line.charAt(0))) {
                if (header != null) {
                    add(ops, header, inputs);
                }
                header = header(f, where);
                if (ops.containsKey(header.op) && ops.get(header.op).containsKey(header.rank)) {
                    throw new IllegalArgumentException(where + "op " + header.op + " is declared twice for "
                            + header.opset);
                }
                if (ops.containsKey(header.op) && ops.get(header.op).lastKey() > header.rank) {
                    throw new IllegalArgumentException(where + "versions of op " + header.op
                            + " must be listed oldest first");
                }
                inputs = new ArrayList<>();
                inputNames = new HashSet<>();
            } else {
                if (header == null) {
                    throw new IllegalArgumentException(where + "parameter line before any op line");
                }
                InputSpec spec = input(f, where);
                if (!inputNames.add(spec.name())) {
                    throw new IllegalArgumentException(where + "parameter " + spec.name() + " repeated");
                }
                inputs.add(spec);
            }
        }
        if (header != null) {
            add(ops, header, inputs);
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException(source + ": no ops");
        }
        return new OpRegistry(ops);
    }

    private record Header(String op, String opset, int rank, int outputs, int minOutputs, boolean attributes,
            String where) {
    }

    private static void add(Map<String, TreeMap<Integer, OpSignature>> ops, Header h, List<InputSpec> inputs) {
        for (InputSpec in : inputs) {
            String other = in.allowed() == null ? "" : in.allowed().unlessBound();
            if (!other.isEmpty() && (other.equals(in.name())
                    || inputs.stream().noneMatch(i -> i.name().equals(other)))) {
                throw new IllegalArgumentException(h.where + "parameter " + in.name() + ": unless=" + other
                        + " names no other parameter of op " + h.op);
            }
        }
        ops.computeIfAbsent(h.op, k -> new TreeMap<>())
                .put(h.rank, new OpSignature(h.op, h.opset, inputs, h.outputs, h.minOutputs, h.attributes));
    }

    private static Header header(String[] f, String where) {
        if (!f[0].equals("op") || f.length < 4 || f.length > 5) {
            throw new IllegalArgumentException(where + "expected 'op NAME opset=CoreMLn outputs=N [params=attributes]'");
        }
        if (!NAME.matcher(f[1]).matches()) {
            throw new IllegalArgumentException(where + "bad op name '" + f[1] + "'");
        }
        String opset = value(f[2], "opset", where);
        int rank = opsetRank(opset);
        if (rank < 0) {
            throw new IllegalArgumentException(where + "unknown opset '" + opset + "'");
        }
        String outs = value(f[3], "outputs", where);
        Matcher m = OUTPUTS.matcher(outs);
        if (!m.matches()) {
            throw new IllegalArgumentException(where + "bad output count '" + outs + "'");
        }
        int min;
        int max;
        if (outs.equals("*")) {
            min = 0;
            max = -1;
        } else {
            min = Integer.parseInt(m.group(1));
            max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
            if (max < min) {
                throw new IllegalArgumentException(where + "bad output range '" + outs + "'");
            }
        }
        boolean attributes = false;
        if (f.length == 5) {
            if (!f[4].equals("params=attributes")) {
                throw new IllegalArgumentException(where + "unknown header field '" + f[4] + "'");
            }
            attributes = true;
        }
        return new Header(f[1], opset, rank, max, min, attributes, where);
    }

    private static String value(String field, String key, String where) {
        if (!field.startsWith(key + "=")) {
            throw new IllegalArgumentException(where + "expected " + key + "=..., got '" + field + "'");
        }
        return field.substring(key.length() + 1);
    }

    private static InputSpec input(String[] f, String where) {
        if (f.length < 4 || f.length > 9) {
            throw new IllegalArgumentException(where + "expected 'NAME KIND TYPES required|optional [const] [variadic] "
                    + "[values=A|B|...] [nocase] [unless=PARAM]'");
        }
        if (!NAME.matcher(f[0]).matches()) {
            throw new IllegalArgumentException(where + "bad parameter name '" + f[0] + "'");
        }
        Kind kind = Kind.of(f[1]);
        if (kind == null) {
            throw new IllegalArgumentException(where + "unknown kind '" + f[1] + "'");
        }
        String domain = "";
        String typeText = f[2];
        int eq = typeText.indexOf('=');
        if (eq >= 0) {
            domain = typeText.substring(0, eq);
            typeText = typeText.substring(eq + 1);
            if (!NAME.matcher(domain).matches()) {
                throw new IllegalArgumentException(where + "bad type-domain tag '" + domain + "'");
            }
        }
        Set<DataType> types = EnumSet.noneOf(DataType.class);
        if (!typeText.equals("*")) {
            for (String t : typeText.split("\\|", -1)) {
                DataType d;
                try {
                    d = DataType.valueOf(t);
                } catch (IllegalArgumentException e) {
                    d = null;
                }
                if (d == null || d == DataType.UNUSED_TYPE || d == DataType.UNRECOGNIZED) {
                    throw new IllegalArgumentException(where + "unknown data type '" + t + "'");
                }
                types.add(d);
            }
        }
        boolean optional;
        switch (f[3]) {
            case "required" -> optional = false;
            case "optional" -> optional = true;
            default -> throw new IllegalArgumentException(where + "expected required or optional, got '" + f[3] + "'");
        }
        boolean constant = false;
        boolean variadic = false;
        String valuesText = null;
        boolean nocase = false;
        String unless = "";
        for (int k = 4; k < f.length; k++) {
            if (f[k].startsWith("values=") && valuesText == null) {
                valuesText = f[k].substring("values=".length());
            } else if (f[k].startsWith("unless=") && unless.isEmpty()) {
                unless = f[k].substring("unless=".length());
                if (!NAME.matcher(unless).matches()) {
                    throw new IllegalArgumentException(where + "bad parameter name in '" + f[k] + "'");
                }
            } else {
                switch (f[k]) {
                    case "const" -> constant = true;
                    case "variadic" -> variadic = true;
                    case "nocase" -> nocase = true;
                    default -> throw new IllegalArgumentException(where + "unknown or repeated flag '" + f[k] + "'");
                }
            }
        }
        AllowedValues allowed = null;
        if (valuesText != null) {
            if (!types.equals(EnumSet.of(DataType.STRING))) {
                throw new IllegalArgumentException(where + "values= needs a STRING parameter");
            }
            allowed = allowedValues(valuesText, nocase, unless, where);
        } else if (nocase || !unless.isEmpty()) {
            throw new IllegalArgumentException(where + "nocase and unless= qualify a values= list");
        }
        return new InputSpec(f[0], kind, types, optional, constant, variadic, domain, allowed);
    }

    /** {@code A|B|C@CoreMLn}: the accepted spellings, each optionally only from opset CoreMLn on. */
    private static AllowedValues allowedValues(String text, boolean nocase, String unless, String where) {
        List<String> values = new ArrayList<>();
        Map<String, String> since = new TreeMap<>();
        for (String item : text.split("\\|", -1)) {
            String value = item;
            int at = item.indexOf('@');
            if (at >= 0) {
                value = item.substring(0, at);
                String opset = item.substring(at + 1);
                if (opsetRank(opset) < 0) {
                    throw new IllegalArgumentException(where + "unknown opset '" + opset + "' in values=");
                }
                since.put(value, opset);
            }
            if (value.isEmpty() || values.contains(value)) {
                throw new IllegalArgumentException(where + "empty or repeated value in values=" + text);
            }
            if (nocase && !value.equals(value.toLowerCase(java.util.Locale.ROOT))) {
                throw new IllegalArgumentException(where + "a nocase value is written in lower case: '" + value + "'");
            }
            values.add(value);
        }
        return new AllowedValues(values, since, nocase, unless);
    }
}
