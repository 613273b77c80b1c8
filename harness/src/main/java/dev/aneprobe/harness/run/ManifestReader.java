package dev.aneprobe.harness.run;

import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.probes.manifest.ManifestEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code manifest.jsonl} of a {@code generate} output directory: one {@link ManifestEntry} per line, model
 * paths relative to the directory. Every problem is a {@link UserInputException} naming the file and line.
 */
public final class ManifestReader {
    public static final String MANIFEST = "manifest.jsonl";

    private ManifestReader() {
    }

    /** All probes of a probes directory, in manifest order. */
    public static List<ProbeModel> read(Path probesDir) {
        Path manifest = probesDir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new UserInputException(probesDir + " has no " + MANIFEST + " (give the output directory of 'aneprobe generate')");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserInputException("cannot read " + manifest + ": " + e.getMessage(), e);
        }
        List<ProbeModel> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            ManifestEntry e;
            try {
                e = Json.mapper().readValue(line, ManifestEntry.class);
            } catch (JsonProcessingException | RuntimeException ex) {
                throw new UserInputException(manifest + ":" + (i + 1) + ": not a manifest entry ("
                        + firstLine(ex.getMessage()) + ")", ex);
            }
            if (e.id() == null || e.path() == null) {
                throw new UserInputException(manifest + ":" + (i + 1) + ": entry without id or path");
            }
            if (!ids.add(e.id())) {
                throw new UserInputException(manifest + ":" + (i + 1) + ": duplicate probe id " + e.id());
            }
            Path model = probesDir.resolve(e.path()).normalize().toAbsolutePath();
            if (!Files.exists(model)) {
                throw new UserInputException(manifest + ":" + (i + 1) + ": model " + e.path() + " does not exist");
            }
            String sha = e.sha256() != null && !e.sha256().isBlank() ? e.sha256() : sha256(model);
            out.add(new ProbeModel(e, model, sha));
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * sha256 of a model as the generator defines it (for a manifest line without one): the file's bytes, or for a
     * package its model spec followed by its weight file (the same definition as the generator's).
     */
    static String sha256(Path model) {
        try {
            if (Files.isDirectory(model)) {
                return MlPackageWriter.sha256(model);
            }
            return ProbeGenerator.sha256(Files.readAllBytes(model));
        } catch (IOException e) {
            throw new UserInputException("cannot read model " + model + ": " + e.getMessage(), e);
        }
    }
}
