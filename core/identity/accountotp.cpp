// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/accountotp.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/digest.h"
#include "crypto/jwt.h"
#include "crypto/random.h"
#include "delivery/outbox.h"
#include "identity/audit.h"
#include "storage/database.h"

#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
const QString kPurpose = u"account-otp"_s;
using K = Refusal::Kind;
} // namespace

AccountOtp::AccountOtp(const Database &db, Users &users, Outbox &outbox, const Secrets &secrets,
                       const Clock &clock, AuditLog &audit, CodeLimits limits)
    : m_db(db), m_users(users), m_outbox(outbox), m_secrets(secrets), m_clock(clock),
      m_audit(audit), m_limits(limits)
{}

QString AccountOtp::codeHash(const QString &sessionId, const QString &code) const
{
    const QByteArray key = Digest::hmacSha256(m_secrets.signingKey(), "gatehouse-account-otp-code");
    return QString::fromLatin1(Digest::hmacSha256(key, (sessionId + u':' + code).toUtf8()).toHex());
}

QByteArray AccountOtp::send(const User &user, const QString &ip)
{
    if (user.email.isEmpty())
        throw Refusal(K::InvalidInput, u"this account has no email address"_s);
    if (user.emailVerified)
        throw Refusal(K::AlreadyVerified, u"the email "_s + user.email + u" is already verified"_s);
    const qint64 now = m_clock.nowMs();
    const QString id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString code = Random::digits(kDigits);
    qint64 waitSecs = 0;
    m_db.write([&] {
        Sql recent(m_db, u"SELECT MAX(created_at) AS latest FROM account_otps "
                         u"WHERE user_id = :user"_s);
        recent.bind(u":user"_s, user.id).exec();
        const qint64 last = recent.next() ? recent.value(u"latest"_s).toLongLong() : 0;
        if (last > 0 && now - last < m_limits.resendCooldownMs) {
            waitSecs = (last + m_limits.resendCooldownMs - now + 999) / 1000;
            return;
        }
        Sql(m_db, u"DELETE FROM account_otps WHERE expires_at < :old"_s)
            .bind(u":old"_s, now - 24 * 3600 * 1000)
            .exec();
        Sql(m_db, u"INSERT INTO account_otps (id, user_id, email, code_hash, attempts, "
                  u"created_at, expires_at, consumed_at) VALUES (:id, :user, :email, :hash, 0, "
                  u":now, :expires, 0)"_s)
            .bind(u":id"_s, id)
            .bind(u":user"_s, user.id)
            .bind(u":email"_s, user.email)
            .bind(u":hash"_s, codeHash(id, code))
            .bind(u":now"_s, now)
            .bind(u":expires"_s, now + kLifetimeSecs * 1000)
            .exec();
    });
    if (waitSecs > 0)
        throw Refusal(K::RateLimited,
                      u"a code was sent less than a minute ago; "
                      u"try again in %1 s"_s.arg(waitSecs),
                      QString(), waitSecs);
    m_outbox.enqueueEmail(user.email, u"Your Gatehouse verification code"_s,
                          u"Your verification code is %1\n\nIt expires in %2 "
                          u"minutes. If you did not ask for it, ignore this "
                          u"email.\n"_s.arg(Outbox::secret(code))
                              .arg(kLifetimeSecs / 60));
    m_audit.record({.actor = user.id,
                    .action = u"account.otp.send"_s,
                    .subject = u"user:"_s + user.id,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = u"ok"_s});
    const qint64 nowSecs = now / 1000;
    return Jwt(m_secrets.signingKey(), kPurpose)
        .sign({{u"sub"_s, user.id},
               {u"sid"_s, id},
               {u"iat"_s, nowSecs},
               {u"exp"_s, nowSecs + kLifetimeSecs}});
}

void AccountOtp::verify(QByteArrayView sessionToken, const QString &code, const QString &ip)
{
    const qint64 now = m_clock.nowMs();
    const auto claims = Jwt(m_secrets.signingKey(), kPurpose).verify(sessionToken, now / 1000);
    if (!claims) {
        if (claims.error() == u"token expired")
            throw Refusal(K::TokenExpired, u"the code has expired; ask for a new one"_s);
        throw Refusal(K::TokenInvalid, u"the OTP token is not valid"_s);
    }
    const QString id = claims->value(u"sid").toString();
    const QString userId = claims->value(u"sub").toString();
    enum { Ok, Missing, Expired, Used, Locked, Wrong, LastWrong } outcome = Missing;
    QString email;
    m_db.write([&] {
        Sql q(m_db, u"SELECT user_id, email, code_hash, attempts, expires_at, consumed_at "
                    u"FROM account_otps WHERE id = :id"_s);
        q.bind(u":id"_s, id).exec();
        if (!q.next() || q.value(u"user_id"_s).toString() != userId)
            return;
        email = q.value(u"email"_s).toString();
        const int attempts = q.value(u"attempts"_s).toInt();
        if (q.value(u"consumed_at"_s).toLongLong() != 0)
            outcome = Used;
        else if (q.value(u"expires_at"_s).toLongLong() <= now)
            outcome = Expired;
        else if (attempts >= m_limits.maxAttempts)
            outcome = Locked;
        else if (!Digest::equal(q.value(u"code_hash"_s).toString().toLatin1(),
                                codeHash(id, code).toLatin1()))
            outcome = attempts + 1 >= m_limits.maxAttempts ? LastWrong : Wrong;
        else
            outcome = Ok;
        const QString update = outcome == Ok ? u"consumed_at = :now"_s
                               : (outcome == Wrong || outcome == LastWrong)
                                   ? u"attempts = attempts + 1"_s
                                   : QString();
        if (!update.isEmpty()) {
            Sql u(m_db, u"UPDATE account_otps SET "_s + update + u" WHERE id = :id"_s);
            if (outcome == Ok)
                u.bind(u":now"_s, now);
            u.bind(u":id"_s, id).exec();
        }
    });
    const QString result = outcome == Ok ? u"ok"_s : u"denied"_s;
    m_audit.record({.actor = userId,
                    .action = u"account.otp.verify"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = result});
    switch (outcome) {
    case Missing:
        throw Refusal(K::TokenInvalid, u"the OTP token is not valid"_s);
    case Used:
        throw Refusal(K::TokenInvalid, u"this code was already used"_s);
    case Expired:
        throw Refusal(K::TokenExpired, u"the code has expired; ask for a new one"_s);
    case Locked:
        throw Refusal(K::Locked, u"too many wrong codes; ask for a new one"_s);
    case Wrong:
        throw Refusal(K::WrongCode, u"the code is wrong"_s);
    case LastWrong:
        throw Refusal(K::WrongCode, u"the code is wrong; no tries left, ask for a new one"_s);
    case Ok:
        break;
    }
    const auto user = m_users.byId(userId);
    if (!user || user->email.compare(email, Qt::CaseInsensitive) != 0)
        throw Refusal(K::TokenInvalid, u"the account's email changed since the code was sent"_s);
    m_users.setEmailVerified(userId, true);
}
