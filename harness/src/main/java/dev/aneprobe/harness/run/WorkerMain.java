package dev.aneprobe.harness.run;

import dev.aneprobe.harness.bridge.Shim;
import dev.aneprobe.harness.bridge.ShimException;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.simulate.SimulatedShim;
import dev.aneprobe.harness.results.PlanEntry;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.StageOutcome;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker process: the only JVM that loads the native shim. It reads {@link WorkerRequest}s on stdin and answers
 * with {@link WorkerMessage}s on stdout (see {@link WorkerProtocol}); if Core ML kills it, only this process dies
 * and the sweep starts another.
 */
public final class WorkerMain {
    private final PrintStream protocol;
    private Shim shim;
    private Shim.NativeHost host;

    private WorkerMain(PrintStream protocol) {
        this.protocol = protocol;
    }

    public static void main(String[] args) throws Exception {
        PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        // Anything else Java code prints goes to stderr, never into the protocol stream.
        System.setOut(System.err);
        WorkerMain w = new WorkerMain(protocol);
        if (SimulatedShim.requested()) {
            // The simulated Core ML parses its device model and compiles its rules before the worker says it is
            // ready, so that work counts against the startup timeout, not against the first probe's.
            w.shim();
        }
        w.send(WorkerMessage.ready(ProcessHandle.current().pid()));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            try {
                WorkerRequest r = Json.mapper().readValue(line, WorkerRequest.class);
                switch (r.op()) {
                    case "host" -> w.host();
                    case "probe" -> w.probe(r);
                    case "exit" -> {
                        protocol.flush();
                        return;
                    }
                    default -> w.send(WorkerMessage.error("unknown op " + r.op()));
                }
            } catch (Throwable t) {
                w.send(WorkerMessage.error(t.toString()));
            }
        }
    }

    private void send(WorkerMessage m) {
        protocol.print(WorkerProtocol.PREFIX + WorkerProtocol.encode(m) + "\n");
        protocol.flush();
    }

    private Shim shim() {
        if (shim == null) {
            // A simulated sweep hands the worker a simulated Core ML behind the same contract; else the native shim.
            shim = SimulatedShim.requested() ? SimulatedShim.load() : Shim.load();
        }
        return shim;
    }

    private Shim.NativeHost nativeHost() {
        if (host == null) {
            host = shim().host();
        }
        return host;
    }

    private void host() {
        Shim.NativeHost h = nativeHost();
        send(new WorkerMessage("host", ProcessHandle.current().pid(), h.info(), h.osMajor(), h.osMinor(), h.osPatch(),
                h.devicesInferred(), shim().abiVersion(), shim().library(), null, null, null, null, null, null, null,
                null));
    }

    private static StageOutcome.Status statusOf(ShimException e) {
        return e.unsupported() ? StageOutcome.Status.UNSUPPORTED : StageOutcome.Status.FAILED;
    }

    private void skip(Stage... stages) {
        for (Stage s : stages) {
            send(WorkerMessage.stage(new StageOutcome(s, StageOutcome.Status.SKIPPED, null, null)));
        }
    }

    private void probe(WorkerRequest r) {
        Shim s = shim();
        String osBuild = nativeHost().info().osBuild();
        CompiledModelCache cache = new CompiledModelCache(Path.of(r.cacheDir()));

        send(WorkerMessage.begin(Stage.COMPILE));
        CompiledModelCache.Entry compiled;
        try {
            compiled = cache.compiled(s, Path.of(r.model()), r.sha256(), osBuild);
        } catch (ShimException e) {
            send(WorkerMessage.stage(new StageOutcome(Stage.COMPILE, statusOf(e), null, e.error())));
            skip(Stage.LOAD, Stage.PLAN, Stage.PREDICT);
            send(WorkerMessage.done());
            return;
        }
        // compileMs is null on a cache hit: the stage is OK, nothing was compiled.
        send(WorkerMessage.stage(new StageOutcome(Stage.COMPILE, StageOutcome.Status.OK, compiled.compileMs(), null))
                .withTimes(compiled.compileMs(), null));

        send(WorkerMessage.begin(Stage.LOAD));
        try (Shim.LoadedModel model = s.load(compiled.compiled(), r.units())) {
            send(WorkerMessage.stage(new StageOutcome(Stage.LOAD, StageOutcome.Status.OK, model.loadMs(), null))
                    .withTimes(null, model.loadMs()));

            send(WorkerMessage.begin(Stage.PLAN));
            try (Shim.ComputePlan plan = s.plan(compiled.compiled(), r.units())) {
                List<PlanEntry> entries = plan.entries();
                send(WorkerMessage.stage(new StageOutcome(Stage.PLAN, StageOutcome.Status.OK, plan.planMs(), null))
                        .withPlan(entries));
            } catch (ShimException e) {
                // A missing or failed plan is recorded, never fatal: dispatch and reason still decide.
                send(WorkerMessage.stage(new StageOutcome(Stage.PLAN, statusOf(e), null, e.error())));
            }

            send(WorkerMessage.begin(Stage.PREDICT));
            try {
                Shim.Predictions p = model.predict(r.warmup(), r.iterations());
                List<Long> samples = new ArrayList<>(p.samplesNs().length);
                long total = p.coldNs();
                for (long v : p.samplesNs()) {
                    samples.add(v);
                    total += v;
                }
                // The stage time is the natively timed predictions (cold + timed), not the untimed warm-up.
                send(WorkerMessage.stage(new StageOutcome(Stage.PREDICT, StageOutcome.Status.OK, total / 1e6, null))
                        .withSamples(p.coldNs(), samples));
            } catch (ShimException e) {
                send(WorkerMessage.stage(new StageOutcome(Stage.PREDICT, statusOf(e), null, e.error())));
            }
        } catch (ShimException e) {
            send(WorkerMessage.stage(new StageOutcome(Stage.LOAD, statusOf(e), null, e.error())));
            skip(Stage.PLAN, Stage.PREDICT);
        }
        send(WorkerMessage.done());
    }
}
