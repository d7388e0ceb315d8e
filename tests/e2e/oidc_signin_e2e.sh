#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The OpenID provider's sign-in page end to end (issue 17): the real `gatehouse serve`
# binary and GET /oauth2/signin?request=ID in headless Chromium (oidc_signin_page.mjs):
# email + password with JavaScript off (plain form posts) and on, a wrong password, and a
# passkey sign-in with the DevTools virtual authenticator. Each success must set the
# provider cookie gh_op and land on /oauth2/authorize/continue?request=ID.
#
# STAND-IN: the client and the pending authorization requests are written with sqlite3
# into oidc_clients / oidc_requests (ids stored as SHA-256 hex, as AuthRequests does),
# because GET /oauth2/authorize (the flow part) is not merged yet. Once it is, create each
# request with GET /oauth2/authorize and follow its redirect to the sign-in page instead.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_SECRET_STORE=file

need() { echo "oidc_signin_e2e: $1"; exit 1; }
[ -x /usr/bin/chromium ] || need "chromium is not installed"
command -v node >/dev/null || need "node is not installed"
command -v sqlite3 >/dev/null || need "sqlite3 is not installed"
if [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-oidc-signin-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
PORT=$(free_port)
BASE=http://localhost:$PORT
DATA=$WORK/data; mkdir -p "$DATA"
cat >"$DATA/gatehouse.conf" <<CONF
[server]
public_url=$BASE
CONF
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }

echo "[oidc sign-in page]"
check "server starts" start_gatehouse "$DATA" "$PORT"
ADMIN=$(curl -s -X POST "$BASE/api/auth/login" -H "Content-Type: application/json" \
  -d '{"email": "admin", "password": "admin"}' | json '["token"]')
REFERRER=$(curl -s -X POST "$BASE/api/auth/me/create-token" -H "Authorization: Bearer $ADMIN" | json '["token"]')
OUT=$(curl -s -X POST "$BASE/api/auth/signup" -H "Content-Type: application/json" \
  -d "{\"referrer\": \"$REFERRER\", \"email\": \"ada@example.test\", \"password\": \"correct horse\"}")
check "ada signs up" expect_match "$OUT" '"email":"ada@example.test"'

# The stand-in for GET /oauth2/authorize (see the top of this file).
NOW=$(( $(date +%s) * 1000 )); LATER=$(( NOW + 15 * 60 * 1000 ))
SQL="INSERT INTO oidc_clients VALUES ('gh_e2eclient', 'E2E Notes', '', 'http://127.0.0.1:9/cb', '', 'openid', 0, 1, 'RS256', $NOW, $NOW, 0);"
REQUESTS=()
for n in 1 2 3 4; do
  id=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  hash=$(printf '%s' "$id" | sha256sum | cut -d' ' -f1)
  REQUESTS+=("$id")
  SQL+="INSERT INTO oidc_requests VALUES ('$hash', 'gh_e2eclient', 'http://127.0.0.1:9/cb', 'openid', 's$n', '', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'query', '', -1, $NOW, $LATER);"
done
check "a client and pending requests are seeded" sqlite3 "$DATA/gatehouse.db" ".timeout 5000" "$SQL"
check "the sign-in page is served with its CSP" expect_match \
  "$(curl -s -D - -o /dev/null "$BASE/oauth2/signin?request=${REQUESTS[0]}" | tr -d '\r')" \
  "Content-Security-Policy: default-src 'none'; script-src 'self'"

START=$(date +%s)
R=$(timeout 60 node "$HERE/oidc_signin_page.mjs" "$BASE" ada@example.test "correct horse" "${REQUESTS[@]}")
echo "$R" >"$WORK/result.json"
field() { echo "$R" | json "$1" 2>/dev/null; }
check "the page ran to the end" expect_eq "$(field '.get("error")')" None
check "JS off: a wrong password shows the alert" expect_eq "$(field '["noJsWrong"]')" "Wrong email or password."
check "JS off: …and keeps the email" expect_eq "$(field '["noJsKeptEmail"]')" ada@example.test
check "JS off: the password form signs in" expect_match "$(field '["noJs"]["url"]')" \
  "/oauth2/authorize/continue\\?request=${REQUESTS[0]}\$"
check "JS off: …with the provider cookie" expect_eq "$(field '["noJs"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "JS on: the password form signs in" expect_match "$(field '["js"]["url"]')" \
  "/oauth2/authorize/continue\\?request=${REQUESTS[1]}\$"
check "JS on: …with the provider cookie" expect_eq "$(field '["js"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "JS on: the passkey button is offered" expect_eq "$(field '["passkeyOffered"]')" True
check "JS on: no wallet button without a wallet" expect_eq "$(field '["walletOffered"]')" False
check "a passkey is registered on the account page" expect_eq "$(field '["registered"]')" good
check "the passkey signs in on the provider page" expect_match "$(field '["passkey"]["url"]')" \
  "/oauth2/authorize/continue\\?request=${REQUESTS[2]}\$"
check "…with the provider cookie" expect_eq "$(field '["passkey"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "the page fits 320 px (no horizontal scroll)" expect_eq "$(field '["narrowOverflow"]')" False
check "no page errors (CSP or script)" expect_eq "$(field '["problems"]')" "[]"
echo "  (browser part: $(( $(date +%s) - START )) s)"
AUDIT=$(sqlite3 "$DATA/gatehouse.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'oidc.signin' AND result = 'ok'" 2>/dev/null || echo 0)
check "each sign-in is audited" expect_eq "$AUDIT" 3

finish "oidc_signin_e2e"
