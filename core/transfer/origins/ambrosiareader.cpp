// SPDX-License-Identifier: GPL-3.0-or-later
#include "crypto/pbkdf2hash.h"
#include "identity/pinroles.h"
#include "identity/users.h"
#include "storage/migrations.h"
#include "transfer/origins/originquery.h"
#include "transfer/origins/readers.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

// Ambrosia POS (olympus-btc/ambrosia, server/app/src/main/resources/db/migration): users
// (id, name, pin, refresh_token, is_deleted, role_id, email, phone, wallet_token), roles
// (id, role, password, isAdmin, is_deleted), permissions (id, name, …) and
// role_permissions (role_id, permission_id). Its SecurePinProcessor stores a PIN as
// base64 of PBKDF2WithHmacSHA256(pin, salt = secret + user id, 10,000 iterations, 256
// bits); each hash is re-encoded with its full salt (Pbkdf2Hash), so Gatehouse checks
// it without the secret and re-hashes it to argon2id at the first sign-in.
namespace Origins {

namespace {

constexpr int kAmbrosiaIterations = 10'000;

struct RoleHere
{
    QString name; // empty: not carried
    bool isAdmin = false;
};

struct Context
{
    const QSqlDatabase &db;
    const Options &options;
    Read read;
    QHash<QString, RoleHere> roles;                   // by Ambrosia role id
    qint64 now = QDateTime::currentMSecsSinceEpoch(); // Ambrosia keeps no creation times
};

// Ambrosia role names are any text; Gatehouse's are 1-32 of a-z 0-9 _ . -.
QString roleNameHere(const QString &origin)
{
    static const QRegularExpression other(u"[^a-z0-9_.-]+"_s);
    QString name = origin.trimmed().toLower().replace(other, u"-"_s).left(32);
    return PinRoles::isValidName(name) ? name : QString();
}

QHash<QString, QStringList> permissionsByRole(Context &c)
{
    QHash<QString, QStringList> out;
    OriginQuery q(c.db, u"SELECT rp.role_id AS role_id, p.name AS name FROM role_permissions "
                        u"rp JOIN permissions p ON p.id = rp.permission_id"_s);
    while (q.next())
        out[q.text(u"role_id"_s)] << q.text(u"name"_s);
    return out;
}

void readRoles(Context &c)
{
    const QStringList names = pinPermissionCatalog();
    const QSet<QString> catalog(names.cbegin(), names.cend());
    const QHash<QString, QStringList> granted = permissionsByRole(c);
    QSet<QString> taken;
    QStringList withPassword;
    int deleted = 0;
    OriginQuery q(c.db, u"SELECT id, role, password, isAdmin, is_deleted FROM roles "
                        u"ORDER BY role"_s);
    while (q.next()) {
        const QString id = q.text(u"id"_s);
        const QString origin = q.text(u"role"_s);
        if (q.flag(u"is_deleted"_s)) {
            ++deleted;
            continue;
        }
        RoleHere here{roleNameHere(origin), q.flag(u"isAdmin"_s)};
        if (here.name.isEmpty() || taken.contains(here.name)) {
            c.read.notCarried << u"role '%1': no Gatehouse role name can be made of it (or "
                                 u"another role already took it); its users come without a "
                                 u"role"_s.arg(origin);
            here.name.clear();
        } else if (here.name != origin.toLower()) {
            c.read.notCarried << u"role '%1' is named '%2' here"_s.arg(origin, here.name);
        }
        if (!here.name.isEmpty()) {
            taken.insert(here.name);
            Transfer::PinRole role{here.name, {}, c.now};
            for (const QString &permission : granted.value(id)) {
                if (catalog.contains(permission))
                    role.permissions << permission;
                else
                    c.read.notCarried << u"role '%1': permission '%2' has no Gatehouse "
                                         u"equivalent"_s.arg(origin, permission);
            }
            role.permissions.removeDuplicates();
            role.permissions.sort();
            c.read.document.pinRoles << role;
        }
        if (!q.text(u"password"_s).isEmpty())
            withPassword << origin;
        c.roles.insert(id, here);
    }
    if (!withPassword.isEmpty())
        c.read.notCarried << u"role passwords (%1): Gatehouse has none"_s.arg(
            withPassword.join(u", "_s));
    if (deleted > 0)
        c.read.notCarried << u"%1 role(s) deleted in Ambrosia: left behind"_s.arg(deleted);
}

// Ambrosia's stored PIN (base64 of 32 bytes) with its full salt, or why not.
Result<QString> pinHashHere(const Context &c, const QString &userId, const QString &stored)
{
    const auto raw =
        QByteArray::fromBase64Encoding(stored.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!raw || raw.decoded.size() != Pbkdf2Hash::kHashBytes)
        return Result<QString>::failure(Refusal::Kind::InvalidInput,
                                        u"its PIN hash is not in Ambrosia's form"_s);
    const QByteArray salt = c.options.ambrosiaSecret.toUtf8() + userId.toUtf8();
    return Pbkdf2Hash::encode(kAmbrosiaIterations, salt, raw.decoded);
}

struct UserTally
{
    QSet<QString> names;
    QSet<QString> emails;
    int deleted = 0;
    int phones = 0;
    int walletTokens = 0;
};

// One Ambrosia user, or a line in notCarried saying why not.
void readUser(Context &c, const OriginQuery &q, UserTally &tally)
{
    const QString id = q.text(u"id"_s);
    const QString name = q.text(u"name"_s);
    if (q.flag(u"is_deleted"_s)) {
        ++tally.deleted;
        return;
    }
    const QString username = name.toLower();
    if (!Users::isValidUsername(username) || tally.names.contains(username)) {
        c.read.notCarried << u"user '%1': not a Gatehouse name (3-32 of A-Z a-z 0-9 _ . -, "
                             u"unique in any case); rename them in Ambrosia and import "
                             u"again"_s.arg(name);
        return;
    }
    const auto pinHash = pinHashHere(c, id, q.text(u"pin"_s));
    if (!pinHash) {
        c.read.notCarried << u"user '%1': %2"_s.arg(name, pinHash.error());
        return;
    }
    tally.names.insert(username);
    Transfer::User user;
    user.id = id;
    user.username = username;
    user.displayName = name;
    user.pinHash = *pinHash;
    user.createdAt = c.now;
    const RoleHere role = c.roles.value(q.text(u"role_id"_s));
    user.role = role.name.isEmpty() ? u""_s : role.name; // users.role is NOT NULL
    user.isAdmin = role.isAdmin;
    if (role.name.isEmpty())
        c.read.notCarried << u"user '%1': no role in Ambrosia; give one with `gatehouse user "
                             u"set-pin %2 --role ROLE`"_s.arg(name, username);
    const QString email = q.text(u"email"_s).trimmed().toLower();
    if (!email.isEmpty() && (!Users::isValidEmail(email) || tally.emails.contains(email)))
        c.read.notCarried << u"user '%1': email '%2' (not valid, or another user's)"_s.arg(name,
                                                                                           email);
    else if (!email.isEmpty()) {
        user.email = email;
        tally.emails.insert(email);
    }
    tally.phones += q.text(u"phone"_s).isEmpty() ? 0 : 1;
    tally.walletTokens += q.text(u"wallet_token"_s).isEmpty() ? 0 : 1;
    c.read.document.users << user;
}

void readUsers(Context &c)
{
    UserTally tally;
    OriginQuery q(c.db, u"SELECT * FROM users ORDER BY name"_s);
    while (q.next())
        readUser(c, q, tally);
    if (tally.deleted > 0)
        c.read.notCarried << u"%1 user(s) deleted in Ambrosia: left behind"_s.arg(tally.deleted);
    if (tally.phones > 0)
        c.read.notCarried << u"phone numbers of %1 user(s): Gatehouse keeps none"_s.arg(
            tally.phones);
    if (tally.walletTokens > 0)
        c.read.notCarried << u"wallet tokens of %1 user(s): Ambrosia's wallet, not sign-in"_s.arg(
            tally.walletTokens);
    c.read.notCarried << u"sessions (refresh tokens): everyone signs in once more, with the "
                         u"same PIN"_s;
}

} // namespace

// Ambrosia's readConfFile splits each line at every '=' and keeps the first and the last
// piece; clikt then takes the last value given for an option.
QString ambrosiaConfSecret(const QString &dataFolder)
{
    QFile file(QDir(dataFolder).filePath(u"ambrosia.conf"_s));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QString secret;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> pieces = line.split('=');
        if (pieces.size() > 1 && pieces.first() == "secret")
            secret = QString::fromUtf8(pieces.last()).remove(u'\r');
    }
    return secret;
}

Result<Read> readAmbrosia(const QSqlDatabase &origin, const Options &options)
{
    for (const QString &table : {u"users"_s, u"roles"_s, u"permissions"_s, u"role_permissions"_s})
        if (!origin.tables().contains(table))
            return Result<Read>::failure(Refusal::Kind::InvalidInput,
                                         u"not an Ambrosia POS database: no %1 table"_s.arg(table));
    if (options.ambrosiaSecret.isEmpty())
        return Result<Read>::failure(
            Refusal::Kind::InvalidInput,
            u"Ambrosia salts every PIN with its secret: give it (the secret= line of "
            u"ambrosia.conf in Ambrosia's data folder, or its AMBROSIA_SECRET)"_s);
    Context c{origin, options, {}, {}};
    try {
        readRoles(c);
        readUsers(c);
    } catch (const OriginError &error) {
        return Result<Read>::failure(Refusal::Kind::InvalidInput,
                                     u"reading Ambrosia's database: "_s + error.message);
    }
    c.read.document.sensitive = true; // it carries PIN hashes
    return c.read;
}

} // namespace Origins
