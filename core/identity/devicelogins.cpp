// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/devicelogins.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/audit.h"
#include "storage/database.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace {

const QString kSurface = u"device"_s;

QString hashOf(const QString &secret)
{
    return Digest::tokenHash(secret.toUtf8());
}

} // namespace

DeviceLogins::DeviceLogins(const Database &db, Users &users, DeviceAuth &deviceAuth,
                           const Clock &clock, AuditLog &audit, Options options,
                           SendEmail sendEmail)
    : m_db(db), m_users(users), m_deviceAuth(deviceAuth), m_clock(clock), m_audit(audit),
      m_options(std::move(options)), m_sendEmail(std::move(sendEmail))
{}

Result<DeviceLogins::Started> DeviceLogins::start(const QString &username, const QString &email,
                                                  const QString &platform, const QString &ip)
{
    const QString name = username.toLower().left(64);
    const qint64 now = m_clock.nowMs();
    const QString authId = QUuid::createUuid().toString(QUuid::WithoutBraces); // version 4
    const QString code = Random::urlToken(32);
    std::optional<User> user;
    qint64 waitSecs = 0; // throttled when set
    m_db.write([&] {
        // Counted per username whatever the email, so the limit reveals no pair either.
        Sql recent(m_db, u"SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM device_logins "
                         u"WHERE username = :name AND created_at > :since"_s);
        recent.bind(u":name"_s, name).bind(u":since"_s, now - m_options.lifetimeMs).exec();
        if (recent.next() && recent.value(u"n"_s).toInt() >= m_options.maxPerUsername) {
            const qint64 freeAt = recent.value(u"oldest"_s).toLongLong() + m_options.lifetimeMs;
            waitSecs = qMax<qint64>(1, (freeAt - now + 999) / 1000);
            return;
        }
        user = m_users.byUsername(name);
        const QString given = email.trimmed().toLower();
        // The account's address, or the one it was offered and has not confirmed yet
        // (approving this login proves the mailbox and binds it).
        if (user && !user->disabled && !given.isEmpty() && user->email != given &&
            m_deviceAuth.pendingEmail(user->id) == given && !m_users.byEmail(given))
            user->email = given;
        if (user && (user->disabled || user->email.isEmpty() || user->email != given))
            user.reset();
        Sql(m_db, u"INSERT INTO device_logins (auth_hash, code_hash, user_id, username, email, "
                  u"platform, ip, created_at, expires_at) VALUES (:auth, :code, :user, :name, "
                  u":email, :platform, :ip, :now, :expires)"_s)
            .bind(u":auth"_s, hashOf(authId))
            .bind(u":code"_s, hashOf(code))
            .bind(u":user"_s, user ? user->id : QString(u""_s))
            .bind(u":name"_s, name)
            .bind(u":email"_s, user ? user->email : QString(u""_s))
            .bind(u":platform"_s, platform)
            .bind(u":ip"_s, ip)
            .bind(u":now"_s, now)
            .bind(u":expires"_s, now + m_options.lifetimeMs)
            .exec();
        Sql(m_db, u"DELETE FROM device_logins WHERE expires_at < :old"_s)
            .bind(u":old"_s, now - 24 * 3600'000LL)
            .exec();
    });
    if (waitSecs > 0) {
        m_audit.record({.actor = u"anonymous"_s,
                        .action = u"device.login.start"_s,
                        .subject = name,
                        .surface = kSurface,
                        .ip = ip,
                        .result = u"denied"_s,
                        .detail = u"too many logins started"_s});
        return Refusal(Refusal::Kind::RateLimited, u"too many logins started for this username"_s,
                       QString(), waitSecs);
    }
    if (user) {
        const QString link = m_options.publicUrl + u"/auth/approve?code="_s + code;
        m_sendEmail(
            user->email, u"Approve sign-in on "_s + platform,
            u"Hello %1,\n\n"
            u"A device calling itself \"%2\" (from %3) asks to sign in to "
            u"your account. If that is you, open this link and press "
            u"Approve within 15 minutes:\n\n%4\n\n"
            u"If it is not you, ignore this email: nothing happens unless "
            u"the button is pressed.\n"_s.arg(user->username, platform, ip, Outbox::secret(link)));
    }
    m_audit.record(
        {.actor = user ? user->id : u"anonymous"_s,
         .action = u"device.login.start"_s,
         .subject = name,
         .surface = kSurface,
         .ip = ip,
         .result = user ? u"ok"_s : u"denied"_s,
         .detail = user ? u"approval link mailed"_s : u"username/email mismatch (decoy)"_s});
    return Started{authId, (now + m_options.lifetimeMs) / 1000};
}

std::optional<QByteArray> DeviceLogins::claim(const QString &authId, const QString &ip)
{
    if (authId.isEmpty() || authId.size() > 64)
        return std::nullopt;
    std::optional<QByteArray> token;
    m_db.write([&] {
        const qint64 now = m_clock.nowMs();
        const QString authHash = hashOf(authId);
        const int claimed =
            Sql(m_db, u"UPDATE device_logins SET claimed_at = :now WHERE auth_hash = :auth "
                      u"AND user_id <> '' AND approved_at > :cutoff AND denied_at = 0 "
                      u"AND claimed_at = 0"_s)
                .bind(u":now"_s, now)
                .bind(u":auth"_s, authHash)
                .bind(u":cutoff"_s, now - m_options.claimMs)
                .exec()
                .rowsAffected();
        if (claimed != 1)
            return;
        Sql row(m_db, u"SELECT user_id, platform FROM device_logins WHERE auth_hash = :auth"_s);
        row.bind(u":auth"_s, authHash).exec();
        if (!row.next())
            return;
        const auto user = m_users.byId(row.value(u"user_id"_s).toString());
        if (!user || user->disabled)
            return;
        DeviceAuth::Session session =
            m_deviceAuth.issueSession(user->id, row.value(u"platform"_s).toString(), ip);
        Sql(m_db, u"UPDATE device_logins SET token_id = :token WHERE auth_hash = :auth"_s)
            .bind(u":token"_s, session.issued.id)
            .bind(u":auth"_s, authHash)
            .exec();
        m_audit.record({.actor = user->id,
                        .action = u"device.login"_s,
                        .subject = session.issued.id,
                        .surface = kSurface,
                        .ip = ip,
                        .result = u"ok"_s,
                        .detail = row.value(u"platform"_s).toString()});
        token = session.token;
    });
    return token;
}

DeviceLogins::Pending DeviceLogins::byCode(const QString &code) const
{
    Pending p;
    if (code.isEmpty() || code.size() > 256)
        return p;
    Sql q(m_db, u"SELECT user_id, email, username, platform, ip, created_at, expires_at, "
                u"approved_at, denied_at FROM device_logins WHERE code_hash = :code"_s);
    q.bind(u":code"_s, hashOf(code)).exec();
    if (!q.next() || q.value(u"user_id"_s).toString().isEmpty())
        return p;
    p.userId = q.value(u"user_id"_s).toString();
    p.email = q.value(u"email"_s).toString();
    p.username = q.value(u"username"_s).toString();
    p.platform = q.value(u"platform"_s).toString();
    p.ip = q.value(u"ip"_s).toString();
    p.createdAt = q.value(u"created_at"_s).toLongLong();
    p.expiresAt = q.value(u"expires_at"_s).toLongLong();
    if (q.value(u"denied_at"_s).toLongLong() != 0)
        p.state = State::Denied;
    else if (q.value(u"approved_at"_s).toLongLong() != 0)
        p.state = State::Approved;
    else if (p.expiresAt <= m_clock.nowMs())
        p.state = State::Expired;
    else
        p.state = State::Waiting;
    return p;
}

DeviceLogins::Pending DeviceLogins::decide(const QString &code, bool approve, const QString &ip)
{
    Pending p;
    bool changed = false;
    m_db.write([&] {
        p = byCode(code);
        if (p.state != State::Waiting)
            return;
        Sql(m_db, u"UPDATE device_logins SET "_s + (approve ? u"approved_at"_s : u"denied_at"_s) +
                      u" = :now WHERE code_hash = :code"_s)
            .bind(u":now"_s, m_clock.nowMs())
            .bind(u":code"_s, hashOf(code))
            .exec();
        // Pressing the button in a mail sent to this address proves it is theirs.
        if (approve) {
            const auto user = m_users.byId(p.userId);
            if (user && !user->emailVerified && user->email == p.email)
                m_users.setEmailVerified(user->id, true);
            else if (user && user->email != p.email) // an offered address, now proved
                m_deviceAuth.bindEmail(user->id, p.email);
        }
        p.state = approve ? State::Approved : State::Denied;
        changed = true;
    });
    if (changed)
        m_audit.record({.actor = p.userId,
                        .action = approve ? u"device.login.approve"_s : u"device.login.deny"_s,
                        .subject = p.userId,
                        .surface = kSurface,
                        .ip = ip,
                        .result = u"ok"_s,
                        .detail = p.platform});
    return p;
}

int DeviceLogins::purgeExpired()
{
    int removed = 0;
    m_db.write([&] {
        removed = Sql(m_db, u"DELETE FROM device_logins WHERE expires_at < :now"_s)
                      .bind(u":now"_s, m_clock.nowMs() - m_options.claimMs)
                      .exec()
                      .rowsAffected();
    });
    return removed;
}
