#!/usr/bin/env bash
# Benchmark: `sweep --adaptive` vs the grid on the shipped SIMULATED device models (calibration, never evidence).
# For each profile and device model: lines run by the adaptive searches vs the grid (on the searched axes and grids,
# and on the whole profile, per family), whether every boundary found equals the grid's, whether each non-monotonic
# line is flagged, and the forecast Mac wall time of both (Core ML's stage times as the device model gives them, hung
# lines at the 120 s timeout, 18 ms of harness per line). The simulated Core ML decides in process on the generated
# model bytes (no worker processes): the same decision and verdict code a simulated sweep runs.
# Usage: bench/adaptive.sh [models=seed-v1,seed-v2,field-notes,contrarian] [profiles=full,standard] [families=all]
# (every boundary that differs from the grid's is named on stderr)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -ntp -q -pl harness -am test-compile -DskipTests
cp="harness/target/test-classes:harness/target/classes:probes/target/test-classes:probes/target/classes:$(
  mvn -B -ntp -q -pl harness dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java ${ANEPROBE_BENCH_JAVA_OPTS:-} -cp "$cp" dev.aneprobe.harness.bench.AdaptiveBench "$@"
