#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# better-auth's GET /api/auth/get-session (session cookie, PostgreSQL) under the same wrk
# load as bench/all.sh's token checks, on its own. bench/all.sh runs it in the same sitting
# as Gatehouse's checks and prints the multiple.
#
# usage: bench/peers/better_auth.sh     (DURATION=10s ROUNDS=3 CONNECTIONS=50)
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"
for tool in wrk node npm curl python3; do
  command -v $tool >/dev/null || { echo "better_auth.sh: $tool is not installed"; exit 1; }
done
work=$(mktemp -d); CLEANUP+=("rm -rf $work")
start_better_auth "$work"
rates=(); p99s=(); errors=0
for round in $(seq "$ROUNDS"); do
  read -r r _ p e < <(run_wrk "$BA_URL" "" "Cookie: $BA_COOKIE") || fail "wrk gave no figures"
  rates+=("$r"); p99s+=("$p"); errors=$((errors + e))
  echo "round $round: $r req/s, p99 $p ms, non-2xx $e"
done
printf 'better-auth GET /api/auth/get-session: %.0f req/s, p99 %.2f ms (median of %d, non-2xx %d)\n' \
  "$(median "${rates[@]}")" "$(median "${p99s[@]}")" "$ROUNDS" "$errors"
[ "$errors" -eq 0 ] || { echo "better_auth.sh: non-2xx answers"; exit 1; }
