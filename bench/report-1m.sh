#!/usr/bin/env bash
# Benchmark: `aneprobe report` over 1,000,000 generated observation lines with the heap capped at 512 MB.
# Usage: bench/report-1m.sh [lines=1000000] [runs=8] [work dir=target/bench-report]
# The input is SYNTHETIC (ObservationGenerator, test scope): 4 lines per probe, 20 timing samples per line,
# 8 runs = 4 chip/OS x 2 machines. The script prints wall and CPU time, the JVM's peak RSS (heap + JIT + metaspace
# + thread stacks) and the machine's load average; -Xmx512m caps the heap, so finishing at all proves the heap
# stayed within 512 MB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lines="${1:-1000000}"
runs="${2:-8}"
work="${3:-$root/harness/target/bench-report}"
cd "$root"
mvn -B -ntp -q -pl harness -am package -DskipTests
cp="harness/target/test-classes:harness/target/classes"
if [ ! -f "$work/input/.done-$lines-$runs" ]; then
  rm -rf "$work/input" && mkdir -p "$work/input"
  java -cp "$cp" dev.aneprobe.harness.bench.ObservationGenerator "$work/input" "$lines" "$runs"
  touch "$work/input/.done-$lines-$runs"
fi
du -sh "$work/input" | sed 's/^/input size: /'
rm -rf "$work/out"
timefile="$work/time.txt"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
start=$(date +%s.%N)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v -o "$timefile" java -Xmx512m -jar harness/target/aneprobe.jar report \
    --runs "$work/input" --out "$work/out"
  grep -E "Elapsed|User time|System time|Percent of CPU|Maximum resident set size" "$timefile"
else
  java -Xmx512m -jar harness/target/aneprobe.jar report --runs "$work/input" --out "$work/out"
fi
end=$(date +%s.%N)
echo "wall: $(echo "$end - $start" | bc) s for $lines lines (heap capped at 512 MB: -Xmx512m)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg) (other processes on the machine inflate wall time)"
ls -l "$work/out"
