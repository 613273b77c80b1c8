package dev.aneprobe.harness.run;

import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import dev.aneprobe.harness.results.Stage;
import dev.aneprobe.harness.results.VerdictKind;
import dev.aneprobe.harness.results.WorkerFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parent's side of one worker JVM ({@link WorkerMain}): same java, same classpath, the native library override
 * passed on, {@code -XX:ErrorFile} into a private directory and no core dumps. Requests are sent one at a time;
 * a request that outlives its timeout gets the worker killed ({@code TIMEOUT}); a worker that dies mid-request is
 * reported with its signal (exit status 128+n, or the signal the JVM's crash log names) and its last stderr lines
 * ({@code CRASHED}). A dead worker is not reused: the caller starts another.
 */
public final class WorkerProcess implements AutoCloseable {
    /** Lines of stderr kept in a failure record. */
    public static final int TAIL_LINES = 30;
    private static final Object EOF = new Object();
    private static final Pattern HS_ERR_SIGNAL = Pattern.compile("#\\s+(SIG[A-Z0-9]+) \\(0x([0-9a-fA-F]+)\\)");

    /**
     * How to start a worker.
     *
     * @param javaExecutable the java binary (the running one by default)
     * @param classpath the worker's classpath (this JVM's by default)
     * @param nativeLibrary passed as -D{@value NativeLibraryLocator#PROPERTY}, or null for the bundled shim
     * @param errorDir where crashing workers write their hs_err files
     * @param jvmArgs extra JVM arguments
     * @param environment extra environment variables
     * @param startupTimeout how long a worker may take to say it is ready
     */
    public record Launch(String javaExecutable, String classpath, String nativeLibrary, Path errorDir,
            List<String> jvmArgs, Map<String, String> environment, Duration startupTimeout) {
        public Launch {
            jvmArgs = jvmArgs == null ? List.of() : List.copyOf(jvmArgs);
            environment = environment == null ? Map.of() : Map.copyOf(environment);
        }

        /** The running JVM's java and classpath; the library override this JVM has, if any. */
        public static Launch defaults(Path errorDir) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("aneprobe.worker.classpath", System.getProperty("java.class.path"));
            return new Launch(java, cp, NativeLibraryLocator.override().orElse(null), errorDir, List.of(), Map.of(),
                    Duration.ofSeconds(60));
        }

        public Launch withEnvironment(Map<String, String> env) {
            return new Launch(javaExecutable, classpath, nativeLibrary, errorDir, jvmArgs, env, startupTimeout);
        }

        /** The same launch with these extra JVM arguments (e.g. the simulated Core ML's properties). */
        public Launch withJvmArgs(List<String> args) {
            return new Launch(javaExecutable, classpath, nativeLibrary, errorDir, args, environment, startupTimeout);
        }
    }

    /** What became of a probe request. */
    public sealed interface Outcome permits Completed, Died {
        /** Every stage message received, in order (results of stages that finished). */
        List<WorkerMessage> messages();
    }

    /** The worker answered the whole request. */
    public record Completed(List<WorkerMessage> messages) implements Outcome {
    }

    /**
     * The worker died or was killed during the request.
     *
     * @param failure what happened
     * @param inProgress the stage that had begun and not ended, if any
     */
    public record Died(List<WorkerMessage> messages, WorkerFailure failure, Stage inProgress) implements Outcome {
    }

    private final Launch launch;
    private final Process process;
    private final Writer stdin;
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    private final StderrTail tail = new StderrTail(200);
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private boolean dead;

    private WorkerProcess(Launch launch, Process process) {
        this.launch = launch;
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdoutReader = reader("aneprobe-worker-stdout", process.getInputStream(), true);
        this.stderrReader = reader("aneprobe-worker-stderr", process.getErrorStream(), false);
    }

    /** Starts a worker and waits until it is ready. */
    public static WorkerProcess start(Launch launch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launch.javaExecutable());
        cmd.add("-XX:ErrorFile=" + launch.errorDir().resolve("hs_err_pid%p.log"));
        cmd.add("-XX:-CreateCoredumpOnCrash");
        // The JVM's own fatal-error report goes to stderr, never into the protocol stream.
        cmd.add("-XX:+DisplayVMOutputToStderr");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Djava.awt.headless=true");
        if (launch.nativeLibrary() != null) {
            cmd.add("-D" + NativeLibraryLocator.PROPERTY + "=" + launch.nativeLibrary());
        }
        cmd.addAll(launch.jvmArgs());
        cmd.add("-cp");
        cmd.add(launch.classpath());
        cmd.add(WorkerMain.class.getName());
        try {
            Files.createDirectories(launch.errorDir());
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().putAll(launch.environment());
            WorkerProcess w = new WorkerProcess(launch, pb.start());
            Object first = w.messages.poll(launch.startupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (first instanceof WorkerMessage m && "ready".equals(m.type())) {
                return w;
            }
            Died d = w.death(first == null, List.of(), null, launch.startupTimeout());
            throw new WorkerException("the worker did not start (" + describe(d.failure()) + ")"
                    + tailText(d.failure().stderrTail()));
        } catch (IOException e) {
            throw new WorkerException("cannot start the worker JVM: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkerException("interrupted while starting the worker", e);
        }
    }

    private Thread reader(String name, InputStream stream, boolean protocol) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    WorkerMessage m = protocol ? WorkerProtocol.decode(line) : null;
                    if (m != null) {
                        messages.add(m);
                    } else {
                        tail.add(protocol ? "[stdout] " + line : line);
                    }
                }
            } catch (IOException e) {
                // The stream closed with the process.
            } finally {
                if (protocol) {
                    messages.add(EOF);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return !dead && process.isAlive();
    }

    /** The host as the worker's shim reports it. Any death here is a {@link WorkerException}. */
    public WorkerMessage host(Duration timeout) {
        Outcome o = request(WorkerRequest.host(), timeout, "host");
        if (o instanceof Died d) {
            throw new WorkerException("the native shim " + describe(d.failure()) + " while reading the host"
                    + tailText(d.failure().stderrTail()));
        }
        return o.messages().get(0);
    }

    /** Runs one probe request. */
    public Outcome probe(WorkerRequest request, Duration timeout) {
        return request(request, timeout, "done");
    }

    private Outcome request(WorkerRequest request, Duration timeout, String last) {
        if (dead) {
            throw new IllegalStateException("worker " + pid() + " is dead; start another");
        }
        tail.clear();
        List<WorkerMessage> got = new ArrayList<>();
        Stage inProgress = null;
        try {
            stdin.write(WorkerProtocol.encode(request) + "\n");
            stdin.flush();
        } catch (IOException e) {
            // The worker is gone already; its exit status tells why.
            return death(false, got, null, timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Object o = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
                if (o == null) {
                    return death(true, got, inProgress, timeout);
                }
                if (o == EOF) {
                    return death(false, got, inProgress, timeout);
                }
                WorkerMessage m = (WorkerMessage) o;
                switch (m.type()) {
                    case "begin" -> inProgress = m.stage();
                    case "stage" -> {
                        got.add(m);
                        inProgress = null;
                    }
                    case "error" -> throw new WorkerException("worker error: " + m.message()
                            + tailText(tail.last(TAIL_LINES)));
                    default -> {
                        if (m.type().equals(last)) {
                            if (!"done".equals(last)) {
                                got.add(m);
                            }
                            return new Completed(List.copyOf(got));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            dead = true;
            throw new WorkerException("interrupted", e);
        }
    }

    /** Kills the worker if it is still running (timeout), waits for it, and describes its death. */
    private Died death(boolean timedOut, List<WorkerMessage> got, Stage inProgress, Duration timeout) {
        dead = true;
        if (timedOut) {
            process.destroyForcibly();
        }
        int status;
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            status = process.exitValue();
            // Let the readers drain what the process wrote before it died.
            stderrReader.join(5000);
            stdoutReader.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        Integer signal = status > 128 && status <= 128 + 64 ? status - 128 : null;
        Integer exitCode = signal == null ? status : null;
        List<String> lines = new ArrayList<>(tail.last(TAIL_LINES));
        Path hsErr = launch.errorDir().resolve("hs_err_pid" + process.pid() + ".log");
        if (Files.isRegularFile(hsErr)) {
            Integer fromLog = hsErrSignal(hsErr);
            if (fromLog != null) {
                // The JVM caught the signal (SIGSEGV in native code), wrote its report and exited.
                signal = fromLog;
            }
            lines.add("JVM crash report: " + hsErr);
        }
        WorkerFailure f = timedOut
                ? new WorkerFailure(VerdictKind.TIMEOUT, 9, null, timeout.toMillis() / 1000.0, lines)
                : new WorkerFailure(VerdictKind.CRASHED, signal, exitCode, null, lines);
        return new Died(List.copyOf(got), f, inProgress);
    }

    static Integer hsErrSignal(Path hsErr) {
        try (BufferedReader r = Files.newBufferedReader(hsErr, StandardCharsets.ISO_8859_1)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null && n++ < 60) {
                Matcher m = HS_ERR_SIGNAL.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(2), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static String describe(WorkerFailure f) {
        if (f.kind() == VerdictKind.TIMEOUT) {
            return "did not answer within " + f.timeoutSeconds() + " s";
        }
        return f.signal() != null ? "was killed by signal " + f.signal() : "exited with status " + f.exitCode();
    }

    private static String tailText(List<String> lines) {
        return lines.isEmpty() ? "" : "; last stderr: " + String.join(" | ", lines.subList(Math.max(0,
                lines.size() - 3), lines.size()));
    }

    /** Asks the worker to exit; kills it if it does not within two seconds. */
    @Override
    public void close() {
        if (!dead && process.isAlive()) {
            try {
                stdin.write(WorkerProtocol.encode(WorkerRequest.exit()) + "\n");
                stdin.flush();
                stdin.close();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (IOException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        dead = true;
    }
}
