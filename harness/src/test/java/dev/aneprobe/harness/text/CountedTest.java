package dev.aneprobe.harness.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CountedTest {
    @Test
    void nounsAgreeWithTheirCountAndNumbersAreGroupedTheSameEverywhere() {
        assertEquals("0 probes", Counted.of(0, "probe"));
        assertEquals("1 probe", Counted.of(1, "probe"));
        assertEquals("2 probe rows", Counted.of(2, "probe row"));
        assertEquals("1 chip/OS", Counted.of(1, "chip/OS", "chip/OS combinations"));
        assertEquals("1,000,000 observations", Counted.of(1_000_000, "observation"));
        assertEquals("-1,234", Counted.number(-1234));
        assertEquals("999", Counted.number(999));
        assertEquals("agrees", Counted.verb(1, "agrees", "agree"));
        assertEquals("agree", Counted.verb(0, "agrees", "agree"));
    }

    @Test
    void tallyListsTheKindsThatOccurInOrder() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("CONFIRMED", 4);
        m.put("REFUTED", 0);
        m.put("UNTESTED", 1234);
        assertEquals("4 CONFIRMED, 1,234 UNTESTED", Counted.tally(m));
        assertEquals("none", Counted.tally(Map.of()));
    }
}
