package dev.aneprobe.harness.bench;

import dev.aneprobe.harness.cli.AneprobeCommand;
import dev.aneprobe.probes.coreml.ActivationParams;
import dev.aneprobe.probes.coreml.ActivationReLU;
import dev.aneprobe.probes.coreml.ConvolutionLayerParams;
import dev.aneprobe.probes.coreml.Model;
import dev.aneprobe.probes.coreml.PoolingLayerParams;
import dev.aneprobe.probes.coreml.SamePadding;
import dev.aneprobe.probes.coreml.mil.DataType;
import dev.aneprobe.probes.mil.MilNet;
import dev.aneprobe.probes.model.Layer;
import dev.aneprobe.probes.model.Net;
import dev.aneprobe.probes.model.Weights;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark of {@code lint} on 1,000-layer models, timed inside a fresh JVM from the start of {@code main} (JVM
 * start-up left out; class loading, reading the catalog, claims and runs, parsing and linting in) and from the start
 * of the process (JVM start-up in; the process start time has a resolution of 10 ms on Linux).
 * {@code LintBench models DIR} writes the models (a rank-5 network of 1,000 layers: convolution, ReLU and pooling
 * repeated; an fp16 ML Program of 1,000 ops; a 1-layer network for the fixed cost); {@code LintBench run ARGS...} runs {@code aneprobe lint ARGS} once
 * and prints the time. See bench/lint-1000.sh.
 */
public final class LintBench {
    private LintBench() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        if (args.length >= 2 && args[0].equals("models")) {
            models(Path.of(args[1]));
            return;
        }
        if (args.length < 2 || !args[0].equals("run")) {
            System.err.println("usage: LintBench models DIR | LintBench run LINT-ARGS...");
            System.exit(2);
        }
        List<String> lintArgs = new ArrayList<>(List.of("lint"));
        lintArgs.addAll(List.of(args).subList(1, args.length));
        StringWriter out = new StringWriter();
        String[] argv = lintArgs.toArray(new String[0]);
        int code = AneprobeCommand.commandLineFor(new PrintWriter(out), new PrintWriter(System.err, true), argv)
                .execute(argv);
        long ns = System.nanoTime() - start;
        long endMillis = System.currentTimeMillis();
        // The process's start (before the JVM is created), read only after the measured part.
        long fromProcessStart = ProcessHandle.current().info().startInstant()
                .map(i -> endMillis - i.toEpochMilli()).orElse(-1L);
        long lines = out.toString().lines().count();
        System.out.printf("lint %s: exit %d, %d output lines, %.0f ms from main(), %d ms from process start%n",
                String.join(" ", lintArgs.subList(1, lintArgs.size())), code, lines, ns / 1e6, fromProcessStart);
    }

    static void models(Path dir) throws Exception {
        Files.createDirectories(dir);
        Net net = Net.legacy().input("x", 16, 32, 32);
        String blob = "x";
        int n = 0;
        while (n < 1000) {
            String conv = "c" + n;
            net.layer(Layer.aux(conv).in(blob).out(conv, 16, 32, 32).with(b -> b.setConvolution(
                    ConvolutionLayerParams.newBuilder().setKernelChannels(16).setOutputChannels(16)
                            .addKernelSize(3).addKernelSize(3).addStride(1).addStride(1)
                            .setSame(SamePadding.getDefaultInstance())
                            .setWeights(Weights.constant(16 * 16 * 9, 0.01f)))));
            String relu = "r" + (n + 1);
            net.layer(Layer.aux(relu).in(conv).out(relu, 16, 32, 32).with(b -> b.setActivation(
                    ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()))));
            String pool = "p" + (n + 2);
            net.layer(Layer.aux(pool).in(relu).out(pool, 16, 32, 32).with(b -> b.setPooling(
                    PoolingLayerParams.newBuilder().setType(PoolingLayerParams.PoolingType.MAX)
                            .addKernelSize(3).addKernelSize(3).addStride(1).addStride(1)
                            .setSame(SamePadding.getDefaultInstance()))));
            blob = pool;
            n += 3;
        }
        net.output(blob);
        Model nn = net.toModel("bench").toBuilder().setSpecificationVersion(1).build();
        Files.write(dir.resolve("nn-1000.mlmodel"), nn.toByteArray());

        MilNet program = MilNet.of("CoreML6").input("x", DataType.FLOAT16, 1, 64, 56, 56);
        String value = "x";
        for (int i = 0; i < 1000; i++) {
            Map<String, List<String>> ins = new LinkedHashMap<>();
            ins.put("x", List.of(value));
            String out = i == 999 ? "y" : "v" + i;
            program.op(i % 2 == 0 ? "relu" : "sigmoid", ins, out, DataType.FLOAT16, 1, 64, 56, 56);
            value = out;
        }
        program.output("y");
        Model mil = program.toModel("bench", (type, data, count) -> {
            throw new IllegalStateException("no weights");
        });
        Files.write(dir.resolve("mil-1000.mlmodel"), mil.toByteArray());
        // One layer, for the fixed cost every lint pays (catalog, claims, the schema's descriptors, the CLI).
        Model one = Net.legacy().input("x", 16, 32, 32)
                .layer(Layer.probe().in("x").out("y", 16, 32, 32).with(b -> b.setActivation(
                        ActivationParams.newBuilder().setReLU(ActivationReLU.getDefaultInstance()))))
                .output("y").toModel("bench").toBuilder().setSpecificationVersion(1).build();
        Files.write(dir.resolve("one-layer.mlmodel"), one.toByteArray());
        System.out.println("wrote " + nn.getNeuralNetwork().getLayersCount() + "-layer network, 1000-op program and "
                + "1-layer network to " + dir);
    }
}
