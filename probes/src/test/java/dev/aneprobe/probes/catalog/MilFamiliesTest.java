package dev.aneprobe.probes.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.mil.Operation;
import dev.aneprobe.probes.mil.CoremltoolsFields;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mil.ops.OpRegistry;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import dev.aneprobe.probes.validate.ProgramValidator;
import dev.aneprobe.probes.validate.ValidationResult;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every ML Program probe of every profile is a valid program: the op under test is named {@code y}, its type is one
 * of the family's layer types, and the family's declared minimum specification version is the lowest any of its
 * probes needs; and every immediate value (const values, op names, constexpr attributes, literal lists) is in the
 * field coremltools writes its type in, by {@link CoremltoolsFields}' own table, not the builder's. The full profile
 * holds every quick and standard probe (the profiles are nested). Weight-file placement is simulated here (offsets
 * only); the package writer's own tests cover the file format.
 */
class MilFamiliesTest {
    @TestFactory
    List<DynamicTest> everyMilProbeIsAValidProgram() {
        ProgramValidator validator = new ProgramValidator();
        return MilFamilies.all().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            assertTrue(f.name().startsWith("mil."), f.name());
            List<ProbeSpec> probes = f.probes(Profile.FULL, List.of());
            assertFalse(probes.isEmpty());
            int lowest = Integer.MAX_VALUE;
            for (ProbeSpec s : probes) {
                long[] next = {64};
                MilNet net = (MilNet) f.build(s);
                Model model = net.toModel(s.id(), (type, data, count) -> {
                    long offset = next[0];
                    next[0] += 64 + (data.length + 63) / 64 * 64;
                    return offset;
                });
                ValidationResult r = validator.validate(model);
                assertTrue(r.valid(), s.id() + ": " + r.message());
                long[] seen = {0};
                assertEquals(List.of(), CoremltoolsFields.misplaced(model, seen),
                        s.id() + ": immediate values outside the field coremltools writes them in");
                assertTrue(seen[0] > 0, s.id());
                lowest = Math.min(lowest, model.getSpecificationVersion());
                List<Operation> ops = model.getMlProgram().getFunctionsOrThrow("main")
                        .getBlockSpecializationsOrThrow(net.opset()).getOperationsList();
                Operation probe = ops.stream().filter(MilFamiliesTest::namedY).findFirst()
                        .orElseThrow(() -> new AssertionError(s.id() + ": no op is named y"));
                assertTrue(f.layerTypes().contains(probe.getType()), s.id() + ": op " + probe.getType());
                assertEquals(f.layerTypeOf(s), probe.getType(), s.id());
            }
            assertEquals(f.minSpecificationVersion(), lowest, f.name() + ": declared minimum version");
        })).toList();
    }

    /** The op under test is named y: it writes y, or (write_state, which writes nothing) carries the name. */
    private static boolean namedY(Operation o) {
        return o.getOutputsCount() > 0 ? o.getOutputs(0).getName().equals("y")
                : o.getAttributesOrThrow("name").getImmediateValue().getTensor().getStrings().getValues(0).equals("y");
    }

    @TestFactory
    List<DynamicTest> layerTypesAreRegisteredOps() {
        OpRegistry registry = OpRegistry.standard();
        return MilFamilies.all().stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> {
            for (String op : f.layerTypes()) {
                assertTrue(registry.signature(op, "CoreML8").isPresent(), f.name() + ": unknown op " + op);
            }
        })).toList();
    }
}
