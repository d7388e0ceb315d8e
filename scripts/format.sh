#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# clang-format over every C++ file of ours (not the vendored clients under tests/compat).
#   scripts/format.sh          rewrites the files in place
#   scripts/format.sh --check  lists the files that differ and fails if any does
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -v '^tests/compat/')
if [ "${1:-}" = "--check" ]; then
  bad=0
  for f in "${files[@]}"; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then
      echo "not clang-formatted: $f (run scripts/format.sh)"
      bad=1
    fi
  done
  [ $bad -eq 0 ] && echo "clang-format: ${#files[@]} files formatted"
  exit $bad
fi
clang-format -i "${files[@]}"
