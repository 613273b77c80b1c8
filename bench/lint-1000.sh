#!/usr/bin/env bash
# Benchmark: `aneprobe lint` of 1,000-layer models (a rank-5 NeuralNetwork and an fp16 ML Program), each timed in a
# fresh JVM from the start of main: JVM start-up is left out; class loading, catalog, claims, runs, parsing and
# linting are in. Target: under 1 s. The runs read are the FIXTURE runs (hand-made, not measurements). `lint --help`
# (the command line alone) and a 1-layer network show the fixed cost every lint pays.
# Usage: bench/lint-1000.sh [repeats=3] [work dir=harness/target/bench-lint]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats="${1:-3}"
work="${2:-$root/harness/target/bench-lint}"
cd "$root"
mvn -B -ntp -q -pl harness -am test-compile -DskipTests
cp="harness/target/test-classes:harness/target/classes:probes/target/test-classes:probes/target/classes:$(
  mvn -B -ntp -q -pl harness dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -cp "$cp" dev.aneprobe.harness.bench.LintBench models "$work"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
java -cp "$cp" dev.aneprobe.harness.bench.LintBench run --help | tail -n 1
for model in one-layer nn-1000 mil-1000; do
  for i in $(seq "$repeats"); do
    java -cp "$cp" dev.aneprobe.harness.bench.LintBench run "$work/$model.mlmodel" \
      --runs harness/src/test/resources/fixtures/runs --claims results/claims/claims.json
    java -cp "$cp" dev.aneprobe.harness.bench.LintBench run "$work/$model.mlmodel" --json \
      --runs harness/src/test/resources/fixtures/runs --claims results/claims/claims.json
  done
done
