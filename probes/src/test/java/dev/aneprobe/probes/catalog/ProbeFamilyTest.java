package dev.aneprobe.probes.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Named rules, companions, and the upsample family's fractional scales built on them. */
class ProbeFamilyTest {
    /** Odd sizes need the slow mode with an exact flag; the exact flag needs the slow mode. */
    private static ProbeFamily family() {
        return ProbeFamily.named("t").layers("copy")
                .axis(Axis.integer("size", 2).standard("3", "4"))
                .axis(Axis.choice("mode", "fast", "slow"))
                .axis(Axis.choice("exact", "no", "yes"))
                .admissible("exact needs mode slow", s -> s.text("exact").equals("no") || s.text("mode").equals("slow"))
                .admissible("an odd size needs mode slow with exact yes", s -> s.integer("size") % 2 == 0
                        || (s.text("mode").equals("slow") && s.text("exact").equals("yes")))
                .companions("size", "mode", "exact")
                .builds(s -> Net.legacy())
                .build();
    }

    @Test
    void aValueTheBaselineCannotTakeIsProbedWithItsCompanionsAfterTheRest() {
        ProbeFamily f = family();
        assertEquals(List.of("t/size=2,mode=fast,exact=no", "t/size=4,mode=fast,exact=no",
                "t/size=3,mode=slow,exact=yes"), f.probes(Profile.STANDARD, List.of()).stream().map(ProbeSpec::id)
                .toList());
        assertEquals(List.of("t/size=2,mode=fast,exact=no"),
                f.probes(Profile.QUICK, List.of()).stream().map(ProbeSpec::id).toList());
    }

    @Test
    void rulesSayWhatTheyRequire() {
        ProbeFamily f = family();
        ProbeSpec odd = f.baseline().with("size", "3");
        assertEquals("an odd size needs mode slow with exact yes", f.brokenRule(odd).text());
        assertEquals(1, f.brokenRuleIndex(odd));
        assertEquals("exact needs mode slow", f.brokenRule(odd.with("exact", "yes")).text());
        assertNull(f.brokenRule(odd.with("exact", "yes").with("mode", "slow")));
        assertEquals(2, f.ruleCount());
    }

    @Test
    void companionsMustBeOtherAxesOfTheFamily() {
        assertThrows(IllegalStateException.class, () -> ProbeFamily.named("u").layers("copy")
                .axis(Axis.integer("size", 2)).companions("size", "other").builds(s -> Net.legacy()).build());
        assertThrows(IllegalStateException.class, () -> ProbeFamily.named("u").layers("copy")
                .axis(Axis.integer("size", 2)).companions("size", "size").builds(s -> Net.legacy()).build());
        assertThrows(IllegalStateException.class, () -> ProbeFamily.named("u").layers("copy")
                .axis(Axis.integer("size", 2)).companions("size").builds(s -> Net.legacy()).build());
    }

    /** A number partner takes the values its axis sweeps in the profile, not every number it would accept. */
    @Test
    void aNumberCompanionTakesTheValuesItsAxisSweepsInTheProfile() {
        ProbeFamily f = ProbeFamily.named("u").layers("copy")
                .axis(Axis.integer("k", 8).standard("100"))
                .axis(Axis.integer("width", 56).standard("64").full("128", "8400"))
                .admissible("k is at most the width", s -> s.integer("k") <= s.integer("width"))
                .companions("k", "width")
                .builds(s -> Net.legacy())
                .build();
        assertEquals(List.of("u/k=8,width=56", "u/k=8,width=64"),
                f.probes(Profile.STANDARD, List.of()).stream().map(ProbeSpec::id).toList());
        assertEquals(List.of("u/k=8,width=56", "u/k=8,width=64", "u/k=8,width=128", "u/k=8,width=8400",
                "u/k=100,width=128", "u/k=100,width=8400"),
                f.probes(Profile.FULL, List.of()).stream().map(ProbeSpec::id).toList());
    }

    @Test
    void upsampleProbesItsFractionalScalesWithBilinearAndBothAlignCornersModes() {
        ProbeFamily upsample = Catalog.standard().family("upsample");
        for (Profile p : Profile.values()) {
            List<ProbeSpec> probes = upsample.probes(p, List.of());
            List<ProbeSpec> fractional = probes.stream().filter(s -> s.text("scale").contains(".")).toList();
            long advertised = upsample.axis("scale").values(p).stream().filter(v -> v.contains(".")).count();
            assertEquals(2 * advertised, fractional.size(), p + ": every fractional scale listed is probed, twice");
            for (ProbeSpec s : fractional) {
                assertEquals("bilinear", s.text("mode"), s.id());
                assertTrue(s.text("align").equals("true") || s.text("align").equals("false"), s.id());
            }
        }
        assertEquals(26, upsample.probes(Profile.STANDARD, List.of()).size());
        assertEquals(145, upsample.probes(Profile.FULL, List.of()).size());
    }
}
