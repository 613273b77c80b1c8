package dev.aneprobe.harness.analysis.chains;

import dev.aneprobe.harness.results.ComputeUnits;
import dev.aneprobe.harness.results.VerdictKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every device sequence one chain probe showed on one chip/OS, per compute-units setting: each distinct sequence
 * (with the line's verdict, for ane and all) once, with how many lines showed it and the first run that did. Small:
 * a chain probe has a handful of lines per run, and only chain probes keep one.
 */
public final class ChainTally {
    /**
     * One distinct reading.
     *
     * @param sequence the planned device of each layer
     * @param verdict the line's verdict (null for cpu and gpu lines, which carry none)
     * @param lines how many lines showed it
     * @param firstRun the first run that did
     */
    public record Reading(DeviceSequence sequence, VerdictKind verdict, int lines, String firstRun) {
    }

    private final EnumMap<ComputeUnits, LinkedHashMap<String, Reading>> readings = new EnumMap<>(ComputeUnits.class);

    /** Records one line. */
    public void add(String runId, ComputeUnits units, DeviceSequence sequence, VerdictKind verdict) {
        String key = sequence.text() + "|" + verdict;
        readings.computeIfAbsent(units, u -> new LinkedHashMap<>()).merge(key,
                new Reading(sequence, verdict, 1, runId),
                (a, b) -> new Reading(a.sequence(), a.verdict(), a.lines() + 1, a.firstRun()));
    }

    /** The distinct readings under {@code units}, in the order first seen (empty when none). */
    public List<Reading> readings(ComputeUnits units) {
        Map<String, Reading> m = readings.get(units);
        return m == null ? List.of() : new ArrayList<>(m.values());
    }

    /** The settings with at least one reading, in cpu, gpu, all, ane order. */
    public List<ComputeUnits> units() {
        return new ArrayList<>(readings.keySet());
    }
}
