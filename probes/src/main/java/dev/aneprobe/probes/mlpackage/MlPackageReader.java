package dev.aneprobe.probes.mlpackage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads an {@code .mlpackage} directory and checks its manifest the way Core ML's package code does: a JSON object
 * with a {@code major.minor.patch} {@code fileFormatVersion} no newer than 1.0.0, {@code itemInfoEntries} whose
 * every entry has path, name, author and description and whose path exists under {@code Data/}, and a
 * {@code rootModelIdentifier} naming one of the entries, whose path is a file. In addition, item paths must stay
 * inside the package (no absolute paths, no {@code ..}, no symbolic link leading out).
 */
public final class MlPackageReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})");
    private static final String[] ITEM_KEYS = {"path", "name", "author", "description"};

    private MlPackageReader() {
    }

    public static MlPackage read(Path packageDir) throws PackageFormatException {
        Path rootModel = rootModel(packageDir);
        String rootRel = packageDir.relativize(rootModel).toString();
        byte[] model;
        try {
            model = Files.readAllBytes(rootModel);
        } catch (IOException e) {
            throw new PackageFormatException("cannot read root model file '" + rootRel + "': " + e.getMessage());
        }
        return new MlPackage(packageDir, model, weightFiles(rootModel), rootKey(packageDir), rootModel);
    }

    private static String rootKey(Path packageDir) throws PackageFormatException {
        try {
            return JSON.readTree(Files.readAllBytes(packageDir.resolve(MlPackageWriter.MANIFEST)))
                    .get("rootModelIdentifier").asText();
        } catch (IOException e) {
            throw new PackageFormatException("cannot read Manifest.json: " + e.getMessage());
        }
    }

    /**
     * The root model file of a package, after checking the layout and manifest (without reading the model or its
     * weights, which may be large).
     */
    public static Path rootModel(Path packageDir) throws PackageFormatException {
        if (!Files.isDirectory(packageDir)) {
            throw new PackageFormatException("not a directory, so not an .mlpackage");
        }
        Path manifestFile = packageDir.resolve(MlPackageWriter.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new PackageFormatException("package has no " + MlPackageWriter.MANIFEST);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(Files.readAllBytes(manifestFile));
        } catch (JsonProcessingException e) {
            throw new PackageFormatException("Manifest.json is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new PackageFormatException("cannot read Manifest.json: " + e.getMessage());
        }
        if (manifest == null || !manifest.isObject()) {
            throw new PackageFormatException("Manifest.json is not a JSON object");
        }
        checkVersion(manifest.get("fileFormatVersion"));

        JsonNode entries = manifest.get("itemInfoEntries");
        if (entries == null || !entries.isObject()) {
            throw new PackageFormatException("Manifest.json has no itemInfoEntries object");
        }
        JsonNode rootId = manifest.get("rootModelIdentifier");
        if (rootId == null || !rootId.isTextual()) {
            throw new PackageFormatException("Manifest.json has no rootModelIdentifier");
        }
        if (!entries.has(rootId.asText())) {
            throw new PackageFormatException("rootModelIdentifier " + rootId.asText()
                    + " is not among itemInfoEntries");
        }

        Path data = packageDir.resolve(MlPackageWriter.DATA_DIR);
        Map<String, Path> itemPaths = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = entries.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            itemPaths.put(e.getKey(), itemPath(data, e.getKey(), e.getValue()));
        }
        String rootKey = rootId.asText();
        Path rootModel = itemPaths.get(rootKey);
        String rootRel = entries.get(rootKey).get("path").asText();
        if (!Files.exists(rootModel, LinkOption.NOFOLLOW_LINKS)) {
            throw new PackageFormatException("root model file '" + rootRel + "' does not exist");
        }
        if (!Files.isRegularFile(rootModel)) {
            throw new PackageFormatException("root model '" + rootRel + "' is not a file");
        }
        for (Map.Entry<String, Path> e : itemPaths.entrySet()) {
            if (!Files.exists(e.getValue())) {
                throw new PackageFormatException("item " + e.getKey() + " path '"
                        + entries.get(e.getKey()).get("path").asText() + "' does not exist in the package");
            }
        }
        checkInside(packageDir, data, itemPaths, entries);
        return rootModel;
    }

    private static void checkVersion(JsonNode version) throws PackageFormatException {
        if (version == null) {
            throw new PackageFormatException("Manifest.json has no fileFormatVersion");
        }
        Matcher m = VERSION.matcher(version.isTextual() ? version.asText() : "");
        if (!m.matches()) {
            throw new PackageFormatException("Manifest.json fileFormatVersion " + version
                    + " is not of the form major.minor.patch");
        }
        int[] v = {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
        int[] newest = {1, 0, 0};
        for (int i = 0; i < 3; i++) {
            if (v[i] != newest[i]) {
                if (v[i] > newest[i]) {
                    throw new PackageFormatException("Manifest.json fileFormatVersion " + version.asText()
                            + " is newer than the supported " + MlPackageWriter.FILE_FORMAT_VERSION);
                }
                break;
            }
        }
    }

    private static Path itemPath(Path data, String id, JsonNode item) throws PackageFormatException {
        if (!item.isObject()) {
            throw new PackageFormatException("itemInfoEntries " + id + " is not a JSON object");
        }
        for (String key : ITEM_KEYS) {
            JsonNode v = item.get(key);
            if (v == null || !v.isTextual()) {
                throw new PackageFormatException("itemInfoEntries " + id + " has no string '" + key + "'");
            }
        }
        String rel = item.get("path").asText();
        if (rel.isEmpty() || rel.startsWith("/") || rel.startsWith("\\") || rel.contains("\0")
                || Path.of(rel).isAbsolute()) {
            throw new PackageFormatException("item " + id + " path '" + rel + "' is not a relative path");
        }
        for (String part : rel.split("[/\\\\]")) {
            if (part.equals("..")) {
                throw new PackageFormatException("item " + id + " path '" + rel + "' escapes the package");
            }
        }
        return data.resolve(rel);
    }

    /** Symbolic links could still lead out of the package; compare real paths. */
    private static void checkInside(Path packageDir, Path data, Map<String, Path> itemPaths, JsonNode entries)
            throws PackageFormatException {
        try {
            Path realData = data.toRealPath();
            for (Map.Entry<String, Path> e : itemPaths.entrySet()) {
                if (!e.getValue().toRealPath().startsWith(realData)) {
                    throw new PackageFormatException("item " + e.getKey() + " path '"
                            + entries.get(e.getKey()).get("path").asText() + "' escapes the package");
                }
            }
        } catch (IOException e) {
            throw new PackageFormatException("cannot resolve package paths: " + e.getMessage());
        }
    }

    /** Every regular file under the root model's directory except the model itself. */
    private static Map<String, byte[]> weightFiles(Path rootModel) throws PackageFormatException {
        Path modelDir = rootModel.getParent();
        Map<String, byte[]> files = new TreeMap<>();
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(modelDir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !p.equals(rootModel))
                    .forEach(paths::add);
            for (Path p : paths) {
                StringBuilder key = new StringBuilder(MlPackage.MODEL_PATH_PREFIX);
                Path rel = modelDir.relativize(p);
                for (int i = 0; i < rel.getNameCount(); i++) {
                    key.append(i == 0 ? "" : "/").append(rel.getName(i));
                }
                files.put(key.toString(), Files.readAllBytes(p));
            }
        } catch (IOException e) {
            throw new PackageFormatException("cannot read package files: " + e.getMessage());
        }
        return files;
    }
}
