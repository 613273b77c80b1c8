package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.results.Observation;
import dev.aneprobe.harness.text.Counted;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Streams a run's {@code observations.jsonl}, one {@link Observation} at a time, in file order, never holding the
 * file. A line that is not exactly an observation record (see {@link ObservationParser}: not JSON, a field missing,
 * of the wrong type or out of range, a line of another run) is skipped with one short warning naming the file, the
 * line number, the field and what is wrong; the rest of the file is used. A file that is not a regular file (a FIFO,
 * a device) is not read, and a line longer than {@link #MAX_LINE_BYTES} is skipped without being held.
 *
 * <p>The observations come without their raw timing samples, stages and log (see {@link ObservationParser}):
 * analysis uses the timing summary only. Lines are parsed from their UTF-8 bytes in batches on a few parser threads while the caller
 * consumes the results strictly in order, so the sink needs no locking and warnings come out in line order.
 */
public final class ObservationReader {
    private static final int BATCH_BYTES = 1 << 19;
    /** The longest line read (16 MB, about two million timing samples); longer ones are skipped unread. */
    static final int MAX_LINE_BYTES = 1 << 24;
    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private static final int IN_FLIGHT = THREADS + 1;
    private static final ExecutorService PARSERS = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "aneprobe-parse");
        t.setDaemon(true);
        return t;
    });

    private ObservationReader() {
    }

    /** What reading one run found: lines in the file, lines used, lines skipped as malformed. */
    public record Stats(long lines, long used, long skipped) {
    }

    /**
     * A parsed chunk of whole lines: per line an observation, or a problem, or neither (a blank line). Problems
     * carry the line's index within the chunk; the consumer, which knows how many lines came before, numbers them.
     */
    private record Parsed(int lines, Object[] observations, String[] problems) {
    }

    public static Stats read(RunDir run, Warnings warnings, Consumer<Observation> sink) {
        return read(run, warnings, o -> o, sink);
    }

    /**
     * Like {@link #read(RunDir, Warnings, Consumer)}, with a step that runs on the parser threads: {@code prepare}
     * turns each observation into what the sink wants (it must not touch shared state); the sink still sees the
     * results one at a time, in line order, on the calling thread.
     */
    public static <T> Stats read(RunDir run, Warnings warnings, Function<Observation, T> prepare,
            Consumer<? super T> sink) {
        String file = run.observations().toString();
        String runId = run.runId();
        long[] counts = new long[3]; // lines, used, skipped
        ArrayDeque<Future<Parsed>> inFlight = new ArrayDeque<>();
        @SuppressWarnings("unchecked")
        Consumer<Object> out = (Consumer<Object>) sink;
        if (Files.exists(run.observations()) && !Files.isRegularFile(run.observations())) {
            // A FIFO or a device would block the read or never end.
            warnings.accept(file + ": not a regular file; the run's observations are not read");
            return new Stats(0, 0, 0);
        }
        try (InputStream in = Files.newInputStream(run.observations())) {
            byte[] buf = new byte[BATCH_BYTES];
            int filled = 0;
            boolean eof = false;
            while (!eof) {
                int n = in.read(buf, filled, buf.length - filled);
                if (n < 0) {
                    eof = true;
                } else {
                    filled += n;
                    if (filled < buf.length) {
                        continue;
                    }
                }
                int end = eof ? filled : lastNewline(buf, filled) + 1;
                if (end == 0) {
                    if (eof) {
                        continue;
                    }
                    if (buf.length < MAX_LINE_BYTES) {
                        buf = Arrays.copyOf(buf, buf.length * 2); // one line longer than the buffer
                        continue;
                    }
                    // A line longer than any observation: it is skipped, not held (it could be the whole file).
                    filled = skipLine(in, buf);
                    eof = filled < 0;
                    filled = Math.max(filled, 0);
                    inFlight.add(CompletableFuture.completedFuture(new Parsed(1, new Object[1],
                            new String[] {"longer than " + (MAX_LINE_BYTES >> 20) + " MB, so not an observation"})));
                    if (inFlight.size() >= IN_FLIGHT) {
                        consume(inFlight.poll(), counts, file, warnings, out);
                    }
                    continue;
                }
                // The chunk goes to a parser as it is; only the tail after its last newline is copied.
                byte[] chunk = buf;
                int chunkEnd = end;
                buf = new byte[Math.max(BATCH_BYTES, filled - end + 1)];
                System.arraycopy(chunk, end, buf, 0, filled - end);
                filled -= end;
                inFlight.add(PARSERS.submit(() -> parse(chunk, chunkEnd, runId, prepare)));
                if (inFlight.size() >= IN_FLIGHT) {
                    consume(inFlight.poll(), counts, file, warnings, out);
                }
            }
            while (!inFlight.isEmpty()) {
                consume(inFlight.poll(), counts, file, warnings, out);
            }
        } catch (NoSuchFileException e) {
            warnings.accept(file + ": missing; the run has no observations");
        } catch (IOException e) {
            inFlight.forEach(f -> f.cancel(true));
            warnings.accept(file + ": cannot be read after line " + counts[0] + " (" + e.getClass().getSimpleName()
                    + "); the rest of the file is not used");
        }
        long skipped = counts[2];
        if (skipped > Warnings.PER_FILE) {
            long more = skipped - Warnings.PER_FILE;
            warnings.accept(file + ": " + Counted.of(more, "more malformed line") + " skipped ("
                    + Counted.number(skipped) + " in all)");
        }
        return new Stats(counts[0], counts[1], skipped);
    }

    /**
     * Reads past the end of the current line. Returns how many bytes after its newline are now at the start of
     * {@code buf}, or -1 at the end of the file.
     */
    private static int skipLine(InputStream in, byte[] buf) throws IOException {
        while (true) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (buf[i] == '\n') {
                    System.arraycopy(buf, i + 1, buf, 0, n - i - 1);
                    return n - i - 1;
                }
            }
        }
    }

    private static void consume(Future<Parsed> f, long[] counts, String file, Warnings warnings,
            Consumer<Object> sink) {
        Parsed p;
        try {
            p = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + file, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading " + file + " failed", e.getCause());
        }
        long first = counts[0] + 1;
        for (int i = 0; i < p.lines(); i++) {
            if (p.observations()[i] != null) {
                counts[1]++;
                sink.accept(p.observations()[i]);
            } else if (p.problems()[i] != null) {
                counts[2]++;
                if (counts[2] <= Warnings.PER_FILE) {
                    warnings.accept(file + ":" + (first + i) + ": skipped: " + p.problems()[i]);
                }
            }
        }
        counts[0] += p.lines();
    }

    private static int lastNewline(byte[] buf, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Splits {@code data[0 .. len)} into lines (the last one may lack its newline) and parses each. */
    private static Parsed parse(byte[] data, int len, String runId, Function<Observation, ?> prepare) {
        int[] ends = newlines(data, len);
        int lines = ends.length;
        Object[] obs = new Object[lines];
        String[] problems = new String[lines];
        int start = 0;
        for (int k = 0; k < lines; k++) {
            int nl = ends[k];
            int e = nl > start && data[nl - 1] == '\r' ? nl - 1 : nl;
            Observation o = parseLine(data, start, e, runId, problems, k);
            if (o != null) {
                obs[k] = prepare.apply(o);
            }
            start = nl + 1;
        }
        return new Parsed(lines, obs, problems);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;

    /**
     * The end of every line of {@code data[0 .. len)}: each newline's index, and {@code len} for a last line
     * without one. Scans eight bytes at a time (a byte equal to '\n' is a zero byte of {@code word ^ NEWLINES}).
     */
    static int[] newlines(byte[] data, int len) {
        int[] out = new int[Math.max(16, len / 512)];
        int n = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long x = (long) LONGS.get(data, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            while (found != 0) {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = i + (Long.numberOfTrailingZeros(found) >>> 3);
                found &= found - 1;
            }
        }
        for (; i < len; i++) {
            if (data[i] == '\n') {
                if (n == out.length) {
                    out = Arrays.copyOf(out, n * 2);
                }
                out[n++] = i;
            }
        }
        if (len > 0 && data[len - 1] != '\n') {
            if (n == out.length) {
                out = Arrays.copyOf(out, n + 1);
            }
            out[n++] = len;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * One line, parsed and checked as every reader checks it (see {@link ObservationParser}): the observation, or
     * what is wrong with it in a few plain words (a blank line has neither).
     */
    public record Checked(Observation observation, String problem) {
    }

    /**
     * Parses and checks one line on its own.
     *
     * @param runId the run id every line must carry; null to take any
     * @param samples keep the raw timing samples (readers drop them; verify-run checks the summary against them)
     */
    public static Checked check(byte[] line, String runId, boolean samples) {
        String[] problems = new String[1];
        Observation o = parseLine(line, 0, line.length, runId, problems, 0, samples);
        return new Checked(o, problems[0]);
    }

    /** What is wrong with one observation line of this run, or null when it is a usable observation. */
    public static String problem(byte[] line, String runId) {
        Checked c = check(line, runId, false);
        return c.observation() != null ? null : c.problem() == null ? "a blank line" : c.problem();
    }

    static Observation parseLine(byte[] data, int s, int e, String runId, String[] problems, int k) {
        return parseLine(data, s, e, runId, problems, k, false);
    }

    private static Observation parseLine(byte[] data, int s, int e, String runId, String[] problems, int k,
            boolean samples) {
        if (blank(data, s, e)) {
            return null;
        }
        String problem;
        try {
            return ObservationParser.parse(data, s, e - s, runId, samples);
        } catch (ObservationParser.Problem ex) {
            problem = ex.getMessage();
        } catch (JsonProcessingException ex) {
            problem = JsonProblems.notJson(ex, false);
        } catch (IOException ex) {
            problem = "unreadable (" + ex.getClass().getSimpleName() + ")";
        }
        problems[k] = problem;
        return null;
    }

    private static boolean blank(byte[] data, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = data[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

}
