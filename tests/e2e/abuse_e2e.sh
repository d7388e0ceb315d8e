#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 12, rows 5, 6 and 9 on the real binary with default settings: one client flooding
# anonymous writes gets 429s with Retry-After and leaves a bounded number of rows; a taken
# and a free address get the same registration answer; /metrics answers only its token.
. "$(dirname "$0")/lib.sh"

status_of() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
stop_server() { kill "$GATEHOUSE_PID" 2>/dev/null; wait "$GATEHOUSE_PID" 2>/dev/null; }

export GATEHOUSE_SECRET_STORE=file GATEHOUSE_METRICS_TOKEN=e2e-metrics-token
WORK=$(mktemp -d /tmp/gatehouse-abuse.XXXXXX); CLEANUP+=("rm -rf $WORK")
DATA=$WORK/data; mkdir -p "$DATA"
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
check "server starts" start_gatehouse "$DATA" "$PORT"

# 2000 × /send_verification to random addresses over keep-alive connections.
FLOOD=$(python3 - "$PORT" <<'PY'
import http.client, json, sys, time, uuid
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
counts, retry = {}, set()
start = time.time()
for i in range(2000):
    conn.request("POST", "/send_verification", json.dumps({"email": f"{uuid.uuid4().hex}@example.com"}),
                 {"Content-Type": "application/json"})
    r = conn.getresponse(); body = r.read()
    counts[r.status] = counts.get(r.status, 0) + 1
    if r.status == 429:
        retry.add(r.getheader("Retry-After"))
        last = body
print(json.dumps({"ok": counts.get(200, 0), "refused": counts.get(429, 0), "other": 2000 - counts.get(200, 0) - counts.get(429, 0),
                  "retry": sorted(retry), "body": last.decode(), "secs": round(time.time() - start, 2)}))
PY
)
echo "  flood: $FLOOD"
check "flood: at most a minute's budget accepted" expect_match "$FLOOD" '"ok": (6[0-9]|70),'
check "flood: the rest refused, nothing else" expect_match "$FLOOD" '"other": 0,'
check "429 has Retry-After in seconds" expect_match "$FLOOD" '"retry": \["[0-9]+"(, "[0-9]+")*\]'
check "429 in the wallet shape" expect_match "$FLOOD" '"body": "\{\\"error\\":\\"Too many requests, try again later\\"\}"'
ROWS=$(sqlite3 "$DATA/gatehouse.db" "SELECT (SELECT COUNT(*) FROM outbox) || ' ' || (SELECT COUNT(*) FROM wallet_codes)")
echo "  rows after the flood (outbox, wallet_codes): $ROWS"
check "bounded rows" expect_match "$ROWS" '^(6[0-9]|70) (6[0-9]|70)$'
check "other anonymous writes share the spent budget" expect_eq "$(status_of -X POST "$BASE/auth/registration" \
  -H 'Content-Type: application/json' -d '{"username":"latecomer","session_platform":"cURL"}')" 429

# /metrics: not for anyone on the listener.
check "/metrics without the token: 401" expect_eq "$(status_of "$BASE/metrics")" 401
check "/metrics with a wrong token: 401" expect_eq "$(status_of "$BASE/metrics" -H 'Authorization: Bearer nope')" 401
check "/metrics with the token" expect_match "$(curl -s "$BASE/metrics" -H "Authorization: Bearer $GATEHOUSE_METRICS_TOKEN")" \
  '^gatehouse_requests_total\{surface="wallet",code="4xx"\} [0-9]+'
stop_server

# A fresh server (fresh per-IP budget): registration answers alike for a taken address.
check "server restarts" start_gatehouse "$DATA" "$PORT"
add_owner() { echo 'owner-password-1' | "$GATEHOUSE_BIN" --data-dir "$DATA" user add owner --email owner@example.com; }
check "an account owns owner@example.com" add_owner
reg() { curl -s -o /dev/null -w '%{http_code} %{size_download}' -X POST "$BASE/auth/registration" \
  -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"email\":\"$2\",\"session_platform\":\"cURL\"}"; }
TAKEN=$(reg squatter owner@example.com)
FREE=$(reg newcomer free@example.com)
check "taken address: 200 with a session token" expect_eq "$TAKEN" "200 364"
check "free address: the same answer" expect_eq "$FREE" "$TAKEN"
check "the owner keeps the address" expect_eq \
  "$(sqlite3 "$DATA/gatehouse.db" "SELECT username FROM users WHERE email = 'owner@example.com'")" owner
stop_server

finish abuse_e2e
