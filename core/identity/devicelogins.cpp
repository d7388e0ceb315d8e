// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/devicelogins.h"

#include "clock.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/audit.h"
#include "storage/database.h"

#include <QUuid>

namespace {

const QString kSurface = QStringLiteral("device");
const QString kColumns = QStringLiteral("user_id, email, username, platform, ip, created_at, "
                                        "expires_at, approved_at, denied_at");

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

std::variant<DeviceLogins::Started, DeviceLogins::Throttled>
DeviceLogins::start(const QString &username, const QString &email, const QString &platform,
                    const QString &ip)
{
    const QString name = username.toLower().left(64);
    const qint64 now = m_clock.nowMs();
    const QString authId = QUuid::createUuid().toString(QUuid::WithoutBraces); // version 4
    const QString code = Random::urlToken(32);
    std::optional<User> user;
    std::optional<Throttled> throttled;
    m_db.write([&] {
        // Counted per username whatever the email, so the limit reveals no pair either.
        Sql recent(m_db, u"SELECT COUNT(*), MIN(created_at) FROM device_logins "
                         "WHERE username = :name AND created_at > :since"_qs);
        recent.bind(u":name"_qs, name).bind(u":since"_qs, now - m_options.lifetimeMs).exec();
        if (recent.next() && recent.value(0).toInt() >= m_options.maxPerUsername) {
            const qint64 freeAt = recent.value(1).toLongLong() + m_options.lifetimeMs;
            throttled = Throttled{int(qMax<qint64>(1, (freeAt - now + 999) / 1000))};
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
                  "platform, ip, created_at, expires_at) VALUES (:auth, :code, :user, :name, "
                  ":email, :platform, :ip, :now, :expires)"_qs)
            .bind(u":auth"_qs, hashOf(authId))
            .bind(u":code"_qs, hashOf(code))
            .bind(u":user"_qs, user ? user->id : QString(u""_qs))
            .bind(u":name"_qs, name)
            .bind(u":email"_qs, user ? user->email : QString(u""_qs))
            .bind(u":platform"_qs, platform)
            .bind(u":ip"_qs, ip)
            .bind(u":now"_qs, now)
            .bind(u":expires"_qs, now + m_options.lifetimeMs)
            .exec();
        Sql(m_db, u"DELETE FROM device_logins WHERE expires_at < :old"_qs)
            .bind(u":old"_qs, now - 24 * 3600'000LL)
            .exec();
    });
    if (throttled) {
        m_audit.record({0, 0, u"anonymous"_qs, u"device.login.start"_qs, name, kSurface, ip,
                        u"denied"_qs, u"too many logins started"_qs});
        return *throttled;
    }
    if (user) {
        const QString link = m_options.publicUrl + u"/auth/approve?code="_qs + code;
        m_sendEmail(user->email, u"Approve sign-in on "_qs + platform,
                    QStringLiteral("Hello %1,\n\n"
                                   "A device calling itself \"%2\" (from %3) asks to sign in to "
                                   "your account. If that is you, open this link and press "
                                   "Approve within 15 minutes:\n\n%4\n\n"
                                   "If it is not you, ignore this email: nothing happens unless "
                                   "the button is pressed.\n")
                        .arg(user->username, platform, ip, Outbox::secret(link)));
    }
    m_audit.record({0, 0, user ? user->id : u"anonymous"_qs, u"device.login.start"_qs, name,
                    kSurface, ip, user ? u"ok"_qs : u"denied"_qs,
                    user ? u"approval link mailed"_qs : u"username/email mismatch (decoy)"_qs});
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
                      "AND user_id <> '' AND approved_at > :cutoff AND denied_at = 0 "
                      "AND claimed_at = 0"_qs)
                .bind(u":now"_qs, now)
                .bind(u":auth"_qs, authHash)
                .bind(u":cutoff"_qs, now - m_options.claimMs)
                .exec()
                .rowsAffected();
        if (claimed != 1)
            return;
        Sql row(m_db, u"SELECT user_id, platform FROM device_logins WHERE auth_hash = :auth"_qs);
        row.bind(u":auth"_qs, authHash).exec();
        if (!row.next())
            return;
        const auto user = m_users.byId(row.value(0).toString());
        if (!user || user->disabled)
            return;
        DeviceAuth::Session session =
            m_deviceAuth.issueSession(user->id, row.value(1).toString(), ip);
        Sql(m_db, u"UPDATE device_logins SET token_id = :token WHERE auth_hash = :auth"_qs)
            .bind(u":token"_qs, session.issued.id)
            .bind(u":auth"_qs, authHash)
            .exec();
        m_audit.record({0, 0, user->id, u"device.login"_qs, session.issued.id, kSurface, ip,
                        u"ok"_qs, row.value(1).toString()});
        token = session.token;
    });
    return token;
}

DeviceLogins::Pending DeviceLogins::byCode(const QString &code) const
{
    Pending p;
    if (code.isEmpty() || code.size() > 256)
        return p;
    Sql q(m_db, u"SELECT "_qs + kColumns + u" FROM device_logins WHERE code_hash = :code"_qs);
    q.bind(u":code"_qs, hashOf(code)).exec();
    if (!q.next() || q.value(0).toString().isEmpty())
        return p;
    p.userId = q.value(0).toString();
    p.email = q.value(1).toString();
    p.username = q.value(2).toString();
    p.platform = q.value(3).toString();
    p.ip = q.value(4).toString();
    p.createdAt = q.value(5).toLongLong();
    p.expiresAt = q.value(6).toLongLong();
    if (q.value(8).toLongLong() != 0)
        p.state = State::Denied;
    else if (q.value(7).toLongLong() != 0)
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
        Sql(m_db, u"UPDATE device_logins SET "_qs +
                      (approve ? u"approved_at"_qs : u"denied_at"_qs) +
                      u" = :now WHERE code_hash = :code"_qs)
            .bind(u":now"_qs, m_clock.nowMs())
            .bind(u":code"_qs, hashOf(code))
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
        m_audit.record({0, 0, p.userId,
                        approve ? u"device.login.approve"_qs : u"device.login.deny"_qs, p.userId,
                        kSurface, ip, u"ok"_qs, p.platform});
    return p;
}

int DeviceLogins::purgeExpired()
{
    int removed = 0;
    m_db.write([&] {
        removed = Sql(m_db, u"DELETE FROM device_logins WHERE expires_at < :now"_qs)
                      .bind(u":now"_qs, m_clock.nowMs() - m_options.claimMs)
                      .exec()
                      .rowsAffected();
    });
    return removed;
}
