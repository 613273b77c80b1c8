#!/usr/bin/env bash
# Checks native/src/aneprobe.m on any OS with clang: syntax, ARC, warnings (-Wall -Wextra -Werror) and
# unguarded availability against a deployment target of macOS 11.0, using the stub SDK in sdk-stubs/ (see its
# README). The real check is the macOS build; this one keeps Linux-only changes from breaking it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clang="${CLANG:-clang}"
# The Maven build runs this check. Without clang it is skipped with a notice, except under CI (CI=true), where
# .ci/install-deps installs clang and a missing one is an error.
if ! command -v "$clang" >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "check-shim-syntax: $clang not found (CI=true: install it with bash .ci/install-deps)" >&2
    exit 1
  fi
  echo "check-shim-syntax: skipped, $clang not found (bash .ci/install-deps installs it)" >&2
  exit 0
fi
exec "$clang" -fsyntax-only -x objective-c -target arm64-apple-macos11.0 -fobjc-arc -fblocks \
  -Wall -Wextra -Werror -Wunguarded-availability -nostdlibinc \
  -isystem "$here/sdk-stubs" -I "$here/../include" "$here/../src/aneprobe.m"
