#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Backups and export/import end to end on the real binary: users, namespaces, a Telegram
# binding and PIN roles made through the APIs and the CLI; `gatehouse backup` taken while
# a curl loop signs up and logs in; restore refused while serving, then done into a fresh
# data folder where every user still signs in; export -> import into an empty instance,
# a second import that changes nothing, and a malformed file refused with nothing written.
. "$(dirname "$0")/lib.sh"

BOT=123456:E2E-bot-token
export CLI_API_TOKEN=backup-secret TELEGRAM_BOT_TOKEN=$BOT GATEHOUSE_SECRET_STORE=file
WORK=$(mktemp -d /tmp/gatehouse-backup-e2e.XXXXXX); CLEANUP+=("rm -rf $WORK")
CONF=$WORK/gatehouse.ini
printf '[limits]\nanonymous_writes_per_minute=0\n' >"$CONF"

gh() { # DATA_DIR COMMAND… : the CLI on one data folder
  local dir=$1; shift
  "$GATEHOUSE_BIN" "$@" --data-dir "$dir" --config "$CONF"
}
post() { # PORT PATH JSON -> "STATUS BODY"
  curl -s -o "$WORK/body" -w '%{http_code}' -X POST "http://127.0.0.1:$1$2" \
    -H "Content-Type: application/json" -d "$3"
  echo " $(cat "$WORK/body")"
}
json() { python3 -c 'import json,sys; v=json.load(sys.stdin); print(eval("v"+sys.argv[1]))' "$1"; }
init_data() { # USER_ID: initData signed as Telegram documents it
  python3 - "$1" "$BOT" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse
uid, bot = int(sys.argv[1]), sys.argv[2]
fields = {"user": json.dumps({"id": uid, "first_name": "Tg", "username": "tg%d" % uid}),
          "auth_date": str(int(time.time()))}
dcs = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
secret = hmac.new(b"WebAppData", bot.encode(), hashlib.sha256).digest()
fields["hash"] = hmac.new(secret, dcs.encode(), hashlib.sha256).hexdigest()
print(urllib.parse.urlencode(fields, quote_via=urllib.parse.quote))
PY
}
login_ok() { # PORT EMAIL PASSWORD
  expect_match "$(post "$1" /api/auth/login "{\"email\":\"$2\",\"password\":\"$3\"}")" '^200 '
}
pin_ok() { # PORT NAME PIN ROLE
  expect_match "$(post "$1" /auth/login "{\"name\":\"$2\",\"pin\":\"$3\"}")" "^200 .*\"role\":\"$4\""
}
telegram_ok() { # PORT NAMESPACE DB
  expect_match "$(post "$1" /api/auth "{\"initData\":\"$(init_data 424242)\"}")" '^200 '
  [ "$(sqlite3 "$3" "SELECT namespace FROM telegram_bindings WHERE telegram_user_id = '424242'")" = "$2" ]
}
users_in() { sqlite3 "$1" 'SELECT COUNT(*) FROM users'; }
state_of() { # DB: what export/import must carry, one line per thing
  sqlite3 "$1" "SELECT 'user ' || COALESCE(username,'') || ' ' || COALESCE(email,'') || ' ' || role || ' ' || COALESCE(password_hash,'') || ' ' || COALESCE(pin_hash,'') FROM users WHERE username IS NOT 'admin';
    SELECT 'ns ' || name || ' ' || disabled FROM namespaces;
    SELECT 'binding ' || telegram_user_id || ' ' || namespace FROM telegram_bindings;
    SELECT 'role ' || r.name || ' ' || p.name FROM pin_roles r JOIN pin_role_permissions rp ON rp.role_id = r.id JOIN pin_permissions p ON p.id = rp.permission_id;" | sort
}

echo "[backup: set-up on a serving instance]"
A=$WORK/a; mkdir -p "$A"; PA=$(free_port)
check "server A starts" start_gatehouse "$A" "$PA" --config "$CONF"
PID_A=$GATEHOUSE_PID
ADMIN=$(post "$PA" /api/auth/login '{"email":"admin","password":"admin"}' | cut -d' ' -f2- | json '["token"]')
REF=$(curl -s -X POST "http://127.0.0.1:$PA/api/auth/me/create-token" -H "Authorization: Bearer $ADMIN" | json '["token"]')
for i in 1 2 3 4; do
  check "signup user$i" expect_match "$(post "$PA" /api/auth/signup \
    "{\"referrer\":\"$REF\",\"email\":\"user$i@example.test\",\"password\":\"password-$i\"}")" '^200 '
done
check "role add kitchen (CLI)" gh "$A" role add kitchen orders_read tickets_read
check "set-pin kim as kitchen (CLI)" bash -c "echo 1234 | $(printf %q "$GATEHOUSE_BIN") user set-pin kim --role kitchen --data-dir $A --config $CONF"
check "set-pin lee as manager (CLI)" bash -c "echo 5678 | $(printf %q "$GATEHOUSE_BIN") user set-pin lee --role manager --data-dir $A --config $CONF"
check "namespace add prod (CLI)" gh "$A" namespace add prod
check "namespace staging made on first use (API)" expect_match \
  "$(post "$PA" /api/auth '{"accessToken":"backup-secret:staging"}')" '^200 '
