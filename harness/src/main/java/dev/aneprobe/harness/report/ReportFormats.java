package dev.aneprobe.harness.report;

import java.util.List;

/** The formats {@code aneprobe report} writes. */
public final class ReportFormats {
    private ReportFormats() {
    }

    public static List<ReportFormat> all() {
        return List.of(new MarkdownFormat(), new CsvFormat(), new JsonFormat(), new HtmlFormat());
    }
}
