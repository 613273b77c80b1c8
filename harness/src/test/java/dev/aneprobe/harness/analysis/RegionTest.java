package dev.aneprobe.harness.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.analysis.claims.ParamValue;
import dev.aneprobe.harness.analysis.claims.ParamValue.Selector;
import dev.aneprobe.harness.analysis.claims.ProbeView;
import dev.aneprobe.harness.analysis.claims.Region;
import dev.aneprobe.harness.results.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegionTest {
    record Probe(String family, String layerType, Map<String, String> params) implements ProbeView {
        @Override
        public String param(String axis) {
            return params.get(axis);
        }
    }

    static Region region(String json) throws Exception {
        return Region.parse(Json.mapper().readTree(json), "test");
    }

    static Probe pool(String kernel, String stride) {
        return new Probe("pooling", "pooling", Map.of("type", "max", "kernel", kernel, "stride", stride,
                "global", "false", "in", "64x56x56"));
    }

    @Test
    void selectorsReadHxWAndShapes() {
        assertEquals(15, ParamValue.select("15x3", Selector.MAX));
        assertEquals(15, ParamValue.select("15x3", Selector.H));
        assertEquals(3, ParamValue.select("15x3", Selector.W));
        assertEquals(1.5, ParamValue.select("1.5x1.5", Selector.MAX));
        assertEquals(64 * 56 * 56, ParamValue.select("1x64x56x56", Selector.PRODUCT));
        assertEquals(64, ParamValue.select("1x64x56x56", Selector.C));
        assertEquals(7, ParamValue.select("7", Selector.H), "a single number is square");
        assertTrue(Double.isNaN(ParamValue.select("Cx1x1", Selector.MAX)), "not numeric");
        assertTrue(Double.isNaN(ParamValue.select("max", Selector.VALUE)));
        assertEquals("13", ParamValue.format(13.0));
        assertEquals("1.5", ParamValue.format(1.5));
    }

    @Test
    void kernelAbove13IsMaxOfHeightAndWidthAndPerComponentWorksToo() throws Exception {
        Region maxRule = region("{\"axis\":\"kernel\",\"select\":\"max\",\"op\":\">\",\"value\":13}");
        assertTrue(maxRule.test(pool("15x15", "1x1")));
        assertTrue(maxRule.test(pool("1x28", "1x1")));
        assertFalse(maxRule.test(pool("13x13", "1x1")));
        Region widthRule = region("{\"axis\":\"kernel\",\"select\":\"w\",\"op\":\">\",\"value\":13}");
        assertTrue(widthRule.test(pool("1x28", "1x1")));
        assertFalse(widthRule.test(pool("28x1", "1x1")));
    }

    @Test
    void combinatorsAndMissingAxes() throws Exception {
        Region r = region("{\"all\":[{\"any\":[{\"axis\":\"kernel\",\"select\":\"max\",\"op\":\">\",\"value\":13},"
                + "{\"axis\":\"stride\",\"select\":\"max\",\"op\":\">\",\"value\":2}]},"
                + "{\"not\":{\"axis\":\"global\",\"op\":\"=\",\"value\":\"true\"}}]}");
        assertTrue(r.test(pool("3x3", "4x4")));
        assertFalse(r.test(pool("3x3", "2x2")));
        Probe noGlobalAxis = new Probe("pooling", "pooling", Map.of("kernel", "15x15", "stride", "1x1"));
        assertTrue(r.test(noGlobalAxis), "a comparison on a missing axis is false, so not(...) is true");
        Region onMissing = region("{\"axis\":\"dilation\",\"select\":\"max\",\"op\":\"<=\",\"value\":1}");
        assertFalse(onMissing.test(pool("3x3", "1x1")));
    }

    @Test
    void stringsListsRegexAndPseudoAxes() throws Exception {
        Probe mul = new Probe("multiply", "multiply", Map.of("b", "Cx1x1", "operand", "input"));
        assertTrue(region("{\"axis\":\"b\",\"op\":\"=\",\"value\":\"Cx1x1\"}").test(mul));
        assertTrue(region("{\"axis\":\"b\",\"op\":\"in\",\"value\":[\"1x1x1\",\"Cx1x1\"]}").test(mul));
        assertFalse(region("{\"axis\":\"b\",\"op\":\"not in\",\"value\":[\"Cx1x1\"]}").test(mul));
        assertTrue(region("{\"axis\":\"@layerType\",\"op\":\"matches\",\"value\":\"mul.*\"}").test(mul));
        assertFalse(region("{\"axis\":\"@family\",\"op\":\"=\",\"value\":\"add\"}").test(mul));
        assertTrue(region("{\"axis\":\"groups\",\"op\":\"=\",\"value\":\"2\"}")
                .test(new Probe("convolution", "convolution", Map.of("groups", "2.0"))), "numbers compare as numbers");
    }

    @Test
    void mistakesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> region("{\"axis\":\"k\",\"op\":\"~\",\"value\":1}"));
        assertThrows(IllegalArgumentException.class, () -> region("{\"axis\":\"k\",\"op\":\">\",\"value\":\"big\"}"));
        assertThrows(IllegalArgumentException.class, () -> region("{\"axis\":\"k\",\"op\":\"in\",\"value\":1}"));
        assertThrows(IllegalArgumentException.class, () -> region("{\"axis\":\"k\",\"select\":\"diag\","
                + "\"op\":\">\",\"value\":1}"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> region("{\"axis\":\"k\",\"op\":\">\"}"));
        assertTrue(e.getMessage().contains("axis, op and value"), e.getMessage());
    }
}
