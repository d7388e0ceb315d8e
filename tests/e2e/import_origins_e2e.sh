#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Switching from Ambrosia POS and hapi (docs/migrating.md): origin-shaped SQLite databases made
# here with Python (Ambrosia's PINs hashed with hashlib exactly as its SecurePinProcessor does),
# imported with the real `gatehouse import ambrosia|hapi`, then signed in to through the origin
# clients' own calls (tests/compat: Ambrosia's auth service behind its Next routes, hapi's useAuth)
# with the original PIN and the original Telegram binding. The PIN is re-hashed to argon2id at
# the first sign-in, and importing again changes nothing, before and after that.
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
COMPAT=$(cd "$HERE/../compat" && pwd)
SYSPY=/usr/bin/python3 # Debian's, which has python3-passlib
export GATEHOUSE_SECRET_STORE=file

need() { echo "import_origins_e2e: $1"; echo "import_origins_e2e: 0 passed, 1 failed"; exit 1; }
command -v node >/dev/null || need "node is not installed"
"$SYSPY" -c 'import passlib' 2>/dev/null || need "python3-passlib is not installed"
if [ ! -d "$COMPAT/node_modules/esbuild" ]; then
  (cd "$COMPAT" && npm ci --no-audit --no-fund --loglevel=error) || need "npm ci failed in tests/compat"
fi

WORK=$(mktemp -d /tmp/gatehouse-import.XXXXXX); CLEANUP+=("rm -rf $WORK")
DATA=$WORK/data; mkdir -p "$DATA"
GDB=$DATA/gatehouse.db
PORT=$(free_port)
BASE=http://127.0.0.1:$PORT
BOT=123456:import-bot-token
export CLI_API_TOKEN=hapi-cli-secret TELEGRAM_BOT_TOKEN=$BOT # hapi's own, given to Gatehouse
GH=("$GATEHOUSE_BIN" --data-dir "$DATA")
SECRET='Xq9-ambrosia-conf-secret' # the secret= line of Ambrosia's ambrosia.conf
SECRET_FILE=$WORK/ambrosia-secret; echo "$SECRET" >"$SECRET_FILE"

sql() { "$SYSPY" -c 'import sqlite3,sys; print("\n".join("|".join(map(str, r)) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])))' "$GDB" "$1"; }
# Everything an import writes, to compare before and after a second run.
contents() {
  sql "SELECT id, username, email, display_name, role, is_admin, pin_hash, updated_at FROM users ORDER BY id"
  sql "SELECT r.name, p.name FROM pin_roles r LEFT JOIN pin_role_permissions rp ON rp.role_id = r.id LEFT JOIN pin_permissions p ON p.id = rp.permission_id ORDER BY 1, 2"
  sql "SELECT name, disabled FROM namespaces ORDER BY name"
  sql "SELECT telegram_user_id, namespace, secret_fingerprint, bound_at FROM telegram_bindings ORDER BY 1"
}
pin_hash() { sql "SELECT pin_hash FROM users WHERE username = '$1'"; }

echo "[origin databases]"
check "Ambrosia-shaped database (its migrations' tables; PINs by hashlib PBKDF2 as Ambrosia)" \
  "$SYSPY" - "$WORK/ambrosia.db" "$SECRET" <<'EOF'
import base64, hashlib, sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1]); secret = sys.argv[2]
db.executescript("""
CREATE TABLE roles (id BLOB PRIMARY KEY, role TEXT NOT NULL UNIQUE, password TEXT,
  isAdmin BOOLEAN NOT NULL DEFAULT 0, is_deleted BOOLEAN NOT NULL DEFAULT 0);
CREATE TABLE users (id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE, pin TEXT NOT NULL,
  refresh_token TEXT, is_deleted BOOLEAN NOT NULL DEFAULT 0, role_id BLOB, email TEXT, phone TEXT,
  wallet_token TEXT, FOREIGN KEY (role_id) REFERENCES roles (id) ON DELETE SET NULL);
CREATE TABLE permissions (id BLOB PRIMARY KEY, name TEXT NOT NULL UNIQUE, description TEXT,
  enabled BOOLEAN NOT NULL DEFAULT 1);
CREATE TABLE role_permissions (role_id BLOB NOT NULL, permission_id BLOB NOT NULL,
  PRIMARY KEY (role_id, permission_id));
""")
perms = ["orders_read", "orders_create", "products_read", "tickets_read", "users_read",
         "settings_update", "kitchen_display"]  # the last is no permission Gatehouse knows
