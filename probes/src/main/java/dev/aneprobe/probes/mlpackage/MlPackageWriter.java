package dev.aneprobe.probes.mlpackage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes an {@code .mlpackage} directory the way Core ML lays one out:
 *
 * <pre>
 * X.mlpackage/Manifest.json
 * X.mlpackage/Data/com.apple.CoreML/model.mlmodel          the serialized Model
 * X.mlpackage/Data/com.apple.CoreML/weights/weight.bin     MIL blob storage (only when there are weights)
 * </pre>
 *
 * The manifest lists the model file and (only when there are weights) the weights directory; item paths are
 * relative to {@code Data/}. Item identifiers are name-based UUIDs derived from a caller-chosen seed, keys are written
 * in sorted order with fixed two-space indentation and {@code \n} line ends, so writing the same inputs twice gives
 * byte-identical packages.
 */
public final class MlPackageWriter {
    /** How the model refers to its weight file in {@code BlobFileValue.fileName}. */
    public static final String WEIGHT_FILE_REFERENCE = "@model_path/weights/weight.bin";

    static final String MANIFEST = "Manifest.json";
    static final String DATA_DIR = "Data";
    static final String FILE_FORMAT_VERSION = "1.0.0";
    static final String AUTHOR = "com.apple.CoreML";
    static final String MODEL_ITEM_PATH = AUTHOR + "/model.mlmodel";
    static final String WEIGHTS_ITEM_PATH = AUTHOR + "/weights";
    static final String WEIGHT_FILE_PATH = WEIGHTS_ITEM_PATH + "/weight.bin";
    /** Every directory {@link #write} may make inside a package, relative to it. */
    public static final List<String> DIRECTORIES = List.of(DATA_DIR, DATA_DIR + "/" + AUTHOR,
            DATA_DIR + "/" + WEIGHTS_ITEM_PATH);
    /** Every file {@link #write} may write inside a package, relative to it. */
    public static final List<String> FILES = List.of(MANIFEST, DATA_DIR + "/" + MODEL_ITEM_PATH,
            DATA_DIR + "/" + WEIGHT_FILE_PATH);

    private MlPackageWriter() {
    }

    /**
     * Writes (or overwrites) the package. With {@code weightBinOrNull == null} no weights item is listed and a
     * weight file left by an earlier write is removed.
     *
     * @param identitySeed any string identifying this package (e.g. the probe id); the manifest's item identifiers
     *                     are derived from it, so the same seed gives the same manifest
     */
    public static void write(Path packageDir, byte[] modelSpecBytes, byte[] weightBinOrNull, String identitySeed)
            throws IOException {
        Objects.requireNonNull(modelSpecBytes, "modelSpecBytes");
        Objects.requireNonNull(identitySeed, "identitySeed");
        Path data = packageDir.resolve(DATA_DIR);
        Path model = data.resolve(MODEL_ITEM_PATH);
        Path weightsDir = data.resolve(WEIGHTS_ITEM_PATH);
        Path weightFile = data.resolve(WEIGHT_FILE_PATH);
        Files.createDirectories(model.getParent());
        Files.write(model, modelSpecBytes);
        if (weightBinOrNull != null) {
            Files.createDirectories(weightsDir);
            Files.write(weightFile, weightBinOrNull);
        } else {
            Files.deleteIfExists(weightFile);
            if (Files.isDirectory(weightsDir)) {
                try (var s = Files.list(weightsDir)) {
                    if (s.findAny().isEmpty()) {
                        Files.delete(weightsDir);
                    }
                }
            }
        }
        Files.writeString(packageDir.resolve(MANIFEST), manifest(identitySeed, weightBinOrNull != null),
                StandardCharsets.UTF_8);
    }

    /** The Manifest.json text for a package with the given seed, with or without the weights item. */
    static String manifest(String identitySeed, boolean withWeights) {
        String modelId = identifier(identitySeed, MODEL_ITEM_PATH);
        Map<String, String[]> items = new TreeMap<>();
        items.put(modelId, new String[] {AUTHOR, "CoreML Model Specification", "model.mlmodel", MODEL_ITEM_PATH});
        if (withWeights) {
            items.put(identifier(identitySeed, WEIGHTS_ITEM_PATH),
                    new String[] {AUTHOR, "CoreML Model Weights", "weights", WEIGHTS_ITEM_PATH});
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  ").append(quote("fileFormatVersion")).append(": ").append(quote(FILE_FORMAT_VERSION))
                .append(",\n");
        sb.append("  ").append(quote("itemInfoEntries")).append(": {\n");
        int i = 0;
        for (Map.Entry<String, String[]> e : items.entrySet()) {
            String[] v = e.getValue();
            sb.append("    ").append(quote(e.getKey())).append(": {\n");
            sb.append("      ").append(quote("author")).append(": ").append(quote(v[0])).append(",\n");
            sb.append("      ").append(quote("description")).append(": ").append(quote(v[1])).append(",\n");
            sb.append("      ").append(quote("name")).append(": ").append(quote(v[2])).append(",\n");
            sb.append("      ").append(quote("path")).append(": ").append(quote(v[3])).append("\n");
            sb.append("    }").append(++i < items.size() ? "," : "").append("\n");
        }
        sb.append("  },\n");
        sb.append("  ").append(quote("rootModelIdentifier")).append(": ").append(quote(modelId)).append("\n");
        sb.append("}\n");
        return sb.toString();
    }

    /** Upper-case name-based (type 3) UUID of the seed and the item path, NUL-separated. */
    static String identifier(String seed, String itemPath) {
        byte[] name = (seed + "\u0000" + itemPath).getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(name).toString().toUpperCase(Locale.ROOT);
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    /**
     * Content hash of a package written by {@link #write}: SHA-256 over the bytes of
     * {@code Data/com.apple.CoreML/model.mlmodel} immediately followed by the bytes of
     * {@code Data/com.apple.CoreML/weights/weight.bin} when that file exists, as lower-case hex. Manifest.json is
     * left out: it is derived from the seed and says nothing about what the model computes.
     */
    public static String sha256(Path packageDir) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path data = packageDir.resolve(DATA_DIR);
        digest(md, data.resolve(MODEL_ITEM_PATH));
        Path weights = data.resolve(WEIGHT_FILE_PATH);
        if (Files.exists(weights)) {
            digest(md, weights);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void digest(MessageDigest md, Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
