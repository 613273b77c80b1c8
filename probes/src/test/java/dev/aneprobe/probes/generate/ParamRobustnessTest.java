package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ParamOverride;
import dev.aneprobe.probes.sweep.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every axis of every family, given awkward values with {@code --param}: the edges of its range and beyond, zero,
 * large values, shapes of another rank, tiny and odd shapes. Planning (which builds every probe the catalog does not
 * hold) either succeeds or refuses with a one-line GenerationException; anything else would reach the user as exit
 * 3. Deterministic, and bounded by the quick profile.
 */
class ParamRobustnessTest {
    private final Catalog catalog = Catalog.standard();
    private final ProbeGenerator generator = new ProbeGenerator(catalog);

    @Test
    void awkwardValuesNeverCrashPlanning() {
        List<String> crashes = new ArrayList<>();
        int tried = 0;
        for (ProbeFamily family : catalog.families()) {
            for (Axis axis : family.axes()) {
                for (String value : awkward(axis)) {
                    String param = family.name() + "." + axis.name() + "=" + value;
                    tried++;
                    try {
                        generator.plan(new GenerationRequest(Profile.QUICK, List.of(family.name()),
                                List.of(ParamOverride.parse(param)), Path.of("unused"), false));
                    } catch (GenerationException e) {
                        assertTrue(!e.getMessage().isBlank() && !e.getMessage().contains("\n"), param);
                    } catch (RuntimeException | OutOfMemoryError e) {
                        crashes.add(param + ": " + e);
                    }
                }
            }
        }
        assertTrue(crashes.isEmpty(), crashes.size() + " of " + tried + " crashed:\n" + String.join("\n", crashes));
    }

    private static List<String> awkward(Axis axis) {
        String[] base = axis.baselineValue().split("x");
        switch (axis.kind()) {
            case INT:
                // Values near the top of a range only cost time here: the weight and size limits that stop them
                // are tested on their own (ProbePlannerTest).
                return List.of(Long.toString(axis.rangeMin() - 1), Long.toString(axis.rangeMin()), "0",
                        Long.toString(Math.min(axis.rangeMax(), 4096)), Long.toString(axis.rangeMax() + 1));
            case PAIR:
                return List.of("0", "1", "1x100", "4096", Long.toString(axis.rangeMax() + 1));
            case DECIMAL_PAIR:
                return List.of("0", "0.5", "1000");
            case DECIMAL:
                return List.of("0", "-1e30");
            case SHAPE: {
                List<String> out = new ArrayList<>();
                out.add(String.join("x", Collections.nCopies(Math.max(1, base.length - 1), "8")));
                out.add(String.join("x", Collections.nCopies(base.length + 1, "8")));
                out.add(String.join("x", Collections.nCopies(base.length, "1")));
                String[] odd = base.clone();
                odd[odd.length - 1] = "7";
                out.add(String.join("x", odd));
                return out;
            }
            default:
                return List.of(); // choices and bools take only their declared words
        }
    }
}
