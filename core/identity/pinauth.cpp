// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/pinauth.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/jwt.h"
#include "crypto/passwordhasher.h"
#include "crypto/random.h"
#include "identity/audit.h"
#include "identity/signoutepoch.h"
#include "identity/tokenstore.h"
#include "jsontext.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
const QString kSurface = u"pin"_s;
const QString kAccessPurpose = u"pin-access"_s;
const QString kRefreshPurpose = u"pin-refresh"_s;
} // namespace

PinAuth::PinAuth(const Database &db, Users &users, PinRoles &roles, TokenStore &tokens,
                 const Secrets &secrets, const Clock &clock, AuditLog &audit, Options options)
    : m_db(db), m_users(users), m_roles(roles), m_tokens(tokens), m_secrets(secrets),
      m_clock(clock), m_audit(audit), m_options(options), m_lockout(db, clock, options.lockout)
{}

bool PinAuth::isValidPin(QStringView pin)
{
    static const QRegularExpression re(u"^[0-9]{4,12}$"_s);
    return re.match(pin).hasMatch();
}

void PinAuth::audit(AuditEvent event)
{
    event.actor = event.subject; // the name being signed in
    event.surface = kSurface;
    m_audit.record(std::move(event));
}

// "sid" binds the access token to the refresh session it came from: logging out (or
// any revocation of that session) ends the access token too, not only its cookie.
// Written as text (every refresh mints one), keys sorted: the bytes sign() wrote for
// the same claims as a QJsonObject.
QByteArray PinAuth::accessTokenFor(const User &user, const QString &sessionId) const
{
    const qint64 now = m_clock.nowSecs();
    OrderedFields claims{{u"exp"_s, QByteArray::number(now + m_options.accessSecs)},
                         {u"iat"_s, QByteArray::number(now)},
                         {u"isAdmin"_s, jsonText(user.isAdmin)},
                         {u"name"_s, jsonText(user.username)},
                         {u"role"_s, jsonText(user.role)},
                         {u"sid"_s, jsonText(sessionId)},
                         {u"sub"_s, jsonText(user.id)}};
    SignOutEpoch::stamp(claims, user.tokensValidAfter); // "sva": last in order
    return Jwt(m_secrets.signingKey(), kAccessPurpose).signPayload(orderedJsonText(claims));
}

Result<PinAuth::Session> PinAuth::login(const QString &name, const QString &pin, const QString &ip,
                                        const QString &label)
{
    const QString subject = u"name:"_s + name.left(64);
    if (const auto waitSecs = m_lockout.begin(name, ip)) {
        audit({.action = u"pin.login"_s,
               .subject = subject,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"locked out"_s});
        return Refusal(Refusal::Kind::Locked, u"too many failed attempts"_s, QString(), *waitSecs);
    }
    const auto user = name.isEmpty() ? std::nullopt : m_users.byUsername(name);
    const bool usable = user && !user->disabled && !user->pinHash.isEmpty();
    if (!usable) {
        PasswordHasher::verifyDummy(pin.toUtf8()); // same time as a real check
        audit({.action = u"pin.login"_s,
               .subject = subject,
               .ip = ip,
               .result = u"denied"_s,
               .detail = !user            ? u"unknown name"_s
                         : user->disabled ? u"disabled"_s
                                          : u"no PIN set"_s});
        return Refusal(Refusal::Kind::BadCredentials, u"wrong name or PIN"_s);
    }
    if (!PasswordHasher::verify(user->pinHash, pin.toUtf8())) {
        audit({.action = u"pin.login"_s,
               .subject = user->id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"wrong PIN"_s});
        return Refusal(Refusal::Kind::BadCredentials, u"wrong name or PIN"_s);
    }
    m_lockout.succeeded(name, ip);
    upgradeHash(*user, pin, ip);
    // Checked after the PIN, so these answers tell nothing to someone without it.
    const auto role = roleFor(*user);
    if (!role) {
        audit({.action = u"pin.login"_s,
               .subject = user->id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = role.error()});
        return role.refusal();
    }

    const QByteArray jti = Random::urlToken(32).toLatin1();
    const QString data =
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"ip"_s, ip}, {u"name"_s, user->username}})
                              .toJson(QJsonDocument::Compact));
    const IssuedToken issued =
        m_tokens.issue(TokenKind::refresh, user->id, jti, m_options.refreshSecs * 1000,
                       label.isEmpty() ? u"pin"_s : label.left(128), data);
    const qint64 now = m_clock.nowSecs();
    const QByteArray refresh = Jwt(m_secrets.signingKey(), kRefreshPurpose)
                                   .sign({{u"sub"_s, user->id},
                                          {u"jti"_s, QString::fromLatin1(jti)},
                                          {u"iat"_s, now},
                                          {u"exp"_s, now + m_options.refreshSecs}});
    audit({.action = u"pin.login"_s, .subject = user->id, .ip = ip, .result = u"ok"_s});
    return Session{*user, *role, accessTokenFor(*user, issued.id), refresh};
}

// A PIN imported in its origin's form (Ambrosia's PBKDF2, see Pbkdf2Hash) has just been
// verified as it was: store it as argon2id now, so the weaker hash lives until the
// first sign-in and no longer.
void PinAuth::upgradeHash(const User &user, const QString &pin, const QString &ip)
{
    if (!PasswordHasher::needsRehash(user.pinHash))
        return;
    const QString hash = PasswordHasher::hash(pin.toUtf8());
    m_users.setPinHash(user.id, hash);
    audit({.action = u"pin.rehash"_s,
           .subject = user.id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"imported PIN hash re-hashed to argon2id"_s});
}

