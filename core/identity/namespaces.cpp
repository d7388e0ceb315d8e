// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/namespaces.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kCacheMs = 2000;
constexpr int kCacheMax = 10000;
const Table<Namespace> kNamespaces{u"namespaces"_s,
                                   {
                                       {u"id"_s, &Namespace::id, Stored::ByDatabase},
                                       {u"name"_s, &Namespace::name},
                                       {u"disabled"_s, &Namespace::disabled},
                                       {u"created_at"_s, &Namespace::createdAt},
                                       {u"created_by"_s, &Namespace::createdBy},
                                       {u"tokens_valid_after"_s, &Namespace::tokensValidAfter},
                                   }};
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
    Sql q(m_db, kNamespaces.select(u"WHERE name = :name"_s));
    q.bind(u":name"_s, name).exec();
    if (!q.next())
        return std::nullopt;
    return kNamespaces.read(q);
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
            Refusal::Kind::InvalidInput,
            u"namespace names are 1-64 characters of A-Z a-z 0-9 . _ -"_s);
    std::optional<Namespace> created;
    m_db.write([&] {
        if (load(name))
            return;
        Sql q(m_db, kNamespaces.insert() + u" RETURNING "_s + kNamespaces.columnList());
        kNamespaces.bind(q, {.name = name, .createdAt = m_clock.nowMs(), .createdBy = actor});
        q.exec();
        if (q.next())
            created = kNamespaces.read(q);
    });
    if (!created)
        return Result<Namespace>::failure(Refusal::Kind::Conflict,
                                          u"namespace %1 already exists"_s.arg(name));
    forget(name);
    return *created;
}

QList<Namespace> Namespaces::list() const
{
    Sql q(m_db, kNamespaces.select(u"ORDER BY name"_s));
    q.exec();
    QList<Namespace> out;
    while (q.next())
        out.append(kNamespaces.read(q));
    return out;
}

bool Namespaces::setDisabled(const QString &name, bool disabled)
{
    int changed = 0;
    m_db.write([&] {
        Sql q(m_db, u"UPDATE namespaces SET disabled = :d WHERE name = :name"_s);
        changed = q.bind(u":d"_s, disabled ? 1 : 0).bind(u":name"_s, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

bool Namespaces::signOutEverywhere(const QString &name)
{
    int changed = 0;
    m_db.write([&] {
        // A new epoch (see SignOutEpoch): later than every token signed so far.
        Sql q(m_db, u"UPDATE namespaces SET tokens_valid_after = CASE WHEN "
                    u"tokens_valid_after >= :t THEN tokens_valid_after + 1 "
                    u"ELSE :t END WHERE name = :n"_s);
        changed = q.bind(u":t"_s, m_clock.nowMs()).bind(u":n"_s, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

bool Namespaces::remove(const QString &name)
{
    int changed = 0;
    m_db.write([&] {
        Sql(m_db, u"DELETE FROM telegram_bindings WHERE namespace = :n"_s)
            .bind(u":n"_s, name)
            .exec();
        Sql q(m_db, u"DELETE FROM namespaces WHERE name = :n"_s);
        changed = q.bind(u":n"_s, name).exec().rowsAffected();
    });
    forget(name);
    return changed > 0;
}

void Namespaces::forget(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    m_cache.remove(name);
}
