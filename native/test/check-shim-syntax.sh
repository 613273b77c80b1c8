#!/usr/bin/env bash
# Checks native/src/aneprobe.m on any OS with clang: syntax, ARC, warnings (-Wall -Wextra -Werror) and
# unguarded availability against a deployment target of macOS 11.0, using the stub SDK in sdk-stubs/ (see its
# README). The real check is the macOS build; this one keeps Linux-only changes from breaking it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
clang="${CLANG:-clang}"
exec "$clang" -fsyntax-only -x objective-c -target arm64-apple-macos11.0 -fobjc-arc -fblocks \
  -Wall -Wextra -Werror -Wunguarded-availability -nostdlibinc \
  -isystem "$here/sdk-stubs" -I "$here/../include" "$here/../src/aneprobe.m"
