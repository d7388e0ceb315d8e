// SPDX-License-Identifier: GPL-3.0-or-later
// Factors: the checks of codes (TOTP and recovery codes). Management is in factors.cpp.
#include "identity/factors.h"

#include "clock.h"
#include "crypto/aead.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "identity/audit.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace {
using K = Refusal::Kind;
constexpr int kConfirmTries = 5;

Refusal wrongCode()
{
    return Refusal(K::WrongCode, u"the code is wrong"_s);
}

QString newRecoveryCode()
{
    // "xxxxx-xxxxx": 50 random bits in the base32 alphabet, easy to copy by hand.
    const QString raw = Totp::base32(Random::bytes(7)).left(10).toLower();
    return raw.left(5) + u'-' + raw.mid(5);
}

std::optional<QByteArray> openSecret(QByteArrayView key, const QString &factorId,
                                     const QString &sealedBase64)
{
    return Aead::open(key, QByteArray::fromBase64(sealedBase64.toLatin1()), factorId.toUtf8());
}
} // namespace

Result<QStringList> Factors::confirmTotp(const QString &userId, const QString &factorId,
                                         const QString &code, const QString &ip)
{
    const QByteArray key = sealKey();
    const qint64 now = m_clock.nowMs();
    std::optional<Result<QStringList>> out;
    m_db.write([&] {
        Sql q(m_db, u"SELECT secret_sealed, confirm_tries FROM factors WHERE id = :id "
                    u"AND user_id = :user AND kind = 'totp' AND confirmed_at = 0"_s);
        q.bind(u":id"_s, factorId).bind(u":user"_s, userId).exec();
        if (!q.next()) {
            out = Refusal(K::NotFound, u"no TOTP enrolment waits for a code; start again"_s);
            return;
        }
        const int tries = q.value(u"confirm_tries"_s).toInt();
        const auto secret = openSecret(key, factorId, q.value(u"secret_sealed"_s).toString());
        const auto step =
            secret ? Totp::matchingStep(*secret, code.trimmed(), now / 1000) : std::nullopt;
        if (!step) {
            if (tries + 1 >= kConfirmTries) {
                Sql(m_db, u"DELETE FROM factors WHERE id = :id"_s).bind(u":id"_s, factorId).exec();
                out = Refusal(K::Locked, u"too many wrong codes; start the enrolment again"_s);
            } else {
                Sql(m_db, u"UPDATE factors SET confirm_tries = confirm_tries + 1 WHERE id = :id"_s)
                    .bind(u":id"_s, factorId)
                    .exec();
                out = wrongCode();
            }
            return;
        }
        Sql(m_db, u"UPDATE factors SET confirmed_at = :now, last_step = :step WHERE id = :id"_s)
            .bind(u":now"_s, now)
            .bind(u":step"_s, qint64(*step))
            .bind(u":id"_s, factorId)
            .exec();
        out = recoveryCodesLeft(userId) == 0 ? replaceRecoveryCodes(userId) : QStringList();
    });
    m_audit.record({.actor = userId,
                    .action = u"factor.totp.confirm"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = out->ok() ? u"ok"_s : u"denied"_s,
                    .detail = u"factor "_s + factorId});
    return *out;
}

Result<Done> Factors::checkTotp(const QString &userId, const QString &code, const QString &ip)
{
    const QByteArray key = sealKey();
    const qint64 now = m_clock.nowMs();
    std::optional<Result<Done>> out;
    m_db.write([&] {
        Sql q(m_db, u"SELECT id, secret_sealed, last_step FROM factors WHERE user_id = :user "
                    u"AND kind = 'totp' AND confirmed_at > 0 ORDER BY created_at"_s);
        q.bind(u":user"_s, userId).exec();
        bool any = false;
        while (q.next() && !out) {
            any = true;
            const QString id = q.value(u"id"_s).toString();
            const auto secret = openSecret(key, id, q.value(u"secret_sealed"_s).toString());
            const auto step =
                secret ? Totp::matchingStep(*secret, code.trimmed(), now / 1000) : std::nullopt;
            if (!step)
                continue;
            // Single use: the step must be later than the last one this factor accepted.
            Sql use(m_db, u"UPDATE factors SET last_step = :step, last_used_at = :now "
                          u"WHERE id = :id AND last_step < :step"_s);
            use.bind(u":step"_s, qint64(*step)).bind(u":now"_s, now).bind(u":id"_s, id).exec();
            out = use.rowsAffected() == 1
                      ? Result<Done>(Done{})
                      : Result<Done>(Refusal(K::WrongCode, u"this code was already used; "
                                                           u"wait for the next one"_s));
        }
        if (!out)
            out = any ? wrongCode() : Refusal(K::NotFound, u"no authenticator app is set up"_s);
    });
    m_audit.record({.actor = userId,
                    .action = u"factor.totp.check"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = out->ok() ? u"ok"_s : u"denied"_s});
    return *out;
}

Result<Done> Factors::useRecoveryCode(const QString &userId, const QString &code, const QString &ip)
{
    int used = 0;
    m_db.write([&] {
        used = Sql(m_db, u"UPDATE recovery_codes SET used_at = :now WHERE user_id = :user "
                         u"AND code_hash = :hash AND used_at = 0"_s)
                   .bind(u":now"_s, m_clock.nowMs())
                   .bind(u":user"_s, userId)
                   .bind(u":hash"_s, recoveryHash(userId, code))
                   .exec()
                   .rowsAffected();
    });
    m_audit.record({.actor = userId,
                    .action = u"factor.recovery.use"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = used > 0 ? u"ok"_s : u"denied"_s,
                    .detail = u"%1 left"_s.arg(recoveryCodesLeft(userId))});
    if (used == 0)
        return Refusal(K::WrongCode, u"the recovery code is wrong or was already used"_s);
    return Done{};
}

int Factors::recoveryCodesLeft(const QString &userId) const
{
    Sql q(m_db,
          u"SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = :user AND used_at = 0"_s);
    q.bind(u":user"_s, userId).exec();
    return q.next() ? q.value(u"n"_s).toInt() : 0;
}

// Inside a write: drops the user's codes and stores ten new ones' hashes.
QStringList Factors::replaceRecoveryCodes(const QString &userId)
{
    Sql(m_db, u"DELETE FROM recovery_codes WHERE user_id = :user"_s)
        .bind(u":user"_s, userId)
        .exec();
    QStringList codes;
    for (int i = 0; i < kRecoveryCodeCount; ++i) {
        codes << newRecoveryCode();
        Sql(m_db, u"INSERT INTO recovery_codes (user_id, code_hash, created_at, used_at) "
                  u"VALUES (:user, :hash, :now, 0)"_s)
            .bind(u":user"_s, userId)
            .bind(u":hash"_s, recoveryHash(userId, codes.last()))
            .bind(u":now"_s, m_clock.nowMs())
            .exec();
    }
    return codes;
}

QStringList Factors::regenerateRecoveryCodes(const QString &userId, const QString &actor,
                                             const QString &ip)
{
    QStringList codes;
    m_db.write([&] { codes = replaceRecoveryCodes(userId); });
    m_audit.record({.actor = actor,
                    .action = u"factor.recovery.regenerate"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = u"ok"_s});
    return codes;
}
