package dev.aneprobe.probes.output;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The one policy for every command that writes an output directory ({@code generate}, {@code report}): what is
 * already there is never destroyed by surprise, and nothing is half-written.
 *
 * <p>{@link #claim} refuses, with a one-line {@link OutputPathException}: an empty {@code --out}; a file; the current
 * directory or any directory containing it; a repository root (a directory holding {@code .git}); a directory that is,
 * holds or lies inside an input being read; and an existing directory holding anything the command did not write
 * (its {@link Kind} recognises its own entries). An existing directory of the command's own output is replaced only
 * with {@code force}. The command then writes into a fresh hidden sibling ({@link #begin}) which {@link #commit}
 * puts in the target's place; only after that is the previous directory removed, and of it only the entries the
 * command recognises as its own (anything else stays). If the process is stopped (SIGTERM, SIGINT) before the
 * commit, a shutdown hook stops the writers and removes the sibling, so no temporary directory is left behind.
 *
 * <p>Directories are created without explicit permissions, so they follow the user's umask (a temporary directory
 * made by {@link Files#createTempDirectory} would be private to the user, and so would the published output be).
 */
public final class OutputDirectory implements AutoCloseable {

    /**
     * One entry of an existing output directory.
     *
     * @param path its path relative to the directory, with '/' separators
     * @param directory whether it is a directory (symbolic links are never the command's own)
     */
    public record Entry(String path, boolean directory) {
    }

    /** What a command writes, so that an earlier output of it can be recognised. */
    public interface Kind {
        /** The command, for messages, e.g. "aneprobe generate". */
        String command();

        /**
         * Reads what it needs of an existing directory (its manifest, say) and says which of its entries the command
         * wrote: nothing else there is ever replaced or deleted.
         */
        Predicate<Entry> ownEntries(Path dir) throws IOException;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Foreign entries named in a refusal; the rest are counted. */
    private static final int NAMED = 3;

    private final Path target;
    private final Kind kind;
    private final boolean force;
    private final Path cwd;
    private final List<Path> inputs;

    private final Object lock = new Object();
    private Path temp;
    private Thread hook;
    private volatile Runnable stopWriters;
    private boolean committed;
    private boolean interrupted;

    private OutputDirectory(Path target, Kind kind, boolean force, Path cwd, List<Path> inputs) {
        this.target = target;
        this.kind = kind;
        this.force = force;
        this.cwd = cwd;
        this.inputs = inputs;
    }

    /** {@link #claim(Path, Path, Kind, boolean, Collection)} from the process's working directory. */
    public static OutputDirectory claim(Path requested, Kind kind, boolean force, Collection<Path> inputs) {
        return claim(requested, Path.of("").toAbsolutePath(), kind, force, inputs);
    }

    /**
     * Checks that {@code requested} may receive the command's output; nothing is written yet.
     *
     * @param requested the {@code --out} value, relative to {@code cwd} unless absolute
     * @param cwd the working directory (never replaced, nor any directory containing it)
     * @param force whether an earlier output of the same command may be replaced
     * @param inputs what the command reads: the output may not be, hold or lie inside any of them
     * @throws OutputPathException (one line) when it may not
     */
    public static OutputDirectory claim(Path requested, Path cwd, Kind kind, boolean force,
            Collection<Path> inputs) {
        requireNamed(requested);
        Path here = real(cwd.toAbsolutePath().normalize());
        List<Path> read = new ArrayList<>();
        for (Path in : inputs) {
            read.add(real(here.resolve(in).normalize()));
        }
        OutputDirectory out = new OutputDirectory(real(here.resolve(requested).normalize()), kind, force, here,
                List.copyOf(read));
        out.check();
        return out;
    }

    /** Refuses an empty {@code --out} (it would name the working directory). */
    public static Path requireNamed(Path requested) {
        if (requested == null || requested.toString().isBlank()) {
            throw new OutputPathException("--out is empty: name the output directory");
        }
        return requested;
    }

    /**
     * For a command that adds to a directory rather than replacing it ({@code sweep}): refuses an empty
     * {@code --out} and a path that exists but is not a directory.
     */
    public static Path requireDirectoryPath(Path requested) {
        requireNamed(requested);
        if (Files.exists(requested) && !Files.isDirectory(requested)) {
            throw new OutputPathException(notADirectory(requested));
        }
        return requested;
    }

    /** The directory the output goes to (absolute, symbolic links resolved). */
    public Path path() {
        return target;
    }

    /**
     * Creates the fresh hidden sibling the command writes into, and the shutdown hook that removes it if the process
     * is stopped before {@link #commit}.
     */
    public Path begin() {
        synchronized (lock) {
            if (temp != null) {
                throw new IllegalStateException("begun twice");
            }
            Path parent = target.getParent();
            try {
                Files.createDirectories(parent);
                temp = createFresh(parent, "." + target.getFileName() + ".tmp-");
            } catch (IOException e) {
                throw new OutputPathException("cannot create a directory in " + parent + ": " + reason(e));
            }
            hook = new Thread(this::interrupted, "aneprobe-output-cleanup");
            Runtime.getRuntime().addShutdownHook(hook);
            return temp;
        }
    }

    /**
     * What stops the threads writing into the temporary directory (and waits for them), run by the shutdown hook
     * before it removes the directory, so that no writer recreates part of it.
     */
    public void whenInterrupted(Runnable stop) {
        this.stopWriters = stop;
    }

    /**
     * Puts the finished temporary directory in the target's place. The target is checked again first (it may have
     * changed while the output was written); an existing one is moved aside, and removed only after the new one is in
     * place, and then only the entries the command wrote.
     */
    public void commit() throws IOException {
        synchronized (lock) {
            if (temp == null || committed) {
                throw new IllegalStateException(temp == null ? "not begun" : "committed twice");
            }
            if (interrupted) {
                throw new IOException("stopped by a signal");
            }
            check();
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = freshName(target.getParent(), "." + target.getFileName() + ".old-");
                move(target, old);
            }
            try {
                move(temp, target);
            } catch (IOException e) {
                if (old != null) {
                    move(old, target); // put the previous output back: nothing already there is lost
                }
                throw e;
            }
            committed = true;
            if (old != null) {
                deleteOwn(old, kind.ownEntries(old));
            }
        }
    }

    /** Removes the temporary directory unless it was committed. */
    @Override
    public void close() {
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the process is shutting down: the hook removes the directory
            }
        }
        Path t;
        synchronized (lock) {
            if (committed || temp == null) {
                return;
            }
            t = temp;
        }
        deleteTree(t);
    }

    /** The shutdown hook: stops the writers and removes the temporary directory, unless it was committed. */
    void interrupted() {
        Path t;
        synchronized (lock) {
            if (committed || temp == null) {
                return;
            }
            interrupted = true;
            t = temp;
        }
        Runnable stop = stopWriters;
        if (stop != null) {
            stop.run();
        }
        // A writer that was not stopped (one finishing a file) may still add an entry while the tree is walked.
        for (int attempt = 0; attempt < 10 && Files.exists(t, LinkOption.NOFOLLOW_LINKS); attempt++) {
            deleteTree(t);
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void check() {
        String shown = target.toString();
        if (Files.exists(target) && !Files.isDirectory(target)) {
            throw new OutputPathException(notADirectory(target));
        }
        if (Files.isSymbolicLink(target)) {
            throw new OutputPathException("output path " + shown + " is a broken symbolic link");
        }
        if (cwd.startsWith(target)) {
            throw refuse(cwd.equals(target) ? "it is the current directory" : "it contains the current directory");
        }
        if (Files.exists(target.resolve(".git"), LinkOption.NOFOLLOW_LINKS)) {
            throw refuse("it is a repository root (it holds .git)");
        }
        for (Path in : inputs) {
            if (in.equals(target)) {
                throw refuse("it is being read");
            }
            if (in.startsWith(target)) {
                throw refuse("it holds " + in + ", which is being read");
            }
            if (target.startsWith(in)) {
                throw refuse("it is inside " + in + ", which is being read");
            }
        }
        Path existing = target.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new OutputPathException("output path " + shown + " is not under a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new OutputPathException("output directory " + existing + " is not writable");
        }
        if (!Files.isDirectory(target)) {
            return;
        }
        try {
            List<String> foreign = new ArrayList<>();
            boolean[] any = new boolean[1];
            visit(target, target, kind.ownEntries(target), (rel, own) -> {
                any[0] = true;
                if (!own) {
                    foreign.add(rel);
                }
            });
            if (!foreign.isEmpty()) {
                String named = String.join(", ", foreign.subList(0, Math.min(NAMED, foreign.size())));
                throw refuse("it holds files " + kind.command() + " did not write (" + named
                        + (foreign.size() > NAMED ? " and " + (foreign.size() - NAMED) + " more" : "") + ")");
            }
            if (any[0] && !force) {
                throw new OutputPathException("output directory " + shown + " is not empty (use --force to replace "
                        + "it)");
            }
        } catch (IOException e) {
            throw new OutputPathException("cannot read " + shown + ": " + reason(e));
        }
    }

    private OutputPathException refuse(String why) {
        return new OutputPathException("refusing to replace " + target + ": " + why);
    }

    private static String notADirectory(Path p) {
        return "output path " + p + (Files.isRegularFile(p) ? " is a file, not a directory" : " is not a directory");
    }

    /** Receives each entry met by {@link #visit}: its relative path (a directory's ends in '/') and if it is own. */
    private interface Visitor {
        void entry(String rel, boolean own);
    }

    /** Walks {@code dir} in name order; a foreign directory is reported once and not entered. */
    private static void visit(Path root, Path dir, Predicate<Entry> own, Visitor visitor) throws IOException {
        for (Path p : sortedChildren(dir)) {
            String rel = relative(root, p);
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean mine = (isDir || Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) && own.test(new Entry(rel,
                    isDir));
            visitor.entry(isDir ? rel + "/" : rel, mine);
            if (isDir && mine) {
                visit(root, p, own, visitor);
            }
        }
    }

    /**
     * Deletes, under {@code root}, the files and directories {@code own} recognises (a directory only once empty),
     * then {@code root} itself if nothing else is left in it.
     */
    static void deleteOwn(Path root, Predicate<Entry> own) throws IOException {
        deleteOwnBelow(root, root, own);
        try {
            Files.deleteIfExists(root);
        } catch (DirectoryNotEmptyException e) {
            // something the command did not write appeared in it: it stays
        }
    }

    private static void deleteOwnBelow(Path root, Path dir, Predicate<Entry> own) throws IOException {
        for (Path p : sortedChildren(dir)) {
            String rel = relative(root, p);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                if (own.test(new Entry(rel, true))) {
                    deleteOwnBelow(root, p, own);
                    try {
                        Files.deleteIfExists(p);
                    } catch (DirectoryNotEmptyException e) {
                        // holds something else: it stays
                    }
                }
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && own.test(new Entry(rel, false))) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static List<Path> sortedChildren(Path dir) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(children::add);
        }
        children.sort(null);
        return children;
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }

    /**
     * Deletes a tree this process made itself (a temporary directory), best effort: another thread may be deleting
     * it too.
     */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: a concurrent deletion removed part of the tree while it was walked
        }
    }

    /** The path with symbolic links resolved as far as it exists. */
    private static Path real(Path absolute) {
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }

    /** A new directory with a random name: created without attributes, so with the umask's permissions. */
    private static Path createFresh(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(parent.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36)));
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    private static Path freshName(Path parent, String prefix) {
        while (true) {
            Path p = parent.resolve(prefix + Long.toUnsignedString(RANDOM.nextLong(), 36));
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return p;
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** An I/O failure in a few words (the exceptions' own messages are often just the path). */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
