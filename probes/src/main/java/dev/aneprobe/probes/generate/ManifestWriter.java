package dev.aneprobe.probes.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes {@code manifest.jsonl}: one JSON object per line, fields in record order, so output is byte-stable. */
public final class ManifestWriter implements Closeable {
    public static final String FILE_NAME = "manifest.jsonl";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, false);

    private final BufferedWriter writer;

    public ManifestWriter(Path file) throws IOException {
        this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    public void write(ManifestEntry entry) throws IOException {
        writer.write(MAPPER.writeValueAsString(entry));
        writer.write('\n');
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
