#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every figure of issue 15 in one run, each with its reference measured in the same
# sitting: every token check against nginx returning a static JSON body and against
# better-auth's get-session on PostgreSQL (bench/peers/; alternating rounds, medians, p99),
# cold start to the first 200 on /healthz, idle RSS, the login storm against the argon2id
# bound (bench/login_storm.sh) and login / token-check p50 with 1,000 against 1,000,000
# users (bench/scale.sh). Prints the machine's load before and after, because the numbers
# are only comparable as ratios.
#
# usage: bench/all.sh     (DURATION=5s ROUNDS=3 CONNECTIONS=50 STARTS=7 STORM_SECS=10
#                          SCALE=1: 0 skips bench/scale.sh, LARGE=1000000 its data set;
#                          ONLY=REGEX: only the matching token checks, no storm or scale)
set -euo pipefail
DURATION=${DURATION:-5s} # before lib.sh, whose default is 10s
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers/lib.sh"
STARTS=${STARTS:-7}
STORM_SECS=${STORM_SECS:-10}
SCALE=${SCALE:-1}
for tool in wrk nginx curl python3 node npm cc; do
  command -v $tool >/dev/null || { echo "all.sh: $tool is not installed"; exit 1; }
done
[ -x "$GATEHOUSE_BIN" ] || { echo "all.sh: build first ($GATEHOUSE_BIN is missing)"; exit 1; }

echo "bench/all.sh: $(nproc) cores, $(uptime | sed 's/.*load/load/')"
data=$(mktemp -d); CLEANUP+=("rm -rf $data")
gh_port=$(free_port); nginx_port=$(free_port); smtp_port=$(free_port)
base=http://127.0.0.1:$gh_port
mkdir -p "$data/mail" "$data/gh"

# A mail sink for the wallet surface's email code (the e2e tests' own).
"${SYSPY:-/usr/bin/python3}" "$BENCH_ROOT/tests/e2e/smtpsink.py" 127.0.0.1 "$smtp_port" "$data/mail" >"$data/sink.log" 2>&1 &
CLEANUP+=("kill $!")
export CLI_API_TOKEN=bench-secret GATEHOUSE_SECRET_STORE=file
export GATEHOUSE_SMTP_URL=smtp://127.0.0.1:$smtp_port
serve=("$GATEHOUSE_BIN" serve --data-dir "$data/gh" --listen "127.0.0.1:$gh_port")

# ---- cold start: a fresh process on an existing data folder, to the first 200 on /healthz
"${serve[@]}" >"$data/first.log" 2>&1 &
first=$!
wait_http "$base/healthz"; kill $first; wait $first 2>/dev/null || true
echo 0000 | "$GATEHOUSE_BIN" --data-dir "$data/gh" user set-pin benchpin >/dev/null
starts=$(python3 "$BENCH_ROOT/bench/coldstart.py" "$STARTS" "$base/healthz" "${serve[@]}")

"${serve[@]}" >"$data/serve.log" 2>&1 &
gh_pid=$!
CLEANUP+=("kill $gh_pid")
wait_http "$base/healthz"
sleep 1
idle_rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$gh_pid/status")
start_nginx_json "$nginx_port" "{\"user\":\"$(printf 'x%.0s' $(seq 209))\"}" # 220 bytes
start_better_auth "$data/peer" # sets BA_URL and BA_COOKIE

