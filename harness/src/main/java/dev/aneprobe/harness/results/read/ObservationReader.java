package dev.aneprobe.harness.results.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.results.Observation;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.function.Consumer;

/**
 * Streams a run's {@code observations.jsonl}, one {@link Observation} at a time, never holding the file. A line
 * that is not JSON, lacks a required field or carries an unknown value is skipped with a warning naming the file and
 * line number; the rest of the file is used.
 */
public final class ObservationReader {
    private static final ObjectReader READER = Json.mapper().readerFor(Observation.class);

    private ObservationReader() {
    }

    /** What reading one run found. */
    public record Stats(long lines, long used, long skipped) {
    }

    public static Stats read(RunDir run, Warnings warnings, Consumer<Observation> sink) {
        String file = run.observations().toString();
        long lineNo = 0;
        long used = 0;
        long skipped = 0;
        try (BufferedReader in = Files.newBufferedReader(run.observations(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String problem;
                Observation o = null;
                try {
                    o = READER.readValue(line);
                    problem = check(o);
                } catch (InvalidFormatException e) {
                    problem = "bad value \"" + e.getValue() + "\" for " + path(e);
                } catch (MismatchedInputException e) {
                    problem = "wrong type for " + path(e);
                } catch (JsonProcessingException e) {
                    problem = "not JSON (" + e.getOriginalMessage() + ")";
                }
                if (problem != null) {
                    skipped++;
                    if (skipped <= Warnings.PER_FILE) {
                        warnings.accept(file + ":" + lineNo + ": skipped: " + problem);
                    }
                    continue;
                }
                used++;
                sink.accept(o);
            }
        } catch (NoSuchFileException e) {
            warnings.accept(file + ": missing; the run has no observations");
        } catch (IOException e) {
            warnings.accept(file + ":" + (lineNo + 1) + ": read error (" + e.getMessage()
                    + "); the rest of the file is not used");
        }
        if (skipped > Warnings.PER_FILE) {
            warnings.accept(file + ": " + (skipped - Warnings.PER_FILE) + " more malformed lines skipped ("
                    + skipped + " in all)");
        }
        return new Stats(lineNo, used, skipped);
    }

    private static String path(JsonProcessingException e) {
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.length() > 0 ? "." : "").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            return sb.toString();
        }
        return "a field";
    }

    /** The fields every use of an observation relies on; null when the line is usable. */
    static String check(Observation o) {
        if (o == null) {
            return "empty record";
        }
        StringBuilder missing = new StringBuilder();
        if (blank(o.probeId())) {
            missing.append(", probeId");
        }
        if (blank(o.family())) {
            missing.append(", family");
        }
        if (blank(o.layerType())) {
            missing.append(", layerType");
        }
        if (blank(o.modelSha256())) {
            missing.append(", modelSha256");
        }
        if (o.units() == null) {
            missing.append(", units");
        } else if (o.units().allowsNeuralEngine() && (o.verdict() == null || o.verdict().kind() == null)) {
            missing.append(", verdict (required on ").append(o.units().label()).append(" lines)");
        }
        return missing.length() == 0 ? null : "missing " + missing.substring(2);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
