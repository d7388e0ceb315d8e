#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The wallet surface (seed 001) end to end: the real `gatehouse serve` binary against a
# real OpenID Connect provider (npm oidc-provider, PKCE required) walked through with
# fetch and manual redirects, an Apple stand-in serving a JWKS, a real SMTP server
# (smtpsink.py) and an SMS webhook, with wallet signatures made by ethers and
# tweetnacl (wallet_e2e.mjs). Runs on SQLite, then on a real PostgreSQL when installed.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
SYSPY=/usr/bin/python3 # Debian's, which has python3-aiosmtpd
export GATEHOUSE_SECRET_STORE=file

need() { echo "wallet_e2e: $1"; exit 1; }
"$SYSPY" -c 'import aiosmtpd' 2>/dev/null || need "python3-aiosmtpd is not installed"
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$HERE/node_modules/oidc-provider" ] || [ ! -d "$HERE/node_modules/ethers" ]; then
  (cd "$HERE" && npm install --no-audit --no-fund --silent) || need "npm install failed in tests/e2e"
fi

WORK=$(mktemp -d /tmp/gatehouse-wallet-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
start_smtp_sink "$WORK" || exit 1

PORT=$(free_port)
IDP_PORT=$(free_port)
export GATEHOUSE=http://127.0.0.1:$PORT
export IDP=http://127.0.0.1:$IDP_PORT
export APP_REDIRECT=http://127.0.0.1:$(free_port)/app/callback
export MAILDIR
export BOT_TOKEN=424242:wallet-e2e-bot-token
(cd "$HERE" && exec node wallet_idp.mjs "$IDP_PORT" "$GATEHOUSE/oauth/callback") >"$WORK/idp.log" 2>&1 &
IDP_PID=$!; CLEANUP+=("kill $IDP_PID; wait $IDP_PID")
for _ in $(seq 100); do grep -q ready "$WORK/idp.log" 2>/dev/null && break; sleep 0.1; done

# Gatehouse's configuration, all from the environment.
export GATEHOUSE_PUBLIC_URL=$GATEHOUSE
export GATEHOUSE_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export GATEHOUSE_MAIL_FROM="Gatehouse <noreply@gatehouse.test>"
export GATEHOUSE_SMS_WEBHOOK_URL=$IDP/sms
export GATEHOUSE_OAUTH_REDIRECT_ALLOWLIST=$APP_REDIRECT
export TELEGRAM_BOT_TOKEN=$BOT_TOKEN
export GATEHOUSE_APPLE_CLIENT_ID=com.gatehouse.e2e
export GATEHOUSE_APPLE_JWKS_URL=$IDP/apple/keys
for provider in GOOGLE CORP; do # google by discovery, and a generic OIDC provider "corp"
  export GATEHOUSE_OAUTH_${provider}_CLIENT_ID=gatehouse
  export GATEHOUSE_OAUTH_${provider}_CLIENT_SECRET=gatehouse-e2e-secret
  export GATEHOUSE_OAUTH_${provider}_ISSUER=$IDP
done

scenarios() { # LABEL
  local l=$1
  check "$l: GoogleOAuth via oidc-provider (PKCE, single-use state, wrong verifier)" \
    node "$HERE/wallet_e2e.mjs" oauth google GoogleOAuth
  check "$l: generic OIDC provider 'corp' (CorpOAuth)" node "$HERE/wallet_e2e.mjs" oauth corp CorpOAuth
  check "$l: redirect_uri allow-list, duplicate and unknown state" node "$HERE/wallet_e2e.mjs" redirectGuard
  check "$l: Phantom/OKX with tweetnacl signatures" node "$HERE/wallet_e2e.mjs" phantom
  check "$l: MetaMask/Rabby with ethers signMessage" node "$HERE/wallet_e2e.mjs" metamask
  check "$l: Email code through SMTP" node "$HERE/wallet_e2e.mjs" email
  check "$l: Phone code through the SMS webhook" node "$HERE/wallet_e2e.mjs" phone
  check "$l: Telegram Login Widget" node "$HERE/wallet_e2e.mjs" telegram
  check "$l: Apple RS256/ES256 identity tokens" node "$HERE/wallet_e2e.mjs" apple
  check "$l: bind, 409, logout" node "$HERE/wallet_e2e.mjs" bind
}

echo "[wallet, SQLite]"
DATA=$WORK/data; mkdir -p "$DATA"
check "server starts" start_gatehouse "$DATA" "$PORT"
scenarios sqlite
session_cookie() { # the documented curl flow: a challenge, then /session without a cookie
  local body
  body=$(curl -s "$GATEHOUSE/challenge?method=metamask&id=0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
  expect_match "$body" '"challenge":"[^"]*0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed' &&
    expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$GATEHOUSE/session")" 401
}
check "sqlite: curl /challenge and /session" session_cookie
check "sqlite: no private key in the database" \
  bash -c "! sqlite3 '$DATA/gatehouse.db' \"SELECT sealed_key FROM wallets\" | grep -qiE '^[0-9a-f]{64}$'"
kill "$GATEHOUSE_PID"; wait "$GATEHOUSE_PID" 2>/dev/null

if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  echo "[wallet, PostgreSQL]"
  if start_postgres; then
    DATA2=$WORK/data-pg; mkdir -p "$DATA2"
    check "server starts on PostgreSQL" start_gatehouse "$DATA2" "$PORT" --database "$PG_URL"
    scenarios postgresql
  else
    FAILED=$((FAILED + 1)); echo "  FAIL could not start PostgreSQL"
  fi
fi
finish wallet_e2e
