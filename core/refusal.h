// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <exception>

// Why core refused to do something: the one refusal type of the whole tree. Core throws
// it, or returns it inside a Result<T>; each HTTP surface maps `kind` to its documented
// status and body in one exhaustive switch, and the CLI and console show `message`.
// A new Kind therefore breaks every surface's build (-Wswitch) until it is mapped.
struct Refusal : std::exception
{
    enum class Kind {
        BadCredentials,      // wrong password, PIN, signature or bearer token (one answer for all)
        Inactive,            // the account is disabled
        InvalidInput,        // a value that breaks a rule; `message` names the field
        TokenInvalid,        // a token or signed payload that does not verify
        TokenExpired,        // a token past its life
        Conflict,            // it exists already, or belongs to someone else
        AlreadyVerified,     // asking to verify what is verified
        WrongCode,           // a one-time code that does not match
        Locked,              // too many wrong tries; `retryAfterSecs` when known
        RateLimited,         // asked again too soon; `retryAfterSecs`
        NoRole,              // an account without a usable role
        Forbidden,           // allowed in, but not to do this
        NotFound,            // the thing named does not exist
        LastAdmin,           // would leave no active admin account
        ProviderUnreachable, // an identity provider or gateway could not be reached
        NotConfigured,       // the feature needs a setting or secret that is not there
        Internal,            // anything else on our side
    };

    Refusal(Kind kind, QString message, QString detail = QString(), qint64 retryAfterSecs = 0)
        : kind(kind), message(std::move(message)), detail(std::move(detail)),
          retryAfterSecs(retryAfterSecs)
    {}
    const char *what() const noexcept override { return "Refusal"; }

    Kind kind;
    QString message;       // one line a person reads (CLI, console, most HTTP bodies)
    QString detail;        // optional context a surface may show besides the message
    qint64 retryAfterSecs; // Locked, RateLimited: how long to wait; 0 when not known
};
