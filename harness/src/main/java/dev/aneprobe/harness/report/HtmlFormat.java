package dev.aneprobe.harness.report;

import java.io.IOException;
import java.io.OutputStream;

/** Placeholder until the page is written. */
public final class HtmlFormat implements ReportFormat {
    @Override
    public String fileName() {
        return "index.html";
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        out.write("<!doctype html>\n".getBytes());
    }
}
