# SPDX-License-Identifier: GPL-3.0-or-later
# usage: lncrawl_db.py DB_FILE USERS_JSON
# Writes an SQLite database shaped as lightnovel-crawler's (lncrawl/migrations/versions/
# 2026_03_06_08_21_49_initial.py for users, verifiedemail, user_tokens and secrets, plus the
# later is_verified column and the 2026_07_14 drop_native_enums change: role as the SQLAlchemy
# Enum member NAME in a VARCHAR, tier as an integer). Passwords are hashed exactly as
# lncrawl/services/users.py does: passlib CryptContext(schemes=["argon2"], deprecated="auto").
# USERS_JSON: [{"id", "email", "password", "name", "role", "tier", "is_active", "is_verified",
#               "referrer_id", "tokens": [{"token", "expires_at"}]}]
import json
import sqlite3
import sys
import time

from passlib.context import CryptContext

SCHEMA = """
CREATE TABLE users (
    id VARCHAR NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    extra JSON NOT NULL,
    referrer_id VARCHAR,
    password VARCHAR NOT NULL,
    email VARCHAR NOT NULL,
    name VARCHAR,
    role VARCHAR(5) NOT NULL,
    tier SMALLINT NOT NULL,
    is_active BOOLEAN NOT NULL,
    is_verified BOOLEAN DEFAULT 0 NOT NULL,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    CONSTRAINT users_referrer_id_fkey FOREIGN KEY(referrer_id) REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX ix_users_created_at ON users (created_at);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE INDEX ix_users_updated_at ON users (updated_at);
CREATE TABLE verifiedemail (
    email VARCHAR NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT verifiedemail_pkey PRIMARY KEY (email)
);
CREATE TABLE user_tokens (
    token CHAR(10) NOT NULL,
    user_id VARCHAR NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (token),
    FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE TABLE secrets (
    user_id VARCHAR NOT NULL,
    name VARCHAR(255) NOT NULL,
    value BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    CONSTRAINT secrets_pkey PRIMARY KEY (name),
    CONSTRAINT secrets_user_id_fkey FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
"""


def main(path, users_json):
    passlib = CryptContext(schemes=["argon2"], deprecated="auto")
    users = json.loads(users_json)
    now = int(time.time() * 1000)
    db = sqlite3.connect(path)
    db.executescript(SCHEMA)
    for i, u in enumerate(users):
        db.execute(
            "INSERT INTO users (id, created_at, updated_at, extra, referrer_id, password, email,"
            " name, role, tier, is_active, is_verified) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (u["id"], now - 100000 + i, now, json.dumps({"email_alerts": {}}),
             u.get("referrer_id"), passlib.hash(u["password"]), u["email"], u.get("name"),
             u["role"], u["tier"], int(u.get("is_active", True)), int(u.get("is_verified", False))))
        for t in u.get("tokens", []):
            db.execute("INSERT INTO user_tokens (token, user_id, expires_at) VALUES (?,?,?)",
                       (t["token"], u["id"], now + t["expires_in_ms"]))
    db.execute("INSERT INTO secrets VALUES (?, 'novelupdates-cookie', x'00', ?)",
               (users[0]["id"], now))
    db.commit()
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
