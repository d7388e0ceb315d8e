// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/apitokens.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/aead.h"
#include "crypto/base58.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "identity/tokenstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

using namespace Qt::StringLiterals;

ApiTokens::ApiTokens(TokenStore &store, const Users &users, const Secrets &secrets,
                     const Clock &clock, qint64 lifetimeMs)
    : m_store(store), m_users(users), m_secrets(secrets), m_clock(clock), m_lifetimeMs(lifetimeMs)
{}

QString ApiTokens::generate()
{
    for (;;) {
        const QByteArray encoded = Base58::encode(Random::bytes(7));
        if (encoded.size() == kLength)
            return QString::fromLatin1(encoded);
    }
}

QByteArray ApiTokens::sealKey() const
{
    QByteArray master = m_secrets.value(SecretName::walletSealKey);
    if (master.isEmpty())
        master = m_secrets.signingKey();
    return Digest::hmacSha256(master, "gatehouse-account-api-token-seal-v1");
}

std::optional<QString> ApiTokens::unseal(const QString &data, const QString &userId) const
{
    const QJsonObject object = QJsonDocument::fromJson(data.toUtf8()).object();
    const auto sealed = QByteArray::fromBase64Encoding(
        object.value(u"sealed").toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!sealed)
        return std::nullopt;
    const auto plain = Aead::open(sealKey(), *sealed, userId.toUtf8());
    if (!plain)
        return std::nullopt;
    return QString::fromLatin1(*plain);
}

QString ApiTokens::createOrReuse(const User &user)
{
    const qint64 now = m_clock.nowMs();
    const QList<IssuedToken> live =
        m_store.list({user.id, TokenKind::apiToken, /*liveOnly=*/true, 200, 0});
    const auto newest =
        std::max_element(live.begin(), live.end(),
                         [](const auto &a, const auto &b) { return a.expiresAt < b.expiresAt; });
    const qint64 margin = qMin(kReuseMarginMs, m_lifetimeMs / 5);
    if (newest != live.end() && newest->expiresAt > now + margin) {
        if (const auto token = unseal(newest->data, user.id))
            return *token;
    }
    const QString token = generate();
    m_store.issue(TokenKind::apiToken, user.id, token.toLatin1(), m_lifetimeMs, u"api token"_s,
                  sealedData(token, user.id));
    return token;
}

QString ApiTokens::sealedData(const QString &token, const QString &userId) const
{
    const QByteArray sealed = Aead::seal(sealKey(), token.toLatin1(), userId.toUtf8());
    return QString::fromUtf8(
        QJsonDocument(QJsonObject{{u"sealed"_s, QString::fromLatin1(sealed.toBase64())}})
            .toJson(QJsonDocument::Compact));
}

bool ApiTokens::adopt(const QString &userId, const QString &token, qint64 expiresAtMs)
{
    if (m_store.find(TokenKind::apiToken, token.toLatin1()))
        return false;
    const qint64 lifetime = qMax<qint64>(expiresAtMs - m_clock.nowMs(), 1);
    m_store.issue(TokenKind::apiToken, userId, token.toLatin1(), lifetime,
                  u"api token (imported)"_s, sealedData(token, userId));
    return true;
}

std::optional<User> ApiTokens::activeOwner(const QString &token) const
{
    if (token.size() != kLength)
        return std::nullopt;
    const auto issued = m_store.findLive(TokenKind::apiToken, token.toLatin1());
    if (!issued)
        return std::nullopt;
    auto user = m_users.current(issued->userId);
    if (!user || user->disabled)
        return std::nullopt;
    return user;
}

QList<ApiTokenInfo> ApiTokens::list(const QString &userId) const
{
    QList<ApiTokenInfo> out;
    const QList<IssuedToken> all =
        m_store.list({userId, TokenKind::apiToken, /*liveOnly=*/false, 1000, 0});
    for (const IssuedToken &t : all) {
        if (t.revokedAt != 0)
            continue;
        if (const auto token = unseal(t.data, userId))
            out.append({*token, userId, t.expiresAt});
    }
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.expiresAt > b.expiresAt; });
    return out;
}
