#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `gatehouse client` end to end on the real binary, on the database a running server
# uses: add prints the client id and the secret once; list/show (text and --json) never
# print a secret; update replaces lists; rotate-secret prints a new secret each time;
# public clients have none; bad URIs, missing openid and unknown ids fail with one line
# on stderr and exit 1, usage errors with exit 2; every change is in the audit log.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "client_cli_e2e: jq is not installed"; exit 1; }
export GATEHOUSE_SECRET_STORE=file
WORK=$(mktemp -d /tmp/gatehouse-client-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
DATA=$WORK/data; mkdir -p "$DATA"
PORT=$(free_port)
gh() { timeout 20 "$GATEHOUSE_BIN" --data-dir "$DATA" "$@" </dev/null >"$WORK/out" 2>"$WORK/err"; echo $? >"$WORK/rc"; }
rc() { cat "$WORK/rc"; }
out() { cat "$WORK/out"; }

# fails ARGS… CODE PATTERN: exit CODE, one line on stderr matching PATTERN, nothing on stdout.
fails() {
  local want=${*: -2:1} pattern=${*: -1}
  gh "${@:1:$#-2}"
  expect_eq "$(rc)" "$want" || return 1
  expect_eq "$(wc -l <"$WORK/err")" 1 || { cat "$WORK/err"; return 1; }
  expect_match "$(cat "$WORK/err")" "$pattern" || return 1
  expect_eq "$(out)" ""
}

echo "[client: the server runs meanwhile]"
check "server starts" start_gatehouse "$DATA" "$PORT"

echo "[client add]"
gh client add Grafana --redirect-uri https://grafana.example.org/login/generic_oauth \
  --redirect-uri http://127.0.0.1:3000/cb --post-logout-uri https://grafana.example.org/login \
  --scopes "openid profile email offline_access" --first-party
ADD_OUT=$(out)
ID=$(echo "$ADD_OUT" | awk '$1 == "client_id" {print $2}')
SECRET=$(echo "$ADD_OUT" | awk '$1 == "client_secret" {print $2}')
ADD_RC=$(rc)
added_ok() { [ "$ADD_RC" = 0 ] && [[ $ID == gh_* ]] && [ ${#ID} = 27 ] && [ ${#SECRET} -ge 43 ] || { echo "rc $ADD_RC: $ADD_OUT"; return 1; }; }
check "add exits 0 and prints client_id and client_secret" added_ok
check "add says the secret is shown only now" expect_match "$ADD_OUT" "shown only now"

gh client add Mobile --public --redirect-uri com.example.mobile:/callback --id-token-alg es256 --json
PUB_JSON=$(out)
PUB=$(echo "$PUB_JSON" | jq -r .clientId)
check "add --public --json: no secret, type public, ES256" bash -c "[ $(rc) = 0 ] && echo '$PUB_JSON' | jq -e '.clientSecret == null and .type == \"public\" and .idTokenAlg == \"ES256\"'"

echo "[client list/show never print a secret]"
gh client list
check "list shows both, by name" bash -c "[ $(rc) = 0 ] && echo '$(out)' | awk 'NR>1{print \$2}' | tr '\n' ' ' | grep -qx 'Grafana Mobile '"
check "list has no secret" bash -c "! grep -q -- '$SECRET' '$WORK/out'"
gh client list --json
check "list --json: documented fields, no secret" bash -c "echo '$(out)' | jq -e 'length == 2 and (.[0] | keys) == [\"clientId\",\"createdAt\",\"firstParty\",\"idTokenAlg\",\"name\",\"postLogoutRedirectUris\",\"redirectUris\",\"requirePkce\",\"scopes\",\"secretRotatedAt\",\"type\",\"updatedAt\"]' && ! grep -q -- '$SECRET' '$WORK/out'"
gh client show "$ID"
check "show: the client, its URIs and scopes, no secret" bash -c "[ $(rc) = 0 ] && grep -q 'http://127.0.0.1:3000/cb' '$WORK/out' && grep -q 'offline_access' '$WORK/out' && grep -q 'first_party *yes' '$WORK/out' && ! grep -qi -- '$SECRET' '$WORK/out' && ! grep -q client_secret '$WORK/out'"
gh client show "$ID" --json
check "show --json: redirect URIs in order, no secret" bash -c "echo '$(out)' | jq -e '.redirectUris == [\"https://grafana.example.org/login/generic_oauth\",\"http://127.0.0.1:3000/cb\"] and .firstParty and (has(\"clientSecret\") | not)'"

echo "[client update]"
gh client update "$ID" --name "Grafana prod" --redirect-uri https://grafana.example.com/cb --no-first-party --no-post-logout-uris --json
check "update replaces the redirect URIs and flags" bash -c "[ $(rc) = 0 ] && echo '$(out)' | jq -e '.name == \"Grafana prod\" and .redirectUris == [\"https://grafana.example.com/cb\"] and (.firstParty | not) and .postLogoutRedirectUris == []'"
check "update: bad redirect URI, exit 1" fails client update "$ID" --redirect-uri http://grafana.example.com/cb 1 "loopback"
check "update: a refused change changes nothing" bash -c "'$GATEHOUSE_BIN' --data-dir '$DATA' client show '$ID' --json | jq -e '.redirectUris == [\"https://grafana.example.com/cb\"]'"

echo "[client rotate-secret]"
gh client rotate-secret "$ID"
S2=$(out | awk '$1 == "client_secret" {print $2}')
gh client rotate-secret "$ID"
S3=$(out | awk '$1 == "client_secret" {print $2}')
rotated_ok() { [ ${#S2} -ge 43 ] && [ "$S2" != "$SECRET" ] && [ ${#S3} -ge 43 ] && [ "$S3" != "$S2" ]; }
check "each rotation prints a new secret" rotated_ok
check "rotate-secret on a public client: exit 1" fails client rotate-secret "$PUB" 1 "public"

echo "[client refusals]"
check "add without --redirect-uri: exit 2" fails client add X 2 "redirect-uri"
check "add with a fragment: exit 1" fails client add X --redirect-uri "https://a.example/cb#x" 1 "fragment"
check "add with javascript: exit 1" fails client add X --redirect-uri "javascript:alert(1)" 1 "javascript"
check "add without openid: exit 1" fails client add X --redirect-uri https://a.example/cb --scopes "profile email" 1 "openid is required"
check "add with an unknown algorithm: exit 1" fails client add X --redirect-uri https://a.example/cb --id-token-alg HS256 1 "RS256 or ES256"
check "show an unknown id: exit 1" fails client show gh_nope 1 "no client with id gh_nope"
check "unknown option: exit 2" fails client list --bogus 2 "unknown option --bogus"
check "unknown verb: exit 2" fails client frob 2 "unknown verb"
check "show without an id: exit 2" fails client show 2 "takes one ID"
gh client list --json
check "refused adds added nothing" expect_eq "$(out | jq length)" 2

echo "[client remove]"
gh client remove "$PUB"
check "remove: exit 0, says what went" bash -c "[ $(rc) = 0 ] && grep -q 'removed with its codes and tokens' '$WORK/out'"
check "remove again: exit 1" fails client remove "$PUB" 1 "no client"

echo "[client: audit]"
audit_counts() { # the CLI's oidc.client.* audit events: "ACTION COUNT" lines
  python3 - "$DATA/gatehouse.db" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT action, COUNT(*) FROM audit_log WHERE action LIKE 'oidc.client.%' AND surface = 'cli'"
    " AND actor = 'cli' GROUP BY action ORDER BY action").fetchall()
print(" ".join(f"{a}={n}" for a, n in rows))
PY
}
check "audit: 2 adds, 1 update, 2 rotations, 1 removal" expect_eq "$(audit_counts)" \
  "oidc.client.add=2 oidc.client.remove=1 oidc.client.rotate=2 oidc.client.update=1"
gh client --help
check "client --help lists every verb and option" bash -c "for w in add list show update rotate-secret remove --redirect-uri --post-logout-uri --scopes --first-party --public --id-token-alg --json --name --no-first-party --no-post-logout-uris; do grep -q -- \"\$w\" '$WORK/out' || { echo \"no \$w\"; exit 1; }; done"

finish client_cli_e2e
