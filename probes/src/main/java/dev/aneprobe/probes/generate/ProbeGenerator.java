package dev.aneprobe.probes.generate;

import com.google.protobuf.CodedOutputStream;
import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.manifest.FeatureInfo;
import dev.aneprobe.probes.manifest.ManifestEntry;
import dev.aneprobe.probes.model.Feature;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.mlpackage.BlobDataType;
import dev.aneprobe.probes.mlpackage.MlPackageChecker;
import dev.aneprobe.probes.mlpackage.MlPackageWriter;
import dev.aneprobe.probes.mlpackage.WeightBlobWriter;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.ProbeNetwork;
import dev.aneprobe.probes.output.OutputDirectory;
import dev.aneprobe.probes.output.OutputPathException;
import dev.aneprobe.probes.sweep.ProbeLimits;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.ProbeTooLargeException;
import dev.aneprobe.probes.validate.ModelValidator;
import dev.aneprobe.probes.validate.SpecificationVersions;
import dev.aneprobe.probes.validate.ValidationResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a directory of probe models and their manifest. Streams: each of a few threads builds, validates,
 * serializes and writes one probe at a time, and the manifest lists them in order, so memory does not grow with the
 * number of probes and the output does not depend on the threads. Everything is written into a temporary
 * sibling directory that is renamed into place at the end, so a failed or stopped run leaves nothing half-written;
 * what may be replaced, and what of it deleted, is {@link OutputDirectory}'s policy.
 */
public final class ProbeGenerator {
    private final Catalog catalog;
    private final ModelValidator validator = new ModelValidator();
    private final MlPackageChecker packageChecker = new MlPackageChecker();

