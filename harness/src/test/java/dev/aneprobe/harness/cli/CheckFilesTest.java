package dev.aneprobe.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.aneprobe.harness.testutil.ChildJvm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} on what is not an ordinary model file: huge files (sparse, so the tests stay small on disk), FIFOs,
 * devices, sockets, symbolic link loops, unreadable files, a directory named like a model file, an empty path. Each
 * gets one line, never a stack trace, never a block; then the count line.
 */
class CheckFilesTest {
    private static final long GIB = 1L << 30;
    /** Generous: each of these takes milliseconds unless something reads a file whole or blocks on a FIFO. */
    private static final Duration QUICK = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private static Path sparse(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
        return file;
    }

    private static CliRunner.Result check(String... paths) {
        String[] args = Stream.concat(Stream.of("check"), Stream.of(paths)).toArray(String[]::new);
        CliRunner.Result r = assertTimeoutPreemptively(QUICK, () -> CliRunner.run(args));
        assertFalse(r.out().contains("Exception") || r.err().contains("Exception"), r.out() + r.err());
        return r;
    }

    private static List<String> lines(CliRunner.Result r) {
        return r.out().lines().toList();
    }

    /** A pooling probe and a mil.conv probe (whose package has a weight file), freshly generated. */
    private Path probes() {
        Path out = tmp.resolve("probes");
        CliRunner.Result gen = CliRunner.run("generate", "--family", "pooling,mil.conv", "--profile", "quick",
                "--out", out.toString(), "--quiet");
        assertEquals(0, gen.exitCode(), gen.err());
        return out;
    }

    private static Path first(Path root, String suffix) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void modelFileOver2GiBIsInvalidWithoutBeingRead() throws IOException {
        Path big = sparse(tmp.resolve("big.mlmodel"), 3 * GIB);
        CliRunner.Result r = check(big.toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals(List.of("INVALID " + big + ": the file is 3 GiB; a Core ML model file is one protobuf message, "
                + "and protobuf cannot read one of 2 GiB or more", "0 OK, 1 INVALID"), lines(r));
        assertEquals("", r.err());
    }

    @Test
    void modelFileOverTheReadLimitIsSkipped() throws IOException {
        Path large = sparse(tmp.resolve("large.mlmodel"), GIB + 1);
        CliRunner.Result r = check(large.toString());
        assertEquals(ExitCodes.OK, r.exitCode(), "a skip is a note, not a failure");
        assertEquals(List.of("SKIPPED " + large + ": the file is 1,073,741,825 bytes, more than the 1 GiB aneprobe "
                + "reads into memory", "0 OK, 0 INVALID, 1 skipped"), lines(r));
    }

    @Test
    void hugeWeightFileIsReadByPositionNotWhole() throws IOException {
        Path pkg = first(probes(), ".mlpackage");
        Path weights = pkg.resolve("Data/com.apple.CoreML/weights/weight.bin");
        long before = Files.size(weights);
        sparse(weights, 5 * GIB); // zeros after the last blob: no further blob record, so still a valid package
        CliRunner.Result r = check(pkg.toString());
        assertEquals(List.of("OK " + pkg, "1 OK, 0 INVALID"), lines(r), "weight file was " + before + " bytes");

        Path model = pkg.resolve("Data/com.apple.CoreML/model.mlmodel");
        sparse(model, 3 * GIB);
        r = check(pkg.toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertEquals("INVALID " + pkg + ": root model file 'com.apple.CoreML/model.mlmodel' is 3 GiB; it is one "
                + "protobuf message, and protobuf cannot read one of 2 GiB or more", lines(r).get(0));
        sparse(model, GIB + 64);
        assertEquals("SKIPPED " + pkg + ": root model file 'com.apple.CoreML/model.mlmodel' is 1,073,741,888 bytes, "
                + "more than the 1 GiB aneprobe reads into memory", lines(check(pkg.toString())).get(0));
    }

    @Test
    void devZeroIsSkippedAsADevice() {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero on this OS");
        CliRunner.Result r = check("/dev/zero");
        assertEquals(List.of("SKIPPED /dev/zero: a character device, not a regular file", "0 OK, 0 INVALID, 1 skipped"),
                lines(r));
        assertEquals(ExitCodes.OK, r.exitCode());
    }

    private static void mkfifo(Path p) throws IOException, InterruptedException {
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not installed: " + e.getMessage());
            return;
        }
        assertEquals(0, mk.waitFor(), "mkfifo " + p);
    }

    @Test
    void fifosAndSocketsNeverBlockCheck() throws Exception {
        Path fifo = tmp.resolve("pipe.mlmodel");
        mkfifo(fifo);
        CliRunner.Result r = check(fifo.toString());
        assertEquals(List.of("SKIPPED " + fifo + ": a FIFO (named pipe), not a regular file",
                "0 OK, 0 INVALID, 1 skipped"), lines(r));

        // Found by a directory search, next to a socket named like a model and a good probe.
        Path dir = probes();
        mkfifo(dir.resolve("pooling/zz-pipe.mlmodel"));
        try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(dir.resolve("pooling/zz-socket.mlmodel")));
            r = check(dir.resolve("pooling").toString());
        }
        List<String> lines = lines(r);
        assertTrue(lines.contains("SKIPPED " + dir.resolve("pooling/zz-pipe.mlmodel")
                + ": a FIFO (named pipe), not a regular file"), r.out());
        assertTrue(lines.contains("SKIPPED " + dir.resolve("pooling/zz-socket.mlmodel")
                + ": a socket, not a regular file"), r.out());
        assertEquals("5 OK, 0 INVALID, 2 skipped", lines.get(lines.size() - 1));
        assertEquals(ExitCodes.OK, r.exitCode());

