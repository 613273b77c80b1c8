package dev.aneprobe.probes.validate;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.mlpackage.MlPackage;
import dev.aneprobe.probes.mlpackage.MlPackageReader;
import dev.aneprobe.probes.mlpackage.PackageFormatException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * How {@code check} and {@code lint} reach and read model files — one implementation, so both name the same
 * models, skip the same paths with the same words and keep the same limits: following symbolic links, looking at a
 * file's type before opening it (opening a FIFO blocks until something writes to it; a device such as
 * {@code /dev/zero} never ends), never reading more than a documented limit into memory, and saying what is not a
 * model as a parse problem, never an exception. The limits are in README.md ("What check reads").
 */
public final class ModelFiles {
    /**
     * The largest model file check reads into memory and parses: an {@code .mlmodel} (whose weights are inline, so a
     * real one can be a few hundred MB) or the root model of an {@code .mlpackage} (whose weights are in separate
     * files, read by position only). Larger files are skipped.
     */
    public static final long MAX_MODEL_BYTES = 1L << 30;

    /**
     * One byte less than 2 GiB: protobuf cannot parse a message of 2 GiB or more, and an {@code .mlmodel} (or a
     * package's root model) is one protobuf message, so Core ML cannot read a larger one: it is invalid.
     */
    public static final long MAX_PROTOBUF_BYTES = Integer.MAX_VALUE;

    /** The largest {@code Manifest.json} check reads (a real one is well under a kilobyte). */
    public static final long MAX_MANIFEST_BYTES = 16L << 20;

    private static final String PACKAGE_SUFFIX = ".mlpackage";
    private static final String MODEL_SUFFIX = ".mlmodel";
    private static final String MODEL_DIRECTORY = "a directory, but an .mlmodel is a single file";
    private static final String NO_MODELS = "directory holds no Core ML model";

    private ModelFiles() {
    }

    /** What a path named or found by a search is, as a model. */
    private enum Kind { MODEL_FILE, PACKAGE, MODEL_DIRECTORY }

    /**
     * One model read: parsed ({@code model}; for a package also {@code pkg}, whose weight files are listed by path,
     * not read), or why it is not a valid model ({@code invalid}), or why it was not read at all ({@code skipped}:
     * what cannot be judged here, which Core ML may well accept).
     */
    public record Read(Path path, Model model, MlPackage pkg, String invalid, String skipped) {
        static Read invalid(Path path, String why) {
            return new Read(path, null, null, why, null);
        }

        static Read skipped(Path path, String why) {
            return new Read(path, null, null, null, why);
        }
    }

    /** A parsed model, or why the bytes are not one. */
    public record Parsed(Model model, String invalid) {
    }

    /**
     * Reads a model file, a package (its manifest and root model; weight files only listed), or every model under a
     * directory, and hands each to {@code sink} once, in sorted order. A directory search finds {@code *.mlmodel}
     * files and {@code *.mlpackage} directories, not descending into packages nor following symbolic links to
     * directories; a directory holding neither is itself invalid. Only one parsed model is held at a time here.
     */
    public static void read(Path path, Consumer<Read> sink) {
        BasicFileAttributes attributes;
        try {
            attributes = attributes(path);
        } catch (CannotCheckException e) {
            sink.accept(Read.skipped(path, e.getMessage()));
            return;
        }
        if (attributes.isDirectory() && hasSuffix(path, PACKAGE_SUFFIX)) {
            sink.accept(readOne(path, Kind.PACKAGE));
        } else if (attributes.isDirectory() && hasSuffix(path, MODEL_SUFFIX)) {
            sink.accept(readOne(path, Kind.MODEL_DIRECTORY));
        } else if (attributes.isDirectory()) {
            search(path, sink);
        } else if (attributes.isRegularFile()) {
            sink.accept(readOne(path, Kind.MODEL_FILE)); // whatever its name: the user named it
        } else {
            sink.accept(Read.skipped(path, notRegular(path, attributes)));
        }
    }

