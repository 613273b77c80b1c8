package dev.aneprobe.probes.sweep;

import java.util.List;

/**
 * A user's {@code --param FAMILY.AXIS=VALUES}: replaces the values the profile sweeps on one axis of one family.
 * VALUES is a comma list whose elements may be ranges ({@code 1..20}) on whole-number axes.
 */
public record ParamOverride(String family, String axis, String valuesText) {

    /** Parses {@code pooling.kernel=1..20}; throws IllegalArgumentException naming the problem. */
    public static ParamOverride parse(String text) {
        int eq = text.indexOf('=');
        int dot = eq < 0 ? -1 : text.lastIndexOf('.', eq);
        if (eq < 0 || dot <= 0 || dot == eq - 1 || eq == text.length() - 1) {
            throw new IllegalArgumentException(
                    "malformed --param '" + text + "': expected FAMILY.AXIS=VALUES, e.g. pooling.kernel=1..20");
        }
        return new ParamOverride(text.substring(0, dot), text.substring(dot + 1, eq), text.substring(eq + 1));
    }

    /** {@code FAMILY.AXIS}, as the user names the axis. */
    public String key() {
        return family + "." + axis;
    }

    /** The canonical values for {@code axisDecl}, or IllegalArgumentException naming the bad value. */
    public List<String> values(Axis axisDecl) {
        try {
            return axisDecl.parseValues(valuesText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--param " + key() + ": " + e.getMessage(), e);
        }
    }
}
