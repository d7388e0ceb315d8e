// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "result.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

using namespace Qt::StringLiterals;

class AuditLog;
class Clock;
class Database;
class Secrets;

// One second factor of a user: a TOTP authenticator or a passkey.
struct Factor
{
    QString id;
    QString userId;
    QString kind; // "totp" | "passkey"
    QString label;
    qint64 createdAt = 0;
    qint64 confirmedAt = 0; // 0: a TOTP enrolment not yet confirmed (does not count)
    qint64 lastUsedAt = 0;
};

// What starting a TOTP enrolment hands the user, once.
struct TotpEnrolment
{
    Factor factor;
    QString secret; // base32, no padding (what an authenticator app's manual entry takes)
    QString
        uri; // otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
};

// A user's second factors (table `factors`) and recovery codes (`recovery_codes`).
// TOTP secrets are sealed (AES-256-GCM, a key derived from the wallet sealing key, the
// factor id as associated data), never stored in clear; each factor remembers the last
// time step it accepted, so a code is good once. Ten recovery codes, shown once, kept as
// keyed hashes, each good once; regenerating replaces them all. Passkey rows are added
// by the passkey code (addPasskey), which keeps the credential itself in its own table.
class Factors
{
public:
    static inline const QString kTotp = u"totp"_s;
    static inline const QString kPasskey = u"passkey"_s;
    static constexpr int kRecoveryCodeCount = 10;
    static constexpr int kMaxLabel = 64;

    Factors(const Database &db, const Secrets &secrets, const Clock &clock, AuditLog &audit);

    // Confirmed factors of a user, oldest first (pending enrolments are left out).
    QList<Factor> list(const QString &userId) const;
    // Whether a user has at least one confirmed factor: login then needs a second step.
    bool hasConfirmed(const QString &userId) const;
    // Confirmed factors of a kind, e.g. {"totp"} or {"totp","passkey"}.
    QStringList kinds(const QString &userId) const;
    std::optional<Factor> byId(const QString &userId, const QString &factorId) const;

    // A new, unconfirmed TOTP factor (an earlier unconfirmed one of the user is dropped).
    [[nodiscard]] TotpEnrolment beginTotp(const QString &userId, const QString &accountName,
                                          const QString &label, const QString &ip);
    // Confirms a pending TOTP factor with a first code. Returns fresh recovery codes when
    // the user had none (their first factor), else an empty list. WrongCode, NotFound,
    // Locked (5 wrong codes void the enrolment).
    [[nodiscard]] Result<QStringList> confirmTotp(const QString &userId, const QString &factorId,
                                                  const QString &code, const QString &ip);
    // Checks a code against the user's confirmed TOTP factors (±1 step) and spends its
    // step. WrongCode (also for a replayed step), NotFound (no TOTP factor).
    [[nodiscard]] Result<Done> checkTotp(const QString &userId, const QString &code,
                                         const QString &ip);
    // Spends one recovery code. WrongCode when it is not one of the user's unspent codes.
    [[nodiscard]] Result<Done> useRecoveryCode(const QString &userId, const QString &code,
                                               const QString &ip);
    int recoveryCodesLeft(const QString &userId) const;
    // Replaces the user's recovery codes with ten new ones, returned once.
    [[nodiscard]] QStringList regenerateRecoveryCodes(const QString &userId, const QString &actor,
                                                      const QString &ip);

    [[nodiscard]] Result<Done> rename(const QString &userId, const QString &factorId,
                                      const QString &label, const QString &ip);
    // Removes a factor (`actor`: the user, or "console:…"). The last one takes the
    // recovery codes with it. NotFound.
    [[nodiscard]] Result<Done> remove(const QString &userId, const QString &factorId,
                                      const QString &actor, const QString &surface,
                                      const QString &ip);

    // For the passkey code: a confirmed factor row of kind "passkey" (its id is what the
    // passkey table refers to), and the note that it was used.
    [[nodiscard]] Factor addPasskey(const QString &userId, const QString &label, const QString &ip);
    void markUsed(const QString &factorId);

private:
    QByteArray sealKey() const;
    QString recoveryHash(const QString &userId, const QString &code) const;
    QStringList replaceRecoveryCodes(const QString &userId); // inside a write

    const Database &m_db;
    const Secrets &m_secrets;
    const Clock &m_clock;
    AuditLog &m_audit;
};
