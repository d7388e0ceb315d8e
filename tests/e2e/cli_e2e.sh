#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line end to end, on the real binaries: every command's --help (and `help COMMAND`)
# lists every option the command accepts; every list/show verb's --json is valid JSON with the
# documented field names and no secrets (checked with jq); unknown options and invalid values
# are refused with one line on stderr and exit code 2; the roles `user list` shows are the ones
# the PIN login answers; no keychain or database note on stderr without --verbose; and
# gatehouse-server with no command serves.
. "$(dirname "$0")/lib.sh"
command -v jq >/dev/null || { echo "cli_e2e: jq is not installed"; exit 1; }
SERVER_BIN=${GATEHOUSE_SERVER_BIN:-$(dirname "$GATEHOUSE_BIN")/gatehouse-server}

WORK=$(mktemp -d /tmp/gatehouse-cli-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
DATA=$WORK/data; mkdir -p "$DATA"
# No session bus: the keychain is unavailable and secrets fall back to a file (GATEHOUSE_SECRET_STORE
# stays "auto"), which used to print a warning on every command.
unset DBUS_SESSION_BUS_ADDRESS GATEHOUSE_SECRET_STORE
gh() { "$GATEHOUSE_BIN" --data-dir "$DATA" "$@"; }

echo "[cli: help]"
# Every option each command accepts (the issue's list and the rest), and its verbs.
declare -A OPTIONS=(
  [serve]="--data-dir --listen --database --config --secrets-file --verbose --log-format"
  [namespace]="add list token disable enable --json"
  [user]="add list set-password set-pin disable enable delete --email --name --admin --admins --disabled --limit --json --role --no-admin"
  [token]="list revoke --kind --user --all --limit --json"
  [role]="list permissions add set-perms remove --json"
  [client]="add list show update rotate-secret remove --redirect-uri --post-logout-uri --scopes --first-party --no-first-party --public --id-token-alg --name --no-post-logout-uris --json"
  [outbox]="list show resend --state --limit --json"
  [backup]="FILE --data-dir --database"
  [restore]="FILE --data-dir --database"
  [export]="--json --no-hashes FILE"
  [import]="--dry-run FILE"
)
help_lists() { # COMMAND: COMMAND --help and help COMMAND print the same text, with every word
  local out again word missing=()
  out=$("$GATEHOUSE_BIN" "$1" --help) || return 1
  again=$("$GATEHOUSE_BIN" help "$1") || return 1
  [ "$out" = "$again" ] || { echo "help $1 differs from $1 --help"; return 1; }
  expect_match "$out" "^Usage: gatehouse $1" || return 1
  for word in ${OPTIONS[$1]}; do
    echo "$out" | grep -qE -- "(^| |\|)$word( |$|=)" || missing+=("$word")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "$1 --help lacks: ${missing[*]}"; echo "$out"; return 1; }
}
for cmd in serve namespace user token role client outbox backup restore export import; do
  check "$cmd --help and help $cmd list: ${OPTIONS[$cmd]}" help_lists "$cmd"
done
check "user set-pin bob --help prints the user help" \
  bash -c "'$GATEHOUSE_BIN' user set-pin bob --help | grep -q -- '--no-admin'"
check "--help lists every command" bash -c "out=\$('$GATEHOUSE_BIN' --help) && for c in serve namespace user token role client outbox backup restore export import help; do echo \"\$out\" | grep -q \"^  \$c \" || { echo \"no \$c\"; exit 1; }; done"

