// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/walletchallenges.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "storage/database.h"

#include <QDateTime>
#include <QUrl>

using namespace Qt::StringLiterals;

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
    QString text = domain + (solana ? u" wants you to sign in with your Solana account:\n"_s
                                    : u" wants you to sign in with your Ethereum account:\n"_s);
    text += address + u"\n\n"_s;
    text += u"Sign in to "_s + domain + u".\n\n"_s;
    text += u"URI: "_s + publicUrl + u'\n';
    text += u"Version: 1\n"_s;
    text += solana ? u"Chain ID: mainnet\n"_s : u"Chain ID: 1\n"_s;
    text += u"Nonce: "_s + nonce + u'\n';
    text += u"Issued At: "_s + rfc3339(issuedAtMs) + u'\n';
    text += u"Expiration Time: "_s + rfc3339(expiresAtMs);
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
        Sql(m_db, u"DELETE FROM wallet_challenges WHERE expires_at < :old"_s)
            .bind(u":old"_s, now - 24 * 3600 * 1000)
            .exec();
        Sql(m_db, u"INSERT INTO wallet_challenges (nonce, method, address, message_hash, "
                  u"created_at, expires_at, used_at) VALUES (:n, :m, :a, :h, :c, :e, 0)"_s)
            .bind(u":n"_s, issued.nonce)
            .bind(u":m"_s, method)
            .bind(u":a"_s, address)
            .bind(u":h"_s, messageHash(issued.message))
            .bind(u":c"_s, now)
            .bind(u":e"_s, expires)
            .exec();
    });
    return issued;
}

std::optional<WalletChallenges::Pending> WalletChallenges::find(const QString &message) const
{
    Sql q(m_db, u"SELECT nonce, method, address, expires_at, used_at FROM wallet_challenges "
                u"WHERE message_hash = :h"_s);
    q.bind(u":h"_s, messageHash(message)).exec();
    if (!q.next())
        return std::nullopt;
    return Pending{.nonce = q.value(u"nonce"_s).toString(),
                   .method = q.value(u"method"_s).toString(),
                   .address = q.value(u"address"_s).toString(),
                   .expiresAt = q.value(u"expires_at"_s).toLongLong(),
                   .usedAt = q.value(u"used_at"_s).toLongLong()};
}

bool WalletChallenges::consume(const QString &nonce)
{
    const qint64 now = m_clock.nowMs();
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE wallet_challenges SET used_at = :now "
                    u"WHERE nonce = :n AND used_at = 0 AND expires_at > :t"_s);
        q.bind(u":now"_s, now).bind(u":n"_s, nonce).bind(u":t"_s, now).exec();
        changed = q.rowsAffected();
    });
    return changed == 1;
}
