package dev.aneprobe.harness.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.util.List;

/**
 * Log lines from a file written in the unified log's compact style ({@code log show --style compact}), as the
 * simulated Core ML writes them, read with {@link UnifiedLog}'s own parser and window assignment: the reason signal
 * of a simulated sweep goes through the same code as a real one. The sweep is sequential, so after each read the
 * lines are no longer needed and the file is emptied.
 */
public final class LogFile implements LogSource {
    private final Path file;
    private final UnifiedLog parser;

    public LogFile(Path file, ZoneId zone) {
        this.file = file;
        this.parser = new UnifiedLog(List.of("log"), zone, 0);
    }

    @Override
    public Capture read(List<Window> windows) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (Files.exists(file)) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
            }
            return new Capture(UnifiedLog.assign(parser.parse(text), windows), null);
        } catch (IOException e) {
            return new Capture(null, "cannot read the simulated log " + file + ": " + e.getMessage());
        }
    }
}
