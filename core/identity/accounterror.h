// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <exception>

// Why an account operation was refused. The account surface maps each kind to the
// status and wording of the origin project; the CLI prints the detail.
struct AccountError : std::exception
{
    enum Kind {
        Unauthorized,    // bad credentials or bearer token (one answer for both)
        Inactive,        // the account is disabled
        InvalidToken,    // a referrer, reset or OTP session token that does not verify
        TokenExpired,    // an OTP session past its life
        UserExists,      // signup with an email in use
        AlreadyVerified, // send-otp for a verified email
        WrongOtp,        // a code that does not match
        OtpLocked,       // too many wrong codes for this session
        RateLimited,     // asked again too soon
        Invalid,         // a value that breaks a rule (detail says which)
        LastAdmin,       // deactivating the only active admin account
    };
    AccountError(Kind kind, QString detail, qint64 retryAfterSecs = 0)
        : kind(kind), detail(std::move(detail)), retryAfterSecs(retryAfterSecs)
    {}
    const char *what() const noexcept override { return "AccountError"; }

    Kind kind;
    QString detail;
    qint64 retryAfterSecs;
};
