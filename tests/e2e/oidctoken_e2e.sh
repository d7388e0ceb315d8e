#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The OpenID provider's token endpoint of the real binary, driven by an independent
# relying party (oauth4webapi, tests/e2e/oidc/token_check.mjs). The client and the code
# are the rows `gatehouse client add` and the authorization flow would write (secret and
# code stored as SHA-256 hex), put into the data folder's database with sqlite3, so this
# checks the token side on its own; tests/e2e/oidc_e2e.sh runs the whole flow.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
echo "oidctoken_e2e: token, userinfo, refresh, introspection, revocation (oauth4webapi)"
command -v sqlite3 >/dev/null || { echo "  skip: no sqlite3"; exit 0; }
[ -d "$E2E_ROOT/tests/e2e/node_modules/oauth4webapi" ] || { echo "  skip: no node_modules"; exit 0; }

dir=$(mktemp -d /tmp/gatehouse-oidctoken.XXXXXX)
CLEANUP+=("rm -rf $dir")
port=$(free_port)
base="http://127.0.0.1:$port"
GATEHOUSE_SECRET_STORE=file GATEHOUSE_PUBLIC_URL=$base start_gatehouse "$dir" "$port"

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }
rand() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }
client=gh_e2etokens$(rand | head -c 12)
secret=$(rand)
code=$(rand)
verifier=$(rand)$(rand)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')
redirect=http://127.0.0.1:9/callback
nonce=$(rand)
now=$(($(date +%s) * 1000))
db="$dir/gatehouse.db"
user=$(sqlite3 "$db" "SELECT id FROM users WHERE username = 'admin'")
sqlite3 -cmd ".timeout 5000" "$db" <<SQL
INSERT INTO oidc_clients (client_id, name, secret_hash, redirect_uris, post_logout_redirect_uris,
  scopes, first_party, is_public, id_token_alg, created_at, updated_at, secret_rotated_at) VALUES ('$client', 'e2e', '$(sha "$secret")', '$redirect', '',
  'openid profile email offline_access', 0, 0, 'RS256', $now, $now, $now);
INSERT INTO oidc_codes (code_hash, client_id, user_id, redirect_uri, scope, nonce, code_challenge,
  session_id, auth_time, amr, family_id, created_at, expires_at, used_at)
  VALUES ('$(sha "$code")', '$client', '$user', '$redirect', 'openid profile offline_access',
  '$nonce', '$challenge', 'e2e-session', $now, 'pwd', 'e2e-family', $now, $((now + 60000)), 0);
SQL

rp_checks() {
  node "$E2E_ROOT/tests/e2e/oidc/token_check.mjs" "$base" "$base" "$client" "$secret" "$code" \
    "$verifier" "$redirect" "$nonce" >"$dir/rp.log" 2>&1
}
check "oauth4webapi relying party against the token routes" rp_checks
sed 's/^/  /' "$dir/rp.log"
# The same code a second time: refused (and its family revoked, checked by the API tests).
check "the code a second time: invalid_grant" bash -c "curl -s -u '$client:$secret' \
  -d grant_type=authorization_code -d code=$code -d redirect_uri=$redirect \
  -d code_verifier=$verifier $base/oauth2/token | grep -q '\"invalid_grant\"'"

# The relying party must notice an ID token whose nonce is not the one it sent.
code2=$(rand)
sqlite3 -cmd ".timeout 5000" "$db" "INSERT INTO oidc_codes (code_hash, client_id, user_id,
  redirect_uri, scope, nonce, code_challenge, session_id, auth_time, amr, family_id, created_at,
  expires_at, used_at) VALUES ('$(sha "$code2")', '$client', '$user', '$redirect', 'openid',
  'the-nonce-sent', '$challenge', 'e2e-session', $now, 'pwd', 'e2e-family-2', $now,
  $((now + 60000)), 0)"
wrong_nonce() {
  if node "$E2E_ROOT/tests/e2e/oidc/token_check.mjs" "$base" "$base" "$client" "$secret" "$code2" \
    "$verifier" "$redirect" another-nonce >"$dir/nonce.log" 2>&1; then
    echo "accepted"; return 1
  fi
  grep -q 'unexpected ID Token "nonce" claim value' "$dir/nonce.log" || { cat "$dir/nonce.log"; return 1; }
}
check "oauth4webapi refuses an ID token with another nonce" wrong_nonce

echo "oidctoken_e2e: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
