#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# POST /api/auth (access token) on the real binary against nginx returning a static
# JSON body, alternating rounds in the same sitting; prints medians and the ratio.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

data=$(mktemp -d); CLEANUP+=("rm -rf $data")
gh_port=$(free_port); nginx_port=$(free_port)
tls_env=()
if [ "$TLS" = 1 ]; then
  make_certificate "$data"
  tls_env=(GATEHOUSE_TLS_CERTIFICATE="$data/cert.pem" GATEHOUSE_TLS_KEY="$data/key.pem")
fi
env "${tls_env[@]}" CLI_API_TOKEN=bench-secret GATEHOUSE_SECRET_STORE=file \
  "$GATEHOUSE_BIN" serve --data-dir "$data" --listen "127.0.0.1:$gh_port" >"$data/log" 2>&1 &
CLEANUP+=("kill $!")
wait_http "$SCHEME://127.0.0.1:$gh_port/healthz"
start_nginx_json "$nginx_port" '{"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTU0MTQ2NDUsImlhdCI6MTc5NTQxMzc0NSwibnMiOiJkZWZhdWx0IiwidWlkIjoxODc5ODE2Mjl9.kC0MlHCnbwtOmYCEoAwwN5z9vHFaKICK1OELtoKXEqc","user":{"firstName":"Web User","id":187981629}}' \
  "$([ "$TLS" = 1 ] && echo "$data")"

lua=$(mktemp --suffix=.lua); CLEANUP+=("rm -f $lua")
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"accessToken":"bench-secret:default"}'
LUA
curl -kfs -X POST "$SCHEME://127.0.0.1:$gh_port/api/auth" -H 'Content-Type: application/json' \
  -d '{"accessToken":"bench-secret:default"}' >/dev/null # creates the namespace

gh_rps=(); gh_p50=(); gh_p99=(); ng_rps=(); ng_p50=(); ng_p99=(); errors=0
for round in $(seq "$ROUNDS"); do
  read -r r p50 p99 err < <(run_wrk "$SCHEME://127.0.0.1:$gh_port/api/auth" "$lua") || fail "wrk gave no figures"
  gh_rps+=("$r"); gh_p50+=("$p50"); gh_p99+=("$p99"); errors=$((errors + err))
  read -r r p50 p99 err < <(run_wrk "$SCHEME://127.0.0.1:$nginx_port/" "$lua") || fail "wrk gave no figures"
  ng_rps+=("$r"); ng_p50+=("$p50"); ng_p99+=("$p99")
  echo "round $round: gatehouse ${gh_rps[-1]} req/s p99 ${gh_p99[-1]} ms | nginx ${ng_rps[-1]} req/s p99 ${ng_p99[-1]} ms"
done
g=$(median "${gh_rps[@]}"); n=$(median "${ng_rps[@]}")
echo
echo "POST /api/auth over $SCHEME, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, median of $ROUNDS rounds, $(nproc) cores"
printf '  gatehouse        %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  (non-2xx: %d)\n' "$g" "$(median "${gh_p50[@]}")" "$(median "${gh_p99[@]}")" "$errors"
printf '  nginx (static)   %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms\n' "$n" "$(median "${ng_p50[@]}")" "$(median "${ng_p99[@]}")"
printf '  ratio gatehouse/nginx: %.2f\n' "$(echo "$g / $n" | bc -l)"
