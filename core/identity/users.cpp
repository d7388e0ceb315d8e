// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/users.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

#include <QRegularExpression>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace {
const Table<User> kUsers{u"users"_s,
                         {
                             {u"id"_s, &User::id},
                             {u"username"_s, &User::username, Stored::EmptyAsNull},
                             {u"email"_s, &User::email, Stored::EmptyAsNull},
                             {u"display_name"_s, &User::displayName, Stored::EmptyAsNull},
                             {u"role"_s, &User::role},
                             {u"is_admin"_s, &User::isAdmin},
                             {u"password_hash"_s, &User::passwordHash, Stored::EmptyAsNull},
                             {u"pin_hash"_s, &User::pinHash, Stored::EmptyAsNull},
                             {u"email_verified"_s, &User::emailVerified},
                             {u"referrer_id"_s, &User::referrerId, Stored::EmptyAsNull},
                             {u"disabled"_s, &User::disabled},
                             {u"tier"_s, &User::tier},
                             {u"created_at"_s, &User::createdAt},
                             {u"updated_at"_s, &User::updatedAt},
                             {u"tokens_valid_after"_s, &User::tokensValidAfter},
                         }};

QVariant nullable(const QString &s)
{
    return s.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(s);
}

// The search term in lower case, taken literally ("%" and "_" match themselves).
QString searchTerm(const UserQuery &q)
{
    return q.search.toLower();
}

// A LIKE pattern for "starts with `prefix`", its wildcards escaped (ESCAPE '\').
QString likePrefix(QString prefix)
{
    prefix.replace(u'\\', u"\\\\"_s).replace(u'%', u"\\%"_s).replace(u'_', u"\\_"_s);
    return prefix + u'%';
}

// The smallest string greater than every string that starts with `prefix`, or empty
// when the last character cannot be stepped (then LIKE is used instead).
QString prefixEnd(const QString &prefix)
{
    const char16_t last = prefix.back().unicode();
    if (QChar::isSurrogate(last) || last == 0xFFFF)
        return QString();
    return prefix.chopped(1) + QChar(char16_t(last + 1));
}

// Prefix search: username and email are stored in lower case and have unique
// indexes, display names an index on lower(display_name) (migration 0005). On SQLite
// a range (>= prefix AND < next) uses those indexes where LIKE, case-insensitive
// there, cannot; on PostgreSQL LIKE is case-sensitive, which matches the lower-case
// columns.
QString whereFor(const UserQuery &q, Dialect dialect)
{
    QStringList terms;
    if (const QString s = searchTerm(q); !s.isEmpty()) {
        if (dialect == Dialect::Sqlite && !prefixEnd(s).isEmpty())
            terms << u"((username >= :lo AND username < :hi) OR (email >= :lo AND email < :hi) "
                     u"OR (lower(display_name) >= :lo AND lower(display_name) < :hi))"_s;
        else
            terms << u"(username LIKE :s ESCAPE '\\' OR email LIKE :s ESCAPE '\\' OR "
                     u"lower(display_name) LIKE :s ESCAPE '\\')"_s;
    }
    if (q.disabledOnly)
        terms << u"disabled = 1"_s;
    if (q.adminsOnly)
        terms << u"is_admin = 1"_s;
    return terms.isEmpty() ? QString() : u" WHERE "_s + terms.join(u" AND "_s);
}

void bindSearch(Sql &sql, const UserQuery &q, Dialect dialect)
{
    const QString s = searchTerm(q);
    if (s.isEmpty())
        return;
    if (dialect == Dialect::Sqlite && !prefixEnd(s).isEmpty())
        sql.bind(u":lo"_s, s).bind(u":hi"_s, prefixEnd(s));
    else
        sql.bind(u":s"_s, likePrefix(s));
}
} // namespace

Users::Users(const Database &db, const Clock &clock, FreshCache<User>::Options cache)
    : m_db(db), m_clock(clock), m_recent(clock, cache)
{}

std::optional<User> Users::current(const QString &id) const
{
    if (Database::inWrite()) // may see this transaction's own, uncommitted change
        return byId(id);
    return m_recent.get(id, [&] { return byId(id); });
}

