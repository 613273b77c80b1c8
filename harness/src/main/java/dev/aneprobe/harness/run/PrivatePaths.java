package dev.aneprobe.harness.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps user names and home directories out of published runs. Core ML's errors, the unified log and a crashed
 * worker's stderr often name files (the compiled-model cache lives under the home directory); before a line is
 * recorded, every text in it is rewritten: the user's home directory becomes {@code ~}, and any other macOS home
 * directory {@code /Users/<name>} becomes {@code /Users/<user>}.
 */
public final class PrivatePaths {
    private static final Pattern MAC_HOME = Pattern.compile("/Users/(?!<user>)[^/\\s\"'<>:]+");

    private final Pattern home;

    /** @param home the user's home directory, or null/blank/"/" when there is none to hide */
    public PrivatePaths(String home) {
        String h = home == null ? "" : home.strip();
        while (h.length() > 1 && h.endsWith("/")) {
            h = h.substring(0, h.length() - 1);
        }
        this.home = h.length() <= 1 ? null : Pattern.compile(Pattern.quote(h) + "(?=/|\\s|$|[\"':,;)\\]])");
    }

    /** For this process's user. */
    public static PrivatePaths ofThisUser() {
        return new PrivatePaths(System.getProperty("user.home"));
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String t = home == null ? text : home.matcher(text).replaceAll("~");
        return MAC_HOME.matcher(t).replaceAll(Matcher.quoteReplacement("/Users/<user>"));
    }

    /** The observation with every text value scrubbed (the same object when nothing changed). */
    public Observation scrub(Observation o) {
        JsonNode tree = Json.mapper().valueToTree(o);
        if (!scrubTree(tree)) {
            return o;
        }
        try {
            return Json.mapper().treeToValue(tree, Observation.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an observation does not read back after scrubbing paths", e);
        }
    }

    /** Rewrites text values in place; true when any changed. */
    private boolean scrubTree(JsonNode node) {
        boolean changed = false;
        if (node instanceof ObjectNode obj) {
            Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isTextual()) {
                    String s = scrub(e.getValue().textValue());
                    if (!s.equals(e.getValue().textValue())) {
                        e.setValue(TextNode.valueOf(s));
                        changed = true;
                    }
                } else {
                    changed |= scrubTree(e.getValue());
                }
            }
        } else if (node instanceof ArrayNode arr) {
            for (int i = 0; i < arr.size(); i++) {
                JsonNode c = arr.get(i);
                if (c.isTextual()) {
                    String s = scrub(c.textValue());
                    if (!s.equals(c.textValue())) {
                        arr.set(i, TextNode.valueOf(s));
                        changed = true;
                    }
                } else {
                    changed |= scrubTree(c);
                }
            }
        }
        return changed;
    }
}
