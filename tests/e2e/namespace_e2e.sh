#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The namespace surface (seed 000) end to end: the real `gatehouse serve` binary over
# real sockets, on SQLite and on a real PostgreSQL server, running the seed's curl
# examples verbatim (port aside), the CLI on the same database while the server runs,
# and the bad-configuration exits.
. "$(dirname "$0")/lib.sh"

BOT=123456:E2E-bot-token
export CLI_API_TOKEN=secret123 TELEGRAM_BOT_TOKEN=$BOT GATEHOUSE_SECRET_STORE=file

# initData signed exactly as Telegram documents it.
init_data() { # USER_ID USERNAME [AGE_SECONDS]
  python3 - "$1" "$2" "${3:-0}" "$BOT" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse
uid, name, age, bot = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
          "user": json.dumps({"id": uid, "first_name": "John", "last_name": "Doe",
                              "username": name}, separators=(",", ":")),
          "auth_date": str(int(time.time()) - age)}
dcs = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
secret = hmac.new(b"WebAppData", bot.encode(), hashlib.sha256).digest()
fields["hash"] = hmac.new(secret, dcs.encode(), hashlib.sha256).hexdigest()
print(urllib.parse.urlencode(fields, quote_via=urllib.parse.quote))
PY
}

post() { # PATH JSON -> "STATUS BODY"
  curl -s -o /tmp/e2e-body.$$ -w '%{http_code}' -X POST "http://127.0.0.1:$PORT$1" \
    -H "Content-Type: application/json" -d "$2"
  echo " $(cat /tmp/e2e-body.$$)"; rm -f /tmp/e2e-body.$$
}

jwt_payload() { # TOKEN -> JSON
  python3 -c 'import base64,sys; p=sys.argv[1].split(".")[1]; print(base64.urlsafe_b64decode(p+"="*(-len(p)%4)).decode())' "$1"
}

run_flows() { # LABEL DATABASE_ARGS…
  local label=$1; shift
  local dir; dir=$(mktemp -d); CLEANUP+=("rm -rf $dir")
  PORT=$(free_port)
  echo "[$label]"
  if ! start_gatehouse "$dir" "$PORT" "$@"; then
    FAILED=$((FAILED + 1)); echo "  FAIL $label: server starts"; sed 's/^/       /' "$dir/server.log"
    return
  fi
  PASSED=$((PASSED + 1)); echo "  ok   $label: server starts"

  # Seed 000, "Example: Access Token", verbatim but for the port and token.
  local out token
  out=$(curl -s -X POST http://127.0.0.1:$PORT/api/auth \
    -H "Content-Type: application/json" \
    -d '{
    "accessToken": "secret123:default"
  }')
  token=$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])' 2>/dev/null)
  check "$label: access token login" expect_match "$out" '"firstName":"Web User"'
  check "$label: JWT carries uid, ns, iat, exp (15 min)" python3 -c "
