// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/namespaceauth.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/digest.h"
#include "crypto/jwt.h"
#include "crypto/random.h"
#include "identity/audit.h"
#include "identity/namespaces.h"
#include "identity/signoutepoch.h"
#include "identity/telegrambindings.h"
#include "jsontext.h"
#include "providers/telegram.h"
#include "storage/meta.h"

using namespace Qt::StringLiterals;

namespace {
const QString kSurface = u"namespace"_s;
const QString kPurpose = u"namespace-access"_s;
} // namespace

NamespaceAuth::NamespaceAuth(const Database &db, Namespaces &namespaces, TelegramBindings &bindings,
                             const Secrets &secrets, const Clock &clock, AuditLog &audit,
                             Options options)
    : m_db(db), m_namespaces(namespaces), m_bindings(bindings), m_secrets(secrets), m_clock(clock),
      m_audit(audit), m_options(options)
{
    // The owner id is what `uid` carries, the same for every namespace (origin).
    m_ownerId = Meta::getOrCreate(m_db, u"owner_id"_s, [] {
                    return QString::number(1 + Random::uniform(0x7FFFFFFE));
                }).toLongLong();
}

void NamespaceAuth::audit(AuditEvent event)
{
    event.actor = event.subject; // a namespace signs itself in
    event.surface = kSurface;
    m_audit.record(std::move(event));
}

QString NamespaceAuth::fingerprint() const
{
    return QString::fromLatin1(
        Digest::hmacSha256(m_secrets.signingKey(), "binding:" + m_secrets.cliApiToken())
            .toHex()
            .left(32));
}

QString NamespaceAuth::accessTokenFor(const QString &ns) const
{
    return QString::fromUtf8(m_secrets.cliApiToken()) + u':' + ns;
}

std::optional<QString> NamespaceAuth::namespaceOf(const QString &accessToken, const QString &ip)
{
    const qsizetype colon = accessToken.lastIndexOf(u':');
    const QString base = colon < 0 ? accessToken : accessToken.left(colon);
    const QString ns = colon < 0 ? u"default"_s : accessToken.mid(colon + 1);
    const QByteArray secret = m_secrets.cliApiToken();
    if (secret.isEmpty() || !Digest::equal(base.toUtf8(), secret)) {
        audit({.action = u"namespace.auth"_s,
               .subject = u"ns:"_s + ns.left(64),
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"wrong access token secret"_s});
        return std::nullopt;
    }
    const auto found = m_namespaces.resolve(ns, m_options.autoCreate, u"auto"_s);
    if (!found || found->disabled) {
        audit({.action = u"namespace.auth"_s,
               .subject = u"ns:"_s + ns.left(64),
               .ip = ip,
               .result = u"denied"_s,
               .detail = !found ? u"unknown namespace"_s : u"namespace disabled"_s});
        return std::nullopt;
    }
    return ns;
}

NamespaceAuth::Grant NamespaceAuth::grant(const QString &ns)
{
    const qint64 now = m_clock.nowSecs();
    const auto current = m_namespaces.find(ns);
    // Written as text (a grant per POST /api/auth), keys sorted as QJsonObject sorts them.
    OrderedFields claims{{u"exp"_s, QByteArray::number(now + qint64(m_options.tokenMinutes) * 60)},
                         {u"iat"_s, QByteArray::number(now)},
                         {u"ns"_s, jsonText(ns)}};
    SignOutEpoch::stamp(claims, current ? current->tokensValidAfter : 0);
    claims.append({u"uid"_s, jsonText(m_ownerId)});
    Grant g;
    g.token = Jwt(m_secrets.signingKey(), kPurpose).signPayload(orderedJsonText(claims));
    g.userId = m_ownerId;
    g.ns = ns;
    return g;
}

Result<NamespaceAuth::Grant> NamespaceAuth::withAccessToken(const QString &accessToken,
                                                            const QString &ip)
{
    const auto ns = namespaceOf(accessToken, ip);
    if (!ns)
        return Refusal(Refusal::Kind::BadCredentials, u"Invalid access token"_s);
    audit({.action = u"namespace.auth"_s,
           .subject = u"ns:"_s + *ns,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"access token"_s});
    Grant g = grant(*ns);
    g.firstName = u"Web User"_s;
    return g;
}

