#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds with warnings as errors, and runs every test:
# unit, API (the real server in-process), console (offscreen), then the end-to-end
# scripts against the real binary (real SQLite and PostgreSQL, a real SMTP sink,
# headless Chromium), and a sanitizer build of the unit and API suites.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/packages.sh"
set -e
ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
if [ -f "$ROOT/tests/e2e/package.json" ] && [ ! -d "$ROOT/tests/e2e/node_modules" ]; then
  (cd "$ROOT/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
BUILD=${GATEHOUSE_TEST_BUILD:-$ROOT/build-test}
configure_and_build "$BUILD" -DGATEHOUSE_WERROR=ON
set +e

total_passed=0
total_failed=0
count() { # LOG: adds the "N passed, M failed" / ctest counts found in LOG
  local p f
  if grep -q "tests passed, .* tests failed out of" "$1"; then
    f=$(grep -oE '[0-9]+ tests failed out of [0-9]+' "$1" | tail -1 | awk '{print $1}')
    local all; all=$(grep -oE 'failed out of [0-9]+' "$1" | tail -1 | awk '{print $4}')
    p=$((all - f))
  else
    p=$(grep -oE '^[a-z_0-9-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | awk '{print $2}')
    f=$(grep -oE '^[a-z_0-9-]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1 | awk '{print $4}')
  fi
  total_passed=$((total_passed + ${p:-0}))
  total_failed=$((total_failed + ${f:-1}))
}

LOGS=$(mktemp -d)
echo "== unit, api and console tests"
(cd "$BUILD" && ctest --output-on-failure --parallel 2 --timeout 300) 2>&1 | tee "$LOGS/ctest.log"
count "$LOGS/ctest.log"

for script in "$ROOT"/tests/e2e/*_e2e.sh "$ROOT"/tests/e2e/package_test.sh; do
  [ -f "$script" ] || continue
  name=$(basename "$script" .sh)
  echo "== $name"
  GATEHOUSE_BIN="$BUILD/app/gatehouse" GATEHOUSE_BUILD="$BUILD" timeout 900 bash "$script" 2>&1 | tee "$LOGS/$name.log"
  count "$LOGS/$name.log"
done

if [ "${GATEHOUSE_FUZZ:-1}" = "1" ]; then
  echo "== fuzz (libFuzzer targets, a short run each)"
  bash "$ROOT/tests/fuzz/run.sh" 2>&1 | tee "$LOGS/fuzz.log"
  count "$LOGS/fuzz.log"
fi

if [ "${GATEHOUSE_SANITIZE:-1}" = "1" ]; then
  echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (unit and api suites)"
  SAN=${BUILD}-asan
  export CCACHE_BASEDIR="$ROOT" CCACHE_NOHASHDIR=true
  cmake -S "$ROOT" -B "$SAN" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGATEHOUSE_ASAN=ON \
    -DGATEHOUSE_UBSAN=ON >"$LOGS/asan-build.log" 2>&1
  targets=$(ninja -C "$SAN" -t targets all | grep -oE '^(unit|api)_[a-z0-9_]+:' | tr -d ':' | sort -u)
  # shellcheck disable=SC2086
  if cmake --build "$SAN" --parallel --target $targets >>"$LOGS/asan-build.log" 2>&1; then
    (cd "$SAN" && ASAN_OPTIONS=detect_leaks=0 ctest --output-on-failure --parallel 2 \
       --timeout 600 -R '^(unit|api)_') 2>&1 | tee "$LOGS/asan.log"
    count "$LOGS/asan.log"
  else
    tail -30 "$LOGS/asan-build.log"; total_failed=$((total_failed + 1))
  fi
fi

echo "total: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
