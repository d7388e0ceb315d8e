#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Passkeys end to end (issue 18): the real `gatehouse serve` binary and its sign-in page
# (GET /signin) in headless Chromium with the DevTools virtual authenticator
# (passkeys_page.mjs): register a passkey, sign in with it and no password, and as the
# second step after the password; a replayed assertion, an expired ceremony and an
# assertion for another origin are refused. public_url is http://localhost:PORT, so the
# RP id is "localhost" (a secure context over plain HTTP).
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_SECRET_STORE=file
CEREMONY_SECONDS=6

need() { echo "passkeys_e2e: $1"; exit 1; }
[ -x /usr/bin/chromium ] || need "chromium is not installed"
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-passkeys-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
PORT=$(free_port)
BASE=http://localhost:$PORT
DATA=$WORK/data; mkdir -p "$DATA"
cat >"$DATA/gatehouse.conf" <<CONF
[server]
public_url=$BASE
[webauthn]
ceremony_seconds=$CEREMONY_SECONDS
CONF
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }

echo "[passkeys]"
check "server starts" start_gatehouse "$DATA" "$PORT"
ADMIN=$(curl -s -X POST "$BASE/api/auth/login" -H "Content-Type: application/json" \
  -d '{"email": "admin", "password": "admin"}' | json '["token"]')
REFERRER=$(curl -s -X POST "$BASE/api/auth/me/create-token" -H "Authorization: Bearer $ADMIN" | json '["token"]')
OUT=$(curl -s -X POST "$BASE/api/auth/signup" -H "Content-Type: application/json" \
  -d "{\"referrer\": \"$REFERRER\", \"email\": \"ada@example.test\", \"password\": \"correct horse\"}")
check "ada signs up" expect_match "$OUT" '"email":"ada@example.test"'
check "the sign-in page is served with its CSP" expect_match \
  "$(curl -s -D - -o /dev/null "$BASE/signin" | tr -d '\r')" "Content-Security-Policy: default-src 'none'; script-src 'self'"
check "the reset page links to the passkey sign-in" expect_match "$(curl -s "$BASE/reset-password")" \
  'href="signin">Sign in with a passkey'

START=$(date +%s)
R=$(node "$HERE/passkeys_page.mjs" "$BASE" ada@example.test "correct horse" "$CEREMONY_SECONDS" "$WORK/signin.png")
echo "$R" >"$WORK/result.json"
field() { echo "$R" | json "$1" 2>/dev/null; }
check "the page ran to the end" expect_eq "$(field '.get("error")')" None
check "signs in with email and password" expect_eq "$(field '["password"]["state"]')" good
check "registers a passkey through the page" expect_match "$(field '["register"]')" "'state': 'good'.*E2E authenticator"
check "the page lists it" expect_match "$(field '["listed"]')" 'E2E authenticator'
check "the virtual authenticator holds one resident credential for localhost" \
  expect_eq "$(field '["credentials"]')" "[{'resident': True, 'rpId': 'localhost', 'signCount': 1}]"
check "signs in with the passkey and no password" expect_eq "$(field '["passwordless"]["state"]')" good
check "…as ada" expect_eq "$(field '["passwordlessWho"]')" ada@example.test
check "a replayed assertion is refused (401)" expect_eq "$(field '["replay"]["status"]')" 401
check "…with the one refusal" expect_eq "$(field '["replay"]["body"]["detail"]')" "the passkey was not accepted"
check "the password asks for a second step (ada has a passkey)" expect_eq "$(field '["secondStepAsked"]')" True
check "the passkey answers the second step" expect_eq "$(field '["secondFactor"]["state"]')" good
check "an expired ceremony is refused (401)" expect_eq "$(field '["expired"]["status"]')" 401
check "an assertion made on another origin is refused (401)" expect_eq "$(field '["otherOrigin"]["status"]')" 401
check "…with the same refusal" expect_eq "$(field '["otherOrigin"]["body"]["detail"]')" "the passkey was not accepted"
check "an origin outside the RP id gets no assertion from the browser" \
  expect_eq "$(field '["otherRpId"]["error"]')" SecurityError
check "no page errors" expect_eq "$(field '["problems"]')" "[]"
echo "  (browser part: $(( $(date +%s) - START )) s)"

finish "passkeys_e2e"