        // Inside a package: a FIFO where the weight file or the manifest should be is not read either.
        Path pkg = first(dir, ".mlpackage");
        Path weights = pkg.resolve("Data/com.apple.CoreML/weights/weight.bin");
        Files.delete(weights);
        mkfifo(weights);
        assertTrue(lines(check(pkg.toString())).get(0).startsWith("INVALID " + pkg + ": "), "weights not a file");
        Files.delete(pkg.resolve("Manifest.json"));
        mkfifo(pkg.resolve("Manifest.json"));
        assertEquals("INVALID " + pkg + ": package has no Manifest.json", lines(check(pkg.toString())).get(0));
    }

    @Test
    void symbolicLinkLoopsAndBrokenLinksAreOneLineEach() throws IOException {
        Path a = tmp.resolve("a.mlmodel");
        Path b = tmp.resolve("b.mlmodel");
        Files.createSymbolicLink(a, b.getFileName());
        Files.createSymbolicLink(b, a.getFileName());
        Path broken = Files.createSymbolicLink(tmp.resolve("c.mlmodel"), tmp.resolve("nowhere"));
        CliRunner.Result r = check(a.toString(), broken.toString());
        assertEquals(List.of(
                "SKIPPED " + a + ": a symbolic link loop",
                "SKIPPED " + broken + ": a symbolic link to a missing file",
                "0 OK, 0 INVALID, 2 skipped"), lines(r));
        r = check(tmp.toString());
        assertEquals(4, lines(r).size(), r.out()); // the three links found by the search, then the count
        assertEquals("0 OK, 0 INVALID, 3 skipped", lines(r).get(3));
    }

    @Test
    void unreadableFileIsSkipped() throws IOException {
        Path model = first(probes(), ".mlmodel");
        Files.setPosixFilePermissions(model, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(model), "running as root: every file is readable");
        CliRunner.Result r = check(model.toString());
        assertEquals(List.of("SKIPPED " + model + ": cannot read: permission denied", "0 OK, 0 INVALID, 1 skipped"),
                lines(r));
    }

    @Test
    void directoryNamedLikeAModelFileIsInvalid() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("x.mlmodel"));
        Files.writeString(dir.resolve("notes.txt"), "not a model");
        CliRunner.Result r = check(dir.toString());
        assertEquals(List.of("INVALID " + dir + ": a directory, but an .mlmodel is a single file", "0 OK, 1 INVALID"),
                lines(r));
        assertEquals(ExitCodes.FAILED, r.exitCode());
    }

    @Test
    void controlCharactersInNamesStayOnOneLine() throws IOException {
        Path odd = Files.writeString(tmp.resolve("two\nlines.mlmodel"), "text, not a model");
        CliRunner.Result r = check(odd.toString());
        List<String> lines = lines(r);
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("INVALID " + tmp + "/two\\nlines.mlmodel: not a Core ML model"),
                lines.get(0));
    }

    @Test
    void emptyPathIsABadRequest() {
        CliRunner.Result r = check("");
        assertEquals(ExitCodes.BAD_INPUT, r.exitCode());
        assertEquals("aneprobe: an empty string is not a path (to check the current directory, pass '.')",
                r.err().strip());
        assertEquals("", r.out());
    }

    @Test
    void countLineFormatsThousands() {
        assertEquals("1,234,567 OK, 0 INVALID", CheckCommand.summary(1_234_567, 0, 0));
        assertEquals("0 OK, 1,000 INVALID, 1 skipped", CheckCommand.summary(0, 1000, 1));
    }

    /** In a real JVM started in the folder: `check .`, and /dev/zero in the same run (once an OutOfMemoryError). */
    @Test
    void dotAndDevZeroInAChildJvm() throws Exception {
        Path dir = probes();
        ProcessBuilder pb = ChildJvm.cli(false, dir.resolve("pooling"),
                Files.exists(Path.of("/dev/zero")) ? new String[] {"check", ".", "/dev/zero"} : new String[] {"check",
                    "."});
        ChildJvm.Done d = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> ChildJvm.run(pb));
        assertEquals("", d.err());
        assertEquals(0, d.exit(), d.out());
        List<String> lines = d.out().lines().toList();
        for (String line : lines.subList(0, 5)) {
            assertTrue(line.startsWith("OK ./"), line);
        }
        assertEquals(Files.exists(Path.of("/dev/zero")) ? "5 OK, 0 INVALID, 1 skipped" : "5 OK, 0 INVALID",
                lines.get(lines.size() - 1));
    }
}
