// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "identity/users.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

class Workers;

// The Users table, lazy: it knows the number of matching users (one COUNT on a worker)
// and holds a few pages of 200 rows. A row that is not loaded shows "…" and asks for
// its page; the newest request is served first, so dragging the scroll bar across a
// million rows loads only where it stops. Searches and refreshes keep the old rows on
// screen until the new ones are there.
class UserTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Username, DisplayName, Email, Role, Status, Created, ColumnCount };
    static constexpr int kPageSize = 200;
    static constexpr int kMaxPages = 40;

    UserTableModel(Users &users, Workers &workers, QObject *parent = nullptr);

    // Runs the query: the first page and the count, in parallel. loaded() comes with
    // the first page (rows on screen); counted() when the total is known and the
    // scroll bar spans every match (a broad search on a million rows counts longer
    // than it takes to show its first rows).
    void setQuery(const UserQuery &query);
    const UserQuery &query() const { return m_query; }
    // Counts again and reloads the pages on screen, keeping rows and selection.
    void refresh();

    std::optional<User> userAt(int row) const;
    int rowOf(const QString &userId) const; // -1 when not loaded
    qint64 totalCount() const { return m_count; }
    bool isCounted() const { return m_counted; }
    bool isBusy() const { return m_queryRunning || !m_counted || m_refreshRunning || m_fetching; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

Q_SIGNALS:
    void loaded();  // first page of a query (or a refresh) arrived
    void counted(); // the number of matches is known
    void pageLoaded(int page);
    void failed(const QString &error);

private:
    struct Snapshot
    {
        qint64 count = 0;
        QHash<int, QList<User>> pages;
    };
    void requestPage(int page);
    void pump();
    void store(int page, QList<User> rows);
    void applyRefresh(Snapshot snapshot);
    void resize(qint64 count);
    const User *cached(int row) const;

    Users &m_users;
    Workers &m_workers;
    UserQuery m_query;
    quint64 m_generation = 0;
    qint64 m_count = 0;
    QHash<int, QList<User>> m_pages;
    QList<int> m_recent; // pages, least recently used first
    QList<int> m_wanted; // pages asked for, newest last
    bool m_fetching = false;
    bool m_queryRunning = false;
    bool m_counted = true;
    std::optional<qint64> m_earlyCount; // a count that came before the first page
    bool m_refreshRunning = false;
    bool m_refreshAgain = false;
};
