#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fills a Gatehouse SQLite database (already migrated: start `gatehouse serve` on the data
folder once) with N more users, fast: one transaction, one prepared INSERT, the users
table's secondary indexes dropped first and rebuilt afterwards from their own CREATE
statements (a sorted build instead of a million random B-tree inserts; the schema ends up
exactly as the migrations made it).

Rows look like real ones: a random UUID id, unique username benchNNNNNNN and email
benchNNNNNNN@example.com (lower case, as Users::create stores them), a display name, created
and updated times spread over three years, the email verified. Every row shares ONE
password hash: the one stored for HASH_FROM (default: the bootstrap user `admin`, password
`admin`), so each generated user signs in with that password and the server's own argon2id
parameters (no rehash on login). One hash per user would take a million argon2id runs and
change nothing about how a login or a token check finds its row.

usage: dataset.py DB_FILE N [HASH_FROM]    prints "N users in S s (database M MiB)"
"""
import os
import sqlite3
import sys
import time
import uuid

YEAR_MS = 365 * 24 * 3600 * 1000


def rows(n, first, password_hash, now_ms):
    for i in range(first, first + n):
        created = now_ms - (i * 7919 % (3 * YEAR_MS // 1000)) * 1000
        name = f"bench{i:07d}"
        yield (str(uuid.uuid4()), name, f"{name}@example.com", f"Bench User {i}",
               password_hash, created, created)


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    path, n = sys.argv[1], int(sys.argv[2])
    hash_from = sys.argv[3] if len(sys.argv) > 3 else "admin"
    if not os.path.exists(path):
        sys.exit(f"dataset.py: {path} does not exist (start gatehouse serve on its folder once)")
    started = time.monotonic()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB for the index builds
    found = db.execute("SELECT password_hash FROM users WHERE username = ? OR email = ?",
                       (hash_from, hash_from)).fetchone()
    if not found or not found[0]:
        sys.exit(f"dataset.py: no user {hash_from!r} with a password to copy the hash from")
    first = db.execute("SELECT COUNT(*) FROM users").fetchone()[0] + 1
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                         "AND tbl_name = 'users' AND sql IS NOT NULL").fetchall()
    now_ms = int(time.time() * 1000)
    db.execute("BEGIN")
    try:
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.executemany("INSERT INTO users (id, username, email, display_name, role, is_admin, "
                       "password_hash, email_verified, disabled, created_at, updated_at) "
                       "VALUES (?, ?, ?, ?, 'user', 0, ?, 1, 0, ?, ?)",
                       rows(n, first, found[0], now_ms))
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.close()
    mib = os.path.getsize(path) / 2**20
    print(f"{n} users in {time.monotonic() - started:.1f} s (database {mib:.0f} MiB)")


main()
