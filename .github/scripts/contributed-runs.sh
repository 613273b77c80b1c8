#!/usr/bin/env bash
# For a pull request: the run directories it adds under results/raw/, as one line "dirs=<dir> <dir> ..." for
# $GITHUB_OUTPUT (empty when it adds none). Contributed runs are never edited: a pull request that changes or
# removes a file of a run already in results/raw/, or adds a run whose name is not a plain directory name, is
# refused (exit 1, one line per offending path on stderr).
#
#   contributed-runs.sh BASE      (BASE: the commit or ref the pull request is compared with, e.g. origin/main)
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: contributed-runs.sh BASE" >&2
  exit 2
fi
base=$1
bad=0
dirs=""
# name-status, tab-separated: status, path (renames are split into a deletion and an addition)
changes=$(git diff --no-renames --name-status "$base"...HEAD -- results/raw/)
while IFS="$(printf '\t')" read -r status path; do
  [ -n "$path" ] || continue
  rest=${path#results/raw/}
  case "$rest" in
    */*) run=${rest%%/*} ;;
    *) continue ;; # results/raw/README.md and the like
  esac
  if ! printf '%s' "$run" | grep -Eq '^[A-Za-z0-9][A-Za-z0-9._-]*$'; then
    echo "contributed-runs: $path: a run directory name is a plain name (letters, digits, '.', '_', '-')" >&2
    bad=1
    continue
  fi
  if [ "$status" != "A" ] || git cat-file -e "$base:results/raw/$run" 2>/dev/null; then
    echo "contributed-runs: $path: runs in results/raw are never edited ($status on a run already there)" >&2
    bad=1
    continue
  fi
  case " $dirs " in
    *" results/raw/$run "*) ;;
    *) dirs="${dirs:+$dirs }results/raw/$run" ;;
  esac
done <<<"$changes"
[ "$bad" -eq 0 ] || exit 1
echo "dirs=$dirs"
