package dev.aneprobe.probes.generate;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.sweep.ProbeSpec;
import dev.aneprobe.probes.sweep.Profile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A fingerprint of what this version of aneprobe generates, recorded in every run's {@code env.json}. Two builds
 * with the same hash make the same probes: {@code verify-run} then expects every model sha256 of a run to equal what
 * it regenerates for that probe id; a run with another hash was made by another catalog version, and its models are
 * not compared.
 *
 * <p>SHA-256 over UTF-8 lines: a version line; {@code <profile> <probe id>} for every probe of every profile (so any
 * change to the families, axes, values or grids changes it); and {@code model <probe id> <sha256>} for every probe of
 * the {@code quick} profile, built (so a change to how probes are built, weighted or serialized changes it whenever
 * it touches a quick probe — each family's baseline is one). Building the quick profile takes seconds, so the build
 * computes the hash once ({@code probes/pom.xml} runs {@link #main} after compiling) and stores it as the resource
 * {@value #RESOURCE}; {@link #current()} reads it and computes it only when it is missing (classes compiled outside
 * Maven).
 */
public final class CatalogHash {
    /** Classpath resource holding the hash of the classes it was built with. */
    public static final String RESOURCE = "dev/aneprobe/probes/generate/catalog-hash.txt";
    private static final String VERSION_LINE = "aneprobe catalog hash 1";

    private static volatile String current;

    private CatalogHash() {
    }

    /** The hash of this build's catalog and generator. */
    public static String current() {
        String h = current;
        if (h == null) {
            synchronized (CatalogHash.class) {
                h = current;
                if (h == null) {
                    h = fromResource();
                    if (h == null) {
                        h = compute(Catalog.standard());
                    }
                    current = h;
                }
            }
        }
        return h;
    }

    private static String fromResource() {
        try (InputStream in = CatalogHash.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return null;
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
            return isHash(text) ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** True for 64 lower-case hex digits. */
    public static boolean isHash(String s) {
        return s != null && s.matches("[0-9a-f]{64}");
    }

    /** Computes the hash of a catalog from scratch (builds every quick probe). */
    public static String compute(Catalog catalog) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        line(md, VERSION_LINE);
        for (Profile profile : Profile.values()) {
            for (ProbeFamily family : catalog.families()) {
                for (ProbeSpec spec : family.probes(profile, List.of())) {
                    line(md, profile.label() + " " + spec.id());
                }
            }
        }
        ProbeGenerator generator = new ProbeGenerator(catalog);
        List<ProbeSpec> quick = new ArrayList<>();
        for (ProbeFamily family : catalog.families()) {
            quick.addAll(family.probes(Profile.QUICK, List.of()));
        }
        // Built in parallel (the generator is thread-safe), hashed in catalog order.
        List<String> lines = quick.parallelStream().map(spec -> {
            ProbeFamily family = catalog.family(spec.family());
            return "model " + spec.id() + " " + generator.build(family, spec).sha256();
        }).toList();
        lines.forEach(l -> line(md, l));
        return HexFormat.of().formatHex(md.digest());
    }

    private static void line(MessageDigest md, String s) {
        md.update((s + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Build step: writes the hash of the standard catalog to the file named by the only argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: CatalogHash <output file>");
        }
        Path out = Path.of(args[0]);
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, compute(Catalog.standard()) + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
