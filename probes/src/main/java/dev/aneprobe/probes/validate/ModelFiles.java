package dev.aneprobe.probes.validate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * How {@code check} reaches files: following symbolic links, looking at a file's type before opening it (opening a
 * FIFO blocks until something writes to it; a device such as {@code /dev/zero} never ends), and never reading more
 * than a documented limit into memory. The limits are in README.md ("check").
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

    private ModelFiles() {
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

    /** The skip for a file of {@code size} bytes over a {@code limit} check reads. */
    public static CannotCheckException tooLarge(String what, long size, long limit) {
        return new CannotCheckException(what + " is " + bytes(size) + ", more than the " + bytes(limit)
                + " check reads into memory");
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
