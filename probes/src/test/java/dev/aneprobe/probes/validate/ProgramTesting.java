package dev.aneprobe.probes.validate;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the ML Program validator tests share: op input maps and the "fails with this problem" assertion. */
final class ProgramTesting {
    private ProgramTesting() {
    }

    /** Op inputs from (parameter, value name) pairs, one binding each, in order. */
    static Map<String, List<String>> in(String... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], List.of(pairs[i + 1]));
        }
        return m;
    }

    /** The result is invalid, and one of its problems contains {@code expected}. */
    static void assertProblem(ValidationResult r, String expected) {
        assertFalse(r.valid(), "expected a problem containing: " + expected);
        assertTrue(r.problems().stream().anyMatch(p -> p.contains(expected)),
                "expected a problem containing '" + expected + "', got " + r.problems());
    }
}
