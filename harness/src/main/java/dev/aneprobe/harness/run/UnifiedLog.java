package dev.aneprobe.harness.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Core ML, Espresso and ANE compiler lines from the macOS unified log with
 * {@code log show --start .. --end .. --predicate 'subsystem IN {...}' --style compact --info --debug}, once per probe
 * (covering all of its compute-unit windows), then assigns each line to the window its timestamp falls in. Only
 * lines of the worker that ran the window and of the ANE daemons ({@code aned}, {@code ANECompilerService}) count,
 * so another app using Core ML at the same time does not pollute the reason signal.
 *
 * <p>The command is injectable: tests pass a script printing canned {@code log show} output.
 */
public final class UnifiedLog implements LogSource {
    public static final String PREDICATE =
            "subsystem IN {\"com.apple.coreml\",\"com.apple.espresso\",\"com.apple.ane\"}";
    /** Processes whose lines belong to whichever window they fall in. */
    public static final Set<String> ANE_DAEMONS = Set.of("aned", "ANECompilerService");
    /** Lines kept per window. */
    public static final int MAX_LINES = 200;

    static final DateTimeFormatter ARG = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter STAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .toFormatter();
    private static final Pattern LINE = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(?:[+-]\\d{4})?\\s+(\\S+)\\s+"
                    + "([^\\[\\s]+)\\[(\\d+):[0-9a-fA-Fx]+\\]\\s?(.*)$");

    private final List<String> command;
    private final ZoneId zone;
    private final long timeoutSeconds;

    /**
     * @param command the {@code log} executable and any leading arguments (e.g. [/usr/bin/log])
     * @param zone the zone {@code log} prints local times in (the system's)
     */
    public UnifiedLog(List<String> command, ZoneId zone, long timeoutSeconds) {
        this.command = List.copyOf(command);
        this.zone = zone;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static UnifiedLog system() {
        return new UnifiedLog(List.of("/usr/bin/log"), ZoneId.systemDefault(), 120);
    }

    /** The full command for a span (seconds resolution: start rounded down, end rounded up). */
    List<String> commandFor(Instant start, Instant end) {
        List<String> cmd = new ArrayList<>(command);
        cmd.add("show");
        cmd.add("--start");
        cmd.add(ARG.format(LocalDateTime.ofInstant(start.truncatedTo(ChronoUnit.SECONDS), zone)));
        cmd.add("--end");
        cmd.add(ARG.format(LocalDateTime.ofInstant(end.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1), zone)));
        cmd.add("--predicate");
        cmd.add(PREDICATE);
        cmd.add("--style");
        cmd.add("compact");
        cmd.add("--info");
        cmd.add("--debug");
        return cmd;
    }

    @Override
    public Capture read(List<Window> windows) {
        if (windows.isEmpty()) {
            return new Capture(List.of(), null);
        }
        Instant start = windows.get(0).start();
        Instant end = windows.get(windows.size() - 1).end();
        String text;
        java.nio.file.Path errFile = null;
        try {
            errFile = java.nio.file.Files.createTempFile("aneprobe-log", ".err");
            Process p = new ProcessBuilder(commandFor(start, end)).redirectError(errFile.toFile()).start();
            p.getOutputStream().close();
            byte[] out = readAll(p.getInputStream(), p);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Capture(null, "'log show' did not finish within " + timeoutSeconds + " s");
            }
            if (p.exitValue() != 0) {
                String err = java.nio.file.Files.readString(errFile, StandardCharsets.UTF_8).strip();
                return new Capture(null, "'log show' exited with status " + p.exitValue()
                        + (err.isEmpty() ? "" : ": " + err.lines().findFirst().orElse("")));
            }
            text = new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Capture(null, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Capture(null, "interrupted");
        } finally {
            if (errFile != null) {
                try {
                    java.nio.file.Files.deleteIfExists(errFile);
                } catch (IOException e) {
                    // a leftover temp file is harmless
                }
            }
        }
        return new Capture(assign(parse(text), windows), null);
    }

    private byte[] readAll(InputStream in, Process p) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
            b.write(buf, 0, n);
            if (b.size() > 64 << 20) {
                p.destroyForcibly();
                break;
            }
        }
        return b.toByteArray();
    }

    /** One parsed log entry (continuation lines folded into the message). */
    record Entry(Instant time, String process, long pid, String text) {
    }

    List<Entry> parse(String text) {
        List<Entry> out = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            Matcher m = LINE.matcher(raw);
            if (m.matches()) {
                Instant t = LocalDateTime.parse(m.group(1), STAMP).atZone(zone).toInstant();
                out.add(new Entry(t, m.group(3), Long.parseLong(m.group(4)), raw.strip()));
            } else if (!out.isEmpty() && !raw.isBlank() && !raw.startsWith("Timestamp ")
                    && !raw.startsWith("Filtering the log data")) {
                Entry last = out.remove(out.size() - 1);
                out.add(new Entry(last.time(), last.process(), last.pid(), last.text() + " " + raw.strip()));
            }
        }
        return out;
    }

    static List<List<String>> assign(List<Entry> entries, List<Window> windows) {
        List<List<String>> per = new ArrayList<>();
        for (Window w : windows) {
            List<String> lines = new ArrayList<>();
            for (Entry e : entries) {
                boolean inside = !e.time().isBefore(w.start()) && !e.time().isAfter(w.end());
                boolean ours = e.pid() == w.pid() || ANE_DAEMONS.contains(e.process());
                if (inside && ours && lines.size() < MAX_LINES) {
                    lines.add(e.text());
                }
            }
            per.add(List.copyOf(lines));
        }
        return per;
    }
}
