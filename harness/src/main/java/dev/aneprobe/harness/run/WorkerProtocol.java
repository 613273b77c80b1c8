package dev.aneprobe.harness.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.results.Json;
import java.io.UncheckedIOException;

/**
 * The worker's line protocol. Requests: one JSON {@link WorkerRequest} per line on stdin. Replies: lines on stdout
 * starting with {@link #PREFIX}, followed by one JSON {@link WorkerMessage}. Any other stdout line (Core ML or a
 * crashing JVM may print there) is not protocol and is kept with stderr for diagnostics.
 */
public final class WorkerProtocol {
    public static final String PREFIX = "@@aneprobe ";

    private WorkerProtocol() {
    }

    static String encode(Object message) {
        try {
            return Json.mapper().writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The message of a protocol line, or null when the line is not one. */
    static WorkerMessage decode(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        try {
            return Json.mapper().readValue(line.substring(PREFIX.length()), WorkerMessage.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
