#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# No secret is ever logged. The real binary runs with every logging category at every level
# (QT_LOGGING_RULES="*=true", the access log included), once with text logs and once with
# --log-format json, while this script drives every flow that handles a secret: account
# logins, sign-up, OTP, password reset, API tokens, PIN logins and refreshes, namespace
# tokens, wallet email codes, device logins, the metrics token, wrong passwords and PINs.
# Then it greps the logs for each secret value it used or received (passwords, PINs,
# tokens, codes, cookies, Authorization headers, the signing key): none may appear.
# It also checks the JSON lines' shape and that X-Request-Id reaches the log lines.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
SYSPY=/usr/bin/python3
"$SYSPY" -c 'import aiosmtpd' 2>/dev/null || { echo "logs_e2e: python3-aiosmtpd is not installed"; exit 1; }

WORK=$(mktemp -d /tmp/gatehouse-logs.XXXXXX)
[ -n "${KEEP_LOGS:-}" ] || CLEANUP+=("rm -rf $WORK") # KEEP_LOGS=1: look at them after a failure
start_smtp_sink "$WORK" || exit 1
rand() { openssl rand -hex "$1"; }
# mail_match TO REGEX: the first match of REGEX in a mail to TO not used before (waits up to
# 15 s). wait_mail runs in a command substitution here, where it cannot remember what it saw.
mail_match() {
  local i f found
  for ((i = 0; i < 150; i++)); do
    for f in $(grep -l "^X-Envelope-To: $1" "$MAILDIR"/*.eml 2>/dev/null | sort); do
      grep -qxF "$f" "$WORK/used-mail" 2>/dev/null && continue
      found=$(mail_text "$f" | grep -oE "$2" | head -1)
      [ -n "$found" ] && { echo "$f" >>"$WORK/used-mail"; echo "$found"; return 0; }
    done
    sleep 0.1
  done
  echo "no mail to $1 with /$2/" >&2; return 1
}
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }

run_flows() { # FORMAT
  local format=$1 data=$WORK/$1 port base secrets
  mkdir -p "$data"
  port=$(free_port)
  base=http://127.0.0.1:$port
  secrets=$WORK/secrets-$format
  : >"$secrets"
  keep() { [ -n "$1" ] && printf '%s\n' "$1" >>"$secrets"; }

  export GATEHOUSE_SECRET_STORE=file GATEHOUSE_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
  export GATEHOUSE_MAIL_FROM="Gatehouse <noreply@gatehouse.test>" GATEHOUSE_PUBLIC_URL=$base
  export CLI_API_TOKEN=cli-$(rand 12) GATEHOUSE_METRICS_TOKEN=metrics-$(rand 12)
  export GATEHOUSE_SIGNING_KEY=signing-$(rand 24)
  keep "$CLI_API_TOKEN"; keep "$GATEHOUSE_METRICS_TOKEN"; keep "$GATEHOUSE_SIGNING_KEY"
  local admin_pw=Admin-$(rand 8) pin=$((RANDOM % 900000 + 100000))
  keep "$admin_pw"; keep "$pin"
  echo "$admin_pw" | "$GATEHOUSE_BIN" --data-dir "$data" user set-password admin >/dev/null 2>&1
  echo "$pin" | "$GATEHOUSE_BIN" --data-dir "$data" user set-pin cashier1 >/dev/null 2>&1

  QT_LOGGING_RULES='*=true' "$GATEHOUSE_BIN" serve --data-dir "$data" --listen "127.0.0.1:$port" \
    --log-format "$format" >"$data/out.log" 2>"$data/server.log" &
  local pid=$!
  CLEANUP+=("kill $pid; wait $pid")
  wait_http "$base/healthz" 20 || return 1

  # Account surface: wrong and right passwords, API token, sign-up, OTP, reset.
  curl -s -o /dev/null -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"admin\",\"password\":\"Wrong-$admin_pw\"}"
  keep "Wrong-$admin_pw"
  local admin referrer ada ada_pw=Ada-$(rand 8) otp_token code mail reset new_pw=New-$(rand 8)
  admin=$(curl -s -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -H 'X-Request-Id: logs-e2e-admin-login' \
    -d "{\"email\":\"admin\",\"password\":\"$admin_pw\"}" | json '["token"]')
  keep "$admin"
  referrer=$(curl -s -X POST "$base/api/auth/me/create-token" -H "Authorization: Bearer $admin" | json '["token"]')
  keep "$referrer"
  curl -s -o /dev/null "$base/api/auth/verify-token?token=$referrer"
  keep "$ada_pw"
  ada=$(curl -s -X POST "$base/api/auth/signup" -H 'Content-Type: application/json' \
    -d "{\"referrer\":\"$referrer\",\"email\":\"ada-$format@example.test\",\"password\":\"$ada_pw\",\"name\":\"Ada\"}" |
    json '["token"]')
  keep "$ada"
  otp_token=$(curl -s -X POST "$base/api/auth/me/send-otp" -H "Authorization: Bearer $ada" | json '["token"]')
  keep "$otp_token"
  code=$(mail_match "ada-$format@example.test" '\b[0-9]{6}\b')
  keep "$code"
  curl -s -o /dev/null -X POST "$base/api/auth/verify-otp" -F "otp=$code" -F "token=$otp_token"
  curl -s -o /dev/null -X POST "$base/api/auth/send-password-reset-link" -H 'Content-Type: application/json' \
    -d "{\"email\":\"ada-$format@example.test\"}"
  reset=$(mail_match "ada-$format@example.test" 'token=[A-Za-z0-9._-]+' | cut -d= -f2)
  keep "$reset"
  keep "$new_pw"
  curl -s -o /dev/null -X POST "$base/api/auth/reset-password-with-token" -H "Authorization: Bearer $reset" \
    -H 'Content-Type: application/json' -d "{\"password\":\"$new_pw\"}"
  local relogin
  relogin=$(curl -s -X POST "$base/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"ada-$format@example.test\",\"password\":\"$new_pw\"}" | json '["token"]')
  keep "$relogin"
  check "$format: OTP, reset and login with the new password worked" expect_match "$relogin" '^ey'

  # PIN surface: a wrong PIN, the right one, its cookies, a refresh.
  curl -s -o /dev/null -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"cashier1\",\"pin\":\"$(((pin + 1) % 1000000))\"}"
  local headers access refresh
  headers=$(curl -si -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    -d "{\"name\":\"cashier1\",\"pin\":\"$pin\"}")
  access=$(echo "$headers" | grep -i '^set-cookie: accessToken=' | sed 's/^[^=]*=//; s/;.*//')
  refresh=$(echo "$headers" | grep -i '^set-cookie: refreshToken=' | sed 's/^[^=]*=//; s/;.*//')
  keep "$access"; keep "$refresh"
  headers=$(curl -si -X POST "$base/auth/refresh" -H "Cookie: accessToken=$access; refreshToken=$refresh")
  keep "$(echo "$headers" | grep -i '^set-cookie: accessToken=' | sed 's/^[^=]*=//; s/;.*//')"
  check "$format: the PIN session works (its cookies are among the secrets)" \
    expect_eq "$(curl -s -o /dev/null -w '%{http_code}' "$base/users/me" -H "Cookie: accessToken=$access")" 200


  # Namespace surface: the access token and the token it grants.
  local granted
  granted=$(curl -s -X POST "$base/api/auth" -H 'Content-Type: application/json' \
    -d "{\"accessToken\":\"$CLI_API_TOKEN:default\"}" | json '["token"]')
  keep "$granted"
  check "$format: the namespace token was granted" expect_match "$granted" '^ey' 
  curl -s -o /dev/null -X POST "$base/api/auth" -H 'Content-Type: application/json' \
    -d "{\"accessToken\":\"wrong-$CLI_API_TOKEN:default\"}"

  # Wallet surface: an emailed code and the session cookie it buys.
  curl -s -o /dev/null -X POST "$base/send_verification" -H 'Content-Type: application/json' \
    -d "{\"email\":\"wal-$format@example.test\"}"
  code=$(mail_match "wal-$format@example.test" '\b[0-9]{6}\b')
  keep "$code"
  headers=$(curl -si -X POST "$base/login" -H 'Content-Type: application/json' \
    -d "{\"type\":\"Email\",\"data\":{\"email\":\"wal-$format@example.test\",\"code\":\"$code\"}}")
  local cookie
  cookie=$(echo "$headers" | grep -i '^set-cookie:' | head -1 | sed 's/^[^=]*=//; s/;.*//')
  keep "$cookie"
  check "$format: the wallet email login set a session cookie" test ${#cookie} -gt 20

  # Device surface: a registration with an email (its session token, the confirmation
  # code), then a login on another device approved from the mailed link.
  local auth_id approve device
  device=$(curl -s -X POST "$base/auth/registration" -H 'Content-Type: application/json' \
    -d "{\"username\":\"dev-$format\",\"email\":\"dev-$format@example.test\",\"session_platform\":\"cli\"}")
  keep "$(echo "$device" | json '["session_token"]')"
  code=$(mail_match "dev-$format@example.test" 'verify-email\?code=[A-Za-z0-9._~%-]+' | cut -d= -f2)
  keep "$code"
  curl -s -o /dev/null -X POST "$base/auth/verify-email" --data-urlencode "code=$code"
  auth_id=$(curl -s -X POST "$base/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"dev-$format\",\"email\":\"dev-$format@example.test\",\"session_platform\":\"cli\"}" |
    json '["auth_id"]')
  keep "$auth_id"
  approve=$(mail_match "dev-$format@example.test" 'approve\?code=[A-Za-z0-9._~%-]+' | cut -d= -f2)
  keep "$approve"
  curl -s -o /dev/null -X POST "$base/auth/approve" --data-urlencode "code=$approve" \
    --data-urlencode "decision=approve"
  device=$(curl -s "$base/auth/session/$auth_id" | json '["session_token"]')
  keep "$device"
  check "$format: the device login was approved (its token is among the secrets)" \
    expect_match "$device" '^[A-Za-z0-9_-]{300,}=*$'

  # The metrics token, right and wrong.
  curl -s -o /dev/null "$base/metrics" -H "Authorization: Bearer $GATEHOUSE_METRICS_TOKEN"
  curl -s -o /dev/null "$base/metrics" -H "Authorization: Bearer x$GATEHOUSE_METRICS_TOKEN"

  kill "$pid"; wait "$pid" 2>/dev/null
  local log=$data/server.log
  check "$format: the server logged something (the access log is on)" \
    test "$(grep -c . "$log")" -gt 20
  check "$format: over a dozen secrets were used" test "$(grep -c . "$secrets")" -gt 12
  local leaked=() secret
  while IFS= read -r secret; do
    [ -n "$secret" ] || continue
    # Short ones (PINs, codes) as whole words, so a timestamp cannot match by chance.
    if [ ${#secret} -le 8 ]; then
      grep -qFw -- "$secret" "$log" "$data/out.log" && leaked+=("$secret")
    else
      grep -qF -- "$secret" "$log" "$data/out.log" && leaked+=("$secret")
    fi
  done <"$secrets"
  check "$format: no secret in the logs (${#leaked[@]} found: ${leaked[*]:-none})" test "${#leaked[@]}" -eq 0
  check "$format: the access log line carries the client's X-Request-Id" \
    grep -q 'logs-e2e-admin-login' "$log"
  if [ "$format" = json ]; then
    check "json: every line is one JSON object with time, level, category, message" \
      "$SYSPY" - "$log" <<'PY'
import json, re, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    o = json.loads(line)
    assert {"time", "level", "category", "message"} <= o.keys(), (n, line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", o["time"]), (n, o["time"])
    assert o["level"] in ("debug", "info", "warning", "critical", "fatal"), (n, line)
PY
    check "json: a request's lines carry request_id and client" \
      "$SYSPY" -c 'import json,sys; ls=[json.loads(l) for l in open(sys.argv[1])]; assert any(o.get("request_id")=="logs-e2e-admin-login" and o.get("client")=="127.0.0.1" and o["category"]=="gatehouse.access" for o in ls)' "$log"
  fi
}

echo "[logs: text]"
run_flows text
echo "[logs: json]"
run_flows json
finish logs_e2e
