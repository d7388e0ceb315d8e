#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets with clang in their own build folder (-DGATEHOUSE_FUZZ=ON:
# libraries with -fsanitize=fuzzer-no-link,address,undefined, targets with
# -fsanitize=fuzzer) and runs each for FUZZ_SECONDS (default 10) on a copy of its seed
# corpus. A crash, a sanitizer report, a failed invariant, a timeout or an out-of-memory
# fails that target. Last line: "fuzz: N passed, M failed".
#   FUZZ_SECONDS=600 tests/fuzz/run.sh fuzz_base58   # one target, longer
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${GATEHOUSE_FUZZ_BUILD:-$ROOT/build-fuzz}
SECS=${FUZZ_SECONDS:-10}
export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
# Qt keeps some one-time allocations for the life of the process; libFuzzer's leak
# check would blame them on whichever input ran first.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export QT_QPA_PLATFORM=offscreen

if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for src in "$ROOT"/tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi
passed=0
failed=0
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT

if ! CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DGATEHOUSE_FUZZ=ON -DGATEHOUSE_TESTS=OFF >"$LOGS/build.log" 2>&1 ||
   ! cmake --build "$BUILD" --parallel --target "${targets[@]}" >>"$LOGS/build.log" 2>&1; then
  tail -30 "$LOGS/build.log"
  echo "fuzz: 0 passed, ${#targets[@]} failed"
  exit 1
fi

for t in "${targets[@]}"; do
  corpus=$ROOT/tests/fuzz/corpus/${t#fuzz_}
  work=$LOGS/$t.corpus
  mkdir -p "$work"
  args=(-max_total_time="$SECS" -timeout=20 -rss_limit_mb=2560 -print_final_stats=1
        -artifact_prefix="$LOGS/$t-")
  case $t in
    fuzz_framer | fuzz_connection | fuzz_chunked) dict=$ROOT/tests/fuzz/http.dict ;;
    *) dict=$ROOT/tests/fuzz/${t#fuzz_}.dict ;;
  esac
  [ -f "$dict" ] && args+=(-dict="$dict")
  "$BUILD/tests/fuzz/$t" "${args[@]}" "$work" "$corpus" >"$LOGS/$t.log" 2>&1
  rc=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$LOGS/$t.log" | awk '{print $2}')
  speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$LOGS/$t.log" | awk '{print $2}')
  if [ $rc -eq 0 ]; then
    passed=$((passed + 1))
    echo "  ok   $t: ${runs:-?} runs, ${speed:-?}/s"
  else
    failed=$((failed + 1))
    echo "  FAIL $t (exit $rc)"
    grep -E 'ERROR|invariant|disagree|accepted|refused|SUMMARY|==[0-9]+==' "$LOGS/$t.log" | head -20 | sed 's/^/       /'
    for crash in "$LOGS/$t-"*; do
      [ -f "$crash" ] && echo "       input (base64): $(head -c 600 "$crash" | base64 -w0)"
    done
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
