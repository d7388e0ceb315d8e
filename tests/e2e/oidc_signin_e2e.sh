#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The OpenID provider's sign-in page end to end (issue 17): the real `gatehouse serve`
# binary and GET /oauth2/signin?request=ID in headless Chromium (oidc_signin_page.mjs):
# email + password with JavaScript off (plain form posts) and on, a wrong password, and a
# passkey sign-in with the DevTools virtual authenticator. Each success must set the
# provider cookie gh_op and go on (through /oauth2/authorize/continue) to the client's
# redirect URI with a code and the request's state. The client is made with the CLI and
# each request with GET /oauth2/authorize, whose redirect names the sign-in page.
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

# The application's redirect URI: a listener that answers 200 to anything.
export CB_PORT=$(free_port)
python3 -c 'import http.server as h,sys
class H(h.BaseHTTPRequestHandler):
    def do_GET(s): s.send_response(200); s.send_header("Content-Type","text/html"); s.end_headers(); s.wfile.write(b"<!DOCTYPE html><title>continued</title>")
    def log_message(s,*a): pass
h.HTTPServer(("127.0.0.1",int(sys.argv[1])),H).serve_forever()' "$CB_PORT" &
CLEANUP+=("kill $!")
CLIENT=$("$GATEHOUSE_BIN" --data-dir "$DATA" client add "E2E Notes" --public --first-party --scopes openid \
  --redirect-uri http://127.0.0.1:$CB_PORT/cb | grep -oE 'gh_[A-Za-z0-9_-]{24}' | head -1)
REQUESTS=()
for n in 1 2 3 4; do
  loc=$(curl -s -o /dev/null -w '%{redirect_url}' "$BASE/oauth2/authorize?client_id=$CLIENT&response_type=code&scope=openid&state=s$n&redirect_uri=http%3A%2F%2F127.0.0.1%3A$CB_PORT%2Fcb&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")
  REQUESTS+=("${loc##*request=}")
done
check "a client (CLI) and four authorization requests (GET /oauth2/authorize)" \
  expect_match "${#REQUESTS[3]} ${CLIENT}" "^32 gh_"
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
  "^http://127.0.0.1:$CB_PORT/cb\\?code=[A-Za-z0-9_-]{43}&state=s1&iss="
check "JS off: …with the provider cookie" expect_eq "$(field '["noJs"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "JS on: the password form signs in" expect_match "$(field '["js"]["url"]')" \
  "^http://127.0.0.1:$CB_PORT/cb\\?code=[A-Za-z0-9_-]{43}&state=s2&iss="
check "JS on: …with the provider cookie" expect_eq "$(field '["js"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "JS on: the passkey button is offered" expect_eq "$(field '["passkeyOffered"]')" True
check "JS on: no wallet button without a wallet" expect_eq "$(field '["walletOffered"]')" False
check "a passkey is registered on the account page" expect_eq "$(field '["registered"]')" good
check "the passkey signs in on the provider page" expect_match "$(field '["passkey"]["url"]')" \
  "^http://127.0.0.1:$CB_PORT/cb\\?code=[A-Za-z0-9_-]{43}&state=s3&iss="
check "…with the provider cookie" expect_eq "$(field '["passkey"]["cookie"]')" "{'httpOnly': True, 'sameSite': 'Lax'}"
check "the page fits 320 px (no horizontal scroll)" expect_eq "$(field '["narrowOverflow"]')" False
check "no page errors (CSP or script)" expect_eq "$(field '["problems"]')" "[]"
echo "  (browser part: $(( $(date +%s) - START )) s)"
AUDIT=$(sqlite3 "$DATA/gatehouse.db" "SELECT COUNT(*) FROM audit_log WHERE action = 'oidc.signin' AND result = 'ok'" 2>/dev/null || echo 0)
check "each sign-in is audited" expect_eq "$AUDIT" 3

finish "oidc_signin_e2e"
