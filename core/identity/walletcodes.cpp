// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletcodes.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

WalletCodes::WalletCodes(const Database &db, const Clock &clock, const Secrets &secrets,
                         CodeLimits limits)
    : m_db(db), m_clock(clock), m_secrets(secrets), m_limits(limits)
{}

QString WalletCodes::hashOf(const QString &channel, const QString &recipient,
                            const QString &code) const
{
    const QByteArray key = Digest::hmacSha256(m_secrets.signingKey(), "wallet-code-pepper");
    return QString::fromLatin1(
        Digest::hmacSha256(key, (channel + u'\n' + recipient + u'\n' + code).toUtf8()).toHex());
}

QString WalletCodes::issue(const QString &channel, const QString &recipient)
{
    const qint64 now = m_clock.nowMs();
    QString code;
    m_db.write([&] {
        Sql last(m_db, u"SELECT sent_at FROM wallet_codes WHERE channel = :c AND recipient = :r"_s);
        last.bind(u":c"_s, channel).bind(u":r"_s, recipient).exec();
        if (last.next() && now - last.value(u"sent_at"_s).toLongLong() < m_limits.resendCooldownMs)
            return;
        code = Random::digits(6);
        Sql(m_db, u"DELETE FROM wallet_codes WHERE channel = :c AND recipient = :r"_s)
            .bind(u":c"_s, channel)
            .bind(u":r"_s, recipient)
            .exec();
        Sql(m_db, u"INSERT INTO wallet_codes (channel, recipient, code_hash, sent_at, expires_at, "
                  u"attempts) VALUES (:c, :r, :h, :now, :exp, 0)"_s)
            .bind(u":c"_s, channel)
            .bind(u":r"_s, recipient)
            .bind(u":h"_s, hashOf(channel, recipient, code))
            .bind(u":now"_s, now)
            .bind(u":exp"_s, now + kLifetimeMs)
            .exec();
        // Old rows of other recipients go too, so the table stays small.
        Sql(m_db, u"DELETE FROM wallet_codes WHERE expires_at < :old"_s)
            .bind(u":old"_s, now - kLifetimeMs)
            .exec();
    });
    return code;
}

void WalletCodes::discard(const QString &channel, const QString &recipient)
{
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM wallet_codes WHERE channel = :c AND recipient = :r"_s)
            .bind(u":c"_s, channel)
            .bind(u":r"_s, recipient)
            .exec();
    });
}

WalletCodes::Check WalletCodes::verify(const QString &channel, const QString &recipient,
                                       const QString &code)
{
    const qint64 now = m_clock.nowMs();
    Check result = Check::None;
    m_db.write([&] {
        Sql q(m_db, u"SELECT code_hash, expires_at, attempts FROM wallet_codes "
                    u"WHERE channel = :c AND recipient = :r"_s);
        q.bind(u":c"_s, channel).bind(u":r"_s, recipient).exec();
        if (!q.next())
            return;
        const QString stored = q.value(u"code_hash"_s).toString();
        const qint64 expires = q.value(u"expires_at"_s).toLongLong();
        const int attempts = q.value(u"attempts"_s).toInt();
        if (expires <= now) {
            result = Check::Expired;
            return;
        }
        if (attempts >= m_limits.maxAttempts) {
            result = Check::TooManyAttempts;
            return;
        }
        if (Digest::equal(stored.toLatin1(), hashOf(channel, recipient, code).toLatin1())) {
            // Consumed; the row stays (with no usable hash) so the cooldown still holds.
            Sql(m_db, u"UPDATE wallet_codes SET code_hash = '', expires_at = :now "
                      u"WHERE channel = :c AND recipient = :r"_s)
                .bind(u":now"_s, now)
                .bind(u":c"_s, channel)
                .bind(u":r"_s, recipient)
                .exec();
            result = Check::Ok;
            return;
        }
        Sql(m_db, u"UPDATE wallet_codes SET attempts = attempts + 1 "
                  u"WHERE channel = :c AND recipient = :r"_s)
            .bind(u":c"_s, channel)
            .bind(u":r"_s, recipient)
            .exec();
        result = attempts + 1 >= m_limits.maxAttempts ? Check::TooManyAttempts : Check::Wrong;
    });
    return result;
}
