package dev.aneprobe.harness.report;

import dev.aneprobe.probes.output.OutputDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The formats {@code aneprobe report} writes. */
public final class ReportFormats {
    /**
     * A report's output directory: one file per format and nothing else, so a directory is a report's own when it
     * holds only those files (and is never replaced when it holds anything else).
     */
    public static final OutputDirectory.Kind OUTPUT = new OutputDirectory.Kind() {
        @Override
        public String command() {
            return "aneprobe report";
        }

        @Override
        public Predicate<OutputDirectory.Entry> ownEntries(Path dir) {
            Set<String> names = all().stream().map(ReportFormat::fileName).collect(Collectors.toUnmodifiableSet());
            return e -> !e.directory() && names.contains(e.path());
        }
    };

    private ReportFormats() {
    }

    public static List<ReportFormat> all() {
        return List.of(new MarkdownFormat(), new CsvFormat(), new JsonFormat(), new HtmlFormat());
    }
}
