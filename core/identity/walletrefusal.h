// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <exception>

// Why the wallet surface refused a request. Core code throws it; the server maps the
// kind to a status (400, 401, 409, 500, 503) and shows `message` as {"error": ...}.
struct WalletRefusal : std::exception
{
    enum Kind {
        Invalid,             // malformed input, unknown state or code: 400
        RateLimited,         // resend cooldown: 400 "rate limited"
        Unauthorized,        // bad signature, token, hash, verifier; refused by provider: 401
        Conflict,            // the login method belongs to another user: 409
        ProviderUnreachable, // network failure talking to an identity provider: 500
        Failed,              // anything else on our side: 500
        NotConfigured,       // e.g. no Telegram bot token or Apple client id: 503
    };
    WalletRefusal(Kind kind, QString message) : kind(kind), message(std::move(message)) {}
    const char *what() const noexcept override { return "WalletRefusal"; }

    Kind kind;
    QString message;
};
