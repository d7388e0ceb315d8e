#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every lookup of a login and a token check is indexed (issue 15, scale): 20,000 users from
# bench/dataset.py, the real binary with bench/sqltrace.c recording each statement SQLite
# prepares, then bench/explain.py runs EXPLAIN QUERY PLAN on each and fails on a scan of a
# big table. Also checks that the data set's users sign in and that the check can fail.
set -u
. "$(dirname "$0")/lib.sh"
export GATEHOUSE_SECRET_STORE=file

DATA=$(mktemp -d /tmp/gatehouse-indexes.XXXXXX)
CLEANUP+=("rm -rf $DATA")
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
echo "indexes_e2e: $GATEHOUSE_BIN, data $DATA"

start_gatehouse "$DATA" "$PORT" || { echo "the server did not start"; exit 1; }
kill "$GATEHOUSE_PID"; wait "$GATEHOUSE_PID" 2>/dev/null
check "bench/dataset.py adds 20,000 users" python3 "$E2E_ROOT/bench/dataset.py" "$DATA/gatehouse.db" 20000
cc -shared -fPIC -o "$DATA/sqltrace.so" "$E2E_ROOT/bench/sqltrace.c" -ldl -lpthread ||
  { echo "cannot build bench/sqltrace.c"; exit 1; }
# An ASan build insists on its runtime coming first; the shim only wraps sqlite3_prepare*.
export LD_PRELOAD=$DATA/sqltrace.so SQLTRACE_FILE=$DATA/trace.txt
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
start_gatehouse "$DATA" "$PORT" || { echo "the server did not start with the trace"; exit 1; }
unset LD_PRELOAD
: >"$DATA/trace.txt" # start-up statements are not the point

post() { curl -s -o "$DATA/body" -w '%{http_code}' -X POST "$BASE$1" -H 'Content-Type: application/json' "${@:3}" -d "$2"; }
token() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["token"])' "$DATA/body"; }

signs_in() {
  expect_eq "$(post /api/auth/login '{"email":"bench0012345@example.com","password":"admin"}')" 200 &&
    JWT=$(token) && expect_eq "$(post /api/auth/login '{"email":"bench0000777","password":"admin"}')" 200 &&
    expect_eq "$(post /api/auth/login '{"email":"bench0000777","password":"wrong"}')" 401 &&
    expect_eq "$(post /api/auth/login '{"email":"nobody@example.com","password":"admin"}')" 401
}
me_names_the_user() {
  expect_match "$(curl -fsS "$BASE/api/auth/me" -H "Authorization: Bearer $JWT")" \
    '"email":"bench0012345@example.com"'
}
api_token_checks() {
  expect_eq "$(post /api/auth/me/create-token '{}' -H "Authorization: Bearer $JWT")" 200 &&
    local api && api=$(token) &&
    expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/auth/verify-token?token=$api")" 200
}
JWT=
check "a generated user signs in with the shared hash (by email and by username)" signs_in
check "GET /api/auth/me names that user" me_names_the_user
check "an API token of that user is verified" api_token_checks
kill "$GATEHOUSE_PID"; wait "$GATEHOUSE_PID" 2>/dev/null
check "every statement of those requests uses an index (EXPLAIN QUERY PLAN)" \
  python3 "$E2E_ROOT/bench/explain.py" "$DATA/gatehouse.db" "$DATA/trace.txt"
echo "SELECT id FROM users WHERE display_name = :name" >"$DATA/scan.txt"
check "the check fails on a full scan of users" \
  bash -c '! python3 "$1" "$2" "$3"' _ "$E2E_ROOT/bench/explain.py" "$DATA/gatehouse.db" "$DATA/scan.txt"
finish indexes_e2e
