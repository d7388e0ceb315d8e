// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/users.h"
#include "transfer/origins/readers.h"

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

// lightnovel-crawler (seed 004): lncrawl/dao/user.py. `users` (id, created_at,
// updated_at, extra, referrer_id, password, email, name, role, tier, is_active,
// is_verified) and `user_tokens` (token CHAR(10), user_id, expires_at). Times are Unix
// ms. role is a non-native SQLAlchemy Enum (the member name, USER/ADMIN/LOCAL; older
// rows may hold the value), tier an IntEnumType (0/1/2, or the name BASIC/PREMIUM/VIP
// in rows from before its 2026-07 migration). Databases older than is_verified keep
// verified addresses in a `verifiedemail` table. password is passlib's argon2 PHC string.
namespace Origins {

namespace {

struct Reading
{
    Read out;
    int localRoles = 0;
    int unusableHashes = 0;
    QStringList skippedUsers;
};

int tierOf(const QVariant &value)
{
    bool number = false;
    const int n = value.toInt(&number);
    if (number && n >= 0 && n <= 2)
        return n;
    const QString name = value.toString().trimmed().toUpper();
    if (name == u"PREMIUM")
        return 1;
    if (name == u"VIP")
        return 2;
    return 0; // BASIC, or nothing stored
}

QSet<QString> verifiedEmails(const QSqlDatabase &origin)
{
    QSet<QString> out;
    if (!origin.tables().contains(u"verifiedemail"_s))
        return out;
    QSqlQuery q(origin);
    if (q.exec(u"SELECT email FROM verifiedemail"_s))
        while (q.next())
            out.insert(q.value(u"email"_s).toString().trimmed().toLower());
    return out;
}

void readUser(const QSqlQuery &q, const QSqlRecord &columns, const QSet<QString> &verified,
              Reading &r, QSet<QString> &emails)
{
    const auto text = [&](const QString &c) {
        return columns.contains(c) ? q.value(c).toString() : QString();
    };
    Transfer::User u;
    u.id = text(u"id"_s);
    u.email = text(u"email"_s).trimmed().toLower();
    if (u.id.isEmpty() || !Users::isValidEmail(u.email) || emails.contains(u.email)) {
        r.skippedUsers << (u.email.isEmpty() ? u.id : u.email);
        return;
    }
    emails.insert(u.email);
    u.displayName = text(u"name"_s);
    const QString role = text(u"role"_s).trimmed().toLower();
    u.isAdmin = role == u"admin";
    u.role = u.isAdmin ? u"admin"_s : u"user"_s;
    r.localRoles += role == u"local" ? 1 : 0;
    u.tier = columns.contains(u"tier"_s) ? tierOf(q.value(u"tier"_s)) : -1;
    u.disabled = columns.contains(u"is_active"_s) && !q.value(u"is_active"_s).toBool();
    u.emailVerified = (columns.contains(u"is_verified"_s) && q.value(u"is_verified"_s).toBool()) ||
                      verified.contains(u.email);
    u.referrerId = text(u"referrer_id"_s);
    u.createdAt = q.value(u"created_at"_s).toLongLong();
    const QString hash = text(u"password"_s);
    if (hash.startsWith(u"$argon2id$") || hash.startsWith(u"$argon2i$"))
        u.passwordHash = hash;
    else
        ++r.unusableHashes;
    r.out.document.users << u;
}

Result<Done> readUsers(const QSqlDatabase &origin, Reading &r)
{
    const QSqlRecord columns = origin.record(u"users"_s);
    for (const QString &needed : {u"id"_s, u"email"_s, u"password"_s, u"created_at"_s})
        if (!columns.contains(needed))
            return Result<Done>::failure(
                Refusal::Kind::InvalidInput,
                u"users has no column %1: not a lightnovel-crawler database"_s.arg(needed));
    const QSet<QString> verified = verifiedEmails(origin);
    QSqlQuery q(origin);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT * FROM users ORDER BY created_at, id"_s))
        return Result<Done>::failure(Refusal::Kind::InvalidInput,
                                     u"cannot read users: "_s + q.lastError().text());
    QSet<QString> emails;
    while (q.next())
        readUser(q, columns, verified, r, emails);
    return Done{};
}

void readTokens(const QSqlDatabase &origin, Reading &r)
{
    QSet<QString> known;
    for (const Transfer::User &u : r.out.document.users)
        known.insert(u.id);
    QSqlQuery q(origin);
    q.setForwardOnly(true);
    if (!origin.tables().contains(u"user_tokens"_s) ||
        !q.exec(u"SELECT token, user_id, expires_at FROM user_tokens ORDER BY expires_at"_s))
        return;
    while (q.next()) {
        const QString userId = q.value(u"user_id"_s).toString();
        if (known.contains(userId))
            r.out.apiTokens.append({userId, q.value(u"token"_s).toString().trimmed(), 0,
                                    q.value(u"expires_at"_s).toLongLong()});
    }
}

void listWhatStays(const QSqlDatabase &origin, Reading &r)
{
    QStringList &out = r.out.notCarried;
    out << u"login sessions: lightnovel-crawler's JWTs are signed with its token_secret, "
           u"Gatehouse signs its own; everyone signs in once more with the same password"_s;
    out << u"one-time codes and password-reset links sent before the switch"_s;
    out << u"users.extra (notification preferences): the account API answers extra {}"_s;
    if (r.localRoles > 0)
        out << u"%1 user(s) with role LOCAL: imported with role user"_s.arg(r.localRoles);
    if (r.unusableHashes > 0)
        out << u"%1 password(s) not in argon2 form: those users set a new one (forgot "
               u"password)"_s.arg(r.unusableHashes);
    if (!r.skippedUsers.isEmpty())
        out << u"%1 user(s) without a valid, unique email: %2"_s.arg(r.skippedUsers.size())
                   .arg(r.skippedUsers.join(u", "_s));
    if (origin.tables().contains(u"secrets"_s))
        out << u"the secrets table (per-user stored credentials for crawled sites): not "
               u"authentication data"_s;
    out << u"novels, jobs, libraries, artifacts and reading history: not authentication "
           u"data (they stay with lightnovel-crawler)"_s;
}

} // namespace

Result<Read> readLncrawl(const QSqlDatabase &origin, const Options &)
{
    if (!origin.tables().contains(u"users"_s))
        return Result<Read>::failure(Refusal::Kind::InvalidInput,
                                     u"no users table: not a lightnovel-crawler database"_s);
    Reading r;
    if (const auto users = readUsers(origin, r); !users)
        return Result<Read>::failure(users.refusal());
    readTokens(origin, r);
    listWhatStays(origin, r);
    r.out.document.sensitive = true; // it carries password hashes
    return std::move(r.out);
}

} // namespace Origins
