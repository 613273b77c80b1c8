package dev.aneprobe.harness.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes synthetic runs for the report benchmark (bench/report-1m.sh): {@code lines} observation lines spread over
 * {@code runs} run directories (two machines per chip/OS), four lines per probe (cpu, gpu, ane, all), each with
 * a plan, three signals and 20 timing samples, like a real sweep's lines. The chips are named "SYNTHETIC ..." and
 * nothing here is a measurement. Deterministic: the same arguments write the same bytes.
 *
 * <p>Usage: {@code ObservationGenerator OUT_DIR [lines=1000000] [runs=8]}
 */
public final class ObservationGenerator {
    private ObservationGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long lines = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        long probesPerRun = lines / runs / 4;
        List<String[]> probes = probes((int) probesPerRun);
        String[] chips = {"SYNTHETIC Apple M1", "SYNTHETIC Apple M2", "SYNTHETIC Apple M3", "SYNTHETIC Apple M4"};
        long written = 0;
        for (int r = 0; r < runs; r++) {
            String chip = chips[(r / 2) % chips.length];
            String os = "14." + (r / 2 / chips.length);
            String runId = String.format(Locale.ROOT, "synthetic-%02d", r);
            Path dir = Files.createDirectories(out.resolve(runId));
            Files.writeString(dir.resolve("env.json"), "{\"schema\":1,\"runId\":\"" + runId + "\",\"startedAt\":"
                    + "\"2025-03-0" + (1 + r % 9) + "T12:00:00Z\",\"host\":{\"chip\":\"" + chip + "\",\"machineModel\":"
                    + "\"SYNTHETIC\",\"osName\":\"macOS\",\"osVersion\":\"" + os + "\",\"osBuild\":\"X\","
                    + "\"hasNeuralEngine\":true,\"neuralEngineCores\":16,\"computeDevices\":[\"cpu\",\"gpu\",\"ane\"]},"
                    + "\"harnessVersion\":\"0.1.0-synthetic\",\"profile\":\"bench\",\"arguments\":[]}\n");
            SplittableRandom rnd = new SplittableRandom(r);
            try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(
                    Files.newOutputStream(dir.resolve("observations.jsonl")), StandardCharsets.UTF_8), 1 << 16)) {
                for (String[] p : probes) {
                    boolean ane = onAne(p, chip, rnd);
                    for (String units : new String[] {"cpu", "gpu", "ane", "all"}) {
                        w.write(line(runId, p, units, ane, rnd));
                        w.write('\n');
                        written++;
                    }
                }
            }
        }
        System.out.println("wrote " + written + " observation lines in " + runs + " runs to " + out);
    }

    /** {family, layerType, id, paramsJson, sha} for a sweep of the families the report draws heatmaps for. */
    static List<String[]> probes(int n) {
        List<String[]> out = new ArrayList<>(n);
        String[] ins = {"64x56x56", "256x28x28", "16x8x8", "8x1x16384"};
        outer:
        for (int i = 0; ; i++) {
            for (String in : ins) {
                if (out.size() == n) {
                    break outer;
                }
                int k = 1 + i % 31;
                int s = 1 + (i / 31) % 4;
                String[] type = {"max", "average", "l2"};
                switch ((i / 124) % 3) {
                    case 0 -> out.add(probe("pooling", "pooling", new String[] {"type", type[(i / 372) % 3],
                        "kernel", k + "x" + k, "stride", s + "x" + s, "pad", "valid", "global", "false",
                        "variant", Integer.toString(i / 1116), "in", in}));
                    case 1 -> out.add(probe("upsample", "upsample", new String[] {"scale", (1 + i % 8) + "x"
                        + (1 + (i / 8) % 8), "mode", (i / 64) % 2 == 0 ? "nn" : "bilinear", "align", "default",
                        "variant", Integer.toString(i / 128), "in", in}));
                    default -> out.add(probe("convolution", "convolution", new String[] {"kernel", k + "x" + k,
                        "stride", "1x1", "dilation", s + "x" + s, "groups", "1", "cout", "64", "pad", "same",
                        "weights", "fp16", "variant", Integer.toString(i / 124), "in", in}));
                }
            }
        }
        return out;
    }

    static String[] probe(String family, String layerType, String[] kv) {
        StringBuilder id = new StringBuilder(family).append('/');
        StringBuilder params = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            id.append(i == 0 ? "" : ",").append(kv[i]).append('=').append(kv[i + 1]);
            params.append(i == 0 ? "" : ",").append('"').append(kv[i]).append("\":\"").append(kv[i + 1]).append('"');
        }
        String sha = String.format(Locale.ROOT, "%064x", new java.math.BigInteger(1,
                id.toString().getBytes(StandardCharsets.UTF_8)).mod(java.math.BigInteger.TWO.pow(250)));
        return new String[] {family, layerType, id.toString(), params.append('}').toString(), sha};
    }

    static boolean onAne(String[] p, String chip, SplittableRandom rnd) {
        String id = p[2];
        int k = id.contains("kernel=") ? Integer.parseInt(id.replaceAll(".*kernel=(\\d+)x.*", "$1")) : 1;
        int limit = chip.endsWith("M1") ? 13 : 16;
        return k <= limit && !id.contains("in=8x1x16384") && rnd.nextInt(50) != 0;
    }

    static String line(String runId, String[] p, String units, boolean ane, SplittableRandom rnd) {
        double med = units.equals("cpu") ? 2_000_000 : units.equals("gpu") ? 900_000 : ane ? 400_000 : 1_950_000;
        med *= 0.9 + rnd.nextDouble() * 0.2;
        StringBuilder sb = new StringBuilder(1600);
        sb.append("{\"schema\":1,\"runId\":\"").append(runId).append("\",\"probeId\":\"").append(p[2])
                .append("\",\"family\":\"").append(p[0]).append("\",\"layerType\":\"").append(p[1])
                .append("\",\"params\":").append(p[3]).append(",\"modelSha256\":\"").append(p[4])
                .append("\",\"units\":\"").append(units).append("\",\"startedAt\":\"2025-03-01T12:00:00Z\",")
                .append("\"stages\":[{\"stage\":\"compile\",\"status\":\"OK\",\"millis\":12.5},{\"stage\":\"load\",")
                .append("\"status\":\"OK\",\"millis\":30.1},{\"stage\":\"plan\",\"status\":\"OK\",\"millis\":1.2},")
                .append("{\"stage\":\"predict\",\"status\":\"OK\",\"millis\":44.0}],\"plan\":[{\"name\":\"probe\",")
                .append("\"kind\":\"").append(p[0]).append("\",\"preferred\":\"")
                .append(units.equals("cpu") ? "cpu" : units.equals("gpu") ? "gpu" : ane ? "ane" : "cpu")
                .append("\",\"supported\":[\"cpu\",\"gpu\"").append(ane ? ",\"ane\"" : "").append("]}],")
                .append("\"timing\":{\"compileMs\":12.5,\"loadMs\":30.1,\"coldNs\":").append((long) (med * 3))
                .append(",\"samplesNs\":[");
        for (int i = 0; i < 20; i++) {
            sb.append(i == 0 ? "" : ",").append((long) (med * (0.97 + rnd.nextDouble() * 0.06)));
        }
        sb.append("],\"summary\":{\"n\":20,\"minNs\":").append((long) (med * 0.97)).append(",\"medianNs\":")
                .append(Math.round(med * 10) / 10.0).append(",\"p90Ns\":").append(Math.round(med * 10.3) / 10.0)
                .append(",\"madNs\":").append(Math.round(med * 0.1) / 10.0).append("}},\"log\":[]");
        if (units.equals("ane") || units.equals("all")) {
            String k = ane ? "ANE" : "NOT_ANE";
            sb.append(",\"verdict\":{\"kind\":\"").append(k).append("\",\"ranOn\":[\"").append(ane ? "ane" : "cpu")
                    .append("\"],\"signals\":[{\"signal\":\"plan\",\"says\":\"").append(k)
                    .append("\",\"detail\":\"preferred=").append(ane ? "ane" : "cpu").append("\"},{\"signal\":")
                    .append("\"dispatch\",\"says\":\"").append(k).append("\",\"detail\":\"").append(units)
                    .append(" median ").append(String.format(Locale.ROOT, "%.2f", med / 1e6))
                    .append(" ms vs cpu 2.00 ms\",\"confidence\":0.97},{\"signal\":\"reason\",\"detail\":")
                    .append("\"no log line\"}],\"agreed\":[\"plan\",\"dispatch\"]}");
        }
        return sb.append('}').toString();
    }
}
