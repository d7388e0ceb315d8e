// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/passkeys.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {

const Table<Passkey> kPasskeys{u"passkeys"_s,
                               {
                                   {u"credential_id"_s, &Passkey::credentialId},
                                   {u"user_id"_s, &Passkey::userId},
                                   {u"factor_id"_s, &Passkey::factorId},
                                   {u"user_handle"_s, &Passkey::userHandle},
                                   {u"public_key"_s, &Passkey::publicKey},
                                   {u"alg"_s, &Passkey::alg},
                                   {u"sign_count"_s, &Passkey::signCount},
                                   {u"backup_eligible"_s, &Passkey::backupEligible},
                                   {u"backup_state"_s, &Passkey::backupState},
                                   {u"transports"_s, &Passkey::transports},
                                   {u"fmt"_s, &Passkey::fmt},
                                   {u"aaguid"_s, &Passkey::aaguid},
                                   {u"label"_s, &Passkey::label},
                                   {u"created_at"_s, &Passkey::createdAt},
                                   {u"last_used_at"_s, &Passkey::lastUsedAt},
                               }};

} // namespace

Passkeys::Passkeys(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

bool Passkeys::add(const Passkey &passkey)
{
    bool added = false;
    m_db.write([&] {
        Sql taken(m_db, u"SELECT COUNT(*) AS n FROM passkeys WHERE credential_id = :id"_s);
        taken.bind(u":id"_s, passkey.credentialId).exec().next();
        if (taken.value(u"n"_s).toLongLong() > 0)
            return;
        Sql q(m_db, kPasskeys.insert());
        kPasskeys.bind(q, passkey);
        q.exec();
        added = true;
    });
    return added;
}

std::optional<Passkey> Passkeys::byCredentialId(const QString &credentialId) const
{
    Sql q(m_db, kPasskeys.select(u"WHERE credential_id = :id"_s));
    q.bind(u":id"_s, credentialId).exec();
    return q.next() ? std::optional(kPasskeys.read(q)) : std::nullopt;
}

QList<Passkey> Passkeys::forUser(const QString &userId) const
{
    Sql q(m_db, kPasskeys.select(u"WHERE user_id = :u ORDER BY created_at, credential_id"_s));
    q.bind(u":u"_s, userId).exec();
    QList<Passkey> out;
    while (q.next())
        out.append(kPasskeys.read(q));
    return out;
}

int Passkeys::countForUser(const QString &userId) const
{
    Sql q(m_db, u"SELECT COUNT(*) AS n FROM passkeys WHERE user_id = :u"_s);
    q.bind(u":u"_s, userId).exec().next();
    return q.value(u"n"_s).toInt();
}

QString Passkeys::userHandle(const QString &userId) const
{
    Sql q(m_db, u"SELECT user_handle FROM passkeys WHERE user_id = :u "
                u"ORDER BY created_at LIMIT 1"_s);
    q.bind(u":u"_s, userId).exec();
    return q.next() ? q.value(u"user_handle"_s).toString() : QString();
}

bool Passkeys::rename(const QString &userId, const QString &credentialId, const QString &label)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE passkeys SET label = :l WHERE credential_id = :id AND user_id = :u"_s);
        q.bind(u":l"_s, label).bind(u":id"_s, credentialId).bind(u":u"_s, userId).exec();
        changed = q.rowsAffected();
    });
    return changed == 1;
}

bool Passkeys::remove(const QString &userId, const QString &credentialId)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM passkeys WHERE credential_id = :id AND user_id = :u"_s);
        q.bind(u":id"_s, credentialId).bind(u":u"_s, userId).exec();
        changed = q.rowsAffected();
    });
    return changed == 1;
}

void Passkeys::recordUse(const QString &credentialId, qint64 signCount, bool backupState)
{
    m_db.write([&] {
        Sql(m_db, u"UPDATE passkeys SET sign_count = :c, backup_state = :b, last_used_at = :t "
                  u"WHERE credential_id = :id"_s)
            .bind(u":c"_s, signCount)
            .bind(u":b"_s, backupState ? 1 : 0)
            .bind(u":t"_s, m_clock.nowMs())
            .bind(u":id"_s, credentialId)
            .exec();
    });
}
