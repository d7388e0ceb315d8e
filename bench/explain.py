#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs EXPLAIN QUERY PLAN on every distinct SELECT, UPDATE and DELETE in TRACE_FILE (written
by bench/sqltrace.c) against DB_FILE and fails if one scans a table of at least MIN_ROWS rows
without an index. Prints one line per statement with its plan.

usage: explain.py DB_FILE TRACE_FILE [MIN_ROWS=10000]
"""
import re
import sqlite3
import sys


def plan(db, sql):
    names = re.findall(r"(?<![:\w]):(\w+)", sql)
    params = {n: None for n in names} if names else (None,) * sql.count("?")
    return [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]


def main():
    path, trace = sys.argv[1], sys.argv[2]
    min_rows = int(sys.argv[3]) if len(sys.argv) > 3 else 10000
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    statements = sorted({line.strip() for line in open(trace)
                         if re.match(r"\s*(SELECT|UPDATE|DELETE)\b", line, re.I)
                         and "sqlite_master" not in line})
    if not statements:
        sys.exit("explain.py: the trace holds no statement")
    bad = 0
    for sql in statements:
        steps = plan(db, sql)
        scans = [s for s in steps if re.match(r"SCAN (\w+)", s) and "INDEX" not in s]
        big = [s for s in scans
               if db.execute(f'SELECT COUNT(*) FROM "{s.split()[1]}"').fetchone()[0] >= min_rows]
        bad += bool(big)
        print(f"  {'UNINDEXED' if big else 'ok':9} {sql[:110]}{'…' if len(sql) > 110 else ''}")
        print(f"            {' | '.join(steps)}")
    print(f"  {len(statements)} statements, {bad} scanning a table of {min_rows}+ rows")
    sys.exit(1 if bad else 0)


main()
