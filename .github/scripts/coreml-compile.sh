#!/usr/bin/env bash
# Compiles every probe of one or more 'aneprobe generate' output directories with Apple's Core ML compiler
# (xcrun coremlcompiler compile), a few at a time, and fails when Apple rejects any of them: a model Core ML's own
# compiler refuses is a generator bug that the project's validator missed.
#
#   coreml-compile.sh OUT PROBES_DIR...
#
# Writes OUT/rejections.tsv (probe id, model path, Apple's message; one line per rejected probe, sorted by id),
# OUT/summary.md (counts and a table of the rejections), OUT/logs/ (the compiler's output for each rejected probe),
# and appends the summary to $GITHUB_STEP_SUMMARY when that is set. A model present in several directories (quick's
# probes are standard's too) is compiled once. Exit status: 0 all compiled; 1 Apple rejected some; 2 bad usage.
#
# COREML_COMPILER replaces "xcrun coremlcompiler" (the tests use a stand-in on Linux); COREML_JOBS sets how many
# compiles run at once (default: the number of processors). Needs jq. Written for bash 3.2 (macOS's /bin/bash).
set -euo pipefail

if [ "${1:-}" = "--one" ]; then
  # One probe (called by xargs below): OUT ID MODEL SHA
  out=$2 id=$3 model=$4 sha=$5
  compiled="$out/compiled/$sha"
  log="$out/logs/$sha.log"
  mkdir -p "$compiled"
  status=0
  # shellcheck disable=SC2086 # COREML_COMPILER may be a command with arguments ("xcrun coremlcompiler")
  ${COREML_COMPILER:-xcrun coremlcompiler} compile "$model" "$compiled" >"$log" 2>&1 || status=$?
  if [ "$status" -eq 0 ] && [ -n "$(find "$compiled" -maxdepth 1 -name '*.mlmodelc' -print -quit)" ]; then
    rm -rf "$compiled" "$log"
  else
    # Apple's message: the compiler's error lines, else its last line, on one line.
    message=$( (grep -i 'error' "$log" || true) | head -n 5 | tr '\t\r\n' '   ' | sed 's/  */ /g; s/ *$//')
    [ -n "$message" ] || message=$(tail -n 1 "$log" | tr '\t\r' '  ')
    if [ "$status" -eq 0 ]; then
      message="exit status 0 but no .mlmodelc written${message:+: $message}"
    fi
    [ -n "$message" ] || message="exit status $status, no output"
    printf '%s\t%s\t%s\n' "$id" "$model" "$message" >"$out/rejected/$sha.tsv"
    rm -rf "$compiled"
  fi
  exit 0
fi

if [ $# -lt 2 ]; then
  echo "usage: coreml-compile.sh OUT PROBES_DIR..." >&2
  exit 2
fi
command -v jq >/dev/null 2>&1 || { echo "coreml-compile: jq is needed" >&2; exit 2; }
out=$1
shift
rm -rf "$out"
mkdir -p "$out/compiled" "$out/logs" "$out/rejected"
all="$out/probes.tsv"
: >"$all"
for dir in "$@"; do
  if [ ! -f "$dir/manifest.jsonl" ]; then
    echo "coreml-compile: $dir has no manifest.jsonl (give 'aneprobe generate' output directories)" >&2
    exit 2
  fi
  jq -r --arg dir "$dir" '[.id, ($dir + "/" + .path), .sha256] | @tsv' "$dir/manifest.jsonl" >>"$all"
done
# One compile per distinct model.
sort -t "$(printf '\t')" -k3,3 -u "$all" >"$out/unique.tsv"
total=$(wc -l <"$out/unique.tsv" | tr -d ' ')
if [ "$total" -eq 0 ]; then
  echo "coreml-compile: no probes in $*" >&2
  exit 2
fi
jobs=${COREML_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
echo "coreml-compile: $total distinct probe models, $jobs at a time" >&2
if ! tr '\t' '\n' <"$out/unique.tsv" | tr '\n' '\0' | xargs -0 -n 3 -P "$jobs" bash "$0" --one "$out"; then
  echo "coreml-compile: a compile job could not run (see above)" >&2
  exit 2
fi

find "$out/rejected" -name '*.tsv' -exec cat {} + 2>/dev/null | LC_ALL=C sort >"$out/rejections.tsv" || true
rejected=$(wc -l <"$out/rejections.tsv" | tr -d ' ')
rm -rf "$out/compiled" "$out/rejected"
{
  echo "### Apple's Core ML compiler on the probes"
  echo
  host=$(sw_vers -productVersion 2>/dev/null || true)
  echo "$((total - rejected)) of $total probe models compiled${host:+ on macOS $host}; $rejected rejected."
  if [ "$rejected" -gt 0 ]; then
    echo
    echo "| probe | Apple's message |"
    echo "|---|---|"
    while IFS="$(printf '\t')" read -r id _ message; do
      printf '| `%s` | %s |\n' "$id" "$(printf '%s' "$message" | sed 's/|/\\|/g')"
    done <"$out/rejections.tsv"
  fi
} >"$out/summary.md"
cat "$out/summary.md"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$out/summary.md" >>"$GITHUB_STEP_SUMMARY"
fi
[ "$rejected" -eq 0 ]