import json,sys; p=json.loads('''$(jwt_payload "$token")''')
assert sorted(p)==['exp','iat','ns','uid'] and p['ns']=='default' and p['exp']-p['iat']==900, p"
  check "$label: namespace is created on first use" expect_match \
    "$(post /api/auth '{"accessToken":"secret123:production"}')" '^200 '
  check "$label: no colon means namespace default" expect_match \
    "$(post /api/auth '{"accessToken":"secret123"}')" '^200 '
  check "$label: wrong secret -> 401" expect_eq \
    "$(post /api/auth '{"accessToken":"nope:default"}')" '401 {"error":"Invalid access token"}'
  check "$label: both fields -> 400" expect_eq \
    "$(post /api/auth '{"accessToken":"secret123:default","initData":"x"}')" '400 {"error":"Invalid body"}'
  check "$label: malformed JSON -> 400" expect_eq "$(post /api/auth '{"accessToken":')" '400 {"error":"Invalid body"}'

  # Telegram: not bound yet, bind (seed "POST /api/bind" example), then log in.
  local fresh old
  fresh=$(init_data 424242 johndoe)
  check "$label: unbound Telegram user -> 401 not_bound" expect_eq \
    "$(post /api/auth "{\"initData\":\"$fresh\"}")" '401 {"error":"not_bound"}'
  out=$(curl -s -X POST http://127.0.0.1:$PORT/api/bind \
    -H "Content-Type: application/json" \
    -d "{
    \"initData\": \"$fresh\",
    \"accessToken\": \"secret123:myproject\"
  }")
  check "$label: bind" expect_match "$out" '"username":"johndoe"'
  check "$label: Telegram login after bind" expect_match \
    "$(post /api/auth "{\"initData\":\"$fresh\"}")" '^200 .*"firstName":"John".*"lastName":"Doe"'
  check "$label: bound elsewhere -> 409" expect_eq \
    "$(post /api/bind "{\"initData\":\"$fresh\",\"accessToken\":\"secret123:other\"}")" \
    '409 {"error":"already_bound"}'
  check "$label: rebinding to the same namespace -> 200" expect_match \
    "$(post /api/bind "{\"initData\":\"$fresh\",\"accessToken\":\"secret123:myproject\"}")" '^200 '
  old=$(init_data 424242 johndoe 90000)
  check "$label: initData older than 24 h -> 401" expect_match \
    "$(post /api/auth "{\"initData\":\"$old\"}")" '^401 '
  check "$label: tampered initData -> 401" expect_match \
    "$(post /api/auth "{\"initData\":\"${fresh/johndoe/mallory}\"}")" '^401 '

  # The CLI on the same database while the server runs.
  local db_args=("$@")
  check "$label: cli namespace add prints the token" expect_eq \
    "$("$GATEHOUSE_BIN" namespace add cli-made --data-dir "$dir" "${db_args[@]}" 2>/dev/null)" "secret123:cli-made"
  check "$label: cli namespace list" expect_match \
    "$("$GATEHOUSE_BIN" namespace list --data-dir "$dir" "${db_args[@]}" 2>/dev/null)" 'cli-made +active'
  for who in john_doe johnny; do
    echo "password-of-$who" | "$GATEHOUSE_BIN" user add "$who" --data-dir "$dir" "${db_args[@]}" >/dev/null 2>&1
  done
  check "$label: user search takes _ literally" expect_eq \
    "$("$GATEHOUSE_BIN" user list john_ --data-dir "$dir" "${db_args[@]}" 2>/dev/null | awk 'NR>1{print $1}' | xargs)" "john_doe"
  check "$label: user search takes % literally" expect_eq \
    "$("$GATEHOUSE_BIN" user list % --data-dir "$dir" "${db_args[@]}" 2>/dev/null | awk 'NR>1{print $1}' | xargs)" ""
  check "$label: user search by prefix" expect_eq \
    "$("$GATEHOUSE_BIN" user list JOH --data-dir "$dir" "${db_args[@]}" 2>/dev/null | awk 'NR>1{print $1}' | sort | xargs)" "john_doe johnny"
  "$GATEHOUSE_BIN" namespace disable production --data-dir "$dir" "${db_args[@]}" >/dev/null 2>&1
  sleep 2.2 # namespace cache lifetime
  check "$label: disabled namespace -> 401" expect_eq \
    "$(post /api/auth '{"accessToken":"secret123:production"}')" '401 {"error":"Invalid access token"}'
  check "$label: 2 MiB body -> 413, server keeps answering" bash -c "
    head -c 2097152 /dev/zero | curl -s -o /dev/null -w '%{http_code}' -X POST \
      http://127.0.0.1:$PORT/api/auth --data-binary @- | grep -q 413 &&
    curl -fs http://127.0.0.1:$PORT/healthz >/dev/null"
  check "$label: garbage bytes -> 400, server keeps answering" bash -c "
    printf 'GARBAGE\x01\x02 nonsense\r\n\r\n' | timeout 3 python3 -c '
