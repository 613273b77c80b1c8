package dev.aneprobe.harness.report;

import com.fasterxml.jackson.databind.ObjectWriter;
import dev.aneprobe.harness.results.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * {@code support.json}: {@code {"schema": 1, "runs": [...], "rows": [...]}} with the same rows as support.csv
 * (one per probe and run, fields as in {@link SupportRow}), one row per line so that it diffs well.
 */
public final class JsonFormat implements ReportFormat {
    public static final int SCHEMA = 1;
    private static final ObjectWriter ROW = Json.mapper().writerFor(SupportRow.class);

    @Override
    public String fileName() {
        return "support.json";
    }

    @Override
    public void write(Report report, OutputStream out) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("{\"schema\": " + SCHEMA + ",\n\"runs\": [");
        boolean first = true;
        for (Report.RunInfo r : report.runs()) {
            w.write(first ? "\n" : ",\n");
            w.write(Json.mapper().writeValueAsString(r));
            first = false;
        }
        w.write(first ? "],\n\"rows\": [" : "\n],\n\"rows\": [");
        boolean[] firstRow = {true};
        try {
            report.forEachRow(r -> {
                try {
                    w.write(firstRow[0] ? "\n" : ",\n");
                    w.write(ROW.writeValueAsString(r));
                    firstRow[0] = false;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.write(firstRow[0] ? "]}\n" : "\n]}\n");
        w.flush();
    }
}
