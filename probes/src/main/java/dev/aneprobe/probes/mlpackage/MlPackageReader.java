package dev.aneprobe.probes.mlpackage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aneprobe.probes.validate.CannotCheckException;
import dev.aneprobe.probes.validate.ModelFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an {@code .mlpackage} directory and checks its manifest the way Core ML's package code does: a JSON object
 * with a {@code major.minor.patch} {@code fileFormatVersion} no newer than 1.0.0, {@code itemInfoEntries} whose
 * every entry has path, name, author and description and whose path exists under {@code Data/}, and a
 * {@code rootModelIdentifier} naming one of the entries, whose path is a file. In addition, item paths must stay
 * inside the package (no absolute paths, no {@code ..}, no symbolic link leading out).
 *
 * <p>Files are read within {@link ModelFiles}' limits: the manifest and the root model whole (up to
 * {@link ModelFiles#MAX_MANIFEST_BYTES} and {@link ModelFiles#MAX_MODEL_BYTES}), weight files not at all (they are
 * listed by path and read by position later). What cannot be read, or is too large to read here, is a
 * {@link CannotCheckException}; what is wrong with the package is a {@link PackageFormatException}.
 */
public final class MlPackageReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VERSION = Pattern.compile("(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})");
    private static final String[] ITEM_KEYS = {"path", "name", "author", "description"};

    private MlPackageReader() {
    }

    public static MlPackage read(Path packageDir) throws PackageFormatException, CannotCheckException {
        if (!Files.isDirectory(packageDir)) {
            throw new PackageFormatException("not a directory, so not an .mlpackage");
        }
        Path manifestFile = packageDir.resolve(MlPackageWriter.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new PackageFormatException("package has no " + MlPackageWriter.MANIFEST);
        }
        JsonNode manifest;
        try {
            manifest = JSON.readTree(ModelFiles.read(manifestFile, ModelFiles.MAX_MANIFEST_BYTES,
                    MlPackageWriter.MANIFEST));
        } catch (CannotCheckException e) {
            throw e;
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

        long size = ModelFiles.attributes(rootModel).size();
        if (size > ModelFiles.MAX_PROTOBUF_BYTES) {
            throw new PackageFormatException("root model file '" + rootRel + "' is " + ModelFiles.bytes(size)
                    + "; it is one protobuf message, and protobuf cannot read one of 2 GiB or more");
        }
        String what = "root model file '" + rootRel + "'";
        if (size > ModelFiles.MAX_MODEL_BYTES) {
            throw ModelFiles.tooLarge(what, size, ModelFiles.MAX_MODEL_BYTES);
        }
        byte[] model = ModelFiles.read(rootModel, ModelFiles.MAX_MODEL_BYTES, what);
        return new MlPackage(packageDir, model, weightFiles(rootModel), rootKey, rootModel);
    }

    /**
     * The root model file of a package, after the same layout and manifest checks as {@link #read} (which also reads
     * the model, within check's limits).
     */
    public static Path rootModel(Path packageDir) throws PackageFormatException, CannotCheckException {
        return read(packageDir).rootModelFile();
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
            throws PackageFormatException, CannotCheckException {
        try {
            Path realData = data.toRealPath();
            for (Map.Entry<String, Path> e : itemPaths.entrySet()) {
                if (!e.getValue().toRealPath().startsWith(realData)) {
                    throw new PackageFormatException("item " + e.getKey() + " path '"
                            + entries.get(e.getKey()).get("path").asText() + "' escapes the package");
                }
            }
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CannotCheckException("cannot resolve package paths: permission denied");
        } catch (IOException e) {
            throw new PackageFormatException("cannot resolve package paths: " + e.getMessage());
        }
    }

    /**
     * Every regular file under the root model's directory except the model itself, by path (not read: weight files
     * can be GBs). Symbolic links are not followed here: a weight file reached through one is not in the package.
     */
    private static Map<String, Path> weightFiles(Path rootModel) throws CannotCheckException {
        Path modelDir = rootModel.getParent();
        Map<String, Path> files = new TreeMap<>();
        try {
            Files.walkFileTree(modelDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path p, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !p.equals(rootModel)) {
                        StringBuilder key = new StringBuilder(MlPackage.MODEL_PATH_PREFIX);
                        Path rel = modelDir.relativize(p);
                        for (int i = 0; i < rel.getNameCount(); i++) {
                            key.append(i == 0 ? "" : "/").append(rel.getName(i));
                        }
                        files.put(key.toString(), p);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                    throw new CannotCheckException("cannot read package folder '" + modelDir.relativize(p) + "': "
                            + ModelFiles.reason(p, e));
                }
            });
        } catch (CannotCheckException e) {
            throw e;
        } catch (IOException e) {
            throw new CannotCheckException("cannot read package files: " + ModelFiles.reason(modelDir, e));
        }
        return files;
    }
}