for p in perms:
    db.execute("INSERT INTO permissions VALUES (lower(hex(randomblob(16))), ?, ?, 1)", (p, p))
roles = {"Admin": (1, perms), "Cajero": (0, perms[:4] + ["kitchen_display"]), "Idle": (0, [])}
for name, (admin, granted) in roles.items():
    rid = str(uuid.uuid4())
    db.execute("INSERT INTO roles (id, role, isAdmin) VALUES (?, ?, ?)", (rid, name, admin))
    for p in granted:
        db.execute("INSERT INTO role_permissions SELECT ?, id FROM permissions WHERE name = ?", (rid, p))
    roles[name] = rid
# SecurePinProcessor.hashPinForStorage: PBKDF2WithHmacSHA256(pin, secret + id, 10000, 256 bits)
def pin_hash(pin, uid):
    return base64.b64encode(hashlib.pbkdf2_hmac("sha256", pin.encode(), (secret + uid).encode(), 10000, 32)).decode()
for name, pin, role in [("cashier1", "4821", "Cajero"), ("idle1", "5930", "Idle"), ("boss", "777777", "Admin")]:
    uid = str(uuid.uuid4())
    db.execute("INSERT INTO users (id, name, pin, role_id, phone) VALUES (?, ?, ?, ?, ?)",
               (uid, name, pin_hash(pin, uid), roles[role], "+52 55 1234 5678"))
db.commit()
EOF
check "hapi-shaped database (hub/src/store: users(platform, platform_user_id, namespace))" \
  "$SYSPY" - "$WORK/hapi.db" <<'EOF'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1]); now = int(time.time() * 1000)
db.executescript("""
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL,
  platform_user_id TEXT NOT NULL, namespace TEXT NOT NULL DEFAULT 'default',
  created_at INTEGER NOT NULL, UNIQUE(platform, platform_user_id));
""")
db.executemany("INSERT INTO users (platform, platform_user_id, namespace, created_at) VALUES (?, ?, ?, ?)",
               [("telegram", "5550001", "crew", now), ("telegram", "5550002", "default", now),
                ("slack", "U0123", "crew", now)])
db.commit()
EOF

echo "[import]"
check "server database made (gatehouse role list)" "${GH[@]}" role list
dry_run() {
  local before; before=$(contents)
  "${GH[@]}" import ambrosia "sqlite:$WORK/ambrosia.db" --ambrosia-secret-file "$SECRET_FILE" --dry-run &&
    "${GH[@]}" import hapi "sqlite:$WORK/hapi.db" --dry-run && expect_eq "$(contents)" "$before"
}
import_both() { # the secret on standard input this time
  echo "$SECRET" | "${GH[@]}" import ambrosia "sqlite:$WORK/ambrosia.db" &&
    "${GH[@]}" import hapi "sqlite:$WORK/hapi.db"
}
check "import ambrosia and hapi with --dry-run write nothing" dry_run
OUT=$("${GH[@]}" import ambrosia "sqlite:$WORK/ambrosia.db" --ambrosia-secret-file "$SECRET_FILE" 2>&1); RC=$?
echo "$OUT" | sed 's/^/       /'
check "gatehouse import ambrosia sqlite:… --ambrosia-secret-file …" expect_eq "$RC" 0
check "the run lists what stays behind (an unknown permission, phone numbers)" \
  bash -c 'echo "$1" | grep -q "kitchen_display" && echo "$1" | grep -q "phone numbers"' _ "$OUT"
check "roles carried with their permissions (cajero, idle, admin)" expect_eq \
  "$(sql "SELECT r.name || ':' || COUNT(rp.permission_id) FROM pin_roles r LEFT JOIN pin_role_permissions rp ON rp.role_id = r.id WHERE r.name IN ('cajero', 'idle', 'admin') GROUP BY r.name ORDER BY r.name")" \
  "$(printf 'admin:6\ncajero:4\nidle:0')"
