package dev.aneprobe.probes.mil.ops;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values a string-enum parameter takes (pad_type, sampling modes, ...), as the registry's {@code values=}
 * column gives them: only values coremltools' op definitions reject are left out, so a value outside the set makes
 * the op invalid.
 *
 * @param values      the accepted spellings, in registry order
 * @param firstOpset  a value accepted only from a later opset than its op version's (conv's same_lower from
 *                    CoreML6): value -> that opset. Below it the exact spelling is rejected (coremltools compares it
 *                    case-sensitively, even for a parameter it otherwise reads in any case)
 * @param ignoreCase  whether any letter case is accepted (coremltools lower-cases the value before comparing)
 * @param unlessBound a parameter of the same op whose presence makes this one unread ("" for none): coremltools
 *                    takes conv_transpose's output shape from output_shape and then never looks at pad_type
 */
public record AllowedValues(List<String> values, Map<String, String> firstOpset, boolean ignoreCase,
        String unlessBound) {

    public AllowedValues {
        values = List.copyOf(values);
        firstOpset = Map.copyOf(firstOpset);
        unlessBound = unlessBound == null ? "" : unlessBound;
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no allowed values");
        }
    }

    /**
     * Why {@code value} is not accepted in a function of opset {@code functionOpset}, or null when it is: e.g.
     * {@code allowed: valid, same, custom}, or {@code "same_lower" needs opset CoreML6, the function uses CoreML5}.
     */
    public String rejection(String value, String functionOpset) {
        String key = ignoreCase ? value.toLowerCase(Locale.ROOT) : value;
        if (!values.contains(key)) {
            List<String> available = values.stream().filter(v -> inOpset(v, functionOpset)).toList();
            return "allowed: " + String.join(", ", available) + (ignoreCase ? " (in any letter case)" : "");
        }
        if (!inOpset(value, functionOpset)) {
            return "\"" + value + "\" needs opset " + firstOpset.get(value) + ", the function uses " + functionOpset;
        }
        return null;
    }

    private boolean inOpset(String value, String functionOpset) {
        String since = firstOpset.get(value);
        return since == null || OpRegistry.opsetRank(functionOpset) >= OpRegistry.opsetRank(since);
    }
}
