// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QList>
#include <QString>
#include <optional>

class Clock;
class Database;

// A Telegram user bound to one namespace. The fingerprint ties the binding to the
// CLI_API_TOKEN in force when it was made: rotate the token and old bindings stop
// working until the person binds again.
struct TelegramBinding
{
    QString telegramUserId;
    QString ns;
    QString fingerprint;
    QString username;
    QString firstName;
    QString lastName;
    qint64 boundAt = 0;
};

class TelegramBindings
{
public:
    TelegramBindings(const Database &db, const Clock &clock);

    enum class BindOutcome { Bound, AlreadyBoundElsewhere };
    BindOutcome bind(const TelegramBinding &binding);
    std::optional<TelegramBinding> find(const QString &telegramUserId) const;
    QList<TelegramBinding> list(const QString &ns = QString()) const;
    bool unbind(const QString &telegramUserId);

private:
    const Database &m_db;
    const Clock &m_clock;
};
