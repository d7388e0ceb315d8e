// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/deviceauth.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/audit.h"
#include "storage/database.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace {
const QString kSurface = u"device"_s;
} // namespace

DeviceAuth::DeviceAuth(const Database &db, Users &users, TokenStore &tokens, const Clock &clock,
                       AuditLog &audit, Options options, SendEmail sendEmail)
    : m_db(db), m_users(users), m_tokens(tokens), m_clock(clock), m_audit(audit),
      m_options(std::move(options)), m_sendEmail(std::move(sendEmail))
{}

void DeviceAuth::audit(AuditEvent event)
{
    event.surface = kSurface;
    m_audit.record(std::move(event));
}

bool DeviceAuth::isValidPlatform(QStringView platform)
{
    if (platform.isEmpty() || platform.size() > 64 || platform.trimmed().isEmpty())
        return false;
    for (QChar c : platform)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
            c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return false;
    return true;
}

QByteArray DeviceAuth::newSessionToken()
{
    return Random::bytes(256).toBase64(QByteArray::Base64UrlEncoding); // with padding: 344
}

Result<DeviceAuth::Session> DeviceAuth::registerUser(const QString &username, const QString &email,
                                                     const QString &platform, const QString &ip)
{
    if (!Users::isValidUsername(username))
        return Refusal(Refusal::Kind::InvalidInput,
                       u"username must be 3 to 32 characters of A-Z a-z 0-9 _ . -"_s);
    if (!email.isEmpty() && !Users::isValidEmail(email))
        return Refusal(Refusal::Kind::InvalidInput, u"Invalid email address"_s);
    if (!isValidPlatform(platform))
        return Refusal(Refusal::Kind::InvalidInput,
                       u"session_platform must be 1 to 64 printable characters"_s);
    const Refusal taken(Refusal::Kind::Conflict, u"Username already taken"_s);
    if (m_users.byUsername(username)) {
        audit({.actor = u"anonymous"_s,
               .action = u"device.register"_s,
               .subject = username.left(64),
               .ip = ip,
               .result = u"denied"_s,
               .detail = taken.message});
        return taken;
    }
    User draft;
    draft.username = username; // the address waits for its confirmation (offerEmail)
    auto created = m_users.create(draft);
    if (!created) // lost a race with another registration
        return taken;
    audit({.actor = created->id,
           .action = u"device.register"_s,
           .subject = created->id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = platform});
    if (!email.isEmpty())
        offerEmail(*created, email.trimmed().toLower(), ip);
    return issueSession(created->id, platform, ip);
}

DeviceAuth::Session DeviceAuth::issueSession(const QString &userId, const QString &platform,
                                             const QString &ip)
{
    const QByteArray token = newSessionToken();
    const QString data =
        QString::fromUtf8(QJsonDocument(QJsonObject{{u"ip"_s, ip}}).toJson(QJsonDocument::Compact));
    IssuedToken issued =
        m_tokens.issue(TokenKind::device, userId, token, m_options.sessionMs, platform, data);
    return {token, issued};
}

Result<DeviceAuth::Caller> DeviceAuth::authenticate(QByteArrayView bearer)
{
    // One answer for every reason, so a token tells nothing about its account.
    const Refusal refused(Refusal::Kind::BadCredentials, u"Invalid or expired session token"_s);
    if (bearer.isEmpty() || bearer.size() > 1024)
        return refused;
    auto session = m_tokens.findLive(TokenKind::device, bearer);
    if (!session)
        return refused;
    auto user = m_users.current(session->userId);
    if (!user || user->disabled || session->createdAt < user->tokensValidAfter)
        return refused;
    m_tokens.touch(*session);
    return Caller{*user, *session};
}

QList<IssuedToken> DeviceAuth::sessions(const QString &userId) const
{
    TokenFilter filter;
    filter.userId = userId;
    filter.kind = TokenKind::device;
    filter.limit = 1000;
    return m_tokens.list(filter);
}

bool DeviceAuth::revokeSession(const Caller &caller, const QString &sessionId, const QString &ip)
{
    const auto target = m_tokens.byId(sessionId);
    // Someone else's session, or another kind of token, looks like no session at all.
    if (!target || target->userId != caller.user.id || target->kind != TokenKind::device ||
        !target->live(m_clock.nowMs()))
        return false;
    const bool revoked = m_tokens.revoke(sessionId);
    audit({.actor = caller.user.id,
           .action = u"device.session.revoke"_s,
           .subject = sessionId,
           .ip = ip,
           .result = revoked ? u"ok"_s : u"error"_s});
    return revoked;
}

int DeviceAuth::revokeOtherSessions(const Caller &caller, const QString &ip)
{
    const int count =
        m_tokens.revokeAllForUser(caller.user.id, TokenKind::device, caller.session.id);
    audit({.actor = caller.user.id,
           .action = u"device.session.revoke-others"_s,
           .subject = caller.user.id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"%1 revoked"_s.arg(count)});
    return count;
}

Result<Done> DeviceAuth::changeEmail(const Caller &caller, const QString &email, const QString &ip)
{
    const QString wanted = email.trimmed().toLower();
    if (!Users::isValidEmail(wanted))
        return Refusal(Refusal::Kind::InvalidInput, u"Invalid email address"_s);
    if (caller.user.email == wanted && caller.user.emailVerified)
        return Done{}; // already this address, already confirmed
    offerEmail(caller.user, wanted, ip);
    return Done{};
}