import socket,sys; s=socket.create_connection((\"127.0.0.1\",$PORT)); s.sendall(sys.stdin.buffer.read())
print(s.recv(4096).decode(errors=\"replace\"))' | grep -q '400 Bad Request' &&
    curl -fs http://127.0.0.1:$PORT/healthz >/dev/null"
  check "$label: readyz" expect_match "$(curl -s http://127.0.0.1:$PORT/readyz)" '"database":true'
  check "$label: audit log has the logins" bash -c "
    kill -TERM $GATEHOUSE_PID; wait $GATEHOUSE_PID 2>/dev/null; true"
}

run_flows sqlite
if start_postgres; then
  run_flows postgresql --database "$PG_URL"
else
  FAILED=$((FAILED + 1)); echo "  FAIL postgresql: could not start a PostgreSQL server"
fi

echo "[https]"
tls=$(mktemp -d); CLEANUP+=("rm -rf $tls")
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout "$tls/key.pem" -out "$tls/cert.pem" -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 >/dev/null 2>&1
TP=$(free_port)
GATEHOUSE_TLS_CERTIFICATE="$tls/cert.pem" GATEHOUSE_TLS_KEY="$tls/key.pem" CLI_API_TOKEN=secret123 \
  GATEHOUSE_SECRET_STORE=file "$GATEHOUSE_BIN" serve --data-dir "$tls/data" --listen "127.0.0.1:$TP" \
  >"$tls/server.log" 2>&1 &
CLEANUP+=("kill $!")
for _ in $(seq 100); do curl -fs --cacert "$tls/cert.pem" "https://localhost:$TP/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
check "https: says where it listens" expect_match "$(cat "$tls/server.log")" "listening on https://127.0.0.1:$TP"
check "https: seed-000 login, certificate verified" expect_match \
  "$(curl -s --cacert "$tls/cert.pem" -X POST "https://localhost:$TP/api/auth" -H "Content-Type: application/json" \
    -d '{"accessToken": "secret123:default"}')" '"firstName":"Web User"'
check "https: plain http on the port -> readable 400" expect_eq \
  "$(curl -s -w ' %{http_code}' "http://127.0.0.1:$TP/healthz")" '{"error":"This port speaks HTTPS: use https://"} 400'

echo "[bad configuration]"
bad_exit() { # EXPECTED_TEXT ARGS… : non-zero exit, one line on stderr
  local err; err=$(timeout 20 "$GATEHOUSE_BIN" "${@:2}" 2>&1 >/dev/null); local code=$?
  [ $code -ne 0 ] && [ "$(echo "$err" | grep -vc 'gatehouse.secrets')" -le 1 ] && echo "$err" | grep -q "$1" ||
    { echo "exit $code: $err"; return 1; }
}
tmp=$(mktemp -d); CLEANUP+=("chmod -R u+w $tmp; rm -rf $tmp")
check "bad listen address" bad_exit "bad listen address" serve --data-dir "$tmp/a" --listen nonsense
check "malformed database URL" bad_exit "database URL" serve --data-dir "$tmp/b" --database mysql://x
check "malformed PostgreSQL URL" bad_exit "PostgreSQL URL" serve --data-dir "$tmp/c" --database postgresql://host
check "unreachable PostgreSQL" bad_exit "cannot open" serve --data-dir "$tmp/d" --database "postgresql://u@127.0.0.1:1/db"
mkdir -p "$tmp/ro" && chmod 500 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
  check "unwritable data folder" bad_exit "data folder" serve --data-dir "$tmp/ro/sub"
else
  touch "$tmp/file"
  check "data folder that is a file" bad_exit "data folder" serve --data-dir "$tmp/file"
fi
busy=$(free_port); python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1',$busy)); s.listen(); time.sleep(30)" &
CLEANUP+=("kill $!")
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$busy) 2>/dev/null && break; sleep 0.1; done
check "port in use" bad_exit "cannot listen" serve --data-dir "$tmp/e" --listen "127.0.0.1:$busy"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -keyout "$tls/other-key.pem" -out "$tls/other-cert.pem" -subj /CN=other >/dev/null 2>&1
bad_tls() { # the certificate with another certificate's key
  GATEHOUSE_TLS_CERTIFICATE="$tls/cert.pem" GATEHOUSE_TLS_KEY="$tls/other-key.pem" \
    bad_exit "does not belong to the certificate" serve --data-dir "$tmp/f" --listen "127.0.0.1:$(free_port)"
}
check "TLS key of another certificate" bad_tls
half_tls() { GATEHOUSE_TLS_CERTIFICATE="$tls/cert.pem" bad_exit "both a certificate file and a key file" serve --data-dir "$tmp/g"; }
check "TLS certificate without a key" half_tls

finish namespace_e2e
