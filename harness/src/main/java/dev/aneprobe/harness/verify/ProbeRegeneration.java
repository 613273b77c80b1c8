package dev.aneprobe.harness.verify;

import dev.aneprobe.probes.catalog.Catalog;
import dev.aneprobe.probes.catalog.ProbeFamily;
import dev.aneprobe.probes.generate.BuiltProbe;
import dev.aneprobe.probes.generate.ProbeGenerator;
import dev.aneprobe.probes.sweep.Axis;
import dev.aneprobe.probes.sweep.ProbeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Builds a probe again from what a run recorded about it (family and parameters) with this version's generator, and
 * compares: the probe id, the layer type and the model's sha256 must all be what this version makes.
 */
final class ProbeRegeneration {
    /** A recorded probe: what the run says it measured. */
    record Recorded(String probeId, String family, String layerType, Map<String, String> params, String sha256) {
    }

    private final Catalog catalog;
    private final ProbeGenerator generator;

    ProbeRegeneration(Catalog catalog) {
        this.catalog = catalog;
        this.generator = new ProbeGenerator(catalog);
    }

    /** One problem per probe that does not regenerate to what the run recorded, in the order given. */
    List<String> check(List<Recorded> probes) {
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "aneprobe-verify");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> results = new ArrayList<>();
            for (Recorded r : probes) {
                results.add(pool.submit(() -> check(r)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : results) {
                String problem = f.get();
                if (problem != null) {
                    out.add(problem);
                }
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while regenerating probes", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("regenerating probes failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Null when the probe regenerates to the recorded model; else the problem, naming the probe. */
    String check(Recorded r) {
        String what = "probe " + r.probeId() + ": ";
        ProbeFamily family = catalog.family(r.family());
        if (family == null) {
            return what + "family " + r.family() + " is not in this version's catalog";
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (Axis a : family.axes()) {
            String v = r.params().get(a.name());
            if (v == null) {
                return what + "params lack the axis " + a.name() + " of family " + family.name();
            }
            List<String> parsed;
            try {
                parsed = a.parseValues(v);
            } catch (IllegalArgumentException e) {
                return what + "params." + a.name() + ": " + e.getMessage();
            }
            if (!parsed.equals(List.of(v))) {
                return what + "params." + a.name() + " \"" + v + "\" is not one canonical value of the axis";
            }
            ordered.put(a.name(), v);
        }
        if (ordered.size() != r.params().size()) {
            List<String> extra = new ArrayList<>(r.params().keySet());
            extra.removeAll(ordered.keySet());
            return what + "params name axes family " + family.name() + " does not have: " + String.join(", ", extra);
        }
        ProbeSpec spec = new ProbeSpec(family.name(), ordered);
        if (!spec.id().equals(r.probeId())) {
            return what + "its params make the id " + spec.id();
        }
        if (!family.isAdmissible(spec)) {
            return what + "this version's catalog does not build it (not admissible)";
        }
        BuiltProbe built;
        try {
            built = generator.build(family, spec);
        } catch (RuntimeException e) {
            return what + "cannot be regenerated: " + e.getMessage();
        }
        if (!built.layerType().equals(r.layerType())) {
            return what + "layerType is " + r.layerType() + ", this version builds " + built.layerType();
        }
        if (!built.sha256().equals(r.sha256())) {
            return what + "modelSha256 " + r.sha256().substring(0, 12) + "... is not the model this version "
                    + "generates (" + built.sha256().substring(0, 12) + "...)";
        }
        return null;
    }
}
