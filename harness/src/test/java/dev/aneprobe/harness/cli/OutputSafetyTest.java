package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aneprobe.harness.Fixtures;
import dev.aneprobe.harness.report.ReportTest;
import dev.aneprobe.harness.testutil.ChildJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A careless user's output paths: nothing of theirs is ever replaced, each refusal is one line and exit code 2, and
 * the legitimate re-generation and re-report still work. Cases that depend on the working directory run the CLI as
 * a child process started in the directory concerned.
 */
class OutputSafetyTest {
    @TempDir
    Path tmp;

    private static String[] report(String out) {
        return new String[] {"report", "--runs", Fixtures.runs().toString(), "--claims", ReportCliTest.claimsFile(),
            "--out", out};
    }

    /** Exit code 2 and exactly one line that is not a warning about the runs read, starting with the expected. */
    private static void assertRefused(int exit, String err, String expectedStart) {
        assertEquals(ExitCodes.BAD_INPUT, exit, err);
        List<String> lines = err.lines().filter(l -> !l.startsWith("aneprobe: warning:")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith(expectedStart), err);
    }

    private static Path workFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("mine.txt"), "keep");
        return dir;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void reportOutEmptyOrDotInAWorkFolderTouchesNothing() throws Exception {
        Path w = workFolder(tmp.resolve("w"));
        ChildJvm.Done empty = ChildJvm.run(ChildJvm.cli(false, w, report("")));
        assertRefused(empty.exit(), empty.err(), "aneprobe: --out is empty: name the output directory");
        ChildJvm.Done dot = ChildJvm.run(ChildJvm.cli(false, w, report(".")));
        assertRefused(dot.exit(), dot.err(), "aneprobe: refusing to replace " + w.toRealPath()
                + ": it is the current directory");
        assertEquals(List.of("mine.txt"), names(w));
        assertEquals(List.of("w"), names(tmp), "nothing written beside it either");
    }

    @Test
    void reportNeverReplacesNotesAFileOrTheRunsBeingRead() throws IOException {
        Path notes = workFolder(tmp.resolve("notes"));
        CliRunner.Result r = CliRunner.run(report(notes.toString()));
        assertRefused(r.exitCode(), r.err(), "aneprobe: refusing to replace " + notes.toRealPath()
                + ": it holds files aneprobe report did not write (mine.txt)");
        assertEquals(List.of("mine.txt"), names(notes));

        Path file = Files.writeString(tmp.resolve("afile"), "keep");
        r = CliRunner.run(report(file.toString()));
        assertRefused(r.exitCode(), r.err(), "aneprobe: output path " + file.toRealPath()
                + " is a file, not a directory");
        assertEquals("keep", Files.readString(file));

        Path runs = tmp.resolve("runs");
        copyTree(Fixtures.runs(), runs);
        for (Path out : List.of(runs, runs.resolve("fixture-m1-a"), runs.resolve("fixture-m1-a/tables"), tmp)) {
            r = CliRunner.run("report", "--runs", runs.toString(), "--claims", ReportCliTest.claimsFile(), "--out",
                    out.toString());
            assertRefused(r.exitCode(), r.err(), "aneprobe: refusing to replace ");
            assertTrue(r.err().contains(", which is being read") || r.err().contains(": it is being read"), r.err());
        }
        assertEquals(List.of("env.json", "observations.jsonl"), names(runs.resolve("fixture-m1-a")));
        assertEquals(List.of("fixture-m1-a", "fixture-m1-b", "fixture-m2"), names(runs));
    }

    @Test
    void reportOutsideAnyWritableDirectoryIsOneLine() {
        if (!Files.isDirectory(Path.of("/proc"))) {
            return;
        }
        CliRunner.Result r = CliRunner.run(report("/proc/x"));
        assertRefused(r.exitCode(), r.err(), "aneprobe: ");
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void reportReplacesAnEarlierReportAndNothingElse() throws IOException {
        Path tables = Files.createDirectories(tmp.resolve("results/tables"));
        for (String f : ReportTest.FILES) {
            Files.writeString(tables.resolve(f), "stale");
        }
        for (int i = 0; i < 2; i++) {
            CliRunner.Result r = CliRunner.run(report(tables.toString()));
            assertEquals(0, r.exitCode(), r.err());
        }
        assertEquals(ReportTest.FILES.stream().sorted().toList(), names(tables));
        assertNotEquals("stale", Files.readString(tables.resolve("support.csv")));
        assertEquals(List.of("tables"), names(tables.getParent()), "no temporary or old directory is left");
    }

    @Test
    void generateForceNeverReplacesARepositoryOrTheWorkingDirectory() throws Exception {
        Path repo = workFolder(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Path src = workFolder(repo.resolve("src"));
        ChildJvm.Done dot = ChildJvm.run(ChildJvm.cli(false, repo, "generate", "--force", "--family", "pooling",
                "--out", "."));
        assertRefused(dot.exit(), dot.err(), "aneprobe: refusing to replace " + repo.toRealPath()
                + ": it is the current directory");
        ChildJvm.Done up = ChildJvm.run(ChildJvm.cli(false, src, "generate", "--force", "--family", "pooling",
                "--out", ".."));
        assertRefused(up.exit(), up.err(), "aneprobe: refusing to replace " + repo.toRealPath()
                + ": it contains the current directory");
        CliRunner.Result root = CliRunner.run("generate", "--force", "--family", "pooling", "--out", repo.toString());
        assertRefused(root.exitCode(), root.err(), "aneprobe: refusing to replace " + repo.toRealPath()
                + ": it is a repository root (it holds .git)");
        assertEquals(List.of(".git", "mine.txt", "src"), names(repo));
        assertEquals(List.of("mine.txt"), names(src));
        assertEquals("ref: refs/heads/main\n", Files.readString(repo.resolve(".git/HEAD")));
        assertEquals(List.of("repo"), names(tmp));
    }

    @Test
    void generateRegeneratesItsOwnOutputWithForce() throws IOException {
        Path out = tmp.resolve("probes-out");
        assertEquals(0, CliRunner.run("generate", "--family", "pooling", "--out", out.toString(), "--quiet")
                .exitCode());
        CliRunner.Result again = CliRunner.run("generate", "--family", "upsample", "--out", out.toString(),
                "--quiet");
        assertRefused(again.exitCode(), again.err(), "aneprobe: output directory " + out.toRealPath()
                + " is not empty (use --force to replace it)");
        again = CliRunner.run("generate", "--family", "upsample", "--out", out.toString(), "--quiet", "--force");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(List.of("manifest.jsonl", "upsample"), names(out));
        assertEquals(List.of("probes-out"), names(tmp));
    }

    @Test
    void progressUsesNewlinesWhenNotOnATerminal() {
        Path out = tmp.resolve("o");
        CliRunner.Result r = CliRunner.run("generate", "--family", "pooling", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("generated 5/5\n", r.err().replace(System.lineSeparator(), "\n"));
        StringWriter log = new StringWriter();
        StringWriter terminal = new StringWriter();
        for (int done = 1; done <= 120; done++) {
            GenerateCommand.progress(new PrintWriter(log), false).written(null, done, 120);
            GenerateCommand.progress(new PrintWriter(terminal), true).written(null, done, 120);
        }
        assertEquals("generated 50/120\ngenerated 100/120\ngenerated 120/120\n",
                log.toString().replace(System.lineSeparator(), "\n"));
        assertEquals("\rgenerated 50/120\rgenerated 100/120\rgenerated 120/120\n",
                terminal.toString().replace(System.lineSeparator(), "\n"));
    }

    /** Sweep only adds runs to --out, but still refuses an empty one and a file (the test double is Core ML here). */
    @Test
    void sweepRefusesAnEmptyOrFileOut() throws IOException {
        CliRunner.Result r = CliRunner.run("sweep", "--out", "", "--probes", tmp.toString());
        assertRefused(r.exitCode(), r.err(), "aneprobe: --out is empty: name the output directory");
        Path file = Files.writeString(tmp.resolve("results"), "keep");
        r = CliRunner.run("sweep", "--out", file.toString(), "--probes", tmp.toString());
        assertRefused(r.exitCode(), r.err(), "aneprobe: output path " + file + " is a file, not a directory");
        assertEquals("keep", Files.readString(file));
    }

    /** SIGTERM while generate writes: the shutdown hook stops the builders and removes the temporary directory. */
    @Test
    void aStoppedGenerateLeavesNoTemporaryDirectory() throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path log = tmp.resolve("child.log");
        Process p = ChildJvm.cli(false, work, "generate", "--profile", "full", "--out", "out", "--quiet")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!writing(work)) {
                assertTrue(p.isAlive(), () -> "generate ended before it was stopped: " + read(log));
                assertTrue(System.nanoTime() < deadline, "no temporary directory with probes appeared");
                Thread.sleep(10);
            }
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "generate did not stop on SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(143, p.exitValue(), read(log));
        assertEquals(List.of(), names(work), "no temporary directory and no output: " + read(log));
    }

    /** Whether generate's temporary directory exists and already holds a family directory. */
    private static boolean writing(Path work) throws IOException {
        for (String name : names(work)) {
            Path d = work.resolve(name);
            if (name.startsWith(".out.tmp-") && Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    if (s.anyMatch(Files::isDirectory)) {
                        return true;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(from)) {
            s.forEach(all::add);
        }
        for (Path p : all) {
            Path t = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(t);
            } else {
                Files.copy(p, t);
            }
        }
    }
}
