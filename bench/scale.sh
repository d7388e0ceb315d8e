#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Scale: login and token-check p50 with SMALL users in the database against LARGE users,
# both servers up at once and measured in alternating rounds. Logins are argon2id-bound, so
# they are LOGINS sequential logins of different users spread over the table (p50 of
# curl's total time); the token check is wrk on GET /api/auth/me rotating through those
# users' JWTs. Then checks that every statement a login and a token check prepare on the
# large database uses an index (bench/sqltrace.c records them, bench/explain.py explains
# them) and fails if one scans a big table.
#
# usage: bench/scale.sh    (SMALL=1000 LARGE=1000000 LOGINS=21 DURATION=5s ROUNDS=3)
set -euo pipefail
DURATION=${DURATION:-5s} # before lib.sh, whose default is 10s
. "$(dirname "$0")/lib.sh"
SMALL=${SMALL:-1000}
LARGE=${LARGE:-1000000}
LOGINS=${LOGINS:-21}
for tool in wrk curl python3 cc; do
  command -v $tool >/dev/null || { echo "scale.sh: $tool is not installed"; exit 1; }
done
[ -x "$GATEHOUSE_BIN" ] || { echo "scale.sh: build first ($GATEHOUSE_BIN is missing)"; exit 1; }
work=$(mktemp -d /tmp/gatehouse-scale.XXXXXX); CLEANUP+=("rm -rf $work")
cc -O1 -shared -fPIC -o "$work/sqltrace.so" "$BENCH_ROOT/bench/sqltrace.c" -ldl -lpthread

# serve SIZE [ENV…]: gatehouse serve on $work/SIZE; sets PID[SIZE] and PORT[SIZE].
declare -A PID PORT
serve() {
  local size=$1; shift
  PORT[$size]=$(free_port)
  env "$@" GATEHOUSE_SECRET_STORE=file "$GATEHOUSE_BIN" serve --data-dir "$work/$size" \
    --listen "127.0.0.1:${PORT[$size]}" >>"$work/$size.log" 2>&1 &
  PID[$size]=$!
  CLEANUP+=("kill $!")
  wait_http "http://127.0.0.1:${PORT[$size]}/healthz"
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

for size in "$SMALL" "$LARGE"; do # migrate once, then the users (admin is one of them)
  serve "$size"; stop "${PID[$size]}"
  printf '  %9d users: ' "$size"
  python3 "$BENCH_ROOT/bench/dataset.py" "$work/$size/gatehouse.db" $((size - 1))
done

# login_p50 PORT SIZE: median time of LOGINS sequential logins (ms); the users' JWTs go to
# $work/tokens.SIZE.lua as a wrk script rotating through them.
login_p50() {
  local base=http://127.0.0.1:$1 size=$2 i n out times=() tokens=()
  for i in $(seq "$LOGINS"); do
    n=$(printf '%07d' $((2 + (i - 1) * (size - 2) / LOGINS)))
    out=$(curl -fsS -w '\n%{time_total}' -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
      -d "{\"email\":\"bench$n@example.com\",\"password\":\"admin\"}")
    times+=("$(tail -1 <<<"$out")")
    tokens+=("\"$(head -1 <<<"$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')\"")
  done
  local IFS=,
  cat >"$work/tokens.$size.lua" <<LUA
local tokens, i = {${tokens[*]}}, 0
request = function()
  i = i % #tokens + 1
  return wrk.format("GET", nil, {Authorization = "Bearer " .. tokens[i]})
end
LUA
  echo "$(median "${times[@]}") * 1000" | bc -l
}

echo "bench/scale.sh: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
serve "$SMALL"; serve "$LARGE"
declare -A login me
for round in $(seq "$ROUNDS"); do
  for size in "$SMALL" "$LARGE"; do
    login[$size]+="$(login_p50 "${PORT[$size]}" "$size") "
    read -r _ p50 _ e < <(run_wrk "http://127.0.0.1:${PORT[$size]}/api/auth/me" "$work/tokens.$size.lua") || fail "wrk gave no figures"
    [ "$e" = 0 ] || { echo "scale.sh: $e non-2xx answers from /api/auth/me ($size users)"; exit 1; }
    me[$size]+="$p50 "
  done
  echo "  round $round done: $(uptime | sed 's/.*load/load/')"
done
stop "${PID[$SMALL]}"; stop "${PID[$LARGE]}"

# shellcheck disable=SC2086 # space-separated numbers
{
  ls=$(median ${login[$SMALL]}); ll=$(median ${login[$LARGE]})
  ms=$(median ${me[$SMALL]}); ml=$(median ${me[$LARGE]})
}
echo
echo "Scale: $SMALL vs $LARGE users, median of $ROUNDS rounds"
printf '  %-44s %7.2f ms vs %7.2f ms  ratio %.2f\n' "login p50 ($LOGINS sequential, argon2id)" "$ls" "$ll" "$(echo "$ll / $ls" | bc -l)"
printf '  %-44s %7.3f ms vs %7.3f ms  ratio %.2f\n' "GET /api/auth/me p50 (wrk -c$CONNECTIONS)" "$ms" "$ml" "$(echo "$ml / $ms" | bc -l)"

echo "Every statement of a login and a token check on $LARGE users (EXPLAIN QUERY PLAN):"
serve "$LARGE" LD_PRELOAD="$work/sqltrace.so" SQLTRACE_FILE="$work/trace.txt"
: >"$work/trace.txt" # drop the start-up statements
login_p50 "${PORT[$LARGE]}" "$LARGE" >/dev/null
curl -fsS -o /dev/null -H "Authorization: Bearer $(grep -o '"ey[^"]*"' "$work/tokens.$LARGE.lua" | head -1 | tr -d '"')" \
  "http://127.0.0.1:${PORT[$LARGE]}/api/auth/me"
stop "${PID[$LARGE]}"
python3 "$BENCH_ROOT/bench/explain.py" "$work/$LARGE/gatehouse.db" "$work/trace.txt"
