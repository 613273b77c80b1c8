package dev.aneprobe.probes.mlpackage;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@code .mlpackage} as read from disk.
 *
 * @param root                the package directory
 * @param modelSpec           bytes of the root model file (a serialized Model, not yet parsed)
 * @param weightFiles         the path of every other regular file under the root model's directory (not read: a
 *                            weight file can be GBs), keyed by the reference a model uses for it, e.g.
 *                            {@code "@model_path/weights/weight.bin"}; sorted by key
 * @param rootModelIdentifier the manifest's root item identifier
 * @param rootModelFile       path of the root model file
 */
public record MlPackage(Path root, byte[] modelSpec, Map<String, Path> weightFiles, String rootModelIdentifier,
        Path rootModelFile) {
    public MlPackage {
        weightFiles = Collections.unmodifiableMap(new TreeMap<>(weightFiles));
    }

    /** The prefix of {@link #weightFiles} keys: the directory holding the root model file. */
    public static final String MODEL_PATH_PREFIX = "@model_path/";
}
