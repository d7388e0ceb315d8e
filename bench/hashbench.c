// SPDX-License-Identifier: GPL-3.0-or-later
// The argon2id bound of bench/login_storm.sh, measured the way the storm hashes: THREADS
// threads at nice NICE (the server's worker priority) each verifying a password against a
// libsodium argon2id hash with the server's parameters (OPS passes over MEM_KIB KiB, read
// from a stored hash) for SECONDS. Prints "hashes/s per-hash-ms cpu-ms-per-hash": the
// machine's argon2id throughput with that many hashes at once, HTTP, SQL and JSON left out,
// and the CPU time (user + system, the page faults of libsodium's 19 MiB map included) of
// one hash.
//
// usage: hashbench OPS MEM_KIB THREADS SECONDS NICE
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>

static unsigned long long ops;
static size_t mem;
static int niceness;
static double seconds;
static char stored[crypto_pwhash_STRBYTES];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *run(void *count)
{
    setpriority(PRIO_PROCESS, 0, niceness); // this thread only, as the server's workers do
    const double end = now() + seconds;
    while (now() < end) {
        if (crypto_pwhash_str_verify(stored, "bench", 5) != 0)
            abort();
        ++*(long *)count;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 6 || sodium_init() < 0)
        return 2;
    ops = strtoull(argv[1], NULL, 10);
    mem = strtoull(argv[2], NULL, 10) * 1024;
    const int threads = atoi(argv[3]);
    seconds = atof(argv[4]);
    niceness = atoi(argv[5]);
    if (threads < 1 || threads > 256 ||
        crypto_pwhash_argon2id_str(stored, "bench", 5, ops, mem) != 0)
        return 2;
    pthread_t ids[256];
    long counts[256] = {0};
    const double start = now();
    for (int i = 0; i < threads; ++i)
        pthread_create(&ids[i], NULL, run, &counts[i]);
    long total = 0;
    for (int i = 0; i < threads; ++i) {
        pthread_join(ids[i], NULL);
        total += counts[i];
    }
    const double elapsed = now() - start;
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    const double cpu = (double)usage.ru_utime.tv_sec + (double)usage.ru_utime.tv_usec / 1e6 +
                       (double)usage.ru_stime.tv_sec + (double)usage.ru_stime.tv_usec / 1e6;
    printf("%.1f %.2f %.2f\n", (double)total / elapsed, 1000.0 * elapsed * threads / (double)total,
           1000.0 * cpu / (double)total);
    return 0;
}
