// SPDX-License-Identifier: GPL-3.0-or-later
// LD_PRELOAD shim for bench/scale.sh: appends every SQL statement SQLite prepares to the
// file named by SQLTRACE_FILE (one a line, UTF-16 text narrowed to ASCII), then calls the
// real function. Lets the benchmark EXPLAIN exactly the statements a login and a token
// check run, instead of a list that drifts from the code.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void record(const void *sql, int bytes, int wide)
{
    const char *path = getenv("SQLTRACE_FILE");
    if (!path || !sql)
        return;
    pthread_mutex_lock(&lock);
    FILE *out = fopen(path, "a");
    if (out) {
        for (int i = 0; bytes < 0 || i < bytes; i += wide ? 2 : 1) {
            const unsigned char *p = (const unsigned char *)sql + i;
            unsigned c = wide ? p[0] | p[1] << 8 : p[0];
            if (c == 0)
                break;
            fputc(c == '\n' ? ' ' : c < 128 ? (int)c : '?', out);
        }
        fputc('\n', out);
        fclose(out);
    }
    pthread_mutex_unlock(&lock);
}

typedef int (*v2_fn)(sqlite3 *, const void *, int, sqlite3_stmt **, const void **);
typedef int (*v3_fn)(sqlite3 *, const void *, int, unsigned, sqlite3_stmt **, const void **);

int sqlite3_prepare_v2(sqlite3 *db, const char *sql, int n, sqlite3_stmt **st, const char **tail)
{
    record(sql, n, 0);
    return ((v2_fn)dlsym(RTLD_NEXT, "sqlite3_prepare_v2"))(db, sql, n, st, (const void **)tail);
}

int sqlite3_prepare_v3(sqlite3 *db, const char *sql, int n, unsigned f, sqlite3_stmt **st,
                       const char **tail)
{
    record(sql, n, 0);
    return ((v3_fn)dlsym(RTLD_NEXT, "sqlite3_prepare_v3"))(db, sql, n, f, st, (const void **)tail);
}

int sqlite3_prepare16_v2(sqlite3 *db, const void *sql, int n, sqlite3_stmt **st, const void **tail)
{
    record(sql, n, 1);
    return ((v2_fn)dlsym(RTLD_NEXT, "sqlite3_prepare16_v2"))(db, sql, n, st, tail);
}

int sqlite3_prepare16_v3(sqlite3 *db, const void *sql, int n, unsigned f, sqlite3_stmt **st,
                         const void **tail)
{
    record(sql, n, 1);
    return ((v3_fn)dlsym(RTLD_NEXT, "sqlite3_prepare16_v3"))(db, sql, n, f, st, tail);
}
