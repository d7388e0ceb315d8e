// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/namespaces.h"

#include "clock.h"
#include "storage/database.h"

namespace {
constexpr qint64 kCacheMs = 2000;
constexpr int kCacheMax = 10000;
const QString kColumns =
    QStringLiteral("id, name, disabled, created_at, created_by, tokens_valid_after");

Namespace fromRow(const Sql &q)
{
    return {q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toInt() != 0,
            q.value(3).toLongLong(), q.value(4).toString(), q.value(5).toLongLong()};
}
} // namespace

Namespaces::Namespaces(const Database &db, const Clock &clock) : m_db(db), m_clock(clock) {}

bool Namespaces::isValidName(QStringView name)
{
    if (name.isEmpty() || name.size() > 64)
        return false;
    for (QChar c : name) {
        const bool ok = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                        (c >= u'0' && c <= u'9') || c == u'-' || c == u'_' || c == u'.';
        if (!ok)
            return false;
    }
    return true;
}

std::optional<Namespace> Namespaces::load(const QString &name) const
{
    Sql q(m_db, u"SELECT "_qs + kColumns + u" FROM namespaces WHERE name = :name"_qs);
    q.bind(u":name"_qs, name).exec();
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

std::optional<Namespace> Namespaces::find(const QString &name) const
{
    const qint64 now = m_clock.nowMs();
    {
        QMutexLocker lock(&m_mutex);
        const auto it = m_cache.constFind(name);
        if (it != m_cache.constEnd() && it->until > now)
            return it->value;
    }
    auto found = load(name);
    if (found) {
        QMutexLocker lock(&m_mutex);
        if (m_cache.size() >= kCacheMax)
            m_cache.clear();
        m_cache.insert(name, {*found, now + kCacheMs});
    }
    return found;
}

std::optional<Namespace> Namespaces::resolve(const QString &name, bool autoCreate,
                                             const QString &actor)
{
    if (!isValidName(name))
        return std::nullopt;
    if (auto found = find(name))
        return found;
    if (!autoCreate)
        return std::nullopt;
    auto added = add(name, actor);
    if (added)
        return *added;
    return find(name); // another request created it first
}

Result<Namespace> Namespaces::add(const QString &name, const QString &actor)
{
    if (!isValidName(name))
        return Result<Namespace>::failure(
            QStringLiteral("namespace names are 1-64 characters of A-Z a-z 0-9 . _ -"));
    std::optional<Namespace> created;
    m_db.write([&] {
        if (load(name))
            return;
        Sql q(m_db, QStringLiteral("INSERT INTO namespaces (name, disabled, created_at, "
                                   "created_by, tokens_valid_after) VALUES (:name, 0, :at, "
                                   ":by, 0) RETURNING ") +
                        kColumns);
        q.bind(u":name"_qs, name).bind(u":at"_qs, m_clock.nowMs()).bind(u":by"_qs, actor).exec();
        if (q.next())
            created = fromRow(q);
    });
    if (!created)
        return Result<Namespace>::failure(QStringLiteral("namespace %1 already exists").arg(name));
    forget(name);
    return *created;
}

QList<Namespace> Namespaces::list() const
{
    Sql q(m_db, u"SELECT "_qs + kColumns + u" FROM namespaces ORDER BY name"_qs);
    q.exec();
    QList<Namespace> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

bool Namespaces::setDisabled(const QString &name, bool disabled)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, QStringLiteral("UPDATE namespaces SET disabled = :d WHERE name = :name"));
        changed = q.bind(u":d"_qs, disabled ? 1 : 0).bind(u":name"_qs, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

bool Namespaces::signOutEverywhere(const QString &name)
{
    int changed = 0;
    m_db.write([&] {
        // A new epoch (see SignOutEpoch): later than every token signed so far.
        Sql q(m_db, QStringLiteral("UPDATE namespaces SET tokens_valid_after = CASE WHEN "
                                   "tokens_valid_after >= :t THEN tokens_valid_after + 1 "
                                   "ELSE :t END WHERE name = :n"));
        changed = q.bind(u":t"_qs, m_clock.nowMs()).bind(u":n"_qs, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

bool Namespaces::remove(const QString &name)
{
    int changed = 0;
    m_db.write([&] {
        Sql(m_db, QStringLiteral("DELETE FROM telegram_bindings WHERE namespace = :n"))
            .bind(u":n"_qs, name)
            .exec();
        Sql q(m_db, QStringLiteral("DELETE FROM namespaces WHERE name = :n"));
        changed = q.bind(u":n"_qs, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

void Namespaces::forget(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    m_cache.remove(name);
}
