package dev.aneprobe.harness.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.aneprobe.harness.bridge.Shim;
import dev.aneprobe.harness.testutil.TestNative;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompiledModelCacheTest {
    @TempDir
    Path dir;

    @Test
    void compilesOnceAndKeysByOsBuildAndSha() throws Exception {
        Shim shim = Shim.load(TestNative.doubleLibrary());
        Path model = TestNative.model(dir, "m.mlmodel", "compile_ms=9");
        CompiledModelCache cache = new CompiledModelCache(dir.resolve("cache"));
        CompiledModelCache.Entry first = cache.compiled(shim, model, "abc123", "23F79");
        assertEquals(9.0, first.compileMs());
        assertEquals(dir.resolve("cache/23F79/abc123/model.mlmodelc"), first.compiled());
        CompiledModelCache.Entry hit = cache.compiled(shim, model, "abc123", "23F79");
        assertNull(hit.compileMs());
        assertEquals(first.compiled(), hit.compiled());
        assertEquals(9.0, cache.compiled(shim, model, "abc123", "24A335").compileMs(), "a new OS build recompiles");
        try (Stream<Path> s = Files.list(dir.resolve("cache/23F79/abc123"))) {
            assertEquals(1, s.count(), "no temporary bundle left behind");
        }
    }
}
