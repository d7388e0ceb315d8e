#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Login storm: wrk POSTs password logins (argon2id on the worker pool) to
# /api/auth/login while a paced second wrk measures GET /api/auth/me (a JWT check on the
# listener threads). Prints login throughput against the argon2id bound and the p99 of
# /me with and without the storm. Everything runs on 127.0.0.1, for a fixed time.
#
# The bound is the machine's argon2id throughput measured the way the storm hashes
# (bench/hashbench.c: libsodium, the stored hash's parameters, one thread per core at
# the workers' nice 10, in one process), just before and just after the storm: cores ÷
# one hash when every core hashes at once. One login on an idle server (the bound used
# before) is printed too; it overstates the bound because a lone hash has the whole
# L3 cache, memory bandwidth and an otherwise idle kernel to itself (see
# docs/performance.md). The CPU line is less sensitive to other load: the server's CPU
# time per login during the storm (its /proc stat, less the /me probe's share) against the
# CPU time of one such hash.
#
# usage: bench/login_storm.sh [SECONDS]      (GATEHOUSE_BIN overrides the binary)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
SECS=${1:-10}
CORES=$(nproc)
for tool in wrk curl python3 cc; do
  command -v $tool >/dev/null || { echo "login_storm: $tool is not installed"; exit 1; }
done
[ -x "$GATEHOUSE_BIN" ] || { echo "login_storm: build first ($GATEHOUSE_BIN is missing)"; exit 1; }

WORK=$(mktemp -d /tmp/gatehouse-bench.XXXXXX); CLEANUP+=("rm -rf $WORK")
cc -O2 -o "$WORK/hashbench" "$BENCH_ROOT/bench/hashbench.c" -lsodium -lpthread
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
GATEHOUSE_SECRET_STORE=file "$GATEHOUSE_BIN" serve --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" \
  >"$WORK/server.log" 2>&1 &
PID=$!
CLEANUP+=("kill $PID")
wait_http "$BASE/healthz"

