package dev.aneprobe.probes.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.TextFormat;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files pin a few probes per family: the baseline, the last quick probe and the last standard probe. Each
 * golden is the model in protobuf text format (long runs of weight values elided so it stays readable) under a
 * header holding the sha256 of the exact model bytes, so any change to structure or to a single weight shows.
 *
 * <p>After an intended change, regenerate with {@code mvn -pl probes test -Dtest=GoldenProbesTest
 * -Daneprobe.golden.update=true} and review the diff.
 */
class GoldenProbesTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("aneprobe.golden.update");
    private static final int KEEP = 4;

    @TestFactory
    List<DynamicTest> goldenProbes() {
        Catalog catalog = Catalog.standard();
        ProbeGenerator generator = new ProbeGenerator(catalog);
        List<DynamicTest> tests = new ArrayList<>();
        for (ProbeFamily family : catalog.families()) {
            for (ProbeSpec spec : pinned(family)) {
                tests.add(DynamicTest.dynamicTest(spec.id(), () -> {
                    BuiltProbe built = generator.build(family, spec);
                    String text = render(built);
                    Path file = GOLDEN.resolve(family.name()).resolve(spec.fileName() + ".textproto");
                    if (UPDATE) {
                        Files.createDirectories(file.getParent());
                        Files.writeString(file, text, StandardCharsets.UTF_8);
                    }
                    assertTrue(Files.exists(file), "no golden file " + file
                            + " (run with -Daneprobe.golden.update=true to create it, then review it)");
                    assertEquals(Files.readString(file, StandardCharsets.UTF_8), text, "golden differs: " + file);
                }));
            }
        }
        return tests;
    }

    /**
     * Every golden file belongs to a pinned probe: one left behind when a family's pinned probes change would pin
     * nothing while looking like coverage. In update mode such files are deleted.
     */
    @Test
    void noGoldenWithoutItsProbe() throws IOException {
        Set<Path> expected = new java.util.HashSet<>();
        for (ProbeFamily family : Catalog.standard().families()) {
            for (ProbeSpec spec : pinned(family)) {
                expected.add(GOLDEN.resolve(family.name()).resolve(spec.fileName() + ".textproto"));
            }
        }
        List<Path> stale;
        try (var files = Files.walk(GOLDEN)) {
            stale = files.filter(Files::isRegularFile).filter(f -> !expected.contains(f)).sorted().toList();
        }
        if (UPDATE) {
            for (Path f : stale) {
                Files.delete(f);
            }
            return;
        }
        assertEquals(List.of(), stale, "golden files no pinned probe maps to (regenerate with "
                + "-Daneprobe.golden.update=true to remove them)");
    }

    static List<ProbeSpec> pinned(ProbeFamily family) {
        Set<ProbeSpec> out = new LinkedHashSet<>();
        out.add(family.baseline());
        List<ProbeSpec> quick = family.probes(Profile.QUICK, List.of());
        out.add(quick.get(quick.size() - 1));
        List<ProbeSpec> standard = family.probes(Profile.STANDARD, List.of());
        out.add(standard.get(standard.size() - 1));
        return new ArrayList<>(out);
    }

    static String render(BuiltProbe built) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# probe: ").append(built.spec().id()).append('\n');
        sb.append("# sha256 of the model bytes: ").append(built.sha256()).append('\n');
        sb.append("# specification version: ").append(built.specificationVersion()).append('\n');
        String text = TextFormat.printer().printToString(built.model());
        String[] lines = text.split("\n");
        int i = 0;
        while (i < lines.length) {
            String key = fieldName(lines[i]);
            int j = i;
            while (j < lines.length && key != null && key.equals(fieldName(lines[j]))) {
                j++;
            }
            int run = Math.max(1, j - i);
            if (key != null && run > 2 * KEEP) {
                for (int k = i; k < i + KEEP; k++) {
                    sb.append(lines[k]).append('\n');
                }
                sb.append(indent(lines[i])).append("# ... ").append(run - KEEP).append(" more ").append(key)
                        .append(" values\n");
                i = j;
            } else {
                String line = lines[i];
                if (line.length() > 200) {
                    line = line.substring(0, 160) + "\" # ... " + line.length() + " characters in all";
                }
                sb.append(line).append('\n');
                i++;
            }
        }
        return sb.toString();
    }

    /** The field name of a scalar line ("  floatValue: 0.5" → "floatValue"); null for braces. */
    private static String fieldName(String line) {
        String t = line.trim();
        int colon = t.indexOf(':');
        if (colon <= 0 || t.endsWith("{")) {
            return null;
        }
        return t.substring(0, colon);
    }

    private static String indent(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return " ".repeat(n);
    }
}
