package dev.aneprobe.probes.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.output.OutputDirectory;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Recognises a directory written by {@code aneprobe generate}: its {@code manifest.jsonl} is aneprobe's (every line
 * a probe entry with an id, family, format, hash and a path inside the family's directory), and its own entries are
 * that manifest, the files and packages it lists and their directories. Anything else found there is not ours.
 */
final class GeneratedOutput implements OutputDirectory.Kind {
    static final GeneratedOutput KIND = new GeneratedOutput();
    /** A manifest this large is not ours (the full profile's is about 6 MB). */
    private static final long MAX_MANIFEST_BYTES = 256L << 20;
    private static final Predicate<OutputDirectory.Entry> NONE = e -> false;

    private GeneratedOutput() {
    }

    @Override
    public String command() {
        return "aneprobe generate";
    }

    @Override
    public Predicate<OutputDirectory.Entry> ownEntries(Path dir) throws IOException {
        Path manifest = dir.resolve(ManifestWriter.FILE_NAME);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS) || Files.size(manifest) > MAX_MANIFEST_BYTES) {
            return NONE;
        }
        Set<String> files = new HashSet<>(List.of(ManifestWriter.FILE_NAME));
        Set<String> dirs = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(manifest, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String path = probePath(line);
                if (path == null) {
                    return NONE;
                }
                if (path.endsWith(".mlpackage")) {
                    dirs.add(path);
                    MlPackageWriter.DIRECTORIES.forEach(d -> dirs.add(path + "/" + d));
                    MlPackageWriter.FILES.forEach(f -> files.add(path + "/" + f));
                } else {
                    files.add(path);
                }
                for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    dirs.add(path.substring(0, slash));
                }
            }
        } catch (CharacterCodingException e) {
            return NONE;
        }
        return e -> (e.directory() ? dirs : files).contains(e.path());
    }

    /** The model path of a manifest line as aneprobe writes it, or null when the line is not one. */
    static String probePath(String line) {
        JsonNode n;
        try {
            n = ManifestWriter.mapper().readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (n == null || !n.isObject()) {
            return null;
        }
        for (String field : List.of("id", "family", "format", "path", "sha256")) {
            if (!n.path(field).isTextual()) {
                return null;
            }
        }
        String family = n.get("family").asText();
        String format = n.get("format").asText();
        String path = n.get("path").asText();
        boolean plain = !family.isEmpty() && !family.contains("/") && !family.startsWith(".")
                && path.startsWith(family + "/") && path.endsWith("." + format)
                && (format.equals("mlmodel") || format.equals("mlpackage"));
        for (String part : path.split("/", -1)) {
            plain &= !part.isEmpty() && !part.equals(".") && !part.equals("..") && !part.contains("\\");
        }
        return plain && n.get("id").asText().startsWith(family + "/") ? path : null;
    }
}
