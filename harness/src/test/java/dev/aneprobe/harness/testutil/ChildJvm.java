package dev.aneprobe.harness.testutil;

import dev.aneprobe.harness.bridge.NativeLibraryLocator;
import dev.aneprobe.harness.cli.AneprobeCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts the aneprobe CLI as a real child JVM (same java, same classpath). */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * @param withDouble pass the test double as the native library (else the child sees a plain Linux host)
     */
    public static ProcessBuilder cli(boolean withDouble, Path workDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        if (withDouble) {
            cmd.add("-D" + NativeLibraryLocator.PROPERTY + "=" + TestNative.doubleLibrary());
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(AneprobeCommand.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove(NativeLibraryLocator.ENV);
        return pb;
    }

    public record Done(int exit, String out, String err) {
    }

    public static Done run(ProcessBuilder pb) throws IOException, InterruptedException {
        Process p = pb.start();
        p.getOutputStream().close();
        // Small outputs: read both after exit would risk a full pipe only for large output, so read stderr on a thread.
        StringBuilder err = new StringBuilder();
        Thread t = new Thread(() -> {
            try {
                err.append(new String(p.getErrorStream().readAllBytes()));
            } catch (IOException e) {
                // ignore
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        t.join();
        return new Done(code, out, err.toString());
    }
}