void DeviceAuth::offerEmail(const User &user, const QString &wanted, const QString &ip)
{
    const auto owner = m_users.byEmail(wanted);
    if (owner && owner->id != user.id) {
        // Someone else's: tell its owner, bind nothing, answer the caller as usual.
        m_sendEmail(wanted, u"Someone tried to use your email address"_s,
                    u"Hello %1,\n\n"
                    u"Someone (from %2) asked to add %3 to another account, "
                    u"\"%4\". It is already the address of your account, so "
                    u"nothing changed and no link was sent.\n\n"
                    u"If that was you, sign in to your account instead. If not, "
                    u"ignore this email.\n"_s.arg(owner->username, ip, wanted, user.username));
        audit({.actor = user.id,
               .action = u"device.email.offer"_s,
               .subject = user.id,
               .ip = ip,
               .result = u"denied"_s,
               .detail = u"address belongs to another account; its owner was notified"_s});
        return;
    }
    const QString code = Random::urlToken(32);
    const qint64 now = m_clock.nowMs();
    m_db.write([&] {
        // Earlier links for this user stop working: only the newest address counts.
        Sql(m_db, u"UPDATE email_verifications SET used_at = :now "
                  u"WHERE user_id = :user AND used_at = 0"_s)
            .bind(u":now"_s, now)
            .bind(u":user"_s, user.id)
            .exec();
        Sql(m_db, u"INSERT INTO email_verifications (code_hash, user_id, email, created_at, "
                  u"expires_at, used_at) VALUES (:code, :user, :email, :now, :expires, 0)"_s)
            .bind(u":code"_s, Digest::tokenHash(code.toLatin1()))
            .bind(u":user"_s, user.id)
            .bind(u":email"_s, wanted)
            .bind(u":now"_s, now)
            .bind(u":expires"_s, now + m_options.verifyMs)
            .exec();
    });
    const QString link = m_options.publicUrl + u"/auth/verify-email?code="_s + code;
    m_sendEmail(wanted, u"Confirm your email address"_s,
                u"Hello %1,\n\n"
                u"Please confirm that %2 is your email address: open this link "
                u"and press the Confirm button.\n\n%3\n\n"
                u"The link works for 24 hours. Until then the address is not "
                u"part of the account. If you did not ask for this, ignore this "
                u"email.\n"_s.arg(user.username, wanted, Outbox::secret(link)));
    audit({.actor = user.id,
           .action = u"device.email.offer"_s,
           .subject = user.id,
           .ip = ip,
           .result = u"ok"_s,
           .detail = u"confirmation mailed"_s});
}

QString DeviceAuth::pendingEmail(const QString &userId) const
{
    Sql q(m_db, u"SELECT email FROM email_verifications WHERE user_id = :user AND used_at = 0 "
                u"AND expires_at > :now ORDER BY created_at DESC LIMIT 1"_s);
    q.bind(u":user"_s, userId).bind(u":now"_s, m_clock.nowMs()).exec();
    return q.next() ? q.value(u"email"_s).toString() : QString();
}

bool DeviceAuth::bindEmail(const QString &userId, const QString &email)
{
    bool bound = false;
    m_db.write([&] {
        const auto owner = m_users.byEmail(email);
        if (owner && owner->id != userId)
            return; // taken meanwhile by an account that confirmed first
        bound = m_users.setEmail(userId, email, true);
        Sql(m_db, u"UPDATE email_verifications SET used_at = :now "
                  u"WHERE user_id = :user AND used_at = 0"_s)
            .bind(u":now"_s, m_clock.nowMs())
            .bind(u":user"_s, userId)
            .exec();
    });
    return bound;
}

DeviceAuth::EmailLink DeviceAuth::emailLink(const QString &code) const
{
    EmailLink link;
    if (code.isEmpty() || code.size() > 256)
        return link;
    Sql q(m_db, u"SELECT user_id, email, expires_at, used_at FROM email_verifications "
                u"WHERE code_hash = :code"_s);
    q.bind(u":code"_s, Digest::tokenHash(code.toLatin1())).exec();
    if (!q.next())
        return link;
    const auto user = m_users.byId(q.value(u"user_id"_s).toString());
    if (!user)
        return link;
    link.userId = user->id;
    link.email = q.value(u"email"_s).toString();
    link.username = user->username;
    const auto owner = m_users.byEmail(link.email);
    if (q.value(u"used_at"_s).toLongLong() != 0)
        link.state = LinkState::Used;
    else if (q.value(u"expires_at"_s).toLongLong() <= m_clock.nowMs() ||
             (owner && owner->id != user->id))
        link.state = LinkState::Expired; // or confirmed meanwhile by another account
    else
        link.state = LinkState::Pending;
    return link;
}

DeviceAuth::EmailLink DeviceAuth::confirmEmail(const QString &code, const QString &ip)
{
    EmailLink link;
    m_db.write([&] {
        link = emailLink(code);
        if (link.state != LinkState::Pending)
            return;
        if (!bindEmail(link.userId, link.email)) {
            link.state = LinkState::Expired;
            return;
        }
        audit({.actor = link.userId,
               .action = u"device.email.confirm"_s,
               .subject = link.userId,
               .ip = ip,
               .result = u"ok"_s,
               .detail = link.email});
    });
    return link;
}
