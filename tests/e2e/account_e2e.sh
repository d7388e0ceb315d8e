#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The account surface (seed 004) end to end: the real `gatehouse serve` binary mailing
# through a real SMTP server (smtpsink.py, on aiosmtpd), the documented curl calls,
# email verification with the code read from the delivered mail, and a password reset
# whose link is opened and submitted in headless Chromium (reset_page.mjs). Also the
# default-admin guard: serve refuses a non-loopback address while admin/admin stands,
# and `gatehouse user set-password admin` (password on stdin) lifts it.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SYSPY=/usr/bin/python3 # Debian's, which has python3-aiosmtpd
export GATEHOUSE_SECRET_STORE=file

need() { echo "account_e2e: $1"; exit 1; }
"$SYSPY" -c 'import aiosmtpd' 2>/dev/null || need "python3-aiosmtpd is not installed"
[ -x /usr/bin/chromium ] || need "chromium is not installed"
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-account-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
start_smtp_sink "$WORK" || exit 1

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
export GATEHOUSE_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export GATEHOUSE_MAIL_FROM="Gatehouse <noreply@gatehouse.test>"
export GATEHOUSE_PUBLIC_URL=$BASE

json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }
# call METHOD PATH [curl args…] -> "STATUS BODY"
call() {
  local method=$1 path=$2; shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$BASE$path" "$@"
  echo " $(cat "$WORK/body")"
}

echo "[account]"
DATA=$WORK/data; mkdir -p "$DATA"
check "server starts with SMTP configured" start_gatehouse "$DATA" "$PORT"
check "warns that admin still has the default password" \
  expect_match "$(cat "$DATA/server.log")" "default password 'admin'"

# Default admin (seed: "email: admin and password: admin").
OUT=$(curl -s -X POST $BASE/api/auth/login -H "Content-Type: application/json" \
  -d '{"email": "admin", "password": "admin"}')
ADMIN=$(echo "$OUT" | json '["token"]')
check "default admin logs in" expect_match "$OUT" '"username":"admin"'
REFERRER=$(curl -s -X POST $BASE/api/auth/me/create-token -H "Authorization: Bearer $ADMIN" | json '["token"]')
check "admin creates a 10-character API token" expect_match "$REFERRER" '^[1-9A-HJ-NP-Za-km-z]{10}$'
check "verify-token says true" expect_eq "$(curl -s "$BASE/api/auth/verify-token?token=$REFERRER")" true

OUT=$(curl -s -X POST $BASE/api/auth/signup -H "Content-Type: application/json" \
  -d "{\"referrer\": \"$REFERRER\", \"email\": \"ada@example.test\", \"password\": \"correct horse\", \"name\": \"Ada\"}")
ADA=$(echo "$OUT" | json '["token"]')
check "signup with the referrer token" expect_match "$OUT" '"email":"ada@example.test"'

# Email verification: the code comes by real SMTP.
OTP_TOKEN=$(curl -s -X POST $BASE/api/auth/me/send-otp -H "Authorization: Bearer $ADA" | json '["token"]')
check "send-otp returns a session token" expect_match "$OTP_TOKEN" '^ey'
MAIL=$(wait_mail ada@example.test)
check "OTP mail delivered over SMTP" test -n "$MAIL"
CODE=$(mail_text "$MAIL" | grep -oE '\b[0-9]{6}\b' | head -1)
check "mail carries a 6-digit code" expect_match "$CODE" '^[0-9]{6}$'
check "mail has From, To and Subject" expect_match "$(grep -E '^(From|To|Subject):' "$MAIL" | tr '\r\n' '  ')" \
  'From: Gatehouse <noreply@gatehouse.test>.*To: ada@example.test.*Subject: Your Gatehouse verification code'
check "wrong code refused" expect_match "$(call POST /api/auth/verify-otp -F otp=000000x -F "token=$OTP_TOKEN")" \
  '^403 .*"error":"Wrong OTP"'
check "verify-otp (multipart) accepts the code" \
  expect_eq "$(call POST /api/auth/verify-otp -F "otp=$CODE" -F "token=$OTP_TOKEN")" "200 true"
check "email now verified" expect_match "$(curl -s $BASE/api/auth/me -H "Authorization: Bearer $ADA")" \
  '"is_verified":true'

