#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Login storm: wrk POSTs password logins (argon2id on the worker pool) to
# /api/auth/login while a second wrk measures GET /api/auth/me (a JWT check on the
# listener thread). Prints login throughput against the argon2id bound (usable cores /
# the time of one hash, measured in this run) and the p99 of /me with and without the
# storm. Everything runs on 127.0.0.1, for a fixed time.
#
# usage: bench/login_storm.sh [SECONDS]      (GATEHOUSE_BIN overrides the binary)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${GATEHOUSE_BIN:-$ROOT/build/app/gatehouse}
SECS=${1:-10}
CORES=$(nproc)
command -v wrk >/dev/null || { echo "login_storm: wrk is not installed"; exit 1; }
[ -x "$BIN" ] || { echo "login_storm: build first ($BIN is missing)"; exit 1; }

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
BASE=http://127.0.0.1:$PORT
GATEHOUSE_SECRET_STORE=file "$BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" \
  >"$WORK/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

LOGIN='{"email": "admin", "password": "admin"}'
TOKEN=$(curl -s -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' -d "$LOGIN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# One argon2id verify, end to end over loopback (the HTTP part is well under 1 ms):
# the median of 7 sequential logins on an idle server.
HASH_MS=$(for _ in $(seq 7); do
  curl -s -o /dev/null -w '%{time_total}\n' -X POST "$BASE/api/auth/login" \
    -H 'Content-Type: application/json' -d "$LOGIN"
done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}')

p99() { awk '/^ +99%/ {print $2}'; }
rps() { awk '/^Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $5}'; }

echo "Gatehouse login storm: $CORES cores, ${SECS}s per phase, $BASE"
BASELINE=$(wrk -t1 -c4 -d"${SECS}s" --latency -s "$ROOT/bench/paced.lua" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/me")

LOGIN_BODY=$LOGIN wrk -t2 -c32 -d"${SECS}s" -s "$ROOT/bench/login.lua" "$BASE/api/auth/login" \
  >"$WORK/storm.txt" &
STORM=$!
sleep 1 # let the storm build up
DURING=$(wrk -t1 -c4 -d"$((SECS - 2))s" --latency -s "$ROOT/bench/paced.lua" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/me")
wait $STORM
STORM_OUT=$(cat "$WORK/storm.txt")

LOGIN_RPS=$(echo "$STORM_OUT" | rps)
BOUND=$(awk -v c="$CORES" -v ms="$HASH_MS" 'BEGIN {printf "%.1f", c * 1000 / ms}')
printf '%-44s %s ms\n' "one argon2id login (median of 7, idle):" "$HASH_MS"
printf '%-44s %s logins/s\n' "argon2id bound (cores / one hash):" "$BOUND"
printf '%-44s %s logins/s (%s%% of the bound)%s\n' "login throughput under the storm:" "$LOGIN_RPS" \
  "$(awk -v r="$LOGIN_RPS" -v b="$BOUND" 'BEGIN {printf "%.0f", 100 * r / b}')" \
  "$(n=$(echo "$STORM_OUT" | non2xx); [ -n "$n" ] && echo ", $n non-2xx" || true)"
printf '%-44s %s (%s req/s)\n' "GET /api/auth/me p99, idle:" "$(echo "$BASELINE" | p99)" "$(echo "$BASELINE" | rps)"
printf '%-44s %s (%s req/s)\n' "GET /api/auth/me p99, during the storm:" "$(echo "$DURING" | p99)" "$(echo "$DURING" | rps)"
