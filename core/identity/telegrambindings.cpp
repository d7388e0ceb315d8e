// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/telegrambindings.h"

#include "clock.h"
#include "storage/database.h"

namespace {
const QString kSelect = QStringLiteral("SELECT telegram_user_id, namespace, secret_fingerprint, "
                                       "username, first_name, last_name, bound_at "
                                       "FROM telegram_bindings");

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
        Sql(m_db, QStringLiteral("DELETE FROM telegram_bindings WHERE telegram_user_id = :id"))
            .bind(u":id"_qs, b.telegramUserId)
            .exec();
        Sql(m_db, QStringLiteral("INSERT INTO telegram_bindings (telegram_user_id, namespace, "
                                 "secret_fingerprint, username, first_name, last_name, bound_at) "
                                 "VALUES (:id, :ns, :fp, :u, :f, :l, :at)"))
            .bind(u":id"_qs, b.telegramUserId)
            .bind(u":ns"_qs, b.ns)
            .bind(u":fp"_qs, b.fingerprint)
            .bind(u":u"_qs, b.username)
            .bind(u":f"_qs, b.firstName)
            .bind(u":l"_qs, b.lastName)
            .bind(u":at"_qs, m_clock.nowMs())
            .exec();
    });
    return outcome;
}

std::optional<TelegramBinding> TelegramBindings::find(const QString &telegramUserId) const
{
    Sql q(m_db, kSelect + u" WHERE telegram_user_id = :id"_qs);
    q.bind(u":id"_qs, telegramUserId).exec();
    if (!q.next())
        return std::nullopt;
    return fromRow(q);
}

QList<TelegramBinding> TelegramBindings::list(const QString &ns) const
{
    Sql q(m_db, kSelect + (ns.isEmpty() ? u""_qs : u" WHERE namespace = :ns"_qs) +
                    u" ORDER BY bound_at DESC"_qs);
    if (!ns.isEmpty())
        q.bind(u":ns"_qs, ns);
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
        Sql q(m_db, QStringLiteral("DELETE FROM telegram_bindings WHERE telegram_user_id = :id"));
        removed = q.bind(u":id"_qs, telegramUserId).exec().rowsAffected();
    });
    return removed > 0;
}
