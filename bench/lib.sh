#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by the benchmarks: the real binary, an nginx reference, wrk runs and medians.
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The headless server (what the gatehouse-server package runs); the desktop binary also
# loads Widgets and Charts, ~7 MiB more when idle.
GATEHOUSE_BIN=${GATEHOUSE_BIN:-$BENCH_ROOT/build/app/gatehouse-server}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
TLS=${TLS:-0} # 1: both servers speak HTTPS with the same self-signed EC certificate
# shellcheck disable=SC2034 # used by the scripts that source this file
SCHEME=http; [ "$TLS" = 1 ] && SCHEME=https
CLEANUP=()
# Every step runs even when one fails (set -e would end the loop at a process already gone).
trap 'for c in "${CLEANUP[@]}"; do eval "$c" >/dev/null 2>&1 || true; done' EXIT

fail() { echo "$(basename "$0"): $*" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {
  for _ in $(seq 100); do curl -kfs "$1" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "no answer from $1" >&2; return 1
}

# make_certificate DIR: DIR/cert.pem and DIR/key.pem, self-signed for 127.0.0.1.
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -keyout "$1/key.pem" -out "$1/cert.pem" -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
}

# start_nginx_json PORT BODY [CERT_DIR]: nginx answering every request with a static JSON
# body (over HTTPS with CERT_DIR's pair).
start_nginx_json() {
  local port=$1 body=$2 tls=${3:-} dir; dir=$(mktemp -d)
  local listen="listen 127.0.0.1:$port;"
  [ -n "$tls" ] && listen="listen 127.0.0.1:$port ssl; ssl_certificate $tls/cert.pem; ssl_certificate_key $tls/key.pem; ssl_protocols TLSv1.2 TLSv1.3;"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server {
    $listen
    location / { default_type application/json; return 200 '$body'; }
  }
}
NGINX
  nginx -c "$dir/nginx.conf" -p "$dir"
  CLEANUP+=("kill \$(cat $dir/nginx.pid); rm -rf $dir")
  local scheme=http; [ -n "$tls" ] && scheme=https
  wait_http "$scheme://127.0.0.1:$port/"
}

# run_wrk URL LUA_SCRIPT [HEADER] -> "requests_per_sec p50_ms p99_ms non_2xx"
run_wrk() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-s "$2"} ${3:+-H "$3"} "$1")
  python3 - "$out" <<'PY'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(r"^\s*%s%%\s+([\d.]+)(us|ms|s)" % label, out, re.M)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
print(f"{rps:.0f} {ms(50):.3f} {ms(99):.3f} {errors.group(1) if errors else 0}")
PY
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
