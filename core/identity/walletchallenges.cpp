// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletchallenges.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

#include <QDateTime>
#include <QUrl>

namespace {

QString messageHash(const QString &message)
{
    return QString::fromLatin1(Digest::sha256(message.toUtf8()).toHex());
}

QString rfc3339(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

} // namespace

WalletChallenges::WalletChallenges(const Database &db, const Clock &clock)
    : m_db(db), m_clock(clock)
{}

bool WalletChallenges::isSolanaMethod(const QString &method)
{
    return method == u"phantom" || method == u"okx";
}

bool WalletChallenges::isEvmMethod(const QString &method)
{
    return method == u"rabby" || method == u"metamask" || method == u"coinbase";
}

QString WalletChallenges::buildMessage(bool solana, const QString &publicUrl,
                                       const QString &address, const QString &nonce,
                                       qint64 issuedAtMs, qint64 expiresAtMs)
{
    const QUrl url(publicUrl);
    const QString domain =
        url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    // EIP-4361 layout: header, address, blank, statement, blank, then the fields.
    QString text = domain + (solana ? u" wants you to sign in with your Solana account:\n"_qs
                                    : u" wants you to sign in with your Ethereum account:\n"_qs);
    text += address + u"\n\n"_qs;
    text += u"Sign in to "_qs + domain + u".\n\n"_qs;
    text += u"URI: "_qs + publicUrl + u'\n';
    text += u"Version: 1\n"_qs;
    text += solana ? u"Chain ID: mainnet\n"_qs : u"Chain ID: 1\n"_qs;
    text += u"Nonce: "_qs + nonce + u'\n';
    text += u"Issued At: "_qs + rfc3339(issuedAtMs) + u'\n';
    text += u"Expiration Time: "_qs + rfc3339(expiresAtMs);
    return text;
}

WalletChallenges::Issued WalletChallenges::create(const QString &method, const QString &address,
                                                  const QString &publicUrl)
{
    const qint64 now = m_clock.nowMs();
    Issued issued;
    issued.nonce = QString::fromLatin1(Random::bytes(16).toHex()); // alphanumeric, as SIWE asks
    const qint64 expires = now + kLifetimeMs;
    issued.expiresAtSecs = expires / 1000;
    issued.message =
        buildMessage(isSolanaMethod(method), publicUrl, address, issued.nonce, now, expires);
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM wallet_challenges WHERE expires_at < :old"_qs)
            .bind(u":old"_qs, now - 24 * 3600 * 1000)
            .exec();
        Sql(m_db, u"INSERT INTO wallet_challenges (nonce, method, address, message_hash, "
                  "created_at, expires_at, used_at) VALUES (:n, :m, :a, :h, :c, :e, 0)"_qs)
            .bind(u":n"_qs, issued.nonce)
            .bind(u":m"_qs, method)
            .bind(u":a"_qs, address)
            .bind(u":h"_qs, messageHash(issued.message))
            .bind(u":c"_qs, now)
            .bind(u":e"_qs, expires)
            .exec();
    });
    return issued;
}

std::optional<WalletChallenges::Pending> WalletChallenges::find(const QString &message) const
{
    Sql q(m_db, u"SELECT nonce, method, address, expires_at, used_at FROM wallet_challenges "
                "WHERE message_hash = :h"_qs);
    q.bind(u":h"_qs, messageHash(message)).exec();
    if (!q.next())
        return std::nullopt;
    return Pending{q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                   q.value(3).toLongLong(), q.value(4).toLongLong()};
}

bool WalletChallenges::consume(const QString &nonce)
{
    const qint64 now = m_clock.nowMs();
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE wallet_challenges SET used_at = :now "
                    "WHERE nonce = :n AND used_at = 0 AND expires_at > :t"_qs);
        q.bind(u":now"_qs, now).bind(u":n"_qs, nonce).bind(u":t"_qs, now).exec();
        changed = q.rowsAffected();
    });
    return changed == 1;
}
