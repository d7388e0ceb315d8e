#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SIGHUP on the real binary serving HTTPS under load: the certificate is swapped with zero
# failed requests (open keep-alive connections go on, new handshakes get the new
# certificate), a changed rate limit in the config file applies without a restart, a
# setting that needs a restart is named in the log, and a broken certificate is refused
# with a log line while the old one stays.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

WORK=$(mktemp -d /tmp/gatehouse-reload.XXXXXX)
CLEANUP+=("rm -rf $WORK")
export GATEHOUSE_SECRET_STORE=file
DATA=$WORK/data
mkdir -p "$DATA/tls"

# One CA, two leaf certificates (A and B) for 127.0.0.1, each with its own key.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=reload test CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" 2>/dev/null
for name in a b; do
  openssl req -newkey rsa:2048 -nodes -subj "/CN=reload-$name" \
    -keyout "$WORK/$name.key" -out "$WORK/$name.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >"$WORK/san.ext"
  openssl x509 -req -in "$WORK/$name.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
    -CAcreateserial -days 2 -extfile "$WORK/san.ext" -out "$WORK/$name.pem" 2>/dev/null
done
fingerprint() { openssl x509 -noout -fingerprint -sha256 -in "$1" | cut -d= -f2; }
FP_A=$(fingerprint "$WORK/a.pem")
FP_B=$(fingerprint "$WORK/b.pem")
# Replaces a file the way an ACME client or an admin's cp does it safely: whole, at once.
install_file() { cp "$1" "$2.new" && mv "$2.new" "$2"; }
install_file "$WORK/a.pem" "$DATA/tls/cert.pem"
install_file "$WORK/a.key" "$DATA/tls/key.pem"

PORT=$(free_port)
BASE=https://127.0.0.1:$PORT
write_config() { # PER_MINUTE THREADS
  cat >"$DATA/gatehouse.conf.new" <<CONF
[server]
tls_certificate=tls/cert.pem
tls_key=tls/key.pem
threads=$2
[limits]
anonymous_writes_per_minute=$1
CONF
  mv "$DATA/gatehouse.conf.new" "$DATA/gatehouse.conf"
}
write_config 1000 2
"$GATEHOUSE_BIN" serve --data-dir "$DATA" --listen "127.0.0.1:$PORT" >"$WORK/out.log" 2>"$WORK/server.log" &
PID=$!
CLEANUP+=("kill $PID; wait $PID")
for ((i = 0; i < 200; i++)); do
  curl -fs --cacert "$WORK/ca.pem" "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

served_fingerprint() {
  openssl s_client -connect "127.0.0.1:$PORT" -servername localhost </dev/null 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 | cut -d= -f2
}
check "starts with certificate A" expect_eq "$(served_fingerprint)" "$FP_A"

reset_link() {
  curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/ca.pem" -H 'Content-Type: application/json' \
    -d '{"email":"nobody@example.com"}' "$BASE/api/auth/send-password-reset-link"
}
check "three anonymous writes pass at 1000/min" expect_eq "$(reset_link)$(reset_link)$(reset_link)" 200200200

# Load: wrk on kept-alive connections, and a loop of fresh connections (a handshake each)
# that trusts the CA, so a handshake with either certificate verifies.
wrk -t2 -c8 -d6s "$BASE/healthz" >"$WORK/wrk.log" 2>&1 &
WRK=$!
(
  end=$((SECONDS + 6))
  while [ $SECONDS -lt $end ]; do
    curl -s -o /dev/null -w '%{http_code}\n' --cacert "$WORK/ca.pem" "$BASE/healthz" || echo "curl-failed"
  done
) >"$WORK/loop.log" &
LOOP=$!
sleep 2
install_file "$WORK/b.pem" "$DATA/tls/cert.pem"
install_file "$WORK/b.key" "$DATA/tls/key.pem"
write_config 1 3
kill -HUP "$PID"
wait "$WRK" "$LOOP"

check "the server is still running" kill -0 "$PID"
total=$(grep -c . "$WORK/loop.log")
ok=$(grep -c '^200$' "$WORK/loop.log")
check "fresh connections during the swap: all $total answered 200" expect_eq "$ok" "$total"
check "fresh connections: more than a handful ran" test "$total" -gt 10
check "wrk: no socket errors" bash -c "! grep -q 'Socket errors' '$WORK/wrk.log'"
check "wrk: no non-2xx answers" bash -c "! grep -q 'Non-2xx' '$WORK/wrk.log'"
check "wrk: requests were made" grep -Eq 'requests in' "$WORK/wrk.log"
check "a new connection gets certificate B" expect_eq "$(served_fingerprint)" "$FP_B"
check "the log names the new certificate" grep -q 'reload: TLS certificate for .*reload-b' "$WORK/server.log"
check "the rate limit from the file applies without a restart" \
  expect_eq "$(reset_link)$(reset_link)" 200429
check "a setting that needs a restart is named" \
  grep -q 'only a restart applies them: server/threads' "$WORK/server.log"

# A broken certificate: refused, said why, certificate B stays.
echo "not a certificate" >"$DATA/tls/cert.pem.new" && mv "$DATA/tls/cert.pem.new" "$DATA/tls/cert.pem"
kill -HUP "$PID"
for ((i = 0; i < 50; i++)); do grep -q 'keeping the current TLS certificate' "$WORK/server.log" && break; sleep 0.1; done
check "a broken certificate is refused with a reason" \
  grep -q 'keeping the current TLS certificate: no PEM certificate in' "$WORK/server.log"
check "after the refusal, certificate B is still served" expect_eq "$(served_fingerprint)" "$FP_B"
check "and requests still succeed" \
  expect_eq "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$WORK/ca.pem" "$BASE/healthz")" 200

# A config file that does not parse changes nothing.
printf '[limits]\nanonymous_writes_per_minute=banana\n' >"$DATA/gatehouse.conf"
kill -HUP "$PID"
for ((i = 0; i < 50; i++)); do grep -q 'reload refused' "$WORK/server.log" && break; sleep 0.1; done
check "a bad config file is refused with a log line" grep -q 'reload refused, nothing changed' "$WORK/server.log"
check "still serving certificate B after a refused config" expect_eq "$(served_fingerprint)" "$FP_B"

finish reload_e2e
