#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The OpenID provider (issue 17, docs/oidc.md) end to end against independent
# implementations: the real `gatehouse serve` (public URL http://127.0.0.1:PORT, the file
# secret store), clients and a user made with the CLI, then relying parties written by
# others — openid-client (client_secret_basic, client_secret_post), oauth4webapi (a
# public client, PKCE only) and jose — through the real sign-in and consent pages in
# headless Chromium (tests/e2e/oidc/run.mjs and its suites), the negative tests of every
# parameter the provider must check, the `alg` downgrade, RP-initiated logout; then the
# audit log holds each grant.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
export GATEHOUSE_SECRET_STORE=file

need() { echo "oidc_e2e: $1"; exit 1; }
[ -x "$GATEHOUSE_BIN" ] || need "no binary at $GATEHOUSE_BIN (set GATEHOUSE_BIN)"
[ -x /usr/bin/chromium ] || need "chromium is not installed"
command -v node >/dev/null || need "node is not installed"
command -v sqlite3 >/dev/null || need "sqlite3 is not installed"
if [ ! -d "$HERE/node_modules/openid-client" ] || [ ! -d "$HERE/node_modules/playwright-core" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-oidc-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
PORT=$(free_port)
CB_PORT=$(free_port)
CB=http://127.0.0.1:$CB_PORT
export GATEHOUSE_PUBLIC_URL=http://127.0.0.1:$PORT
DATA=$WORK/data; mkdir -p "$DATA"
gh() { "$GATEHOUSE_BIN" --data-dir "$DATA" "$@"; }
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }
START=$(date +%s)

echo "[set-up with the CLI]"
check "user add ada (password on stdin)" bash -c "echo 'correct horse battery' | \
  '$GATEHOUSE_BIN' --data-dir '$DATA' user add ada --email ada@example.test --name 'Ada Lovelace' >/dev/null"
ADA=$(gh user list ada --json)
# client_add NAME ARGS…: `gatehouse client add`, which prints the new client's id and secret
# (the secret only for a confidential client). Sets CLIENT_ID and CLIENT_SECRET.
client_add() {
  local out
  out=$(gh client add "$@" 2>&1) || { echo "$out"; return 1; }
  CLIENT_ID=$(echo "$out" | grep -oE 'gh_[A-Za-z0-9_-]{24}' | head -1)
  CLIENT_SECRET=$(echo "$out" | grep -iE 'secret' | grep -oE '[A-Za-z0-9_-]{40,}' | head -1)
  [ -n "$CLIENT_ID" ] || { echo "no client id in: $out"; return 1; }
}
client_add "Basic RP" --redirect-uri "$CB/cb" --post-logout-uri "$CB/bye" \
  --scopes "openid profile email offline_access" >"$WORK/basic.out"
BASIC_ID=$CLIENT_ID BASIC_SECRET=$CLIENT_SECRET
check "client add: a confidential client (consent page shown): id and secret printed" \
  bash -c "[ -n '$BASIC_ID' ] && [ -n '$BASIC_SECRET' ] || { cat '$WORK/basic.out'; exit 1; }"
client_add "Post RP" --redirect-uri "$CB/cb" --post-logout-uri "$CB/bye" --first-party --id-token-alg ES256 \
  --scopes "openid profile email offline_access" >"$WORK/post.out"
POST_ID=$CLIENT_ID POST_SECRET=$CLIENT_SECRET
check "client add --first-party --id-token-alg ES256: id and secret printed" \
  bash -c "[ -n '$POST_ID' ] && [ -n '$POST_SECRET' ] || { cat '$WORK/post.out'; exit 1; }"
client_add "Public RP" --redirect-uri "$CB/cb" --public --scopes "openid profile email offline_access" >"$WORK/public.out"
PUBLIC_ID=$CLIENT_ID
check "client add --public: an id, no secret" \
  bash -c "[ -n '$PUBLIC_ID' ] && [ -z '$CLIENT_SECRET' ] || { cat '$WORK/public.out'; exit 1; }"
check "client list shows the three" expect_eq "$(gh client list | grep -cE "$BASIC_ID|$POST_ID|$PUBLIC_ID")" 3

echo "[server]"
check "server starts" start_gatehouse "$DATA" "$PORT"
export ISSUER=$GATEHOUSE_PUBLIC_URL CB_PORT BASIC_ID BASIC_SECRET POST_ID POST_SECRET PUBLIC_ID
export USER_EMAIL=ada@example.test USER_PASSWORD='correct horse battery' USER_NAME='Ada Lovelace' USER_USERNAME=ada
USER_ID=$(echo "$ADA" | json '[0]["id"]' 2>/dev/null)
USER_EMAIL_VERIFIED=$(echo "$ADA" | json '[0]["emailVerified"]' 2>/dev/null | tr 'TF' 'tf')
export USER_ID USER_EMAIL_VERIFIED

node "$HERE/oidc/run.mjs" 2>&1 | tee "$WORK/rp.log"
RP=$(grep -E '^rp total: [0-9]+ passed, [0-9]+ failed' "$WORK/rp.log" | tail -1)
[ -n "$RP" ] || echo "  FAIL the relying parties did not finish (see above)"
read -r _ _ rp_passed _ rp_failed _ <<<"${RP:-rp total: 0 passed, 1 failed}"
PASSED=$((PASSED + rp_passed)) FAILED=$((FAILED + rp_failed))

echo "[audit log]"
audit() { sqlite3 "$DATA/gatehouse.db" "SELECT COUNT(*) FROM audit_log WHERE action = '$1'"; }
for _ in $(seq 20); do [ "$(audit oidc.logout)" -ge 1 ] && break; sleep 0.1; done
for action in oidc.client.add oidc.authorize oidc.token oidc.refresh oidc.refresh.reuse oidc.code.reuse oidc.revoke oidc.logout; do
  check "audit: $action recorded" bash -c "[ \$(sqlite3 '$DATA/gatehouse.db' \"SELECT COUNT(*) FROM audit_log WHERE action = '$action'\") -ge 1 ]"
done
check "the client secret is not stored in clear" bash -c "! sqlite3 '$DATA/gatehouse.db' .dump | grep -qF '$BASIC_SECRET'"
echo "  ($(( $(date +%s) - START )) s)"

finish "oidc_e2e"
