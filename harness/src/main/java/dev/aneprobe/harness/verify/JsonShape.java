package dev.aneprobe.harness.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/**
 * Strict, typed reads of env.json for {@code verify-run} ({@link EnvCheck}): each read names the field, and a field of
 * the wrong JSON type, a missing required field or a value out of range adds one problem ("schema must be an integer
 * (is a string)") instead of being coerced, as data binding would. Observation lines are checked by the readers' own
 * parser ({@link LineCheck}).
 */
final class JsonShape {
    private final List<String> problems;

    JsonShape(List<String> problems) {
        this.problems = problems;
    }

    void problem(String message) {
        problems.add(message);
    }

    private static boolean absent(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode();
    }

    private boolean present(JsonNode v, String path, boolean required) {
        if (absent(v)) {
            if (required) {
                problem("missing " + path);
            }
            return false;
        }
        return true;
    }

    String text(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isTextual()) {
            problem(path + " must be a string (is " + kind(v) + ")");
            return null;
        }
        if (required && v.textValue().isBlank()) {
            problem(path + " is empty");
            return null;
        }
        return v.textValue();
    }

    /** An integer JSON number (no fraction, no string) of at least {@code min}. */
    Long integer(JsonNode parent, String field, String path, boolean required, long min) {
        return integerValue(parent.get(field), path, required, min);
    }

    Long integerValue(JsonNode v, String path, boolean required, long min) {
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            problem(path + " must be an integer (is " + kind(v) + ")");
            return null;
        }
        long l = v.longValue();
        if (l < min) {
            problem(path + (min == 0 ? " is negative (" : " is below " + min + " (") + l + ")");
            return null;
        }
        return l;
    }

    Boolean bool(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isBoolean()) {
            problem(path + " must be true or false (is " + kind(v) + ")");
            return null;
        }
        return v.booleanValue();
    }

    JsonNode object(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isObject()) {
            problem(path + " must be an object (is " + kind(v) + ")");
            return null;
        }
        return v;
    }

    JsonNode array(JsonNode parent, String field, String path, boolean required) {
        JsonNode v = parent.get(field);
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isArray()) {
            problem(path + " must be an array (is " + kind(v) + ")");
            return null;
        }
        return v;
    }

    /** A string naming one value of a closed set; {@code parse} throws IllegalArgumentException on anything else. */
    <E> E choiceValue(JsonNode v, String path, boolean required, Function<String, E> parse, String expected) {
        if (!present(v, path, required)) {
            return null;
        }
        if (!v.isTextual()) {
            problem(path + " must be a string (is " + kind(v) + ")");
            return null;
        }
        try {
            return parse.apply(v.textValue());
        } catch (IllegalArgumentException e) {
            problem(path + " is \"" + v.textValue() + "\", not one of " + expected);
            return null;
        }
    }

    /** Every element of an array must be a string; returns false (with a problem) otherwise. */
    boolean strings(JsonNode array, String path) {
        if (array == null) {
            return true;
        }
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isTextual()) {
                problem(path + "[" + i + "] must be a string (is " + kind(array.get(i)) + ")");
                return false;
            }
        }
        return true;
    }

    static String kind(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isIntegralNumber()) {
            return "an integer";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
