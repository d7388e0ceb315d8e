// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/usertablemodel.h"

#include "format.h"
#include "workers.h"

#include <QBrush>
#include <QPalette>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMaxWanted = 4;    // older requests are dropped: their rows scrolled away
constexpr int kRefreshPages = 6; // pages reloaded by refresh()
} // namespace

UserTableModel::UserTableModel(Users &users, Workers &workers, QObject *parent)
    : QAbstractTableModel(parent), m_users(users), m_workers(workers)
{}

void UserTableModel::setQuery(const UserQuery &query)
{
    m_query = query;
    m_query.offset = 0;
    m_query.limit = kPageSize;
    const quint64 generation = ++m_generation;
    m_queryRunning = true;
    m_counted = false;
    m_earlyCount.reset();
    m_wanted.clear();
    Users &users = m_users;
    const UserQuery q = m_query;
    m_workers.run(
        this, [&users, q] { return users.list(q); },
        [this, generation](Result<QList<User>> rows) {
            if (generation != m_generation)
                return;
            m_queryRunning = false;
            if (!rows) {
                Q_EMIT failed(rows.error());
                return;
            }
            beginResetModel();
            // Until the count is in, the rows are those of the first page; one more
            // row ("…") when the page is full says that more follow.
            m_count = m_earlyCount.value_or(rows->size() + (rows->size() == kPageSize ? 1 : 0));
            m_pages = {{0, *rows}};
            m_recent = {0};
            endResetModel();
            Q_EMIT loaded();
            if (m_counted)
                Q_EMIT counted();
            pump();
        });
    m_workers.run(
        this, [&users, q] { return users.count(q); },
        [this, generation](Result<qint64> count) {
            if (generation != m_generation)
                return;
            m_counted = true;
            if (!count) {
                Q_EMIT failed(count.error());
                return;
            }
            if (m_queryRunning) {
                m_earlyCount = *count;
                return;
            }
            resize(*count);
            Q_EMIT counted();
            pump();
        });
}

void UserTableModel::refresh()
{
    if (m_queryRunning || !m_counted)
        return; // the running query reads fresh data anyway
    if (m_refreshRunning) {
        m_refreshAgain = true;
        return;
    }
    m_refreshRunning = true;
    const quint64 generation = m_generation;
    const QList<int> pages = m_recent.mid(qMax(0, m_recent.size() - kRefreshPages));
    Users &users = m_users;
    const UserQuery q = m_query;
    m_workers.run(
        this,
        [&users, q, pages] {
            Snapshot s;
            s.count = users.count(q);
            for (int page : pages) {
                UserQuery paged = q;
                paged.offset = page * kPageSize;
                s.pages.insert(page, users.list(paged));
            }
            return s;
        },
        [this, generation](Result<Snapshot> result) {
            m_refreshRunning = false;
            if (generation == m_generation) {
                if (result)
                    applyRefresh(*result);
                else
                    Q_EMIT failed(result.error());
            }
            if (std::exchange(m_refreshAgain, false))
                refresh();
        });
}

// Users are listed oldest first, so new ones arrive at the end: rows are added or
// taken away there.
void UserTableModel::resize(qint64 now)
{
    const qint64 old = m_count;
    if (now > old) {
        beginInsertRows({}, int(old), int(now - 1));
        m_count = now;
        endInsertRows();
    } else if (now < old) {
        beginRemoveRows({}, int(now), int(old - 1));
        m_count = now;
        endRemoveRows();
    }
}

void UserTableModel::applyRefresh(Snapshot snapshot)
{
    resize(snapshot.count);
    // Every other row is told its data may have changed.
    m_pages = snapshot.pages;
    m_recent = m_pages.keys();
    std::sort(m_recent.begin(), m_recent.end());
    if (m_count > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(m_count - 1), ColumnCount - 1));
    Q_EMIT loaded();
    Q_EMIT counted();
}

const User *UserTableModel::cached(int row) const
{
    const auto it = m_pages.constFind(row / kPageSize);
    if (it == m_pages.constEnd())
        return nullptr;
    const int at = row % kPageSize;
    return at < it->size() ? &it->at(at) : nullptr;
}

std::optional<User> UserTableModel::userAt(int row) const
{
    if (const User *u = cached(row))
        return *u;
    return std::nullopt;
}

int UserTableModel::rowOf(const QString &userId) const
{
    for (auto it = m_pages.constBegin(); it != m_pages.constEnd(); ++it)
        for (int i = 0; i < it->size(); ++i)
            if (it->at(i).id == userId)
                return it.key() * kPageSize + i;
    return -1;
}

void UserTableModel::requestPage(int page)
{
    if (m_pages.contains(page))
        return;
    m_wanted.removeAll(page);
    m_wanted.append(page);
    while (m_wanted.size() > kMaxWanted)
        m_wanted.removeFirst();
    pump();
}

void UserTableModel::pump()
{
    if (m_fetching || m_queryRunning)
        return;
    int page = -1;
    while (!m_wanted.isEmpty() && page < 0) {
        const int candidate = m_wanted.takeLast();
        if (!m_pages.contains(candidate) && qint64(candidate) * kPageSize < m_count)
            page = candidate;
    }
    if (page < 0)
        return;
    m_fetching = true;
    const quint64 generation = m_generation;
    UserQuery q = m_query;
    q.offset = page * kPageSize;
    Users &users = m_users;
    m_workers.run(
        this, [&users, q] { return users.list(q); },
        [this, generation, page](Result<QList<User>> rows) {
            m_fetching = false;
            if (generation == m_generation) {
                if (rows)
                    store(page, *rows);
                else
                    Q_EMIT failed(rows.error());
            }
            pump();
        });
}

void UserTableModel::store(int page, QList<User> rows)
{
    m_pages.insert(page, std::move(rows));
    m_recent.removeAll(page);
    m_recent.append(page);
    while (m_recent.size() > kMaxPages)
        m_pages.remove(m_recent.takeFirst());
    const int first = page * kPageSize;
    const int last = int(qMin<qint64>(m_count, qint64(first) + kPageSize)) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, ColumnCount - 1));
    Q_EMIT pageLoaded(page);
}

int UserTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(qMin<qint64>(m_count, std::numeric_limits<int>::max()));
}

int UserTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant UserTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const User *u = cached(index.row());
    if (!u) {
        if (role == Qt::DisplayRole) {
            const_cast<UserTableModel *>(this)->requestPage(index.row() / kPageSize);
            return index.column() == 0 ? u"…"_s : QString();
        }
        if (role == Qt::ForegroundRole)
            return QPalette().brush(QPalette::Disabled, QPalette::Text);
        return {};
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Username:
            return u->username;
        case DisplayName:
            return u->displayName;
        case Email:
            return u->email;
        case Role:
            return u->isAdmin ? u->role + u" (admin)"_s : u->role;
        case Status:
            return u->disabled ? u"Disabled"_s : u"Active"_s;
        case Created:
            return Format::shortDateTime(u->createdAt);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == Created)
        return Format::dateTime(u->createdAt);
    if (role == Qt::ToolTipRole && index.column() == Email && !u->email.isEmpty())
        return u->emailVerified ? u"Verified"_s : u"Not verified"_s;
    if (role == Qt::ForegroundRole && u->disabled)
        return QPalette().brush(QPalette::Disabled, QPalette::Text);
    return {};
}

QVariant UserTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char *const names[] = {"Username", "Display name", "Email",
                                        "Role",     "Status",       "Created"};
    return QString::fromLatin1(names[section]);
}
