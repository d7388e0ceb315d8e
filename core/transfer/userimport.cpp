// SPDX-License-Identifier: GPL-3.0-or-later
#include "transfer/userimport.h"

#include "storage/database.h"

#include <QVariant>

using namespace Qt::StringLiterals;

namespace Transfer {

namespace {

// userValues() gives them in this order; reads go by these names.
const QStringList kUserColumnNames = {u"username"_s, u"email"_s,       u"display_name"_s,
                                      u"role"_s,     u"is_admin"_s,    u"email_verified"_s,
                                      u"disabled"_s, u"referrer_id"_s, u"password_hash"_s,
                                      u"pin_hash"_s, u"tier"_s};
const QString kUserColumns = kUserColumnNames.join(u", "_s);

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// For NOT NULL columns: a null QString binds as SQL NULL.
QString notNull(const QString &s)
{
    return s.isNull() ? u""_s : s;
}

QString at(qsizetype index, const QString &field)
{
    return u"users[%1].%2"_s.arg(index).arg(field);
}

// The values of kUserColumns for `u`, as this import would store them.
QVariantList userValues(const User &u, const QString &referrer)
{
    return {nullable(u.username),
            nullable(u.email),
            nullable(u.displayName),
            u.role,
            u.isAdmin ? 1 : 0,
            u.emailVerified ? 1 : 0,
            u.disabled ? 1 : 0,
            nullable(referrer),
            nullable(u.passwordHash),
            nullable(u.pinHash),
            u.tier};
}

} // namespace

UserImport::UserImport(const Database &db, const Document &doc, qint64 nowMs)
    : m_db(db), m_doc(doc), m_now(nowMs)
{}

void UserImport::run(ImportReport &report, const std::function<void(int, int)> &progress)
{
    // First every match, so a referrer later in the file maps to its id here too.
    for (qsizetype i = 0; i < m_doc.users.size(); ++i)
        m_localIds.insert(m_doc.users[i].id, localIdOf(i));
    for (qsizetype i = 0; i < m_doc.users.size(); ++i) {
        const QString localId = m_localIds.value(m_doc.users[i].id);
        checkUnique(i, localId);
        importUser(i, localId, report.users);
        importIdentities(i, localId, report.identities);
        importWallets(i, localId, report.wallets);
        if (progress)
            progress(int(i + 1), int(m_doc.users.size()));
    }
    report.userIds = m_localIds;
}

QString UserImport::localIdOf(qsizetype index) const
{
    const User &u = m_doc.users[index];
    const std::pair<QString, QString> keys[] = {
        {u"id"_s, u.id}, {u"username"_s, u.username}, {u"email"_s, u.email}};
    for (const auto &[column, value] : keys) {
        if (value.isEmpty())
            continue;
        Sql q(m_db, u"SELECT id FROM users WHERE %1 = :v"_s.arg(column));
        if (q.bind(u":v"_s, value).exec().next())
            return q.value(u"id"_s).toString();
    }
    return u.id; // new here: keeps its id
}

void UserImport::checkUnique(qsizetype index, const QString &localId) const
{
    const User &u = m_doc.users[index];
    for (const auto &[column, value] :
         {std::pair{u"username"_s, u.username}, std::pair{u"email"_s, u.email}}) {
        if (value.isEmpty())
            continue;
        Sql q(m_db, u"SELECT id FROM users WHERE %1 = :v"_s.arg(column));
        if (q.bind(u":v"_s, value).exec().next() && q.value(u"id"_s).toString() != localId)
            throw ImportConflict{u"%1: '%2' belongs to another user here (id %3)"_s.arg(
                at(index, column), value, q.value(u"id"_s).toString())};
    }
}

void UserImport::importUser(qsizetype index, const QString &localId, Counts &counts)
{
    const User &u = m_doc.users[index];
    const QString referrer = m_localIds.value(u.referrerId, u.referrerId);
    QVariantList wanted = userValues(u, referrer);
    Sql q(m_db, u"SELECT "_s + kUserColumns + u" FROM users WHERE id = :id"_s);
    if (!q.bind(u":id"_s, localId).exec().next()) {
        Sql insert(m_db, u"INSERT INTO users (id, "_s + kUserColumns +
                             u", created_at, updated_at) VALUES (:id, :c0, :c1, :c2, :c3, :c4, "
                             u":c5, :c6, :c7, :c8, :c9, :c10, :created, :now)"_s);
        insert.bind(u":id"_s, localId).bind(u":created"_s, u.createdAt).bind(u":now"_s, m_now);
        for (int c = 0; c < wanted.size(); ++c)
            insert.bind(u":c%1"_s.arg(c), wanted[c]);
        insert.exec();
        ++counts.created;
        return;
    }
    if (!m_doc.sensitive) { // no hashes in the file: keep the ones here
        wanted[8] = q.value(u"password_hash"_s);
        wanted[9] = q.value(u"pin_hash"_s);
    }
    if (m_doc.keepHashesHere) { // an origin import: a hash here wins (see exportdata.h)
        if (!q.value(u"password_hash"_s).isNull())
            wanted[8] = q.value(u"password_hash"_s);
        if (!q.value(u"pin_hash"_s).isNull())
            wanted[9] = q.value(u"pin_hash"_s);
    }
    bool same = true;
    for (int c = 0; c < wanted.size(); ++c)
        same = same && q.value(kUserColumnNames[c]).toString() == wanted[c].toString() &&
               q.value(kUserColumnNames[c]).isNull() == wanted[c].isNull();
    if (same) {
        ++counts.skipped;
        return;
    }
    Sql update(m_db, u"UPDATE users SET username = :c0, email = :c1, display_name = :c2, "
                     u"role = :c3, is_admin = :c4, email_verified = :c5, disabled = :c6, "
                     u"referrer_id = :c7, password_hash = :c8, pin_hash = :c9, tier = :c10, "
                     u"updated_at = :now WHERE id = :id"_s);
    update.bind(u":id"_s, localId).bind(u":now"_s, m_now);
    for (int c = 0; c < wanted.size(); ++c)
        update.bind(u":c%1"_s.arg(c), wanted[c]);
    update.exec();
    ++counts.updated;
}

void UserImport::importIdentities(qsizetype index, const QString &localId, Counts &counts)
{
    const QList<Identity> &list = m_doc.users[index].identities;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Identity &identity = list[i];
        Sql q(m_db, u"SELECT user_id, display FROM identities "
                    u"WHERE kind = :k AND subject = :s"_s);
        q.bind(u":k"_s, identity.kind).bind(u":s"_s, identity.subject).exec();
        if (!q.next()) {
            Sql(m_db, u"INSERT INTO identities (kind, subject, user_id, display, created_at) "
                      u"VALUES (:k, :s, :u, :d, :at)"_s)
                .bind(u":k"_s, identity.kind)
                .bind(u":s"_s, identity.subject)
                .bind(u":u"_s, localId)
                .bind(u":d"_s, notNull(identity.display))
                .bind(u":at"_s, identity.createdAt)
                .exec();
            ++counts.created;
        } else if (q.value(u"user_id"_s).toString() != localId) {
            throw ImportConflict{u"%1: %2 '%3' is linked to another user here"_s.arg(
                at(index, u"identities[%1]"_s.arg(i)), identity.kind, identity.subject)};
        } else if (q.value(u"display"_s).toString() != identity.display) {
            Sql(m_db, u"UPDATE identities SET display = :d WHERE kind = :k AND subject = :s"_s)
                .bind(u":d"_s, notNull(identity.display))
                .bind(u":k"_s, identity.kind)
                .bind(u":s"_s, identity.subject)
                .exec();
            ++counts.updated;
        } else {
            ++counts.skipped;
        }
    }
}

