#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers shared by the end-to-end scripts: free ports, starting the real binary,
# a real PostgreSQL server, and pass/fail bookkeeping.

E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GATEHOUSE_BIN=${GATEHOUSE_BIN:-$E2E_ROOT/build/app/gatehouse}
PASSED=0
FAILED=0
CLEANUP=()

cleanup_all() {
  local i
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[$i]}" >/dev/null 2>&1 || true; done
}
trap cleanup_all EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# check NAME COMMAND…: runs the command, counts and prints the result.
check() {
  local name=$1; shift
  if "$@" >/tmp/e2e-check.$$ 2>&1; then
    PASSED=$((PASSED + 1)); echo "  ok   $name"
  else
    FAILED=$((FAILED + 1)); echo "  FAIL $name"; sed 's/^/       /' /tmp/e2e-check.$$ | head -20
  fi
  rm -f /tmp/e2e-check.$$
}

# expect_eq ACTUAL EXPECTED
expect_eq() { [ "$1" = "$2" ] || { echo "expected: $2"; echo "actual:   $1"; return 1; }; }
expect_match() { echo "$1" | grep -Eq -- "$2" || { echo "no match for /$2/ in: $1"; return 1; }; }

wait_http() { # URL [seconds]
  local i
  for ((i = 0; i < ${2:-20} * 10; i++)); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "no answer from $1"; return 1
}

# start_gatehouse DATA_DIR PORT [extra args…]: runs `gatehouse serve` in the background.
start_gatehouse() {
  local dir=$1 port=$2; shift 2
  "$GATEHOUSE_BIN" serve --data-dir "$dir" --listen "127.0.0.1:$port" "$@" >"$dir/server.log" 2>&1 &
  local pid=$!
  CLEANUP+=("kill $pid; wait $pid")
  GATEHOUSE_PID=$pid
  wait_http "http://127.0.0.1:$port/healthz" 20
}

# start_postgres: a throwaway PostgreSQL cluster; sets PG_URL.
start_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed"; return 1; }
  local dir port run=()
  dir=$(mktemp -d /tmp/gatehouse-pg.XXXXXX)
  port=$(free_port)
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"; run=(runuser -u postgres --)
  fi
  "${run[@]}" "$bin/initdb" -D "$dir/data" -U gatehouse --auth=trust >/dev/null
  "${run[@]}" "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" \
    -l "$dir/log" -w start >/dev/null
  CLEANUP+=("${run[*]} $bin/pg_ctl -D $dir/data -m immediate stop; rm -rf $dir")
  "${run[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U gatehouse gatehouse
  PG_URL="postgresql://gatehouse@127.0.0.1:$port/gatehouse"
}

# start_smtp_sink DIR: a real SMTP server (aiosmtpd, in Debian's python) that stores each
# mail as DIR/mail/*.eml; sets MAILDIR and SMTP_PORT and returns once it listens.
start_smtp_sink() {
  local dir=$1 pid i
  MAILDIR=$dir/mail
  SMTP_PORT=$(free_port)
  "${SYSPY:-/usr/bin/python3}" "$E2E_ROOT/tests/e2e/smtpsink.py" 127.0.0.1 "$SMTP_PORT" "$MAILDIR" \
    >"$dir/sink.log" 2>&1 &
  pid=$!
  CLEANUP+=("kill $pid; wait $pid")
  for ((i = 0; i < 50; i++)); do grep -q ready "$dir/sink.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "the SMTP sink did not start"; return 1
}

# wait_mail TO: prints the path of the newest mail to TO not printed before, waiting up to 15 s.
wait_mail() {
  local i f
  for ((i = 0; i < 150; i++)); do
    f=$(grep -l "^X-Envelope-To: $1" "$MAILDIR"/*.eml 2>/dev/null | sort | tail -1)
    if [ -n "$f" ] && [ "$f" != "${SEEN_MAIL:-}" ]; then SEEN_MAIL=$f; echo "$f"; return 0; fi
    sleep 0.1
  done
  echo "no mail to $1 arrived" >&2; return 1
}

mail_text() { # FILE -> the decoded text body
  python3 -c 'import email,sys; m=email.message_from_binary_file(open(sys.argv[1],"rb")); print(m.get_payload(decode=True).decode())' "$1"
}

finish() { # NAME
  echo "$1: $PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