    private static void search(Path dir, Consumer<Read> sink) {
        Map<Path, Object> found = new TreeMap<>(); // a Kind, or the reason it is skipped
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    if (d.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (hasSuffix(d, PACKAGE_SUFFIX) || hasSuffix(d, MODEL_SUFFIX)) {
                        found.put(d, hasSuffix(d, PACKAGE_SUFFIX) ? Kind.PACKAGE : Kind.MODEL_DIRECTORY);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    boolean model = hasSuffix(f, MODEL_SUFFIX);
                    boolean pkg = hasSuffix(f, PACKAGE_SUFFIX);
                    if (!model && !pkg) {
                        return FileVisitResult.CONTINUE;
                    }
                    BasicFileAttributes target = attrs;
                    if (attrs.isSymbolicLink()) {
                        try {
                            target = attributes(f);
                        } catch (CannotCheckException e) {
                            found.put(f, e.getMessage());
                            return FileVisitResult.CONTINUE;
                        }
                    }
                    if (target.isDirectory()) {
                        found.put(f, pkg ? Kind.PACKAGE : Kind.MODEL_DIRECTORY);
                    } else if (target.isRegularFile()) {
                        if (model) {
                            found.put(f, Kind.MODEL_FILE);
                        }
                    } else {
                        found.put(f, notRegular(f, target));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    found.put(f, "cannot read: " + reason(f, e));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) {
                    if (e != null) {
                        found.put(d, "cannot read the whole directory: " + reason(d, e));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            found.put(dir, "cannot read: " + reason(dir, e)); // the visitor never throws; to be safe
        }
        if (found.isEmpty()) {
            sink.accept(Read.invalid(dir, NO_MODELS));
        }
        for (Map.Entry<Path, Object> e : found.entrySet()) {
            sink.accept(e.getValue() instanceof Kind kind ? readOne(e.getKey(), kind)
                    : Read.skipped(e.getKey(), (String) e.getValue()));
        }
    }

    private static Read readOne(Path path, Kind kind) {
        try {
            return switch (kind) {
                case MODEL_FILE -> {
                    Parsed p = parseFile(path);
                    yield new Read(path, p.model(), null, p.invalid(), null);
                }
                case PACKAGE -> readPackage(path);
                case MODEL_DIRECTORY -> Read.invalid(path, MODEL_DIRECTORY);
            };
        } catch (CannotCheckException e) {
            return Read.skipped(path, e.getMessage());
        } catch (OutOfMemoryError e) {
            return Read.skipped(path, outOfMemory("reading"));
        }
    }

    /** The skip for a model that did not fit in the heap: the size limit keeps within a default heap, not any. */
    public static String outOfMemory(String doing) {
        return "ran out of memory while " + doing + " it (heap limit " + bytes(Runtime.getRuntime().maxMemory())
                + "; set a larger one with ANEPROBE_JAVA_OPTS=-Xmx...)";
    }

    /**
     * Reads a package: its layout and manifest ({@link MlPackageReader}), then its root model parsed.
     *
     * @throws CannotCheckException when a file cannot be read, or the manifest or root model is too large to read
     */
    public static Read readPackage(Path dir) throws CannotCheckException {
        MlPackage pkg;
        try {
            pkg = MlPackageReader.read(dir);
        } catch (PackageFormatException e) {
            return Read.invalid(dir, e.getMessage());
        }
        if (pkg.modelSpec().length == 0) {
            return Read.invalid(dir, "root model file is empty, not a Core ML model");
        }
        try {
            return new Read(dir, Model.parseFrom(pkg.modelSpec()), pkg, null, null);
        } catch (InvalidProtocolBufferException e) {
            return Read.invalid(dir, "root model is not a Core ML model (protobuf parse error: "
                    + oneLine(String.valueOf(e.getMessage())) + ")");
        } catch (RuntimeException e) {
            return Read.invalid(dir, "root model is not a Core ML model (" + oneLine(String.valueOf(e.getMessage()))
                    + ")");
        }
    }

    /**
     * Reads and parses one model file as a stream, never more than {@link #MAX_MODEL_BYTES}.
     *
     * @throws CannotCheckException when it is not a regular file, cannot be read, or is too large to read here
     */
    public static Parsed parseFile(Path file) throws CannotCheckException {
        BasicFileAttributes attributes = attributes(file);
        if (!attributes.isRegularFile()) {
            throw new CannotCheckException(notRegular(file, attributes));
        }
        long size = attributes.size();
        if (size > MAX_PROTOBUF_BYTES) {
            return new Parsed(null, "the file is " + bytes(size) + "; a Core ML model file is one protobuf "
                    + "message, and protobuf cannot read one of 2 GiB or more");
        }
        if (size > MAX_MODEL_BYTES) {
            throw tooLarge("the file", size, MAX_MODEL_BYTES);
        }
        try (InputStream in = new Bounded(Files.newInputStream(file), MAX_MODEL_BYTES)) {
            CodedInputStream coded = CodedInputStream.newInstance(in, 1 << 16);
            Model model;
            try {
                model = Model.parseFrom(coded);
            } catch (InvalidProtocolBufferException e) {
                IOException cause = e.unwrapIOException();
                if (cause != e) {
                    throw cause; // reading failed, not parsing
                }
                return parseError(e);
            } catch (RuntimeException e) {
                return new Parsed(null, "not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")");
            }
            if (coded.getTotalBytesRead() == 0) {
                return new Parsed(null, "empty file, not a Core ML model");
            }
            return checked(model);
        } catch (CannotCheckException e) {
            throw e;
        } catch (IOException e) {
            throw new CannotCheckException("cannot read: " + reason(file, e));
        }
    }

    /** Parses the bytes of a model file, as {@link #parseFile} does. */
    public static Parsed parseBytes(byte[] bytes) {
        if (bytes.length == 0) {
            return new Parsed(null, "empty file, not a Core ML model");
        }
        try {
            return checked(Model.parseFrom(bytes));
        } catch (InvalidProtocolBufferException e) {
            return parseError(e);
        } catch (RuntimeException e) {
            return new Parsed(null, "not a Core ML model (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static Parsed checked(Model model) {
        if (model.getSpecificationVersion() == 0 && !model.hasDescription()) {
            return new Parsed(null, "not a Core ML model (no specification version or description)");
        }
        return new Parsed(model, null);
    }

    private static Parsed parseError(InvalidProtocolBufferException e) {
        return new Parsed(null, "not a Core ML model (protobuf parse error: " + oneLine(String.valueOf(e.getMessage()))
                + ")");
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private static boolean hasSuffix(Path path, String suffix) {
        Path name = path.getFileName();
        return name != null && name.toString().endsWith(suffix);
    }

    private static String notRegular(Path path, BasicFileAttributes attributes) {
        return kind(path, attributes) + ", not a regular file";
    }

    /** Refuses to read past {@code limit} bytes: a file that grows while it is read is still not read whole. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws CannotCheckException {
            read += n;
            if (read > limit) {
                throw new CannotCheckException("the file grew past " + bytes(limit)
                        + " while it was read; aneprobe reads at most that much into memory");
            }
        }
    }

    /**
     * The attributes of {@code path}, following symbolic links.
     *
     * @throws CannotCheckException when it cannot be reached: missing, permission denied, a broken link or a loop
     */
    public static BasicFileAttributes attributes(Path path) throws CannotCheckException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new CannotCheckException(reason(path, e));
        }
    }

    /** What {@code path} is when it is not a regular file: "a directory", "a FIFO (named pipe)", "a socket", .... */
    public static String kind(Path path, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            // The unix view is there on Linux and macOS; elsewhere the generic wording below is used.
            Object mode = Files.getAttribute(path, "unix:mode");
            if (mode instanceof Integer m) {
                switch (m & 0170000) {
                    case 0010000:
                        return "a FIFO (named pipe)";
                    case 0020000:
                        return "a character device";
                    case 0060000:
                        return "a block device";
                    case 0140000:
                        return "a socket";
                    default:
                        break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no unix view, or the path changed meanwhile: say it generically
        }
        return "not a regular file";
    }

    /**
     * Reads a regular file whole, refusing more than {@code limit} bytes. The caller has checked that it is a regular
     * file; the bound also holds when it grows while being read.
     *
     * @param what how messages name the file, e.g. "Manifest.json"
     * @throws CannotCheckException when it cannot be read or holds more than {@code limit} bytes
     */
    public static byte[] read(Path file, long limit, String what) throws CannotCheckException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge(what, bytes.length, limit);
            }
            return bytes;
        } catch (CannotCheckException e) {
            throw e;
        } catch (IOException e) {
            throw new CannotCheckException("cannot read " + what + ": " + reason(file, e));
        }
    }

    /** The skip for a file of {@code size} bytes over a {@code limit} aneprobe reads. */
    public static CannotCheckException tooLarge(String what, long size, long limit) {
        return new CannotCheckException(what + " is " + bytes(size) + ", more than the " + bytes(limit)
                + " aneprobe reads into memory");
    }

    /** "1,234 bytes", or with a binary unit when exact: "1 GiB", "16 MiB". */
    public static String bytes(long n) {
        if (n > 0 && n % (1L << 30) == 0) {
            return String.format(Locale.ROOT, "%,d GiB", n >> 30);
        }
        if (n > 0 && n % (1L << 20) == 0) {
            return String.format(Locale.ROOT, "%,d MiB", n >> 20);
        }
        return String.format(Locale.ROOT, "%,d byte%s", n, n == 1 ? "" : "s");
    }

    /** One plain line saying why {@code path} could not be reached or read, without Java's exception names. */
    public static String reason(Path path, IOException e) {
        boolean link = Files.isSymbolicLink(path);
        if (e instanceof NoSuchFileException) {
            return link ? "a symbolic link to a missing file" : "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        why = why.replaceAll("\\s+", " ").trim();
        if (!why.isEmpty()) {
            why = Character.toLowerCase(why.charAt(0)) + why.substring(1);
        }
        if (link && isLoop(path)) {
            return "a symbolic link loop";
        }
        return link ? "a symbolic link that cannot be followed (" + why + ")" : why;
    }

    /** Whether following {@code link} comes back to a link already passed (the common case of ELOOP). */
    private static boolean isLoop(Path link) {
        Set<Path> seen = new HashSet<>();
        Path p = link.toAbsolutePath().normalize();
        try {
            while (Files.isSymbolicLink(p)) {
                if (!seen.add(p) || seen.size() > 64) {
                    return true;
                }
                p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