check "namespace disable staging (CLI)" gh "$A" namespace disable staging
check "Telegram user bound to prod (API)" expect_match \
  "$(post "$PA" /api/bind "{\"initData\":\"$(init_data 424242)\",\"accessToken\":\"backup-secret:prod\"}")" '^200 '

echo "[backup while writes go on]"
LOAD=$WORK/load; : >"$LOAD.ok"
( i=0; while [ ! -e "$LOAD.stop" ]; do
    i=$((i + 1))
    [ "$(post "$PA" /api/auth/signup "{\"referrer\":\"$REF\",\"email\":\"load$i@example.test\",\"password\":\"load-password-$i\"}" | cut -c1-3)" = 200 ] \
      && echo "load$i@example.test load-password-$i" >>"$LOAD.ok"
    post "$PA" /api/auth/login '{"email":"user1@example.test","password":"password-1"}' >/dev/null
    post "$PA" /api/auth "{\"accessToken\":\"backup-secret:load$i\"}" >/dev/null
  done ) &
LOAD_PID=$!; CLEANUP+=("touch $LOAD.stop; wait $LOAD_PID")
for _ in $(seq 50); do [ "$(wc -l <"$LOAD.ok")" -ge 3 ] && break; sleep 0.2; done
check "the load is writing" test "$(wc -l <"$LOAD.ok")" -ge 3
BEFORE=$(wc -l <"$LOAD.ok")
check "gatehouse backup while serving" gh "$A" backup "$WORK/backup.db"
for n in 1 2 3; do
  gh "$A" backup "$WORK/again-$n.db" >/dev/null &&
    [ "$(sqlite3 "$WORK/again-$n.db" 'PRAGMA integrity_check')" = ok ] || echo "backup $n" >>"$WORK/bad-backups"
done
check "three more backups under load are intact" test ! -e "$WORK/bad-backups"
touch "$LOAD.stop"; wait "$LOAD_PID"
AFTER=$(wc -l <"$LOAD.ok")
check "writes went on during the backup ($BEFORE -> $AFTER signups)" test "$AFTER" -gt "$BEFORE"
check "the backup file is 0600" expect_eq "$(stat -c %a "$WORK/backup.db")" 600
check "the backup passes integrity_check" expect_eq "$(sqlite3 "$WORK/backup.db" 'PRAGMA integrity_check')" ok
check "the backup is one file (no WAL)" expect_eq "$(sqlite3 "$WORK/backup.db" 'PRAGMA journal_mode')" delete
IN_BACKUP=$(sqlite3 "$WORK/backup.db" "SELECT COUNT(*) FROM users WHERE email LIKE 'load%'")
check "the backup holds the signups before it, not more than all ($BEFORE <= $IN_BACKUP <= $AFTER)" \
  test "$IN_BACKUP" -ge "$BEFORE" -a "$IN_BACKUP" -le "$AFTER"

echo "[restore]"
OUT=$(gh "$A" restore "$WORK/backup.db" 2>&1); CODE=$?
check "restore refused while serving (exit $CODE)" expect_match "$CODE $OUT" '^1 .*in use by a running Gatehouse'
check "server A still serves after the refusal" curl -fs "http://127.0.0.1:$PA/healthz"
check "backup -> exit 2 on an unknown option" bash -c "$(printf %q "$GATEHOUSE_BIN") backup x --bogus --data-dir $A; test \$? -eq 2"
echo hello >"$WORK/junk"
OUT=$(gh "$WORK/junkdir" restore "$WORK/junk" 2>&1); CODE=$?
check "restore of a file that is not a database is refused (exit $CODE)" \
  expect_match "$CODE $OUT" '^1 .*file is not a database'
cp "$WORK/backup.db" "$WORK/future.db"
sqlite3 "$WORK/future.db" "INSERT INTO schema_migrations VALUES (999, 'future', 0)"
OUT=$(gh "$WORK/futuredir" restore "$WORK/future.db" 2>&1); CODE=$?
check "restore of a backup from a newer schema is refused (exit $CODE)" \
  expect_match "$CODE $OUT" '^1 .*comes from a newer Gatehouse \(schema version 999'
USERS_A=$(users_in "$WORK/backup.db")
kill "$PID_A"; wait "$PID_A" 2>/dev/null
B=$WORK/b; mkdir -p "$B"; cp "$A/secrets.json" "$B/" # the secrets travel with the backup
check "restore into a fresh data folder" gh "$B" restore "$WORK/backup.db"
check "a second restore keeps the replaced database" bash -c \
  "$(printf %q "$GATEHOUSE_BIN") restore $WORK/backup.db --data-dir $B | grep -q 'kept as .*before-restore-'"
PB=$(free_port)
check "server B starts on the restored database" start_gatehouse "$B" "$PB" --config "$CONF"
check "user counts match ($USERS_A)" expect_eq "$(users_in "$B/gatehouse.db")" "$USERS_A"
for i in 1 2 3 4; do check "user$i signs in on B" login_ok "$PB" "user$i@example.test" "password-$i"; done
FAILS=0
while read -r email password; do
  if sqlite3 "$WORK/backup.db" "SELECT 1 FROM users WHERE email = '$email'" | grep -q 1; then
    login_ok "$PB" "$email" "$password" >/dev/null || FAILS=$((FAILS + 1))
  fi
done <"$LOAD.ok"
check "every user signed up under load and in the backup signs in on B" expect_eq "$FAILS" 0
check "kim's PIN and role survive" pin_ok "$PB" kim 1234 kitchen
check "the Telegram binding survives" telegram_ok "$PB" prod "$B/gatehouse.db"

echo "[export and import]"
check "export --json to stdout has no hashes" bash -c \
  "$(printf %q "$GATEHOUSE_BIN") export --json --data-dir $B --config $CONF | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"sensitive\"] is False and \"argon2\" not in json.dumps(d)'"
check "export --json FILE" gh "$B" export --json "$WORK/export.json"
check "the export file is 0600 and marked sensitive" expect_eq \
  "$(stat -c %a "$WORK/export.json") $(json '["sensitive"]' <"$WORK/export.json")" "600 True"
check "the export holds no tokens or secrets" bash -c \
  "! grep -Eiq 'backup-secret|token_hash|signing|$REF' $WORK/export.json"
check "no secret of the instance is in the export (base64 or hex)" python3 -c '
import base64, json, sys
text = open(sys.argv[1]).read()
for name, value in json.load(open(sys.argv[2])).items():
    raw = base64.b64decode(value)
    for form in (value, raw.hex(), raw.decode("latin-1")):
        assert len(form) < 8 or form not in text, name
' "$WORK/export.json" "$B/secrets.json"
C=$WORK/c; mkdir -p "$C"
check "an empty instance C is created" gh "$C" namespace list
printf '{"format":"gatehouse-export","version":1,"namespaces":[{"name":"fine"}],"users":[{"id":"x","role":"user","email":"nope"}]}' >"$WORK/bad.json"
BEFORE_BAD=$(state_of "$C/gatehouse.db")
OUT=$(gh "$C" import "$WORK/bad.json" 2>&1); CODE=$?
check "a malformed file is refused (exit $CODE) naming the place" expect_match "$CODE $OUT" '^1 .*users\[0\]\.email'
check "the malformed file wrote nothing" expect_eq "$(state_of "$C/gatehouse.db")" "$BEFORE_BAD"
check "import into C" gh "$C" import "$WORK/export.json"
check "C has the same users, namespaces, bindings and roles" expect_eq \
  "$(state_of "$C/gatehouse.db")" "$(state_of "$B/gatehouse.db")"
OUT=$(gh "$C" import "$WORK/export.json")
check "a second import changes nothing" expect_eq "$(echo "$OUT" | grep -cE ' 0 created, 0 updated')" 6
PC=$(free_port)
check "server C starts" start_gatehouse "$C" "$PC" --config "$CONF"
check "user2 signs in on C" login_ok "$PC" user2@example.test password-2
check "lee signs in by PIN on C as manager" pin_ok "$PC" lee 5678 manager
check "the Telegram binding works on C (new secrets)" telegram_ok "$PC" prod "$C/gatehouse.db"
echo "[import into PostgreSQL]"
if start_postgres >/dev/null 2>&1; then
  D=$WORK/d; mkdir -p "$D"
  OUT=$(gh "$D" import "$WORK/export.json" --database "$PG_URL" 2>&1)
  check "import into PostgreSQL" expect_match "$OUT" 'users: +[0-9]+ created'
  OUT=$(gh "$D" import "$WORK/export.json" --database "$PG_URL" 2>&1)
  check "a second import into PostgreSQL changes nothing" \
    expect_eq "$(echo "$OUT" | grep -cE ' 0 created, 0 updated')" 6
  portable() { # EXPORT JSON -> users, namespaces, bindings and roles, sorted, without times
    python3 -c 'import json,sys
d=json.load(sys.stdin)
print(sorted((u["email"],u["username"],u["role"],u["password_hash"],u["pin_hash"]) for u in d["users"] if u["username"]!="admin"))
print(sorted((n["name"],n["disabled"]) for n in d["namespaces"]))
print(sorted((b["telegram_user_id"],b["namespace"]) for b in d["telegram_bindings"]))
print(sorted((r["name"],r["permissions"]) for r in d["pin_roles"]))'
  }
  gh "$D" export --json "$WORK/pg.json" --database "$PG_URL" 2>/dev/null
  check "PostgreSQL holds what SQLite exported" expect_eq \
    "$(portable <"$WORK/pg.json")" "$(portable <"$WORK/export.json")"
  OUT=$(gh "$D" backup "$WORK/pg-backup.db" --database "$PG_URL" 2>&1); CODE=$?
  check "backup on PostgreSQL says to use pg_dump (exit $CODE)" expect_match "$CODE $OUT" '^1 .*pg_dump'
else
  echo "  (PostgreSQL is not installed: skipped)"
fi
finish backup_e2e
