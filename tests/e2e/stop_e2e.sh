#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A stop at any moment (issue 12, row 3): the real binary is started and sent SIGTERM 30
# times while a keep-alive connection is open and requests are in flight (password logins
# hashing on the worker pool, unread pipelined answers, a half-sent request); every stop
# must exit 0, promptly. Then the same for the console (offscreen) a few times.
set -u
. "$(dirname "$0")/lib.sh"
export GATEHOUSE_SECRET_STORE=file LIBC_FATAL_STDERR_=1 # glibc aborts say why in the log

DATA=$(mktemp -d /tmp/gatehouse-stop.XXXXXX)
CLEANUP+=("rm -rf $DATA")
CYCLES=${STOP_CYCLES:-30}
echo "stop_e2e: $GATEHOUSE_BIN, data $DATA, $CYCLES cycles"

# clients.py PORT: opens the connections, prints "ready" once every request is sent, then
# holds them (reading nothing) until killed.
cat >"$DATA/clients.py" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
held = []
def connect():
    s = socket.create_connection(("127.0.0.1", port))
    held.append(s)
    return s
keep = connect()
keep.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
assert keep.recv(4096).startswith(b"HTTP/1.1 200 ")  # answered, and kept alive
body = b'{"email":"admin","password":"admin"}'
login = (b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
for _ in range(4):
    connect().sendall(login * 2)  # argon2id on the worker pool
connect().sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 2000)  # answers never read
connect().sendall(b"POST /api/auth HTTP/1.1\r\nHost: x\r\nContent-Length: 80\r\n\r\n{")
print("ready", flush=True)
time.sleep(60)
EOF

# stop_once LABEL DELAY_MS COMMAND…: starts COMMAND, opens the clients, sends SIGTERM after
# DELAY_MS and prints the exit code ("hung" past 10 s, "nostart" when it never served).
stop_once() {
  local delay=$1; shift
  local port pid clients code i
  port=$(free_port)
  "$@" --data-dir "$DATA" --listen "127.0.0.1:$port" >>"$DATA/server.log" 2>&1 &
  pid=$!
  if ! wait_http "http://127.0.0.1:$port/healthz" 20 >/dev/null; then
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; echo nostart; return
  fi
  coproc CLIENTS { exec python3 "$DATA/clients.py" "$port" 2>&1; }
  clients=$CLIENTS_PID
  read -r -t 10 _ <&"${CLIENTS[0]}"
  sleep "$(awk "BEGIN{print $delay/1000}")"
  kill -TERM "$pid"
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    code=hung; kill -9 "$pid"; wait "$pid" 2>/dev/null
  else
    wait "$pid"; code=$?
  fi
  kill "$clients" 2>/dev/null; wait "$clients" 2>/dev/null
  echo "$code"
}

codes=()
for ((n = 0; n < CYCLES; n++)); do
  codes+=("$(stop_once $((n % 6 * 40)) "$GATEHOUSE_BIN" serve)")
done
ok=$(printf '%s\n' "${codes[@]}" | grep -c '^0$')
echo "  serve exit codes: ${codes[*]}"
check "gatehouse serve: $ok of $CYCLES stops under load exit 0" expect_eq "$ok" "$CYCLES"
check "…and leave no crash in the log" bash -c "! grep -Ei 'free\\(\\)|malloc|segmentation|abort|double free|corrupted|invalid pointer' '$DATA/server.log'"

# The console serves in the same process: SIGTERM quits it the same way.
codes=()
for ((n = 0; n < 3; n++)); do
  codes+=("$(QT_QPA_PLATFORM=offscreen stop_once $((n * 60)) "$GATEHOUSE_BIN")")
done
ok=$(printf '%s\n' "${codes[@]}" | grep -c '^0$')
echo "  console exit codes: ${codes[*]}"
check "the console: $ok of 3 stops under load exit 0" expect_eq "$ok" 3

finish stop_e2e
