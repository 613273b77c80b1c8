package dev.aneprobe.harness.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aneprobe.harness.results.HostInfo;
import dev.aneprobe.harness.results.Json;
import dev.aneprobe.harness.run.WorkerException;
import dev.aneprobe.harness.simulate.DeviceModel;
import dev.aneprobe.harness.simulate.SimulatedShim;
import dev.aneprobe.harness.run.WorkerMessage;
import dev.aneprobe.harness.run.WorkerProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code aneprobe devices}: what Core ML sees on this Mac. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "Show the chip, macOS version and the compute devices Core ML can use (needs macOS 13+).")
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the host record as JSON.")
    boolean json;

    @Option(names = "--simulate", paramLabel = "DEVICE_MODEL",
            description = "Show the host a simulated Core ML presents: a device-model file or a shipped one "
                    + "(seed-v1, seed-v2, field-notes, contrarian). Works on any OS. See docs/simulate.md.")
    String simulate;

    @Override
    public Integer call() throws IOException {
        DeviceModel simulated = simulate == null ? null : DeviceModel.load(simulate);
        if (simulated == null) {
            CoreMlHost.requireShim("devices");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path errors = Files.createTempDirectory("aneprobe-devices");
        WorkerMessage m;
        WorkerProcess.Launch launch = WorkerProcess.Launch.defaults(errors);
        if (simulated != null) {
            launch = launch.withJvmArgs(SimulatedShim.jvmArgs(simulated, null));
        }
        try (WorkerProcess w = WorkerProcess.start(launch)) {
            m = w.host(Duration.ofSeconds(120));
        } catch (WorkerException e) {
            spec.commandLine().getErr().println("aneprobe: " + e.getMessage());
            return ExitCodes.FAILED;
        } finally {
            SweepCommand.removeIfEmpty(errors);
        }
        CoreMlHost.requireMacOs("devices", m);
        HostInfo h = m.host();
        if (json) {
            try {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(h));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return ExitCodes.OK;
        }
        out.printf("chip:            %s%n", h.chip());
        out.printf("machine:         %s%n", h.machineModel());
        out.printf("macOS:           %s (%s)%n", h.osVersion(), h.osBuild());
        out.printf("neural engine:   %s%n", h.hasNeuralEngine()
                ? "yes" + (h.neuralEngineCores() == null ? "" : ", " + h.neuralEngineCores() + " cores")
                : "no (Intel Mac or VM: sweeps record NO_ANE for ane and all)");
        out.printf("compute devices: %s%s%n", String.join(", ", h.computeDevices()),
                Boolean.TRUE.equals(m.devicesInferred()) ? " (inferred: macOS 13 cannot list them)" : "");
        out.printf("compute plan:    %s%n", m.osMajor() > 14 || (m.osMajor() == 14 && m.osMinor() >= 4)
                ? "available" : "not available (needs macOS 14.4): verdicts rest on dispatch and reason");
        out.printf("native shim:     ABI %d, %s%n", m.abi(), m.library());
        if (simulated != null) {
            out.printf("SIMULATED:       device model %s (%s, sha256 %s): calibration and dry runs only, never "
                    + "evidence%n", simulated.name(), simulated.shipped() ? "shipped" : simulated.source(),
                    simulated.sha256());
        }
        return ExitCodes.OK;
    }
}