# Password reset: link by mail, page in a real browser.
check "reset link request answers true" expect_eq \
  "$(call POST /api/auth/send-password-reset-link -H 'Content-Type: application/json' -d '{"email": "ada@example.test"}')" "200 true"
check "unknown address answers true as well" expect_eq \
  "$(call POST /api/auth/send-password-reset-link -H 'Content-Type: application/json' -d '{"email": "nobody@example.test"}')" "200 true"
MAIL=$(wait_mail ada@example.test)
LINK=$(mail_text "$MAIL" | grep -oE "$BASE/reset-password\?token=[^[:space:]]+" | head -1)
check "reset mail links to the reset page" expect_match "$LINK" "^$BASE/reset-password\\?token=ey"
RESULT=$(node "$HERE/reset_page.mjs" "$LINK" "a brand new secret" "$WORK/reset.png")
check "browser: reset page changes the password" expect_match "$RESULT" '"state":"good"'
check "browser: token dropped from the address bar" expect_match "$RESULT" '"url":"[^"?]*/reset-password"'
check "browser: no console errors (CSP)" expect_match "$RESULT" '"problems":\[\]'
RESULT=$(node "$HERE/reset_page.mjs" "$LINK" "yet another secret")
check "browser: the link works once" expect_match "$RESULT" '"state":"bad".*already used'
check "login with the new password" expect_match \
  "$(call POST /api/auth/login -H 'Content-Type: application/json' -d '{"email": "ada@example.test", "password": "a brand new secret"}')" '^200 '
check "old password refused" expect_match \
  "$(call POST /api/auth/login -H 'Content-Type: application/json' -d '{"email": "ada@example.test", "password": "correct horse"}')" \
  '^401 \{"detail":"wrong email or password","error":"Wrong email or password"\}$'
check "outbox lists both mails as sent" expect_eq \
  "$("$GATEHOUSE_BIN" outbox list --state sent --data-dir "$DATA" | grep -c ada@example.test)" 2

# The default-admin guard, on a fresh data folder.
FRESH=$WORK/fresh
P2=$(free_port)
OUT=$(timeout 20 "$GATEHOUSE_BIN" serve --data-dir "$FRESH" --listen "0.0.0.0:$P2" 2>&1); RC=$?
check "serve refuses 0.0.0.0 while admin/admin stands (exit 1)" expect_eq "$RC" 1
check "…with one clear line" expect_match "$(echo "$OUT" | grep -c .)" '^1$'
check "…that says why" expect_match "$OUT" "refusing to listen on 0.0.0.0:$P2: the admin account still has the default password"
OUT=$(echo "admin" | "$GATEHOUSE_BIN" user set-password admin --data-dir "$FRESH" 2>&1)
check "set-password refuses 'admin' as the new password" expect_match "$OUT" "the new password must be at least 8"
OUT=$(printf 'a strong admin secret\n' | "$GATEHOUSE_BIN" user set-password admin --data-dir "$FRESH" 2>&1)
check "user set-password admin (stdin)" expect_match "$OUT" "password of admin changed"
"$GATEHOUSE_BIN" serve --data-dir "$FRESH" --listen "0.0.0.0:$P2" >"$WORK/fresh.log" 2>&1 &
FRESH_PID=$!; CLEANUP+=("kill $FRESH_PID; wait $FRESH_PID")
check "serve starts on 0.0.0.0 once the password changed" wait_http "http://127.0.0.1:$P2/healthz" 20
kill "$FRESH_PID" 2>/dev/null; wait "$FRESH_PID" 2>/dev/null
OUT=$(printf 'the admin secret\n' | "$GATEHOUSE_BIN" user set-password admin --data-dir "$DATA" 2>&1)
check "set-password on the database a server is using" expect_match "$OUT" "password of admin changed"
check "the running server takes the new admin password" expect_match \
  "$(call POST /api/auth/login -H 'Content-Type: application/json' -d '{"email": "admin", "password": "the admin secret"}')" '^200 '
check "…and refuses the old one" expect_match \
  "$(call POST /api/auth/login -H 'Content-Type: application/json' -d '{"email": "admin", "password": "admin"}')" '^401 '
check "user list shows ada" expect_match "$("$GATEHOUSE_BIN" user list --data-dir "$DATA")" 'ada@example.test'

finish "account_e2e"