void Users::setSignOutListener(std::function<void(const QString &)> listener)
{
    m_signOutListener = std::move(listener);
}

// Forgets now (nobody reads the old row from here on) and again once committed (a read
// on another thread may have loaded the old row in between).
void Users::forgetWhenWritten(const QString &id) const
{
    m_recent.forget(id);
    Database::whenWritten([this, id] { m_recent.forget(id); });
}

bool Users::isValidUsername(QStringView name)
{
    // \z, not $: PCRE's $ also matches before a final newline ("bob\n").
    static const QRegularExpression re(u"^[A-Za-z0-9_.-]{3,32}\\z"_s);
    return re.match(name).hasMatch();
}

bool Users::isValidEmail(QStringView email)
{
    static const QRegularExpression re(
        u"^[^@\\s\"<>(),;:\\\\]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        u"(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\z"_s);
    return email.size() <= 254 && re.match(email).hasMatch();
}

Result<User> Users::create(User u)
{
    using R = Result<User>;
    u.username = u.username.toLower();
    u.email = u.email.toLower();
    if (u.id.isEmpty())
        u.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    u.createdAt = u.updatedAt = m_clock.nowMs();
    u.tokensValidAfter = 0;
    bool taken = false;
    m_db.write([&] {
        if ((!u.username.isEmpty() && byUsername(u.username)) ||
            (!u.email.isEmpty() && byEmail(u.email))) {
            taken = true;
            return;
        }
        Sql insert(m_db, kUsers.insert());
        kUsers.bind(insert, u);
        insert.exec();
    });
    if (taken)
        return R::failure(Refusal::Kind::Conflict, u"username or email already in use"_s);
    return u;
}

std::optional<User> Users::byId(const QString &id) const
{
    Sql q(m_db, kUsers.select(u"WHERE id = :v"_s));
    q.bind(u":v"_s, id).exec();
    return q.next() ? std::optional(kUsers.read(q)) : std::nullopt;
}

std::optional<User> Users::byUsername(const QString &username) const
{
    Sql q(m_db, kUsers.select(u"WHERE username = :v"_s));
    q.bind(u":v"_s, username.toLower()).exec();
    return q.next() ? std::optional(kUsers.read(q)) : std::nullopt;
}

std::optional<User> Users::byEmail(const QString &email) const
{
    Sql q(m_db, kUsers.select(u"WHERE email = :v"_s));
    q.bind(u":v"_s, email.toLower()).exec();
    return q.next() ? std::optional(kUsers.read(q)) : std::nullopt;
}

std::optional<User> Users::byLogin(const QString &emailOrUsername) const
{
    return emailOrUsername.contains(u'@') ? byEmail(emailOrUsername) : byUsername(emailOrUsername);
}

QList<User> Users::list(const UserQuery &query) const
{
    const QString where = whereFor(query, m_db.dialect());
    // A search that matches many users is fastest walking the (created_at, id) index
    // until a page is full; one that matches few, through the three prefix indexes and
    // a sort. SQLite cannot tell which without statistics, so count up to a bound
    // first (a millisecond either way) and say which index to use.
    QString from = u" FROM users"_s;
    if (m_db.dialect() == Dialect::Sqlite && !searchTerm(query).isEmpty()) {
        Sql probe(m_db,
                  u"SELECT COUNT(*) AS n FROM (SELECT 1 FROM users"_s + where + u" LIMIT 5000)"_s);
        bindSearch(probe, query, m_db.dialect());
        if (probe.exec().next() && probe.value(u"n"_s).toInt() >= 5000)
            from = u" FROM users INDEXED BY users_created_id"_s; // migration 0005
    }
    Sql q(m_db, u"SELECT "_s + kUsers.columnList() + from + where +
                    u" ORDER BY created_at, id LIMIT :limit OFFSET :offset"_s);
    bindSearch(q, query, m_db.dialect());
    q.bind(u":limit"_s, qBound(1, query.limit, 10000)).bind(u":offset"_s, qMax(0, query.offset));
    q.exec();
    QList<User> out;
    while (q.next())
        out.append(kUsers.read(q));
    return out;
}

qint64 Users::count(const UserQuery &query) const
{
    Sql q(m_db, u"SELECT COUNT(*) AS n FROM users"_s + whereFor(query, m_db.dialect()));
    bindSearch(q, query, m_db.dialect());
    q.exec();
    return q.next() ? q.value(u"n"_s).toLongLong() : 0;
}

bool Users::update(const QString &id, const QString &assignments,
                   const QList<std::pair<QString, QVariant>> &values)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db,
              u"UPDATE users SET "_s + assignments + u", updated_at = :updated WHERE id = :id"_s);
        for (const auto &[name, value] : values)
            q.bind(name, value);
        changed = q.bind(u":updated"_s, m_clock.nowMs()).bind(u":id"_s, id).exec().rowsAffected();
    });
    forgetWhenWritten(id);
    return changed > 0;
}

