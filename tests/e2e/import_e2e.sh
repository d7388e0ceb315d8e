#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `gatehouse import ORIGIN SOURCE` with the real binary (docs/migrating.md): an origin-shaped
# database is written by Python with hashes from independent libraries (Debian's passlib and
# argon2-cffi, called as the origin calls them), imported, and its people then sign in through
# the origin client's own code (tests/compat) with their original passwords. One section per
# origin; each adds its checks to the same counts. Run one with IMPORT_ORIGINS="lncrawl".
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
COMPAT=$(cd "$HERE/../compat" && pwd)
SYSPY=/usr/bin/python3 # Debian's, which has python3-passlib and python3-argon2
export GATEHOUSE_SECRET_STORE=file

need() { echo "import_e2e: $1"; echo "import_e2e: 0 passed, 1 failed"; exit 1; }
"$SYSPY" -c 'import passlib, argon2' 2>/dev/null || need "python3-passlib / python3-argon2 are not installed"
command -v node >/dev/null || need "node is not installed"
if [ ! -d "$COMPAT/node_modules/esbuild" ]; then
  (cd "$COMPAT" && npm ci --no-audit --no-fund --loglevel=error) || need "npm ci failed in tests/compat"
fi
WORK=$(mktemp -d /tmp/gatehouse-import.XXXXXX); CLEANUP+=("rm -rf $WORK")

# run_driver NAME ENV_JSON: a tests/compat driver; its "ok"/"FAIL" lines count here.
run_driver() {
  local line before=$((PASSED + FAILED))
  while IFS= read -r line; do
    echo "$line"
    case "$line" in
      "  ok   "*) PASSED=$((PASSED + 1)) ;;
      "  FAIL "*) FAILED=$((FAILED + 1)) ;;
    esac
  done < <(COMPAT_ENV=$2 timeout 120 node "$COMPAT/run.mjs" "$1" 2>&1)
  [ $((PASSED + FAILED)) -gt "$before" ] || { FAILED=$((FAILED + 1)); echo "  FAIL $1: the driver ran no step"; }
}
users_table() { # DATA: Gatehouse's users, sorted, as text
  sqlite3 "$1/gatehouse.db" "SELECT id, email, role, is_admin, tier, disabled, email_verified, referrer_id, password_hash FROM users ORDER BY id"
}
tokens_table() { sqlite3 "$1/gatehouse.db" "SELECT user_id, token_hash, expires_at FROM issued_tokens WHERE kind = 'api_token' ORDER BY token_hash"; }

