package dev.aneprobe.harness.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.cli.UserInputException;
import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.results.read.JsonProblems;
import dev.aneprobe.harness.results.read.ObservationReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code observations.jsonl}: append-only, one {@link Observation} per line, each line written with a single write
 * and forced to disk before the next probe runs. Opening an existing journal (resume) detects a torn last line — the
 * bytes after the last newline, left by a process killed mid-write — and truncates it away; every complete line is
 * kept, so a resumed run neither loses nor duplicates records. A complete line that is not an observation of this
 * run (checked as every reader checks it: {@link ObservationReader#problem}) is damaged: it is skipped with one
 * warning naming the file, the line and what is wrong, and left in the file as it is (never delete what we did not
 * write), so its probe and setting are measured again and appended.
 */
public final class ObservationJournal implements AutoCloseable {
    public static final String FILE = "observations.jsonl";

    private final Path file;
    private final FileChannel channel;
    private final List<Observation> existing;
    private final Set<String> done = new HashSet<>();
    private final long truncatedBytes;

    private ObservationJournal(Path file, FileChannel channel, List<Observation> existing, long truncatedBytes) {
        this.file = file;
        this.channel = channel;
        this.existing = List.copyOf(existing);
        this.truncatedBytes = truncatedBytes;
        for (Observation o : existing) {
            done.add(key(o.probeId(), o.units()));
        }
    }

    /** Opens (creating if needed) the journal of a run directory, repairing a torn last line; damage is an error. */
    public static ObservationJournal open(Path runDir) {
        return open(runDir, null, w -> {
            throw new UserInputException(w);
        });
    }

    /**
     * Opens (creating if needed) the journal of a run directory, repairing a torn last line.
     *
     * @param runId the run's id, which every line must carry (null: any)
     * @param skipped told one line per damaged line skipped
     */
    public static ObservationJournal open(Path runDir, String runId, Consumer<String> skipped) {
        Path file = runDir.resolve(FILE);
        try {
            Files.createDirectories(runDir);
            long truncated = repair(file);
            List<Observation> existing = read(file, runId, skipped);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
            return new ObservationJournal(file, ch, existing, truncated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    /** Truncates everything after the last newline; returns how many bytes went. */
    static long repair(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) {
                return 0;
            }
            // Scan backwards for the last newline, in blocks.
            long keep = 0;
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long pos = size;
            search:
            while (pos > 0) {
                int n = (int) Math.min(buf.capacity(), pos);
                pos -= n;
                buf.clear().limit(n);
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        break;
                    }
                }
                for (int i = n - 1; i >= 0; i--) {
                    if (buf.get(i) == '\n') {
                        keep = pos + i + 1;
                        break search;
                    }
                }
            }
            if (keep < size) {
                ch.truncate(keep);
                ch.force(true);
            }
            return size - keep;
        }
    }

    /** Every observation of a journal file (no repair); a damaged line is an error here. */
    public static List<Observation> read(Path file) {
        return read(file, null, w -> {
            throw new UserInputException(w);
        });
    }

    /**
     * Every observation of a journal file (no repair). A damaged line (a torn last line included) is skipped with one
     * line to {@code skipped}: the file, the line number and what is wrong.
     */
    public static List<Observation> read(Path file, String runId, Consumer<String> skipped) {
        List<Observation> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new UserInputException(file + " is not UTF-8 text, so not a journal of observations (move it away "
                    + "or start a new run)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String problem = ObservationReader.problem(line.getBytes(StandardCharsets.UTF_8), runId);
            if (problem == null) {
                try {
                    out.add(Json.mapper().readValue(line, Observation.class));
                    continue;
                } catch (JsonProcessingException e) {
                    problem = JsonProblems.notJson(e, false);
                }
            }
            skipped.accept(file + ":" + (i + 1) + ": skipped a damaged line (" + problem + "); it stays in the "
                    + "file, and its probe and setting are measured again");
        }
        return out;
    }

    static String key(String probeId, ComputeUnits units) {
        return probeId + '\u0000' + units.label();
    }

    /** Observations recorded before this journal was opened. */
    public List<Observation> existing() {
        return existing;
    }

    public boolean isDone(String probeId, ComputeUnits units) {
        return done.contains(key(probeId, units));
    }

    /** Bytes of a torn last line removed when opening. */
    public long truncatedBytes() {
        return truncatedBytes;
    }

    public Path file() {
        return file;
    }

    /** Appends one observation as one line and forces it to disk. */
    public void append(Observation o) {
        byte[] line;
        try {
            line = (Json.mapper().writeValueAsString(o) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(line);
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
            // fdatasync semantics: the data and the file length, which is all a reader needs.
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
        done.add(key(o.probeId(), o.units()));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