bool Users::setPasswordHash(const QString &id, const QString &hash)
{
    return update(id, u"password_hash = :v"_s, {{u":v"_s, nullable(hash)}});
}

bool Users::replacePasswordHash(const QString &id, const QString &expected, const QString &hash)
{
    int changed = 0;
    m_db.write([&] {
        changed = Sql(m_db, u"UPDATE users SET password_hash = :v "
                            u"WHERE id = :id AND password_hash = :old"_s)
                      .bind(u":v"_s, hash)
                      .bind(u":id"_s, id)
                      .bind(u":old"_s, expected)
                      .exec()
                      .rowsAffected();
    });
    return changed > 0;
}

bool Users::setPinHash(const QString &id, const QString &hash)
{
    return update(id, u"pin_hash = :v"_s, {{u":v"_s, nullable(hash)}});
}

bool Users::setEmail(const QString &id, const QString &email, bool verified)
{
    return update(id, u"email = :v, email_verified = :ver"_s,
                  {{u":v"_s, nullable(email.toLower())}, {u":ver"_s, verified ? 1 : 0}});
}

bool Users::setEmailVerified(const QString &id, bool verified)
{
    return update(id, u"email_verified = :v"_s, {{u":v"_s, verified ? 1 : 0}});
}

bool Users::setDisplayName(const QString &id, const QString &name)
{
    return update(id, u"display_name = :v"_s, {{u":v"_s, nullable(name)}});
}

bool Users::setRole(const QString &id, const QString &role, bool isAdmin)
{
    return update(id, u"role = :r, is_admin = :a"_s, {{u":r"_s, role}, {u":a"_s, isAdmin ? 1 : 0}});
}

bool Users::setDisabled(const QString &id, bool disabled)
{
    return update(id, u"disabled = :v"_s, {{u":v"_s, disabled ? 1 : 0}});
}

bool Users::signOutEverywhere(const QString &id)
{
    const qint64 now = m_clock.nowMs();
    int changed = 0;
    m_db.write([&] {
        // A new epoch (SignOutEpoch::next, in SQL so it is atomic): JWTs carrying an
        // older one are refused.
        changed = Sql(m_db, u"UPDATE users SET tokens_valid_after = CASE WHEN "
                            u"tokens_valid_after >= :now THEN tokens_valid_after + 1 ELSE :now "
                            u"END, updated_at = :now WHERE id = :id"_s)
                      .bind(u":now"_s, now)
                      .bind(u":id"_s, id)
                      .exec()
                      .rowsAffected();
        // Stored sessions and refresh tokens end by row, exactly, in the same
        // transaction; API tokens are credentials for programs, not sign-ins.
        Sql(m_db, u"UPDATE issued_tokens SET revoked_at = :now WHERE user_id = :id "
                  u"AND revoked_at = 0 AND kind <> 'api_token'"_s)
            .bind(u":now"_s, now)
            .bind(u":id"_s, id)
            .exec();
    });
    forgetWhenWritten(id);
    if (m_signOutListener)
        Database::whenWritten([this, id] { m_signOutListener(id); });
    return changed > 0;
}

bool Users::remove(const QString &id)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM users WHERE id = :id"_s);
        changed = q.bind(u":id"_s, id).exec().rowsAffected();
    });
    forgetWhenWritten(id);
    return changed > 0;
}
