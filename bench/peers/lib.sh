#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced after bench/lib.sh: starts the peers Gatehouse is compared with. Each start_* adds
# its own teardown to CLEANUP and fails (non-zero) if any step does.
PEERS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# start_bench_postgres: a throwaway PostgreSQL cluster in its own /tmp folder (as the
# postgres user when run as root, as tests/e2e/lib.sh does); sets BENCH_PG_URL.
start_bench_postgres() {
  local dir bin port run=()
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "peers: PostgreSQL is not installed (scripts/packages.sh BENCH)" >&2; return 1; }
  port=$(free_port)
  dir=$(mktemp -d /tmp/gatehouse-bench-pg.XXXXXX) # not under a root-only folder
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U bench --auth=trust >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; return 1; }
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" \
    -l "$dir/log" -w start >/dev/null || { cat "$dir/log" >&2; return 1; }
  CLEANUP+=("${run[*]} $bin/pg_ctl -D $dir/data -m immediate stop; rm -rf $dir")
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U bench betterauth
  BENCH_PG_URL="postgresql://bench@127.0.0.1:$port/betterauth"
}

# start_better_auth DIR: PostgreSQL and better-auth (bench/peers/server.mjs, `npm ci` first
# when node_modules is missing), then signs up a user; sets BA_URL (the get-session URL)
# and BA_COOKIE (its session cookie, checked to answer 200 with that user).
start_better_auth() {
  local dir=$1 port pid body
  command -v node >/dev/null || { echo "peers: node is not installed" >&2; return 1; }
  if [ ! -d "$PEERS_DIR/node_modules/better-auth" ]; then
    (cd "$PEERS_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  mkdir -p "$dir"
  start_bench_postgres
  port=$(free_port)
  NODE_ENV=production PG_URL=$BENCH_PG_URL PORT=$port node "$PEERS_DIR/server.mjs" >"$dir/better-auth.log" 2>&1 &
  pid=$!
  CLEANUP+=("kill $pid")
  for _ in $(seq 150); do grep -q ready "$dir/better-auth.log" && break; kill -0 $pid 2>/dev/null || break; sleep 0.1; done
  grep -q ready "$dir/better-auth.log" || { echo "peers: better-auth did not start:" >&2; cat "$dir/better-auth.log" >&2; return 1; }
  local base=http://127.0.0.1:$port
  body=$(curl -fsS -D "$dir/signup.headers" -X POST "$base/api/auth/sign-up/email" -H "Origin: $base" \
    -H 'Content-Type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-1","name":"Bench"}') ||
    { echo "peers: better-auth sign-up failed" >&2; return 1; }
  BA_COOKIE=$(tr -d '\r' <"$dir/signup.headers" | grep -oi '^set-cookie: [^;]*session_token=[^;]*' | head -1 | cut -d' ' -f2)
  [ -n "$BA_COOKIE" ] || { echo "peers: no session cookie after sign-up: $body" >&2; return 1; }
  BA_URL=$base/api/auth/get-session
  body=$(curl -fsS -H "Cookie: $BA_COOKIE" "$BA_URL")
  case $body in *'"email":"bench@example.com"'*) ;; *) echo "peers: get-session answered $body" >&2; return 1 ;; esac
}