docs_list_options() { # every option of every command's help is in docs/operations.md
  local doc=$E2E_ROOT/docs/operations.md missing=() word cmd
  for cmd in "${!OPTIONS[@]}"; do
    for word in ${OPTIONS[$cmd]}; do
      case $word in --*) grep -q -- "$word" "$doc" || missing+=("$cmd $word") ;; esac
    done
  done
  [ ${#missing[@]} -eq 0 ] || { echo "not in docs/operations.md: ${missing[*]}"; return 1; }
}
check "docs/operations.md documents every option" docs_list_options

echo "[cli: refusals]"
refused() { # ARGS…: exit code 2, one line on stderr, nothing on stdout
  local code
  timeout 20 "$GATEHOUSE_BIN" --data-dir "$DATA" "$@" >"$WORK/out" 2>"$WORK/err" </dev/null
  code=$?
  cat "$WORK/err"
  expect_eq "$code" 2 && expect_eq "$(wc -l <"$WORK/err")" 1 && expect_eq "$(wc -c <"$WORK/out")" 0
}
while IFS= read -r line; do
  # shellcheck disable=SC2086
  check "refused with exit 2 and one line: $line" refused $line
done <<'LIST'
--bogus
bogus
help bogus
backup --bogus
restore --bogus
export --bogus
import --bogus
serve --bogus
serve extra
namespace
namespace bogus
namespace list --bogus
namespace list extra
namespace add
user --bogus
user list --bogus
user list --limit 0
user list --limit x
user add
user set-pin bob --admin --no-admin
user set-pin bob --pin 1234
user set-pin
user delete
token list --kind bogus
token list --limit -1
token list --all=yes
token revoke
outbox list --state bogus
outbox list --limit
outbox show abc
outbox show 1 --bogus
role list --bogus
role permissions extra
role add
LIST

echo "[cli: data]"
check "namespace add" bash -c "'$GATEHOUSE_BIN' --data-dir '$DATA' namespace add shop >/dev/null"
check "user add carol --email --name (password on stdin)" bash -c \
  "echo 'correct horse battery' | '$GATEHOUSE_BIN' --data-dir '$DATA' user add carol --email carol@example.test --name Carol >/dev/null"
check "user set-pin bob --role manager --admin (PIN on stdin)" bash -c \
  "echo 4821 | '$GATEHOUSE_BIN' --data-dir '$DATA' user set-pin bob --role manager --admin"

PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
start_gatehouse "$DATA" "$PORT" || { cat "$DATA/server.log"; finish cli_e2e; exit 1; }
login=$(curl -s -X POST "$BASE/auth/login" -H 'Content-Type: application/json' -d '{"name":"bob","pin":"4821"}')
check "PIN login of bob answers role manager, isAdmin true" \
  expect_eq "$(echo "$login" | jq -c '.user | [.role, .isAdmin]')" '["manager",true]'
curl -s -X POST "$BASE/send_verification" -H 'Content-Type: application/json' \
  -d '{"email":"dave@example.test"}' >/dev/null

echo "[cli: --json]"
json_of() { # JQ_TEST ARGS…: --json output is valid JSON passing the jq test, with no secrets
  local test=$1; shift
  gh "$@" --json >"$WORK/json" 2>"$WORK/err" || { cat "$WORK/err"; return 1; }
  jq -e "$test" "$WORK/json" >/dev/null || { echo "jq test failed: $test"; cat "$WORK/json"; return 1; }
  # No secret-looking field (hasPassword/hasPin are booleans, so has* is fine).
  ! jq -r '[.. | objects | keys[]] | unique[]' "$WORK/json" | grep -v '^has' |
    grep -Ei '(hash|secret|password|pin|token)$' || { echo "a secret-looking field"; return 1; }
  [ ! -s "$WORK/err" ] || { echo "stderr:"; cat "$WORK/err"; return 1; }
}
keys() { echo "type == \"array\" and length > 0 and all(.[]; keys == ($1 | sort))"; }
check "namespace list --json" json_of \
  "$(keys '["name","disabled","createdAt","createdBy"]') and any(.[]; .name == \"shop\")" namespace list
check "user list --json" json_of \
  "$(keys '["id","username","email","name","role","isAdmin","disabled","emailVerified","hasPassword","hasPin","createdAt"]')" user list
check "user list --json: bob's role is manager and isAdmin true, as the PIN login answers" json_of \
  'map(select(.username == "bob"))[0] | .role == "manager" and .isAdmin == true and .hasPin' user list
check "user list: the table shows ROLE manager and ADMIN yes for bob" \
  expect_match "$(gh user list bob | awk 'NR > 1 { print $1, $4, $5 }')" '^bob manager yes$'
check "token list --json" json_of \
  "$(keys '["id","kind","userId","user","label","state","createdAt","lastUsedAt","expiresAt","revokedAt"]') and any(.[]; .kind == \"refresh\" and .user == \"bob\")" token list
check "token list --kind refresh --all --json" json_of 'all(.[]; .kind == "refresh")' token list --kind refresh --all
check "role list --json" json_of \
  "$(keys '["name","users","permissions","createdAt"]') and any(.[]; .name == \"manager\" and .users >= 1)" role list
check "role permissions --json" json_of "$(keys '["name","description"]')" role permissions
check "outbox list --json" json_of \
  "$(keys '["id","channel","to","subject","state","attempts","error","createdAt","sentAt"]') and any(.[]; .to == \"dave@example.test\")" outbox list
check "outbox list --state held --json" json_of 'all(.[]; .state == "held")' outbox list --state held
MESSAGE_ID=$(gh outbox list --json | jq -r '.[0].id')
check "outbox show ID --json" json_of \
  'type == "object" and (keys == (["id","channel","to","subject","state","attempts","error","createdAt","sentAt","body"] | sort))' \
  outbox show "$MESSAGE_ID"
check "an empty list is [] (namespace list --json on a fresh folder)" \
  expect_eq "$("$GATEHOUSE_BIN" --data-dir "$WORK/empty" namespace list --json | jq -c .)" '[]'

echo "[cli: quiet by default]"
quiet() { # ARGS…: nothing on stderr
  gh "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; return 1; }
  [ ! -s "$WORK/err" ] || { echo "stderr:"; cat "$WORK/err"; return 1; }
}
check "user list: nothing on stderr (no keychain note) without --verbose" quiet user list
check "a fresh data folder: nothing on stderr either" bash -c \
  "'$GATEHOUSE_BIN' --data-dir '$WORK/fresh' role list >/dev/null 2>'$WORK/err2'; cat '$WORK/err2'; [ ! -s '$WORK/err2' ]"
postgres_quiet() { # two commands on one PostgreSQL database: no NOTICE (or anything) on stderr
  start_postgres || return 1
  local i
  for i in 1 2; do
    gh --database "$PG_URL" role list >/dev/null 2>"$WORK/err" || { cat "$WORK/err"; return 1; }
    [ ! -s "$WORK/err" ] || { echo "stderr of run $i:"; cat "$WORK/err"; return 1; }
  done
}
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  check "PostgreSQL: nothing on stderr (no NOTICE) on the first and the second command" postgres_quiet
else
  echo "  skip PostgreSQL quiet check (PostgreSQL is not installed)"
fi
verbose_once() {
  "$GATEHOUSE_BIN" --data-dir "$WORK/fresh2" --verbose user list >/dev/null 2>"$WORK/err" || return 1
  cat "$WORK/err"
  [ "$(grep -ci keychain "$WORK/err")" -le 1 ]
}
check "--verbose: the keychain note at most once" verbose_once

echo "[cli: gatehouse-server]"
if [ -x "$SERVER_BIN" ]; then
  check "gatehouse-server --help names itself and lists the commands" bash -c \
    "'$SERVER_BIN' --help | grep -q '^Usage: gatehouse-server' && '$SERVER_BIN' --help | grep -q '^  outbox '"
  check "gatehouse-server user --help" bash -c "'$SERVER_BIN' user --help | grep -q -- '--no-admin'"
  check "gatehouse-server token list --kind bogus: exit 2" bash -c \
    "'$SERVER_BIN' --data-dir '$DATA' token list --kind bogus 2>/dev/null; [ \$? -eq 2 ]"
  no_command_serves() {
    local port pid ok=0
    port=$(free_port)
    "$SERVER_BIN" --data-dir "$WORK/headless" --listen "127.0.0.1:$port" >"$WORK/headless.log" 2>&1 &
    pid=$!
    CLEANUP+=("kill $pid")
    wait_http "http://127.0.0.1:$port/healthz" 20 || ok=1
    kill -TERM "$pid"; wait "$pid" || ok=1
    [ $ok -eq 0 ] || cat "$WORK/headless.log"
    return $ok
  }
  check "gatehouse-server with no command serves (answers /healthz, stops on SIGTERM)" no_command_serves
else
  FAILED=$((FAILED + 1)); echo "  FAIL gatehouse-server not found at $SERVER_BIN"
fi

finish cli_e2e
