// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/telegrambindings.h"

#include "clock.h"
#include "storage/database.h"

using namespace Qt::StringLiterals;

namespace {
const QString kSelect = u"SELECT telegram_user_id, namespace, secret_fingerprint, "
                        u"username, first_name, last_name, bound_at "
                        u"FROM telegram_bindings"_s;

TelegramBinding fromRow(const Sql &q)
{
    return {q.value(0).toString(),  q.value(1).toString(), q.value(2).toString(),
            q.value(3).toString(),  q.value(4).toString(), q.value(5).toString(),
            q.value(6).toLongLong()};
}
} // namespace

TelegramBindings::TelegramBindings(const Database &db, const Clock &clock)
    : m_db(db), m_clock(clock)
{}

TelegramBindings::BindOutcome TelegramBindings::bind(const TelegramBinding &b)
{
    BindOutcome outcome = BindOutcome::Bound;
    m_db.write([&] {
        const auto existing = find(b.telegramUserId);
        if (existing && existing->ns != b.ns) {
            outcome = BindOutcome::AlreadyBoundElsewhere;
            return;
        }
        Sql(m_db, u"DELETE FROM telegram_bindings WHERE telegram_user_id = :id"_s)
            .bind(u":id"_s, b.telegramUserId)
            .exec();
        Sql(m_db, u"INSERT INTO telegram_bindings (telegram_user_id, namespace, "
                  u"secret_fingerprint, username, first_name, last_name, bound_at) "
                  u"VALUES (:id, :ns, :fp, :u, :f, :l, :at)"_s)
            .bind(u":id"_s, b.telegramUserId)
            .bind(u":ns"_s, b.ns)
            .bind(u":fp"_s, b.fingerprint)
            .bind(u":u"_s, b.username)
            .bind(u":f"_s, b.firstName)
            .bind(u":l"_s, b.lastName)
            .bind(u":at"_s, m_clock.nowMs())
            .exec();
    });
    return outcome;
}

std::optional<TelegramBinding> TelegramBindings::find(const QString &telegramUserId) const
{
    Sql q(m_db, kSelect + u" WHERE telegram_user_id = :id"_s);
    q.bind(u":id"_s, telegramUserId).exec();
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

QList<TelegramBinding> TelegramBindings::list(const QString &ns) const
{
    Sql q(m_db, kSelect + (ns.isEmpty() ? u""_s : u" WHERE namespace = :ns"_s) +
                    u" ORDER BY bound_at DESC"_s);
    if (!ns.isEmpty())
        q.bind(u":ns"_s, ns);
    q.exec();
    QList<TelegramBinding> out;
    while (q.next())
        out.append(fromRow(q));
    return out;
}

bool TelegramBindings::unbind(const QString &telegramUserId)
{
    int removed = 0;
    m_db.write([&] {
        Sql q(m_db, u"DELETE FROM telegram_bindings WHERE telegram_user_id = :id"_s);
        removed = q.bind(u":id"_s, telegramUserId).exec().rowsAffected();
    });
    return removed > 0;
}
