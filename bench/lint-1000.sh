#!/usr/bin/env bash
# Benchmark: `aneprobe lint` of 1,000-layer models (a rank-5 NeuralNetwork and an fp16 ML Program) and of a 1-layer
# network (the fixed cost every lint pays), each in a fresh JVM, timed three ways:
#   launcher     wall time of `./aneprobe lint ...` as a user runs it (bash launcher, JVM start-up, the class-data
#                archive the launcher keeps for lint, everything);
#   from start   inside the JVM: from the process's start to the end of lint (JVM start-up in);
#   from main()  inside the JVM: from main() entry to the end of lint (JVM start-up out).
# The in-JVM figures run the same jar and archive with the benchmark class appended to the class path. Each is shown
# with the archive and without it (ANEPROBE_CDS=off). Target: under 1 s. The runs read are the FIXTURE runs
# (hand-made, not measurements). The machine's load is printed first: on a shared machine the figures move with it.
# Usage: bench/lint-1000.sh [repeats=3] [work dir=harness/target/bench-lint]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"
work="${2:-$root/harness/target/bench-lint}"
cd "$root"
./aneprobe --version >/dev/null   # builds the jar when needed
mvn -B -ntp -q -pl harness -am test-compile -DskipTests
cp="harness/target/test-classes:harness/target/classes:probes/target/test-classes:probes/target/classes:$(
  mvn -B -ntp -q -pl harness dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -cp "$cp" dev.aneprobe.harness.bench.LintBench models "$work"
runs=(--runs harness/src/test/resources/fixtures/runs --claims results/claims/claims.json)
./aneprobe lint "$work/one-layer.mlmodel" "${runs[@]}" >/dev/null 2>&1 || true   # makes lint's archive if missing
archive="$(ls -t harness/target/cds/lint-*.jsa 2>/dev/null | head -n 1 || true)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc 2>/dev/null || echo '?') cores"
echo "archive: ${archive:-none (this JVM cannot make one)}"
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
for model in one-layer nn-1000 mil-1000; do
  for cds in on off; do
    for i in $(seq "$repeats"); do
      t=$(date +%s%N)
      ANEPROBE_CDS=$cds ./aneprobe lint "$work/$model.mlmodel" "${runs[@]}" >/dev/null 2>&1
      echo "$model cds=$cds launcher: $(ms "$t") ms"
      opts=()
      if [ "$cds" = on ] && [ -n "$archive" ]; then
        opts=(-XX:SharedArchiveFile="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
      fi
      echo "$model cds=$cds $(java ${opts[@]+"${opts[@]}"} -cp harness/target/aneprobe.jar:harness/target/test-classes \
        dev.aneprobe.harness.bench.LintBench run "$work/$model.mlmodel" "${runs[@]}" 2>/dev/null | tail -n 1)"
    done
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime)"