Result<QByteArray> PinAuth::refresh(QByteArrayView refreshToken, const QString &ip)
{
    using R = Result<QByteArray>;
    if (refreshToken.isEmpty())
        return R::failure(Refusal::Kind::TokenInvalid, u"Refresh token not found"_s);
    const auto claims =
        Jwt(m_secrets.signingKey(), kRefreshPurpose).verify(refreshToken, m_clock.nowSecs());
    if (!claims)
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid or expired refresh token"_s);
    const QByteArray jti = claims->value(u"jti").toString().toLatin1();
    const auto stored = m_tokens.findLive(TokenKind::refresh, jti);
    const QString userId = claims->value(u"sub").toString();
    const auto user = m_users.current(userId);
    if (!stored || stored->userId != userId || !user || user->disabled ||
        stored->createdAt < user->tokensValidAfter) {
        audit({.action = u"pin.refresh"_s,
               .subject = userId,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"refresh token revoked"_s});
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid or expired refresh token"_s);
    }
    m_tokens.touch(*stored);
    return accessTokenFor(*user, stored->id);
}

Result<User> PinAuth::verifyAccess(QByteArrayView accessToken) const
{
    using R = Result<User>;
    if (accessToken.isEmpty())
        return R::failure(Refusal::Kind::TokenInvalid, u"Access token not found"_s);
    const auto claims =
        Jwt(m_secrets.signingKey(), kAccessPurpose).verify(accessToken, m_clock.nowSecs());
    if (!claims)
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid or expired access token"_s);
    const auto user = m_users.current(claims->value(u"sub").toString());
    if (!user || user->disabled || SignOutEpoch::revoked(*claims, user->tokensValidAfter))
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid or expired access token"_s);
    // Its refresh session must still be live (logout, a new PIN, the console).
    const auto session = m_tokens.current(claims->value(u"sid").toString());
    if (!session || session->kind != TokenKind::refresh || session->userId != user->id ||
        !session->live(m_clock.nowMs()))
        return R::failure(Refusal::Kind::TokenInvalid, u"Invalid or expired access token"_s);
    return *user;
}

Result<PinRole> PinAuth::roleFor(const User &user) const
{
    const auto role = user.role.isEmpty() ? std::nullopt : m_roles.current(user.role);
    if (!role)
        return Refusal(Refusal::Kind::NoRole, u"no such role: "_s + user.role);
    if (role->permissions.isEmpty())
        return Refusal(Refusal::Kind::Forbidden, u"role without permissions: "_s + user.role);
    return *role;
}

void PinAuth::logout(const User &user, QByteArrayView refreshToken, const QString &ip)
{
    const auto claims =
        Jwt(m_secrets.signingKey(), kRefreshPurpose).verify(refreshToken, m_clock.nowSecs());
    QString detail = u"no refresh token"_s;
    if (claims && claims->value(u"sub").toString() == user.id) {
        const QByteArray jti = claims->value(u"jti").toString().toLatin1();
        if (const auto stored = m_tokens.findLive(TokenKind::refresh, jti);
            stored && stored->userId == user.id) {
            m_tokens.revoke(stored->id);
            detail = u"refresh token "_s + stored->id + u" revoked"_s;
        }
    }
    audit({.action = u"pin.logout"_s,
           .subject = user.id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = detail});
}

bool PinAuth::unlock(const QString &subject, const QString &actor, const QString &surface)
{
    const bool lifted = m_lockout.unlock(subject);
    m_audit.record({.actor = actor,
                    .action = u"pin.unlock"_s,
                    .subject = subject,
                    .surface = surface,
                    .ip = u"local"_s,
                    .result = lifted ? u"ok"_s : u"error"_s,
                    .detail = lifted ? QString() : u"not locked"_s});
    return lifted;
}

Result<User> PinAuth::setPin(const QString &name, const QString &pin, bool create,
                             const QString &actor, const QString &surface)
{
    using R = Result<User>;
    if (!isValidPin(pin))
        return R::failure(Refusal::Kind::InvalidInput, u"a PIN is 4 to 12 digits"_s);
    const QString hash = PasswordHasher::hash(pin.toUtf8());
    auto user = m_users.byUsername(name);
    if (!user) {
        if (!create)
            return R::failure(Refusal::Kind::NotFound, u"no user named %1"_s.arg(name));
        if (!Users::isValidUsername(name))
            return R::failure(Refusal::Kind::InvalidInput,
                              u"a name is 3 to 32 of the characters A-Z a-z 0-9 _ . -"_s);
        User draft;
        draft.username = name;
        draft.pinHash = hash;
        auto created = m_users.create(draft);
        if (!created)
            return R::failure(created.refusal());
        m_audit.record({.actor = actor,
                        .action = u"user.add"_s,
                        .subject = created->id,
                        .surface = surface,
                        .ip = u"local"_s,
                        .result = u"ok"_s,
                        .detail = u"PIN user "_s + created->username});
        m_audit.record({.actor = actor,
                        .action = u"user.set-pin"_s,
                        .subject = created->id,
                        .surface = surface,
                        .ip = u"local"_s,
                        .result = u"ok"_s});
        return created;
    }
    m_users.setPinHash(user->id, hash);
    // A new PIN ends the sessions the old one opened.
    m_tokens.revokeAllForUser(user->id, TokenKind::refresh);
    m_audit.record({.actor = actor,
                    .action = u"user.set-pin"_s,
                    .subject = user->id,
                    .surface = surface,
                    .ip = u"local"_s,
                    .result = u"ok"_s});
    user->pinHash = hash;
    return *user;
}
