package dev.aneprobe.harness.testutil;

import dev.aneprobe.harness.results.Json;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a probes directory (manifest.jsonl plus double "models") like 'aneprobe generate' would. */
public final class Probes {
    private final Map<String, String[]> models = new LinkedHashMap<>();
    private final Map<String, String> families = new LinkedHashMap<>();

    /** A probe whose family is the id's part before the first '/'. */
    public Probes add(String id, String... directives) {
        models.put(id, directives);
        families.put(id, id.substring(0, id.indexOf('/') < 0 ? id.length() : id.indexOf('/')));
        return this;
    }

    public Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String[]> e : models.entrySet()) {
            String family = families.get(e.getKey());
            String rel = family + "/p" + (i++) + ".mlmodel";
            TestNative.model(dir, rel, e.getValue());
            ManifestEntry m = new ManifestEntry(e.getKey(), family, "pooling", params(e.getKey(), i), 4,
                    "mlmodel", rel, List.of(new FeatureInfo("x", List.of(1L, 64L, 56L, 56L), "FLOAT32")),
                    List.of(new FeatureInfo("y", List.of(1L, 64L, 28L, 28L), "FLOAT32")), null);
            lines.add(Json.mapper().writeValueAsString(m));
        }
        Files.write(dir.resolve("manifest.jsonl"), lines);
        return dir;
    }

    /**
     * The params of an id written as the generator writes them ({@code pooling/k=1,s=2}), so that its lines pass
     * every reader's check; other ids ({@code pooling/a}) get {@code k=<index>}, which readers refuse (the id is not
     * family/params).
     */
    static Map<String, String> params(String id, int index) {
        String tail = id.substring(id.indexOf('/') + 1);
        if (!id.contains("/") || !tail.contains("=")) {
            return Map.of("k", String.valueOf(index));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : tail.split(",")) {
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }
}
