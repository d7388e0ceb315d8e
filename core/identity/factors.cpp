// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/factors.h"

#include "clock.h"
#include "config/secrets.h"
#include "crypto/aead.h"
#include "crypto/digest.h"
#include "crypto/random.h"
#include "crypto/totp.h"
#include "identity/audit.h"
#include "storage/database.h"
#include "storage/table.h"

#include <QUrl>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
using K = Refusal::Kind;
constexpr int kSecretBytes = 20; // 160 bits, RFC 4226's recommended HMAC-SHA1 key size
const QString kIssuer = u"Gatehouse"_s;

const Table<Factor> kFactors{u"factors"_s,
                             {
                                 {u"id"_s, &Factor::id},
                                 {u"user_id"_s, &Factor::userId},
                                 {u"kind"_s, &Factor::kind},
                                 {u"label"_s, &Factor::label},
                                 {u"created_at"_s, &Factor::createdAt},
                                 {u"confirmed_at"_s, &Factor::confirmedAt},
                                 {u"last_used_at"_s, &Factor::lastUsedAt},
                             }};

Refusal notFound()
{
    return Refusal(K::NotFound, u"no such second factor"_s);
}

QString normalisedRecoveryCode(const QString &code)
{
    QString out;
    for (QChar c : code)
        if (c.isLetterOrNumber())
            out += c.toLower();
    return out;
}

} // namespace

Factors::Factors(const Database &db, const Secrets &secrets, const Clock &clock, AuditLog &audit)
    : m_db(db), m_secrets(secrets), m_clock(clock), m_audit(audit)
{}

// A key of its own for TOTP secrets, derived from the wallet sealing key (so no new
// secret has to be kept, and a key for one purpose never opens the other's data).
QByteArray Factors::sealKey() const
{
    const QByteArray root = m_secrets.value(SecretName::walletSealKey);
    if (root.size() < Aead::kKeySize)
        throw Refusal(K::NotConfigured, u"the sealing key is not loaded"_s);
    return Digest::hmacSha256(root, "gatehouse-totp-seal-v1");
}

QString Factors::recoveryHash(const QString &userId, const QString &code) const
{
    return Digest::tokenHash((userId + u':' + normalisedRecoveryCode(code)).toUtf8());
}

QList<Factor> Factors::list(const QString &userId) const
{
    Sql q(m_db, kFactors.select(u"WHERE user_id = :user AND confirmed_at > 0 "
                                u"ORDER BY created_at, id"_s));
    q.bind(u":user"_s, userId).exec();
    QList<Factor> out;
    while (q.next())
        out.append(kFactors.read(q));
    return out;
}

bool Factors::hasConfirmed(const QString &userId) const
{
    Sql q(m_db, u"SELECT COUNT(*) AS n FROM factors WHERE user_id = :user AND confirmed_at > 0"_s);
    q.bind(u":user"_s, userId).exec();
    return q.next() && q.value(u"n"_s).toInt() > 0;
}

QStringList Factors::kinds(const QString &userId) const
{
    QStringList out;
    for (const Factor &f : list(userId))
        if (!out.contains(f.kind))
            out << f.kind;
    return out;
}

std::optional<Factor> Factors::byId(const QString &userId, const QString &factorId) const
{
    Sql q(m_db, kFactors.select(u"WHERE id = :id AND user_id = :user"_s));
    q.bind(u":id"_s, factorId).bind(u":user"_s, userId).exec();
    return q.next() ? std::optional(kFactors.read(q)) : std::nullopt;
}