import_lncrawl() {
  echo "[lncrawl]"
  local origin=$WORK/lncrawl-data data=$WORK/gh-lncrawl port out before after
  mkdir -p "$origin/db" "$data"
  local users='[
    {"id": "7c1e0a62f1d04b0c9a1b2c3d4e5f6071", "email": "owner@novels.test", "password": "owner pass 1",
     "name": "Server Admin", "role": "ADMIN", "tier": 2, "is_verified": true},
    {"id": "a9f3b5c7d9e1f3a5b7c9d1e3f5a7b9c1", "email": "Reader@Novels.test", "password": "reader pass 2",
     "name": "Ada Reader", "role": "USER", "tier": 1, "is_verified": true,
     "referrer_id": "7c1e0a62f1d04b0c9a1b2c3d4e5f6071",
     "tokens": [{"token": "Rk8mPq2xYz", "expires_in_ms": 864000000}, {"token": "OldTok1234", "expires_in_ms": -1000}]},
    {"id": "b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0", "email": "gone@novels.test", "password": "gone pass 3",
     "name": "Gone", "role": "USER", "tier": 0, "is_active": false}]'
  local db=$origin/db/lncrawl.db
  check "origin database written (lncrawl schema, passlib argon2 hashes)" \
    "$SYSPY" "$HERE/import/lncrawl_db.py" "$db" "$users"
  local sum; sum=$(sha256sum "$db")
  GH=("$GATEHOUSE_BIN" --data-dir "$data")
  out=$("${GH[@]}" import lncrawl "sqlite:$db" --dry-run 2>&1)
  check "--dry-run previews the users and counts them" expect_match "$out" "reader@novels.test +role user, tier 1"
  check "--dry-run: 3 users would be created, 1 API token" expect_match "$(echo $out)" "users: +3 created.*api tokens: +1 created"
  check "--dry-run writes nothing" expect_eq "$(users_table "$data" | grep -c novels.test)" 0
  out=$("${GH[@]}" import lncrawl "sqlite:$db" 2>&1)
  check "import: 3 users created, 1 live API token (the expired one stays)" \
    expect_match "$(echo $out)" "users: +3 created, 0 updated, 0 skipped .* api tokens: +1 created, 1 skipped"
  check "import lists what is not carried (sessions, secrets table)" \
    expect_match "$(echo $out)" "not carried over: .*login sessions.*secrets table"
  check "the origin database is untouched (opened read-only)" expect_eq "$(sha256sum "$db")" "$sum"
  check "the imported hash is the origin's (passlib m=102400, p=8) until first sign-in" \
    expect_match "$(users_table "$data" | grep reader@)" 'argon2id\$v=19\$m=102400,t=2,p=8\$'
  check "the API token is stored hashed, never in clear" \
    bash -c "! grep -q Rk8mPq2xYz '$data/gatehouse.db' && ! sqlite3 '$data/gatehouse.db' .dump | grep -q Rk8mPq2xYz"
  before=$(users_table "$data"; tokens_table "$data")
  out=$("${GH[@]}" import lncrawl "$origin" 2>&1) # the data folder this time
  check "second import (from the data folder) changes nothing" \
    expect_match "$(echo $out)" "users: +0 created, 0 updated, 3 skipped .* api tokens: +0 created, 2 skipped"
  check "second import: users and tokens tables identical" expect_eq "$(users_table "$data"; tokens_table "$data")" "$before"
  check "a usage error exits 2" bash -c '"$@" import lncrawl; [ $? -eq 2 ]' _ "${GH[@]}"
  check "an unreadable source is refused, exit 1" bash -c '"$@" import lncrawl sqlite:/nonexistent.db; [ $? -eq 1 ]' _ "${GH[@]}"

  port=$(free_port)
  check "server starts" start_gatehouse "$data" "$port"
  local env
  env=$("$SYSPY" -c 'import json,sys; print(json.dumps({"base": sys.argv[1], "users": [
      {"id": "7c1e0a62f1d04b0c9a1b2c3d4e5f6071", "email": "owner@novels.test", "password": "owner pass 1",
       "name": "Server Admin", "role": "admin", "tier": 2, "verified": True},
      {"id": "a9f3b5c7d9e1f3a5b7c9d1e3f5a7b9c1", "email": "reader@novels.test", "password": "reader pass 2",
       "name": "Ada Reader", "role": "user", "tier": 1, "verified": True, "token": "Rk8mPq2xYz"}],
      "inactive": {"email": "gone@novels.test", "password": "gone pass 3"}}))' "http://127.0.0.1:$port")
  run_driver lncrawl_import "$env"
  check "after the first sign-in the hash is Gatehouse's argon2id (m=19456, t=2, p=1)" \
    expect_match "$(users_table "$data" | grep reader@)" 'argon2id\$v=19\$m=19456,t=2,p=1\$'
  kill "$GATEHOUSE_PID"; wait "$GATEHOUSE_PID" 2>/dev/null # flushes the audit log
  check "the re-hash is in the audit log" \
    expect_match "$(sqlite3 "$data/gatehouse.db" "SELECT action FROM audit_log")" "account.password.rehash"
  before=$(users_table "$data")
  out=$("${GH[@]}" import lncrawl "sqlite:$db" 2>&1)
  check "import after sign-in keeps the re-hashed passwords (nothing updated)" \
    expect_match "$(echo $out)" "users: +0 created, 0 updated, 3 skipped"
  check "import after sign-in: users table identical" expect_eq "$(users_table "$data")" "$before"

  # lightnovel-crawler's server runs on PostgreSQL (its alembic schema); SOURCE as a URL.
  if start_postgres >/dev/null 2>&1; then
    local psql hash pgdata=$WORK/gh-lncrawl-pg
    psql=$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
    hash=$("$SYSPY" -c 'from passlib.context import CryptContext as C; print(C(schemes=["argon2"]).hash("pg pass 4"))')
    check "PostgreSQL origin written (users, user_tokens)" "$psql" -q -v ON_ERROR_STOP=1 "$PG_URL" -c "
      CREATE TABLE users (id VARCHAR PRIMARY KEY, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        extra JSON NOT NULL, referrer_id VARCHAR REFERENCES users(id) ON DELETE SET NULL,
        password VARCHAR NOT NULL, email VARCHAR NOT NULL UNIQUE, name VARCHAR, role VARCHAR(5) NOT NULL,
        tier SMALLINT NOT NULL, is_active BOOLEAN NOT NULL, is_verified BOOLEAN DEFAULT false NOT NULL);
      CREATE TABLE user_tokens (token CHAR(10) PRIMARY KEY, user_id VARCHAR NOT NULL REFERENCES users(id),
        expires_at BIGINT NOT NULL);
      INSERT INTO users VALUES ('pg1', 1, 1, '{}', NULL, '$hash', 'pg@novels.test', 'Pg User', 'USER', 2, true, true);
      INSERT INTO user_tokens VALUES ('PgTok12345', 'pg1', $(( $(date +%s) * 1000 + 86400000 )));"
    mkdir -p "$pgdata"
    out=$("$GATEHOUSE_BIN" --data-dir "$pgdata" import lncrawl "$PG_URL" 2>&1)
    check "import from postgresql://: 1 user, 1 API token" \
      expect_match "$(echo $out)" "users: +1 created.* api tokens: +1 created"
    check "imported from PostgreSQL: tier 2, verified, the passlib hash" \
      expect_match "$(users_table "$pgdata")" '^pg1\|pg@novels.test\|user\|0\|2\|0\|1\|\|\$argon2id\$v=19\$m=102400'
  else
    echo "  (PostgreSQL not installed: the postgresql:// source is not checked)"
  fi
}

for origin in ${IMPORT_ORIGINS:-lncrawl}; do
  "import_$origin"
done

finish "import_e2e"
