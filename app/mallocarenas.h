// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <functional>

// glibc gives every thread that allocates its own malloc arena (up to 8 per core), each
// holding freed memory of its own: a server with a few listener and worker threads
// keeps several of them. Two are enough for our threads' short allocations.
void limitMallocArenas();
// Returns what start-up freed (settings, migrations, the first statements) to the
// system once the server listens, after `release` (what start-up held that can go);
// later, glibc's own trimming applies.
void trimMallocSoon(std::function<void()> release = {});
