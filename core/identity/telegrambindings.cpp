// SPDX-License-Identifier: GPL-3.0-or-later
#include "identity/telegrambindings.h"

#include "clock.h"
#include "storage/database.h"
#include "storage/table.h"

using namespace Qt::StringLiterals;

namespace {
const Table<TelegramBinding> kBindings{
    u"telegram_bindings"_s,
    {
        {u"telegram_user_id"_s, &TelegramBinding::telegramUserId},
        {u"namespace"_s, &TelegramBinding::ns},
        {u"secret_fingerprint"_s, &TelegramBinding::fingerprint},
        {u"username"_s, &TelegramBinding::username, Stored::EmptyAsNull},
        {u"first_name"_s, &TelegramBinding::firstName, Stored::EmptyAsNull},
        {u"last_name"_s, &TelegramBinding::lastName, Stored::EmptyAsNull},
        {u"bound_at"_s, &TelegramBinding::boundAt},
    }};
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
        TelegramBinding stored = b;
        stored.boundAt = m_clock.nowMs();
        Sql insert(m_db, kBindings.insert());
        kBindings.bind(insert, stored);
        insert.exec();
    });
    return outcome;
}

std::optional<TelegramBinding> TelegramBindings::find(const QString &telegramUserId) const
{
    Sql q(m_db, kBindings.select(u"WHERE telegram_user_id = :id"_s));
    q.bind(u":id"_s, telegramUserId).exec();
    if (!q.next())
        return std::nullopt;
    return kBindings.read(q);
}

QList<TelegramBinding> TelegramBindings::list(const QString &ns) const
{
    Sql q(m_db, kBindings.select((ns.isEmpty() ? u""_s : u"WHERE namespace = :ns "_s) +
                                 u"ORDER BY bound_at DESC"_s));
    if (!ns.isEmpty())
        q.bind(u":ns"_s, ns);
    q.exec();
    QList<TelegramBinding> out;
    while (q.next())
        out.append(kBindings.read(q));
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
