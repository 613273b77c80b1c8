package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

/**
 * Why a file or line is not readable JSON, in plain words. The JSON library's own messages (its class names, feature
 * names, the source excerpt) are written for programmers and never reach the user.
 */
public final class JsonProblems {
    private JsonProblems() {
    }

    /**
     * @param lines true for a whole file (the position says the line too), false for one line of a file
     */
    public static String notJson(JsonProcessingException ex, boolean lines) {
        if (ex instanceof StreamConstraintsException) {
            return "not JSON that can be read: nested too deeply, or a number or text far too long";
        }
        if (ex instanceof JsonEOFException) {
            return "cut short: it ends inside a value";
        }
        String m = ex.getOriginalMessage() == null ? "" : ex.getOriginalMessage();
        if (m.startsWith("Invalid UTF-8")) {
            return "not UTF-8 text";
        }
        if (m.startsWith("Duplicate field")) {
            return "a field appears twice";
        }
        if (m.startsWith("Trailing token")) {
            return "text after the record";
        }
        JsonLocation at = ex.getLocation();
        if (at == null || at.getColumnNr() <= 0) {
            return "not JSON";
        }
        return "not JSON (error at " + (lines && at.getLineNr() > 0 ? "line " + at.getLineNr() + ", " : "")
                + "character " + at.getColumnNr() + ")";
    }
}