check "users carried with their role and isAdmin" expect_eq \
  "$(sql "SELECT username || ':' || role || ':' || is_admin FROM users WHERE username IN ('cashier1', 'idle1', 'boss') ORDER BY username")" \
  "$(printf 'boss:admin:1\ncashier1:cajero:0\nidle1:idle:0')"
check "the imported PIN hash is passlib's pbkdf2_sha256 and passlib verifies the original PIN" \
  "$SYSPY" -c 'import sys; from passlib.hash import pbkdf2_sha256 as h; sys.exit(not (h.verify("4821", sys.argv[1]) and not h.verify("4822", sys.argv[1])))' \
  "$(pin_hash cashier1)"
OUT=$("${GH[@]}" import hapi "sqlite:$WORK/hapi.db" 2>&1); RC=$?
echo "$OUT" | sed 's/^/       /'
check "gatehouse import hapi sqlite:…" expect_eq "$RC" 0
check "the run lists the binding of another platform (slack)" bash -c 'echo "$1" | grep -q "slack"' _ "$OUT"
check "Telegram bindings carried per namespace" expect_eq \
  "$(sql "SELECT telegram_user_id || ':' || namespace FROM telegram_bindings ORDER BY 1")" \
  "$(printf '5550001:crew\n5550002:default')"
BEFORE=$(contents)
check "importing Ambrosia and hapi again" import_both
check "… the database is the same" expect_eq "$(contents)" "$BEFORE"

echo "[sign in through the origin clients]"
check "server starts" start_gatehouse "$DATA" "$PORT"
ENV_JSON=$("$SYSPY" -c 'import json,sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
  base "$BASE" cliToken "$CLI_API_TOKEN" botToken "$BOT" pinUser cashier1 pin 4821 \
  idleUser idle1 idlePin 5930 tgId 5550001 ns crew)
run_client() { # DRIVER [page origin]: the driver's "ok"/"FAIL" lines count as checks
  local name=$1 env=$ENV_JSON line before=$((PASSED + FAILED))
  [ -n "${2:-}" ] && env=$(echo "$ENV_JSON" | "$SYSPY" -c 'import json,sys; e=json.load(sys.stdin); e["page"]=sys.argv[1]; print(json.dumps(e))' "$2")
  while IFS= read -r line; do
    echo "$line"
    case "$line" in
      "  ok   "*) PASSED=$((PASSED + 1)) ;;
      "  FAIL "*) FAILED=$((FAILED + 1)) ;;
    esac
  done < <(COMPAT_ENV=$env timeout 120 node "$COMPAT/run.mjs" "$name" 2>&1)
  [ $((PASSED + FAILED)) -gt "$before" ] || { FAILED=$((FAILED + 1)); echo "  FAIL $name: the driver ran no step"; }
}
run_client ambrosia "http://127.0.0.1:$(free_port)/" # Ambrosia's client, the imported PINs
check "cashier1's PIN was re-hashed to argon2id at the first sign-in" \
  expect_match "$(pin_hash cashier1)" '^\$argon2id\$v=19\$m=19456,t=2,p=1\$'
check "boss has not signed in: still the imported hash" expect_match "$(pin_hash boss)" '^\$pbkdf2-sha256\$10000\$'
check "the re-hash is audited (pin.rehash)" expect_eq \
  "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'pin.rehash' AND subject = (SELECT id FROM users WHERE username = 'cashier1')")" 1
run_client hapi-imported # hapi's useAuth, the imported binding

echo "[import again after signing in]"
kill "$GATEHOUSE_PID" 2>/dev/null; wait "$GATEHOUSE_PID" 2>/dev/null
AFTER=$(contents)
check "importing Ambrosia and hapi a third time, after the sign-ins" import_both
check "… the database is the same" expect_eq "$(contents)" "$AFTER"
check "… and cashier1's hash is still argon2id" expect_match "$(pin_hash cashier1)" '^\$argon2id\$'

finish "import_origins_e2e"
