#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The console as a desktop user starts it: the real binary with a (offscreen) display
# opens the console and serves in the same process; a second launch hands over to the
# first and exits; the CLI works beside it; the default admin password keeps it off the
# network; SIGTERM (logout, systemd) stops it cleanly.
set -u
. "$(dirname "$0")/lib.sh"
export QT_QPA_PLATFORM=offscreen GATEHOUSE_SECRET_STORE=file

DATA=$(mktemp -d /tmp/gatehouse-console.XXXXXX)
CLEANUP+=("rm -rf $DATA")
P=$(free_port)
echo "console_e2e: $GATEHOUSE_BIN, data $DATA, port $P"

"$GATEHOUSE_BIN" --data-dir "$DATA" --listen "127.0.0.1:$P" >"$DATA/console.log" 2>&1 &
CONSOLE=$!
CLEANUP+=("kill -9 $CONSOLE")
check "the console serves in its own process" wait_http "http://127.0.0.1:$P/healthz" 20
check "the default admin signs in through the console's server" \
  expect_match "$(curl -s -X POST "http://127.0.0.1:$P/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"admin","password":"admin"}')" '"token":"'

start=$(date +%s%N)
"$GATEHOUSE_BIN" --data-dir "$DATA" --listen "127.0.0.1:$P" >"$DATA/second.log" 2>&1
second=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "a second launch hands over and exits 0" expect_eq "$second" 0
check "…at once (${ms} ms)" test "$ms" -lt 3000
check "…without starting a second server" expect_eq "$(grep -c listening "$DATA/second.log")" 0
check "…and the first one keeps serving" curl -fs "http://127.0.0.1:$P/healthz"
check "the first one is still the same process" kill -0 "$CONSOLE"

out=$(echo "zelda-password-1" | "$GATEHOUSE_BIN" --data-dir "$DATA" user add zelda --email zelda@example.org 2>&1)
check "the CLI adds a user beside the running console" expect_match "$out" "user zelda added"
check "…who signs in over the console's server at once" \
  expect_match "$(curl -s -X POST "http://127.0.0.1:$P/api/auth/login" -H 'Content-Type: application/json' \
    -d '{"email":"zelda@example.org","password":"zelda-password-1"}')" '"token":"'

kill -TERM "$CONSOLE"
for _ in $(seq 50); do kill -0 "$CONSOLE" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$CONSOLE" 2>/dev/null; then code=hung; else wait "$CONSOLE"; code=$?; fi
check "SIGTERM stops the console within 5 s, exit 0" expect_eq "$code" 0
check "…and the port is free again" bash -c "! curl -fs http://127.0.0.1:$P/healthz"

# A console told to listen on every interface while admin/admin stands: it opens (to let
# the person change the password) but does not serve.
DATA2=$(mktemp -d /tmp/gatehouse-console.XXXXXX)
CLEANUP+=("rm -rf $DATA2")
P2=$(free_port)
"$GATEHOUSE_BIN" --data-dir "$DATA2" --listen "0.0.0.0:$P2" >"$DATA2/console.log" 2>&1 &
WIDE=$!
CLEANUP+=("kill -9 $WIDE")
sleep 3
check "with admin/admin the console does not listen on 0.0.0.0" \
  bash -c "! curl -fs --max-time 2 http://127.0.0.1:$P2/healthz"
check "…but keeps running for the password change" kill -0 "$WIDE"
kill -TERM "$WIDE"; wait "$WIDE" 2>/dev/null

finish console_e2e