void UserImport::importWallets(qsizetype index, const QString &localId, Counts &counts)
{
    const QList<Wallet> &list = m_doc.users[index].wallets;
    for (qsizetype i = 0; i < list.size(); ++i) {
        const Wallet &w = list[i];
        Sql q(m_db, u"SELECT user_id, wallet_type, sealed_key FROM wallets "
                    u"WHERE network = :n AND address = :a"_s);
        q.bind(u":n"_s, w.network).bind(u":a"_s, w.address).exec();
        if (!q.next()) {
            Sql taken(m_db, u"SELECT 1 FROM wallets WHERE id = :id"_s);
            // The id is sealed into the key (AEAD associated data): it cannot change.
            if (taken.bind(u":id"_s, w.id).exec().next())
                throw ImportConflict{u"%1: wallet id %2 is used by another wallet here"_s.arg(
                    at(index, u"wallets[%1]"_s.arg(i)), w.id)};
            Sql(m_db, u"INSERT INTO wallets (id, user_id, network, address, wallet_type, "
                      u"sealed_key, created_at) VALUES (:id, :u, :n, :a, :t, :k, :at)"_s)
                .bind(u":id"_s, w.id)
                .bind(u":u"_s, localId)
                .bind(u":n"_s, w.network)
                .bind(u":a"_s, w.address)
                .bind(u":t"_s, w.walletType)
                .bind(u":k"_s, notNull(w.sealedKey))
                .bind(u":at"_s, w.createdAt)
                .exec();
            ++counts.created;
            continue;
        }
        if (q.value(u"user_id"_s).toString() != localId)
            throw ImportConflict{u"%1: %2 wallet %3 belongs to another user here"_s.arg(
                at(index, u"wallets[%1]"_s.arg(i)), w.network, w.address)};
        // Without a sealed key in the file (not sensitive) the one here stays.
        const QString sealedKey =
            m_doc.sensitive ? w.sealedKey : q.value(u"sealed_key"_s).toString();
        if (q.value(u"wallet_type"_s).toString() == w.walletType &&
            q.value(u"sealed_key"_s).toString() == sealedKey) {
            ++counts.skipped;
            continue;
        }
        Sql(m_db, u"UPDATE wallets SET wallet_type = :t, sealed_key = :k "
                  u"WHERE network = :n AND address = :a"_s)
            .bind(u":t"_s, w.walletType)
            .bind(u":k"_s, notNull(sealedKey))
            .bind(u":n"_s, w.network)
            .bind(u":a"_s, w.address)
            .exec();
        ++counts.updated;
    }
}

} // namespace Transfer
