package dev.aneprobe.probes.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path tmp;

    /** A command whose own output is any top-level file named *.out. */
    static final OutputDirectory.Kind KIND = new OutputDirectory.Kind() {
        @Override
        public String command() {
            return "test";
        }

        @Override
        public Predicate<OutputDirectory.Entry> ownEntries(Path dir) {
            return e -> !e.directory() && !e.path().contains("/") && e.path().endsWith(".out");
        }
    };

    private String refusal(Path requested, Path cwd, boolean force, Path... inputs) {
        return assertThrows(OutputPathException.class,
                () -> OutputDirectory.claim(requested, cwd, KIND, force, List.of(inputs))).getMessage();
    }

    private Path work() throws IOException {
        Path w = Files.createDirectories(tmp.resolve("w"));
        Files.writeString(w.resolve("mine.txt"), "keep");
        return w;
    }

    @Test
    void anEmptyOutIsRefused() throws IOException {
        Path w = work();
        assertEquals("--out is empty: name the output directory", refusal(Path.of(""), w, true));
        assertEquals("--out is empty: name the output directory",
                assertThrows(OutputPathException.class, () -> OutputDirectory.requireDirectoryPath(Path.of("")))
                        .getMessage());
        assertEquals("keep", Files.readString(w.resolve("mine.txt")));
    }

    @Test
    void neverTheCurrentDirectoryNorAnyDirectoryHoldingIt() throws IOException {
        Path w = work();
        Path sub = Files.createDirectories(w.resolve("a/b"));
        assertEquals("refusing to replace " + w.toRealPath() + ": it is the current directory",
                refusal(Path.of("."), w, true));
        assertEquals("refusing to replace " + w.toRealPath() + ": it contains the current directory",
                refusal(Path.of("../.."), sub, true));
        assertEquals("refusing to replace " + w.toRealPath() + ": it contains the current directory",
                refusal(w, sub, true));
        // Reached through a symbolic link it is still the same directory.
        Path link = Files.createSymbolicLink(tmp.resolve("link"), w);
        assertEquals("refusing to replace " + w.toRealPath() + ": it is the current directory",
                refusal(link, w, true));
        assertEquals("keep", Files.readString(w.resolve("mine.txt")));
    }

    @Test
    void neverARepositoryRoot() throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectory(repo.resolve(".git"));
        Files.writeString(repo.resolve("a.out"), "even if everything else looks like ours");
        assertEquals("refusing to replace " + repo.toRealPath() + ": it is a repository root (it holds .git)",
                refusal(repo, tmp, true));
        // A worktree's .git is a file.
        Path worktree = Files.createDirectories(tmp.resolve("wt"));
        Files.writeString(worktree.resolve(".git"), "gitdir: elsewhere");
        assertTrue(refusal(worktree, tmp, true).endsWith("it is a repository root (it holds .git)"));
    }

    @Test
    void neverTheInputsBeingRead() throws IOException {
        Path runs = Files.createDirectories(tmp.resolve("results/raw/run-a"));
        Files.writeString(runs.resolve("env.json"), "{}");
        Path raw = runs.getParent().toRealPath();
        assertEquals("refusing to replace " + raw + ": it is being read", refusal(raw, tmp, true, raw));
        assertEquals("refusing to replace " + raw.getParent() + ": it holds " + raw + ", which is being read",
                refusal(tmp.resolve("results"), tmp, true, raw));
        assertEquals("refusing to replace " + raw.resolve("run-a/out") + ": it is inside " + raw
                + ", which is being read", refusal(raw.resolve("run-a/out"), tmp, true, raw));
        assertTrue(Files.exists(runs.resolve("env.json")));
    }

    @Test
    void neverAFileNorAnythingNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("afile"), "keep");
        assertEquals("output path " + file.toRealPath() + " is a file, not a directory", refusal(file, tmp, true));
        assertEquals("output path " + file.toRealPath().resolve("sub") + " is not under a directory",
                refusal(file.resolve("sub"), tmp, true));
        Path dangling = Files.createSymbolicLink(tmp.resolve("dangling"), tmp.resolve("nowhere"));
        assertTrue(refusal(dangling, tmp, true).endsWith(" is a broken symbolic link"));
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void aDirectoryHoldingAnythingElseIsNeverReplacedEvenWithForce() throws IOException {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        for (String n : List.of("a.out", "b.txt", "c.txt", "d.txt", "e.txt")) {
            Files.writeString(notes.resolve(n), n);
        }
        Files.createDirectories(notes.resolve("sub"));
        assertEquals("refusing to replace " + notes.toRealPath() + ": it holds files test did not write (b.txt, "
                + "c.txt, d.txt and 2 more)", refusal(notes, tmp, true));
        Path dirOnly = Files.createDirectories(tmp.resolve("d/sub"));
        assertEquals("refusing to replace " + dirOnly.getParent().toRealPath() + ": it holds files test did not "
                + "write (sub/)", refusal(dirOnly.getParent(), tmp, true));
        Path link = Files.createDirectories(tmp.resolve("l"));
        Files.createSymbolicLink(link.resolve("x.out"), notes.resolve("b.txt"));
        assertTrue(refusal(link, tmp, true).endsWith("(x.out)"), "a symbolic link is never ours");
    }

    @Test
    void anEarlierOutputIsReplacedOnlyWithForce() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("old.out"), "old");
        assertEquals("output directory " + out.toRealPath() + " is not empty (use --force to replace it)",
                refusal(out, tmp, false));
        try (OutputDirectory o = OutputDirectory.claim(out, tmp, KIND, true, List.of())) {
            Files.writeString(o.begin().resolve("new.out"), "new");
            o.commit();
        }
        assertEquals(List.of("new.out"), names(out));
        assertEquals(List.of("out"), names(tmp), "no temporary or old directory is left");
        // Absent and empty directories need no force.
        try (OutputDirectory o = OutputDirectory.claim(tmp.resolve("fresh/deeper"), tmp, KIND, false, List.of())) {
            o.begin();
            o.commit();
        }
        assertTrue(Files.isDirectory(tmp.resolve("fresh/deeper")));
        try (OutputDirectory o = OutputDirectory.claim(tmp.resolve("fresh/deeper"), tmp, KIND, false, List.of())) {
            o.begin();
            o.commit();
        }
    }

    @Test
    void theTargetIsCheckedAgainWhenCommitting() throws IOException {
        Path out = tmp.resolve("out");
        try (OutputDirectory o = OutputDirectory.claim(out, tmp, KIND, true, List.of())) {
            Path t = o.begin();
            Files.writeString(t.resolve("new.out"), "new");
            Files.createDirectories(out);
            Files.writeString(out.resolve("notes.txt"), "written meanwhile");
            assertTrue(assertThrows(OutputPathException.class, o::commit).getMessage().endsWith("(notes.txt)"));
        }
        assertEquals(List.of("notes.txt"), names(out));
        assertEquals(List.of("out"), names(tmp), "the temporary directory is removed");
    }

    @Test
    void onlyOwnEntriesOfTheReplacedDirectoryAreDeleted() throws IOException {
        Path old = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(old.resolve("a.out"), "ours");
        Files.writeString(old.resolve("late.txt"), "not ours");
        Files.createDirectories(old.resolve("dir.out"));
        OutputDirectory.deleteOwn(old, KIND.ownEntries(old));
        assertEquals(List.of("dir.out", "late.txt"), names(old));
        Files.delete(old.resolve("late.txt"));
        Files.delete(old.resolve("dir.out"));
        Files.writeString(old.resolve("b.out"), "ours");
        OutputDirectory.deleteOwn(old, KIND.ownEntries(old));
        assertFalse(Files.exists(old), "emptied, the directory itself goes");
    }

    @Test
    void aStoppedRunStopsItsWritersAndLeavesNoTemporaryDirectory() throws IOException {
        Path out = tmp.resolve("out");
        AtomicBoolean stopped = new AtomicBoolean();
        try (OutputDirectory o = OutputDirectory.claim(out, tmp, KIND, false, List.of())) {
            Path t = o.begin();
            Files.createDirectories(t.resolve("family"));
            Files.writeString(t.resolve("family/a.out"), "half");
            o.whenInterrupted(() -> stopped.set(true));
            o.interrupted(); // what the shutdown hook runs on SIGTERM or SIGINT
            assertTrue(stopped.get());
            assertFalse(Files.exists(t));
            assertEquals("stopped by a signal", assertThrows(IOException.class, o::commit).getMessage());
        }
        assertEquals(List.of(), names(tmp));
    }

    @Test
    void theOutputFollowsTheUmask() throws IOException {
        Path reference = Files.createDirectory(tmp.resolve("reference")); // made with the umask's permissions
        Set<PosixFilePermission> expected;
        try {
            expected = Files.getPosixFilePermissions(reference);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX file system: there is no umask to follow
        }
        Path out = tmp.resolve("out");
        try (OutputDirectory o = OutputDirectory.claim(out, tmp, KIND, false, List.of())) {
            o.begin();
            o.commit();
        }
        assertEquals(expected, Files.getPosixFilePermissions(out));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
