// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "router.h"

class Services;

// The HTTP side of RateLimits: a refusal is an ApiError 429 with Retry-After, which the
// route's error shape turns into its documented body.
namespace AnonymousLimits {

// Counts one anonymous write against the caller's address; throws 429 when spent.
void takeIp(Services &services, const Request &request);
// Counts one message to an email address or phone number, whoever asks; throws 429.
void takeTarget(Services &services, const QString &kind, const QString &target);
// `handler`, after takeIp(): for a route table's anonymous writes.
Handler wrap(Services &services, Handler handler);

} // namespace AnonymousLimits
