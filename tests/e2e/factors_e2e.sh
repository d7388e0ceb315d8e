#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Second factors on the account surface end to end, against the real `gatehouse serve`:
# TOTP enrolment, the password alone refused, a code from an independent implementation
# (otplib 13, RFC 6238) completing the login, a replayed code, codes from wrong steps and a
# wrong code refused, a recovery code working once, and removal (factors_e2e.mjs).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_SECRET_STORE=file

need() { echo "factors_e2e: $1"; exit 1; }
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$HERE/node_modules/otplib" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-factors-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
PORT=$(free_port)
export GATEHOUSE=http://127.0.0.1:$PORT STATE=$WORK/state.json

echo "[factors]"
DATA=$WORK/data; mkdir -p "$DATA"
check "server starts" start_gatehouse "$DATA" "$PORT"
run() { (cd "$HERE" && node factors_e2e.mjs "$1"); }
check "enrol an authenticator app, confirm with an otplib code" run enrol
check "the password alone no longer signs in (401, second_factor)" run passwordAlone
check "the documented 401 body, as curl sees it" expect_match \
  "$(curl -s -X POST "$GATEHOUSE/api/auth/login" -H 'Content-Type: application/json' \
     -d "{\"email\": \"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["email"])' "$STATE")\", \"password\": \"correct horse battery\"}")" \
  '^\{"detail":"second factor required","error":"Enter the code from your authenticator app","second_factor":\{"challenge":"[A-Za-z0-9_-]{43}","expires_in":300,"methods":\["totp","recovery_code"\]\}\}$'
check "an otplib code completes the login" run code
check "the same code again is refused" run replay
check "codes of wrong steps are refused" run wrongStep
check "a wrong code and an unknown challenge are refused" run wrongCode
check "a recovery code works once" run recovery
check "removing the factor needs the password; then the password alone works" run remove

finish factors_e2e