Result<NamespaceAuth::Grant> NamespaceAuth::withInitData(const QString &initData, const QString &ip)
{
    const QByteArray botToken = m_secrets.telegramBotToken();
    if (botToken.isEmpty())
        return Refusal(Refusal::Kind::NotConfigured,
                       u"Telegram authentication is disabled. Configure TELEGRAM_BOT_TOKEN."_s);
    const auto user = Telegram::verifyInitData(initData, botToken, m_clock.nowSecs());
    if (!user) {
        audit({.action = u"namespace.telegram"_s,
               .subject = u"telegram:?"_s,
               .ip = ip,
               .result = u"denied"_s,
               .detail = user.error()});
        return user.refusal(); // TokenInvalid or TokenExpired, saying why
    }
    const QString telegramId = QString::number(user->id);
    const auto binding = m_bindings.find(telegramId);
    const auto ns = binding ? m_namespaces.find(binding->ns) : std::nullopt;
    if (!binding || binding->fingerprint != fingerprint() || !ns || ns->disabled) {
        audit({.action = u"namespace.telegram"_s,
               .subject = u"telegram:"_s + telegramId,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"not bound"_s});
        return Refusal(Refusal::Kind::NotFound, u"not_bound"_s);
    }
    audit({.action = u"namespace.telegram"_s,
           .subject = u"telegram:"_s + telegramId,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"ns:"_s + binding->ns});
    Grant g = grant(binding->ns);
    g.username = user->username;
    g.firstName = user->firstName;
    g.lastName = user->lastName;
    return g;
}

Result<NamespaceAuth::Grant> NamespaceAuth::bind(const QString &initData,
                                                 const QString &accessToken, const QString &ip)
{
    // The access token is checked before Telegram availability (origin).
    const auto ns = namespaceOf(accessToken, ip);
    if (!ns)
        return Refusal(Refusal::Kind::BadCredentials, u"Invalid access token"_s);
    const QByteArray botToken = m_secrets.telegramBotToken();
    if (botToken.isEmpty())
        return Refusal(Refusal::Kind::NotConfigured,
                       u"Telegram authentication is disabled. Configure TELEGRAM_BOT_TOKEN."_s);
    const auto user = Telegram::verifyInitData(initData, botToken, m_clock.nowSecs());
    if (!user) {
        audit({.action = u"namespace.bind"_s,
               .subject = u"telegram:?"_s,
               .ip = ip,
               .result = u"denied"_s,
               .detail = user.error()});
        return user.refusal(); // TokenInvalid or TokenExpired, saying why
    }
    const QString telegramId = QString::number(user->id);
    const QString currentFingerprint = fingerprint();
    // A binding made under an earlier CLI_API_TOKEN no longer logs anyone in; it must not
    // keep the person from binding again, to any namespace.
    if (const auto existing = m_bindings.find(telegramId);
        existing && existing->fingerprint != currentFingerprint)
        m_bindings.unbind(telegramId);
    TelegramBinding binding{
        telegramId, *ns, currentFingerprint, user->username, user->firstName, user->lastName, 0};
    if (m_bindings.bind(binding) == TelegramBindings::BindOutcome::AlreadyBoundElsewhere) {
        audit({.action = u"namespace.bind"_s,
               .subject = u"telegram:"_s + telegramId,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"already bound to another namespace"_s});
        return Refusal(Refusal::Kind::Conflict, u"already_bound"_s);
    }
    audit({.action = u"namespace.bind"_s,
           .subject = u"telegram:"_s + telegramId,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"ns:"_s + *ns});
    Grant g = grant(*ns);
    g.username = user->username;
    g.firstName = user->firstName;
    g.lastName = user->lastName;
    return g;
}

Result<QJsonObject> NamespaceAuth::verifyToken(QByteArrayView token) const
{
    auto claims = Jwt(m_secrets.signingKey(), kPurpose).verify(token, m_clock.nowSecs());
    if (!claims)
        return claims;
    const auto ns = m_namespaces.find(claims->value(u"ns").toString());
    if (!ns || ns->disabled)
        return Result<QJsonObject>::failure(Refusal::Kind::Inactive, u"namespace not active"_s);
    if (SignOutEpoch::revoked(*claims, ns->tokensValidAfter))
        return Result<QJsonObject>::failure(Refusal::Kind::TokenInvalid, u"token revoked"_s);
    return claims;
}
