package dev.aneprobe.harness.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The stages a probe goes through on a device, in order. */
public enum Stage {
    COMPILE, LOAD, PLAN, PREDICT;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Stage fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