TotpEnrolment Factors::beginTotp(const QString &userId, const QString &accountName,
                                 const QString &label, const QString &ip)
{
    TotpEnrolment out;
    Factor &f = out.factor;
    f.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    f.userId = userId;
    f.kind = kTotp;
    f.label = label.trimmed().isEmpty() ? u"Authenticator app"_s : label.trimmed();
    f.createdAt = m_clock.nowMs();
    const QByteArray secret = Random::bytes(kSecretBytes);
    const QByteArray sealed = Aead::seal(sealKey(), secret, f.id.toUtf8());
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM factors WHERE user_id = :user AND kind = 'totp' "
                  u"AND confirmed_at = 0"_s)
            .bind(u":user"_s, userId)
            .exec();
        Sql q(m_db, kFactors.insert({u"secret_sealed"_s, u"last_step"_s, u"confirm_tries"_s}));
        kFactors.bind(q, f);
        q.bind(u":secret_sealed"_s, QString::fromLatin1(sealed.toBase64()))
            .bind(u":last_step"_s, 0)
            .bind(u":confirm_tries"_s, 0)
            .exec();
    });
    out.secret = Totp::base32(secret);
    const QString account = QString::fromUtf8(QUrl::toPercentEncoding(accountName));
    out.uri = u"otpauth://totp/%1:%2?secret=%3&issuer=%1&algorithm=SHA1&digits=6&period=30"_s.arg(
        kIssuer, account, out.secret);
    m_audit.record({.actor = userId,
                    .action = u"factor.totp.enrol"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = u"ok"_s,
                    .detail = u"factor "_s + f.id});
    return out;
}

Result<Done> Factors::rename(const QString &userId, const QString &factorId, const QString &label,
                             const QString &ip)
{
    const QString clean = label.trimmed();
    if (clean.isEmpty() || clean.size() > kMaxLabel)
        return Refusal(K::InvalidInput,
                       u"field 'label' must be 1 to %1 characters long"_s.arg(kMaxLabel));
    int changed = 0;
    m_db.write([&] {
        changed = Sql(m_db, u"UPDATE factors SET label = :label WHERE id = :id "
                            u"AND user_id = :user AND confirmed_at > 0"_s)
                      .bind(u":label"_s, clean)
                      .bind(u":id"_s, factorId)
                      .bind(u":user"_s, userId)
                      .exec()
                      .rowsAffected();
    });
    if (changed == 0)
        return notFound();
    m_audit.record({.actor = userId,
                    .action = u"factor.rename"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = u"ok"_s,
                    .detail = u"factor "_s + factorId});
    return Done{};
}

Result<Done> Factors::remove(const QString &userId, const QString &factorId, const QString &actor,
                             const QString &surface, const QString &ip)
{
    std::optional<Factor> gone;
    m_db.write([&] {
        gone = byId(userId, factorId);
        if (!gone)
            return;
        Sql(m_db, u"DELETE FROM factors WHERE id = :id"_s).bind(u":id"_s, factorId).exec();
        if (!hasConfirmed(userId)) // recovery codes stand in for factors that are gone
            Sql(m_db, u"DELETE FROM recovery_codes WHERE user_id = :user"_s)
                .bind(u":user"_s, userId)
                .exec();
    });
    m_audit.record({.actor = actor,
                    .action = u"factor.remove"_s,
                    .subject = u"user:"_s + userId,
                    .surface = surface,
                    .ip = ip,
                    .result = gone ? u"ok"_s : u"denied"_s,
                    .detail = gone ? u"%1 \"%2\""_s.arg(gone->kind, gone->label)
                                   : u"no factor "_s + factorId});
    if (!gone)
        return notFound();
    return Done{};
}

Factor Factors::addPasskey(const QString &userId, const QString &label, const QString &ip)
{
    Factor f;
    f.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    f.userId = userId;
    f.kind = kPasskey;
    f.label = label.trimmed().isEmpty() ? u"Passkey"_s : label.trimmed().left(kMaxLabel);
    f.createdAt = m_clock.nowMs();
    f.confirmedAt = f.createdAt;
    m_db.write([&] {
        Sql q(m_db, kFactors.insert({u"secret_sealed"_s, u"last_step"_s, u"confirm_tries"_s}));
        kFactors.bind(q, f);
        q.bind(u":secret_sealed"_s, u""_s)
            .bind(u":last_step"_s, 0)
            .bind(u":confirm_tries"_s, 0)
            .exec();
    });
    m_audit.record({.actor = userId,
                    .action = u"factor.passkey.add"_s,
                    .subject = u"user:"_s + userId,
                    .surface = u"account"_s,
                    .ip = ip,
                    .result = u"ok"_s,
                    .detail = u"factor "_s + f.id});
    return f;
}

void Factors::markUsed(const QString &factorId)
{
    m_db.write([&] {
        Sql(m_db, u"UPDATE factors SET last_used_at = :now WHERE id = :id"_s)
            .bind(u":now"_s, m_clock.nowMs())
            .bind(u":id"_s, factorId)
            .exec();
    });
}