LOGIN='{"email": "admin", "password": "admin"}'
TOKEN=$(curl -fsS -X POST "$BASE/api/auth/login" -H 'Content-Type: application/json' -d "$LOGIN" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# The stored hash's parameters ($argon2id$v=19$m=KIB,t=OPS,p=1$…), for hashbench.
read -r MEM_KIB OPS < <(python3 - "$WORK/data/gatehouse.db" <<'PY'
import re, sqlite3, sys
h = sqlite3.connect(sys.argv[1]).execute("SELECT password_hash FROM users WHERE username = 'admin'").fetchone()[0]
m = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=1\$", h)
print(m.group(1), m.group(2))
PY
)

# One login end to end over loopback on an idle server: the median of 7 sequential ones.
LOGIN_MS=$(for _ in $(seq 7); do
  curl -fsS -o /dev/null -w '%{time_total}\n' -X POST "$BASE/api/auth/login" \
    -H 'Content-Type: application/json' -d "$LOGIN"
done | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}')

# hashes/s with every core hashing at once (3 s), and the time of one such hash.
hash_rate() { "$WORK/hashbench" "$OPS" "$MEM_KIB" "$CORES" 3 10; }

p99() { awk '/^ +99%/ {print $2}'; }
rps() { awk '/^Requests\/sec/ {print $2}'; }
non2xx() { awk '/Non-2xx/ {print $5}'; }
probe() { # SECONDS: the paced /me probe (~640 req/s), its wrk output
  wrk -t1 -c4 -d"$1s" --latency -s "$BENCH_ROOT/bench/paced.lua" -H "Authorization: Bearer $TOKEN" "$BASE/api/auth/me"
}

echo "Gatehouse login storm: $CORES cores, ${SECS}s per phase, argon2id m=$MEM_KIB KiB t=$OPS, $BASE"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
requests() { awk '/requests in/ {print $1}'; }
TICKS_BEFORE=$(cpu_ticks)
BASELINE=$(probe "$SECS")
PROBE_TICKS=$(($(cpu_ticks) - TICKS_BEFORE))
read -r RATE_BEFORE HASH_BEFORE CPU_BEFORE < <(hash_rate) || fail "hashbench gave no figures"
TICKS_BEFORE=$(cpu_ticks)
# --timeout: a login queued behind 32 argon2id runs must not be dropped and retried.
LOGIN_BODY=$LOGIN wrk -t2 -c32 -d"${SECS}s" --timeout 30s -s "$BENCH_ROOT/bench/login.lua" \
  "$BASE/api/auth/login" >"$WORK/storm.txt" &
STORM=$!
sleep 1 # let the storm build up
DURING=$(probe "$((SECS - 2))")
wait $STORM
TICKS=$(($(cpu_ticks) - TICKS_BEFORE))
# Logins in flight when wrk closed its connections must not share the cores with the
# "after" bound: wait until the server is idle (within ~0.4 s when measured).
for _ in $(seq 150); do
  t=$(cpu_ticks); sleep 0.2
  [ $(($(cpu_ticks) - t)) -le 2 ] && break
done
read -r RATE_AFTER HASH_AFTER CPU_AFTER < <(hash_rate) || fail "hashbench gave no figures"
STORM_OUT=$(cat "$WORK/storm.txt")
for out in "$BASELINE" "$DURING" "$STORM_OUT"; do
  n=$(echo "$out" | non2xx)
  [ -z "$n" ] || { echo "login_storm: $n non-2xx answers:"; echo "$out"; exit 1; }
done

LOGIN_RPS=$(echo "$STORM_OUT" | rps)
# The server's CPU per login in the storm, less what the /me probe cost (its CPU per
# request measured alone, times the requests it made during the storm).
CPU_LOGIN=$(awk -v t="$TICKS" -v pt="$PROBE_TICKS" -v pn="$(echo "$BASELINE" | requests)" \
  -v dn="$(echo "$DURING" | requests)" -v n="$(echo "$STORM_OUT" | requests)" -v hz="$(getconf CLK_TCK)" \
  'BEGIN {printf "%.2f", 1000 * (t - pt * dn / pn) / hz / n}')
CPU_HASH=$(awk -v a="$CPU_BEFORE" -v b="$CPU_AFTER" 'BEGIN {printf "%.2f", (a + b) / 2}')
BOUND=$(awk -v a="$RATE_BEFORE" -v b="$RATE_AFTER" 'BEGIN {printf "%.1f", (a + b) / 2}')
IDLE_BOUND=$(awk -v c="$CORES" -v ms="$LOGIN_MS" 'BEGIN {printf "%.1f", c * 1000 / ms}')
pct() { awk -v r="$1" -v b="$2" 'BEGIN {printf "%.0f", 100 * r / b}'; }
printf '%-52s %s ms\n' "one login, idle server (median of 7):" "$LOGIN_MS"
printf '%-52s %s / %s ms\n' "one argon2id hash, every core hashing (before/after):" "$HASH_BEFORE" "$HASH_AFTER"
printf '%-52s %s logins/s (%s before, %s after)\n' "argon2id bound (cores / one hash, all cores busy):" \
  "$BOUND" "$RATE_BEFORE" "$RATE_AFTER"
printf '%-52s %s logins/s = %s%% of the bound (%s%% of cores / one idle login)\n' \
  "login throughput under the storm:" "$LOGIN_RPS" "$(pct "$LOGIN_RPS" "$BOUND")" "$(pct "$LOGIN_RPS" "$IDLE_BOUND")"
printf '%-52s %s ms vs %s ms = %s%% of the server'"'"'s CPU hashes\n' "CPU per login (the probe's out) vs per hash:" \
  "$CPU_LOGIN" "$CPU_HASH" "$(pct "$CPU_HASH" "$CPU_LOGIN")"
printf '%-52s %s (%s req/s)\n' "GET /api/auth/me p99, idle:" "$(echo "$BASELINE" | p99)" "$(echo "$BASELINE" | rps)"
printf '%-52s %s (%s req/s)\n' "GET /api/auth/me p99, during the storm:" "$(echo "$DURING" | p99)" "$(echo "$DURING" | rps)"
# One machine-readable line for bench/all.sh.
echo "STORM pct=$(pct "$LOGIN_RPS" "$BOUND") p99=$(echo "$DURING" | p99) logins=$LOGIN_RPS bound=$BOUND"
