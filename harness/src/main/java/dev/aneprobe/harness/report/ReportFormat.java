package dev.aneprobe.harness.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One output file of {@code aneprobe report}. Formats are interchangeable: each turns the same {@link Report} into
 * bytes, deterministically (same runs, same bytes), with no clock and no network.
 */
public interface ReportFormat {
    /** The file this format writes, e.g. {@code support.csv}. */
    String fileName();

    void write(Report report, OutputStream out) throws IOException;
}
