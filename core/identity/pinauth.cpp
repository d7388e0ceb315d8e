// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/pinauth.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/jwt.h"
#include "crypto/passwordhasher.h"
#include "crypto/random.h"
#include "identity/audit.h"
#include "identity/tokenstore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace {
const QString kSurface = QStringLiteral("pin");
const QString kAccessPurpose = QStringLiteral("pin-access");
const QString kRefreshPurpose = QStringLiteral("pin-refresh");

bool revokedBySignOut(const User &user, qint64 iatSecs)
{
    return iatSecs * 1000 < user.tokensValidAfter;
}
} // namespace

PinAuth::PinAuth(const Database &db, Users &users, PinRoles &roles, TokenStore &tokens,
                 const Secrets &secrets, const Clock &clock, AuditLog &audit, Options options)
    : m_db(db), m_users(users), m_roles(roles), m_tokens(tokens), m_secrets(secrets),
      m_clock(clock), m_audit(audit), m_options(options), m_lockout(db, clock, options.lockout)
{}

bool PinAuth::isValidPin(QStringView pin)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]{4,12}$"));
    return re.match(pin).hasMatch();
}

void PinAuth::audit(const QString &action, const QString &subject, const QString &ip,
                    const QString &result, const QString &detail)
{
    m_audit.record({0, 0, subject, action, subject, kSurface, ip, result, detail});
}

QByteArray PinAuth::accessTokenFor(const User &user) const
{
    const qint64 now = m_clock.nowSecs();
    return Jwt(m_secrets.signingKey(), kAccessPurpose)
        .sign({{u"sub"_qs, user.id},
               {u"name"_qs, user.username},
               {u"role"_qs, user.role},
               {u"isAdmin"_qs, user.isAdmin},
               {u"iat"_qs, now},
               {u"exp"_qs, now + m_options.accessSecs}});
}

PinAuth::Outcome PinAuth::login(const QString &name, const QString &pin, const QString &ip,
                                const QString &label)
{
    const QString subject = u"name:"_qs + name.left(64);
    if (const auto waitSecs = m_lockout.begin(name, ip)) {
        audit(u"pin.login"_qs, subject, ip, u"denied"_qs, u"locked out"_qs);
        return Refusal{Failure::Locked, *waitSecs};
    }
    const auto user = name.isEmpty() ? std::nullopt : m_users.byUsername(name);
    const bool usable = user && !user->disabled && !user->pinHash.isEmpty();
    if (!usable) {
        PasswordHasher::verifyDummy(pin.toUtf8()); // same time as a real check
        audit(u"pin.login"_qs, subject, ip, u"denied"_qs,
              !user            ? u"unknown name"_qs
              : user->disabled ? u"disabled"_qs
                               : u"no PIN set"_qs);
        return Refusal{Failure::InvalidCredentials};
    }
    if (!PasswordHasher::verify(user->pinHash, pin.toUtf8())) {
        audit(u"pin.login"_qs, user->id, ip, u"denied"_qs, u"wrong PIN"_qs);
        return Refusal{Failure::InvalidCredentials};
    }
    m_lockout.succeeded(name, ip);
    // Checked after the PIN, so these answers tell nothing to someone without it.
    const auto role = roleFor(*user);
    if (const auto *failure = std::get_if<Failure>(&role)) {
        audit(u"pin.login"_qs, user->id, ip, u"denied"_qs,
              *failure == Failure::NoRole ? u"no such role: "_qs + user->role
                                          : u"role without permissions: "_qs + user->role);
        return Refusal{*failure};
    }

    const QByteArray jti = Random::urlToken(32).toLatin1();
    const QString data =
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"ip"_qs, ip}, {u"name"_qs, user->username}})
                              .toJson(QJsonDocument::Compact));
    m_tokens.issue(TokenKind::refresh, user->id, jti, m_options.refreshSecs * 1000,
                   label.isEmpty() ? u"pin"_qs : label.left(128), data);
    const qint64 now = m_clock.nowSecs();
    const QByteArray refresh = Jwt(m_secrets.signingKey(), kRefreshPurpose)
                                   .sign({{u"sub"_qs, user->id},
                                          {u"jti"_qs, QString::fromLatin1(jti)},
                                          {u"iat"_qs, now},
                                          {u"exp"_qs, now + m_options.refreshSecs}});
    audit(u"pin.login"_qs, user->id, ip, u"ok"_qs);
    return Session{*user, std::get<PinRole>(role), accessTokenFor(*user), refresh};
}

