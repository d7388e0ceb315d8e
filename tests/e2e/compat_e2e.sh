#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The origin projects' own client code against the real binary (tests/compat): hapi's ApiClient
# and useAuth, lncrawl-web's pages, Ambrosia's auth service behind its Next API routes, and the
# Clique Wallet SDK's WalletClient, each in a jsdom browser with a cookie jar, one `gatehouse
# serve` mailing through a real SMTP sink (codes and links are read from the delivered mail).
# Every client step counts as one check. See tests/compat/README.md.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
COMPAT=$(cd "$HERE/../compat" && pwd)
SYSPY=/usr/bin/python3 # Debian's, which has python3-aiosmtpd
export GATEHOUSE_SECRET_STORE=file

need() { echo "compat_e2e: $1"; echo "compat_e2e: 0 passed, 1 failed"; exit 1; }
"$SYSPY" -c 'import aiosmtpd' 2>/dev/null || need "python3-aiosmtpd is not installed"
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$COMPAT/node_modules/esbuild" ]; then
  (cd "$COMPAT" && npm ci --no-audit --no-fund --loglevel=error) || need "npm ci failed in tests/compat"
fi

WORK=$(mktemp -d /tmp/gatehouse-compat.XXXXXX); CLEANUP+=("rm -rf $WORK")
start_smtp_sink "$WORK" || exit 1

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
APP_ORIGIN=http://127.0.0.1:$(free_port) # the Clique dapp: same site, another origin (CORS)
BOT=123456:compat-bot-token
export GATEHOUSE_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
export GATEHOUSE_MAIL_FROM="Gatehouse <noreply@gatehouse.test>"
export GATEHOUSE_PUBLIC_URL=$BASE
export GATEHOUSE_CORS_ORIGINS=$APP_ORIGIN
export CLI_API_TOKEN=compat-cli-secret TELEGRAM_BOT_TOKEN=$BOT

DATA=$WORK/data; mkdir -p "$DATA"
echo "[setup]"
# The clients must be the projects' own files: vendor/SHA256SUMS was made when they were copied.
check "vendored client files unchanged (vendor/SHA256SUMS)" \
  bash -c "cd '$COMPAT/vendor' && sha256sum --quiet -c SHA256SUMS"
GH=("$GATEHOUSE_BIN" --data-dir "$DATA")
# Ambrosia's till: a role with permissions, and a role with none (its users get 403).
check "role with permissions (gatehouse role add till …)" \
  "${GH[@]}" role add till orders_read orders_create products_read tickets_read
check "role without permissions (gatehouse role add idle)" "${GH[@]}" role add idle
check "PIN user cashier1 (gatehouse user set-pin, PIN on stdin)" \
  bash -c 'echo 4821 | "$@" user set-pin cashier1 --role till' _ "${GH[@]}"
check "PIN user idle1 with the role without permissions" \
  bash -c 'echo 5930 | "$@" user set-pin idle1 --role idle' _ "${GH[@]}"
check "server starts" start_gatehouse "$DATA" "$PORT"

ENV_JSON=$(python3 -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  base "$BASE" maildir "$MAILDIR" cliToken "$CLI_API_TOKEN" botToken "$BOT" appOrigin "$APP_ORIGIN" \
  pinUser cashier1 pin 4821 idleUser idle1 idlePin 5930)

run_client() { # NAME [page origin]: runs the driver, counting its "ok"/"FAIL" lines
  local name=$1 env=$ENV_JSON line
  [ -n "${2:-}" ] && env=$(echo "$ENV_JSON" | python3 -c 'import json,sys; e=json.load(sys.stdin); e["page"]=sys.argv[1]; print(json.dumps(e))' "$2")
  echo "[$name]"
  local before=$((PASSED + FAILED))
  while IFS= read -r line; do
    echo "$line"
    case "$line" in
      "  ok   "*) PASSED=$((PASSED + 1)) ;;
      "  FAIL "*) FAILED=$((FAILED + 1)) ;;
    esac
  done < <(COMPAT_ENV=$env timeout 120 node "$COMPAT/run.mjs" "$name" 2>&1)
  if [ $((PASSED + FAILED)) -eq "$before" ]; then
    FAILED=$((FAILED + 1)); echo "  FAIL $name: the driver ran no step"
  fi
}

for client in ${COMPAT_CLIENTS:-hapi lncrawl ambrosia clique}; do
  case $client in
    clique) run_client clique "$APP_ORIGIN/" ;;
    ambrosia) run_client ambrosia "http://127.0.0.1:$(free_port)/" ;; # the Next app's origin
    *) run_client "$client" ;;
  esac
done

finish "compat_e2e"