    public ProbeGenerator(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * The probes a request selects, in generation order; throws GenerationException on a bad selection, including
     * a {@code --param} value that yields no probe (see {@link ProbePlanner}).
     */
    public List<ProbeSpec> plan(GenerationRequest request) {
        return new ProbePlanner(catalog, this).plan(request);
    }

    public GenerationSummary generate(GenerationRequest request, GenerationListener listener) {
        List<ProbeSpec> probes = plan(request);
        try (OutputDirectory output = OutputDirectory.claim(request.out(), GeneratedOutput.KIND, request.force(),
                List.of())) {
            Path tmp = output.begin();
            Set<String> paths = ConcurrentHashMap.newKeySet();
            InOrderWork<ProbeSpec, Written> work = new InOrderWork<>(probes, spec -> buildAndWrite(spec, tmp, paths),
                    BUILDERS, AHEAD, "aneprobe-build");
            output.whenInterrupted(work::close);
            try {
                long bytes = 0;
                Set<String> families = new HashSet<>();
                try (ManifestWriter manifest = new ManifestWriter(tmp.resolve(ManifestWriter.FILE_NAME))) {
                    int i = 0;
                    while (work.hasNext()) {
                        Written written = work.next();
                        bytes += written.bytes();
                        families.add(written.entry().family());
                        manifest.write(written.entry());
                        listener.written(written.entry(), ++i, probes.size());
                    }
                }
                output.commit();
                return new GenerationSummary(output.path(), probes.size(), families.size(), bytes);
            } finally {
                work.close(); // before the output directory's close deletes what the workers wrote
            }
        } catch (OutputPathException e) {
            throw new GenerationException(e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new GenerationException("writing probes failed: " + OutputDirectory.reason(e.getCause()),
                    e.getCause());
        } catch (IOException e) {
            throw new GenerationException("writing probes failed: " + OutputDirectory.reason(e), e);
        }
    }

    /**
     * Build threads: one per core, at least one. Each builds, validates, serializes and writes whole probes, so the
     * file system's work is spread over them too; the calling thread only keeps the manifest in order.
     */
    private static final int BUILDERS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /**
     * Written probes whose manifest lines may wait for the calling thread. They are small (a manifest entry each);
     * the heap holds at most {@link #BUILDERS} probes' models and bytes, those being built, whatever the number of
     * probes.
     */
    private static final int AHEAD = 256;

    /** A probe written into the temporary output directory: its manifest line and its size in bytes. */
    private record Written(ManifestEntry entry, long bytes) {
    }

    /** Where a built probe goes under a generate output directory: {@code <family>/<file name>.<format>}. */
    public static String relativePath(BuiltProbe built) {
        return built.spec().family() + "/" + built.spec().fileName() + "." + built.format();
    }

    /** Builds one probe and writes it under {@code root}; a second probe mapping to the same file is a bug. */
    private Written buildAndWrite(ProbeSpec spec, Path root, Set<String> paths) {
        BuiltProbe built = build(catalog.family(spec.family()), spec);
        String rel = relativePath(built);
        if (!paths.add(rel)) {
            throw new GeneratorBugException("two probes map to the same file " + rel);
        }
        try {
            write(built, root, rel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Written(built.entry(rel), built.bytes().length
                + (built.weights() == null ? 0 : (long) built.weights().length));
    }

    /** Builds, versions, validates and serializes one probe. */
    public BuiltProbe build(ProbeFamily family, ProbeSpec spec) {
        ProbeNetwork network;
        try {
            network = family.build(spec);
        } catch (ProbeTooLargeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new GeneratorBugException("probe " + spec.id() + ": building failed: " + e);
        }
        byte[] weights = null;
        Model unversioned;
        if (network instanceof Net) {
            unversioned = ((Net) network).toModel(spec.id());
        } else if (network instanceof MilNet) {
            WeightBlobWriter blobs = new WeightBlobWriter();
            unversioned = ((MilNet) network).toModel(spec.id(), (type, data, count) -> blobs.add(
                    BlobDataType.forMilType(type).orElseThrow(
                            () -> new GeneratorBugException("probe " + spec.id() + ": " + type + " in weight file")),
                    data, count));
            weights = blobs.count() > 0 ? blobs.toBytes() : null;
        } else {
            throw new GeneratorBugException("probe " + spec.id() + ": unknown network " + network.getClass());
        }
        int version = SpecificationVersions.required(unversioned);
        if (version < family.minSpecificationVersion()) {
            throw new GeneratorBugException("probe " + spec.id() + ": family " + family.name() + " declares minimum "
                    + "specification version " + family.minSpecificationVersion() + " but the model needs only "
                    + version + " (the family declaration or the version rules are wrong)");
        }
        Model model = unversioned.toBuilder().setSpecificationVersion(version).build();
        long size = model.getSerializedSize() + (weights == null ? 0L : weights.length);
        if (size > ProbeLimits.MAX_PROBE_BYTES) {
            throw new ProbeTooLargeException("its files would take " + ProbeLimits.grouped(size)
                    + " bytes, and a probe may take at most " + ProbeLimits.probeSize());
        }
        ValidationResult result = validator.validate(model);
        if (!result.valid()) {
            throw new InvalidProbeException(spec.id(), result.message());
        }
        byte[] bytes = serialize(model);
        return new BuiltProbe(spec, family.layerTypeOf(spec), version, network.format(), bytes, weights,
                sha256(bytes, weights), features(network.inputs()), network.outputInfo());
    }

    /**
     * Writes a built probe under {@code root} at its relative path: an {@code .mlmodel} file, or an
     * {@code .mlpackage} directory whose weight file is then checked against the program (offsets, types, sizes).
     */
    public void write(BuiltProbe built, Path root, String rel) throws IOException {
        Path target = root.resolve(rel);
        Files.createDirectories(target.getParent());
        if (built.format().equals("mlpackage")) {
            MlPackageWriter.write(target, built.bytes(), built.weights(), built.spec().id());
            ValidationResult r = packageChecker.check(target);
            if (!r.valid()) {
                throw new GeneratorBugException("probe " + built.spec().id() + " is not a valid package: "
                        + r.message());
            }
        } else {
            Files.write(target, built.bytes());
        }
    }

    /** Deterministic serialization: the same model always gives the same bytes. */
    public static byte[] serialize(Model model) {
        byte[] out = new byte[model.getSerializedSize()];
        CodedOutputStream cos = CodedOutputStream.newInstance(out);
        cos.useDeterministicSerialization();
        try {
            model.writeTo(cos);
            cos.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        return sha256(bytes, null);
    }

    /** sha256 of the model bytes followed by the weight file's bytes, when there is one (as MlPackageWriter). */
    public static String sha256(byte[] bytes, byte[] weights) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes);
            if (weights != null) {
                md.update(weights);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<FeatureInfo> features(List<Feature> list) {
        List<FeatureInfo> out = new ArrayList<>();
        for (Feature f : list) {
            out.add(new FeatureInfo(f.name(), f.shape(), f.dataType().name()));
        }
        return out;
    }
}