Result<QByteArray> PinAuth::refresh(QByteArrayView refreshToken, const QString &ip)
{
    using R = Result<QByteArray>;
    if (refreshToken.isEmpty())
        return R::failure(QStringLiteral("Refresh token not found"));
    const auto claims =
        Jwt(m_secrets.signingKey(), kRefreshPurpose).verify(refreshToken, m_clock.nowSecs());
    if (!claims)
        return R::failure(QStringLiteral("Invalid or expired refresh token"));
    const QByteArray jti = claims->value(u"jti").toString().toLatin1();
    const auto stored = m_tokens.findLive(TokenKind::refresh, jti);
    const QString userId = claims->value(u"sub").toString();
    const auto user = m_users.byId(userId);
    if (!stored || stored->userId != userId || !user || user->disabled ||
        stored->createdAt < user->tokensValidAfter) {
        audit(u"pin.refresh"_qs, userId, ip, u"denied"_qs, u"refresh token revoked"_qs);
        return R::failure(QStringLiteral("Invalid or expired refresh token"));
    }
    m_tokens.touch(*stored);
    return accessTokenFor(*user);
}

Result<User> PinAuth::verifyAccess(QByteArrayView accessToken) const
{
    using R = Result<User>;
    if (accessToken.isEmpty())
        return R::failure(QStringLiteral("Access token not found"));
    const auto claims =
        Jwt(m_secrets.signingKey(), kAccessPurpose).verify(accessToken, m_clock.nowSecs());
    if (!claims)
        return R::failure(QStringLiteral("Invalid or expired access token"));
    const auto user = m_users.byId(claims->value(u"sub").toString());
    if (!user || user->disabled ||
        revokedBySignOut(*user, qint64(claims->value(u"iat").toDouble())))
        return R::failure(QStringLiteral("Invalid or expired access token"));
    return *user;
}

std::variant<PinRole, PinAuth::Failure> PinAuth::roleFor(const User &user) const
{
    const auto role = user.role.isEmpty() ? std::nullopt : m_roles.byName(user.role);
    if (!role)
        return Failure::NoRole;
    if (role->permissions.isEmpty())
        return Failure::NoPermissions;
    return *role;
}

void PinAuth::logout(const User &user, QByteArrayView refreshToken, const QString &ip)
{
    const auto claims =
        Jwt(m_secrets.signingKey(), kRefreshPurpose).verify(refreshToken, m_clock.nowSecs());
    QString detail = u"no refresh token"_qs;
    if (claims && claims->value(u"sub").toString() == user.id) {
        const QByteArray jti = claims->value(u"jti").toString().toLatin1();
        if (const auto stored = m_tokens.findLive(TokenKind::refresh, jti);
            stored && stored->userId == user.id) {
            m_tokens.revoke(stored->id);
            detail = u"refresh token "_qs + stored->id + u" revoked"_qs;
        }
    }
    audit(u"pin.logout"_qs, user.id, ip, u"ok"_qs, detail);
}

bool PinAuth::unlock(const QString &subject, const QString &actor, const QString &surface)
{
    const bool lifted = m_lockout.unlock(subject);
    m_audit.record({0, 0, actor, u"pin.unlock"_qs, subject, surface, u"local"_qs,
                    lifted ? u"ok"_qs : u"error"_qs, lifted ? QString() : u"not locked"_qs});
    return lifted;
}

Result<User> PinAuth::setPin(const QString &name, const QString &pin, bool create,
                             const QString &actor, const QString &surface)
{
    using R = Result<User>;
    if (!isValidPin(pin))
        return R::failure(QStringLiteral("a PIN is 4 to 12 digits"));
    const QString hash = PasswordHasher::hash(pin.toUtf8());
    auto user = m_users.byUsername(name);
    if (!user) {
        if (!create)
            return R::failure(QStringLiteral("no user named %1").arg(name));
        if (!Users::isValidUsername(name))
            return R::failure(
                QStringLiteral("a name is 3 to 32 of the characters A-Z a-z 0-9 _ . -"));
        User draft;
        draft.username = name;
        draft.pinHash = hash;
        auto created = m_users.create(draft);
        if (!created)
            return R::failure(created.error());
        m_audit.record({0, 0, actor, u"user.add"_qs, created->id, surface, u"local"_qs, u"ok"_qs,
                        u"PIN user "_qs + created->username});
        m_audit.record({0, 0, actor, u"user.set-pin"_qs, created->id, surface, u"local"_qs,
                        u"ok"_qs, QString()});
        return created;
    }
    m_users.setPinHash(user->id, hash);
    // A new PIN ends the sessions the old one opened.
    m_tokens.revokeAllForUser(user->id, TokenKind::refresh);
    m_audit.record(
        {0, 0, actor, u"user.set-pin"_qs, user->id, surface, u"local"_qs, u"ok"_qs, QString()});
    user->pinHash = hash;
    return *user;
}