# ---- credentials for every token check
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -fsS -X POST "$base$1" -H 'Content-Type: application/json' -d "$2" "${@:3}"; }
jwt=$(post /api/auth/login '{"email":"admin","password":"admin"}' | json '["token"]')
api_token=$(post /api/auth/me/create-token '{}' -H "Authorization: Bearer $jwt" | json '["token"]')
device=$(post /auth/registration '{"username":"benchdevice","session_platform":"bench"}' | json '["session_token"]')
post /send_verification '{"email":"bench@example.com"}' >/dev/null
for _ in $(seq 100); do ls "$data/mail"/*.eml >/dev/null 2>&1 && break; sleep 0.1; done
code=$(grep -ohE '\b[0-9]{6}\b' "$data/mail"/*.eml | head -1)
wallet=$(post /login "{\"type\":\"Email\",\"data\":{\"email\":\"bench@example.com\",\"code\":\"$code\"}}" -i |
  grep -oi 'wallet_session=[^;]*' | head -1)
pin_login() {
  post /auth/login '{"name":"benchpin","pin":"0000"}' -i | tr -d '\r' | grep -oi "^set-cookie: $1=[^;]*" | cut -d' ' -f2
}
refresh_cookie=$(pin_login refreshToken)
curl -fsS -X POST "$base/api/auth" -H 'Content-Type: application/json' \
  -d '{"accessToken":"bench-secret:default"}' >/dev/null # creates the namespace

lua() { # METHOD BODY -> a wrk script file
  local f; f=$(mktemp --suffix=.lua); CLEANUP+=("rm -f $f")
  printf 'wrk.method = "%s"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' "$1" "'$2'" >"$f"
  echo "$f"
}
get_lua=$(lua GET '')
namespace_lua=$(lua POST '{"accessToken":"bench-secret:default"}')
refresh_lua=$(lua POST '')
# name | path | wrk script | header
routes=(
  "GET /api/auth/me|/api/auth/me|$get_lua|Authorization: Bearer $jwt"
  "GET /auth/me (device)|/auth/me|$get_lua|Authorization: Bearer $device"
  "GET /session (wallet)|/session|$get_lua|Cookie: $wallet"
  "POST /auth/refresh|/auth/refresh|$refresh_lua|Cookie: $refresh_cookie"
  "GET /users/me (pin)|/users/me|$get_lua|PIN"
  "GET /api/auth/verify-token|/api/auth/verify-token?token=$api_token|$get_lua|X-Bench: 1"
  "POST /api/auth|/api/auth|$namespace_lua|X-Bench: 1"
)
# ONLY="refresh|users": only the routes whose names match, and no storm or scale runs (an A/B).
if [ -n "${ONLY:-}" ]; then
  kept=()
  for r in "${routes[@]}"; do [[ "${r%%|*}" =~ $ONLY ]] && kept+=("$r"); done
  [ ${#kept[@]} -gt 0 ] || fail "ONLY: no route matches '$ONLY'"
  routes=("${kept[@]}")
fi
for r in "${routes[@]}"; do # every credential works before it is measured
  IFS='|' read -r name path script header <<<"$r"
  [ "$header" = PIN ] && header="Cookie: $(pin_login accessToken)"
  code=$(curl -s -o /dev/null -w '%{http_code}' -X "$(awk -F'"' '/method/ {print $2}' "$script")" \
    -H "$header" -H 'Content-Type: application/json' --data-raw "$(awk -F"'" '/body/ {print $2}' "$script")" "$base$path")
  [ "$code" = 200 ] || { echo "all.sh: $name answered $code before the run"; exit 1; }
done

# PROFILE="GET /session (wallet)" bench/all.sh: where that route's time goes (perf, call
# graphs through the listener threads) instead of the measured rounds.
if [ -n "${PROFILE:-}" ]; then
  for r in "${routes[@]}"; do
    IFS='|' read -r name path script header <<<"$r"
    [ "$name" = "$PROFILE" ] || continue
    [ "$header" = PIN ] && header="Cookie: $(pin_login accessToken)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$script" -H "$header" "$base$path" >"$data/wrk.txt" &
    wrk_pid=$!
    sleep 2
    perf record -F 400 --call-graph dwarf,16384 -p "$gh_pid" -o "$data/perf.data" -- sleep 4 >/dev/null 2>&1 || true
    wait "$wrk_pid" || true
    echo "$PROFILE: $(grep Requests/sec "$data/wrk.txt") (under perf)"
    perf report -i "$data/perf.data" --children -g none --sort symbol 2>/dev/null |
      grep -v '^#' | grep -v '^$' | grep -v '\[k\]' | head -"${PROFILE_LINES:-60}" | cut -c1-150
    exit 0
  done
  fail "PROFILE: no route named '$PROFILE'"
fi
declare -A rps p99 errs
ng_rps=(); ng_p99=(); ba_rps=(); ba_p99=()
for round in $(seq "$ROUNDS"); do
  read -r r _ p _ < <(run_wrk "http://127.0.0.1:$nginx_port/" "$get_lua") || fail "wrk gave no figures"
  ng_rps+=("$r"); ng_p99+=("$p")
  read -r r _ p e < <(run_wrk "$BA_URL" "$get_lua" "Cookie: $BA_COOKIE") || fail "wrk gave no figures"
  [ "$e" = 0 ] || { echo "all.sh: better-auth answered $e non-2xx"; exit 1; }
  ba_rps+=("$r"); ba_p99+=("$p")
  for r in "${routes[@]}"; do
    IFS='|' read -r name path script header <<<"$r"
    # The PIN access token lives a minute: a fresh one for each round.
    [ "$header" = PIN ] && header="Cookie: $(pin_login accessToken)"
    read -r x _ p e < <(run_wrk "$base$path" "$script" "$header") || fail "wrk gave no figures"
    rps[$name]+="$x "; p99[$name]+="$p "; errs[$name]=$((${errs[$name]:-0} + e))
  done
  echo "round $round done: $(uptime | sed 's/.*load/load/')"
done
n=$(median "${ng_rps[@]}"); ba=$(median "${ba_rps[@]}")
echo
echo "Token checks, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS rounds, $(nproc) cores"
echo "(goals: >= 0.60x nginx, p99 < 10 ms, >= 50x better-auth's get-session)"
printf '  %-30s %8.0f req/s  p99 %6.2f ms\n' "nginx (static JSON)" "$n" "$(median "${ng_p99[@]}")"
ba_version=$(node -p 'require(process.argv[1]).version' "$PEERS_DIR/node_modules/better-auth/package.json")
printf '  %-30s %8.0f req/s  p99 %6.2f ms  (better-auth %s, PostgreSQL %s)\n' "better-auth get-session" \
  "$ba" "$(median "${ba_p99[@]}")" "$ba_version" "$(psql --version | awk '{print $3}')"
for r in "${routes[@]}"; do
  IFS='|' read -r name _ <<<"$r"
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  { g=$(median ${rps[$name]}); p=$(median ${p99[$name]}); }
  printf '  %-30s %8.0f req/s  p99 %6.2f ms  %.2fx nginx  %5.0fx better-auth  (non-2xx: %d)\n' "$name" "$g" "$p" \
    "$(echo "$g / $n" | bc -l)" "$(echo "$g / $ba" | bc -l)" "${errs[$name]}"
done
echo
echo "Idle RSS of gatehouse serve: $idle_rss MiB"
echo "Cold start to the first 200 on /healthz ($STARTS starts on an existing data folder): $starts"
kill $gh_pid; wait $gh_pid 2>/dev/null || true
[ -n "${ONLY:-}" ] && exit 0
echo
GATEHOUSE_BIN=$GATEHOUSE_BIN "$BENCH_ROOT/bench/login_storm.sh" "$STORM_SECS" >"$data/storm.txt" ||
  { cat "$data/storm.txt"; fail "bench/login_storm.sh failed"; }
grep -v '^STORM ' "$data/storm.txt"
echo
if [ "$SCALE" = 1 ]; then
  GATEHOUSE_BIN=$GATEHOUSE_BIN "$BENCH_ROOT/bench/scale.sh" | tee "$data/scale.txt"
else
  echo "Scale (bench/scale.sh): skipped (SCALE=0)" | tee "$data/scale.txt"
fi

echo
echo "Summary (issue 15 goals in brackets):"
worst=$(for r in "${routes[@]}"; do
  IFS='|' read -r name _ <<<"$r"
  # shellcheck disable=SC2086
  echo "$(median ${rps[$name]}) $(median ${p99[$name]}) $name"
done | sort -g | head -1)
read -r g p name <<<"$worst"
printf '  slowest token check: %s, %.2fx nginx [>= 0.60], %.0fx better-auth [>= 50], p99 %.2f ms [< 10]\n' \
  "$name" "$(echo "$g / $n" | bc -l)" "$(echo "$g / $ba" | bc -l)" "$p"
sed -n 's/^STORM pct=\([0-9]*\) p99=\([^ ]*\) .*/  login storm: \1 % of the argon2id bound [>= 90], \/me p99 during it \2 [< 10 ms]/p' "$data/storm.txt"
echo "  idle RSS $idle_rss MiB [<= 30]; cold start $starts [<= 150 ms]"
sed -n 's/^  \(login p50\|GET \/api\/auth\/me p50\)\(.*\)ratio \(.*\)/  scale, \1: large\/small \3 [<= 1.10]/p' "$data/scale.txt"
echo "load at the end: $(uptime | sed 's/.*load/load/')"
