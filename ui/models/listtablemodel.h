// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>
#include <functional>

// A table over a list of values the page loaded on a worker (namespaces, bindings,
// tokens, outbox messages, audit events). `cell` answers data() for one value; when
// the page sets onFetchMore, scrolling to the end asks it for the next page.
template <typename T> class ListTableModel : public QAbstractTableModel
{
public:
    using Cell = std::function<QVariant(const T &value, int column, int role)>;

    ListTableModel(QStringList headers, Cell cell, QObject *parent = nullptr)
        : QAbstractTableModel(parent), m_headers(std::move(headers)), m_cell(std::move(cell))
    {}

    void setRows(QList<T> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        m_fetching = false;
        endResetModel();
    }
    void appendRows(const QList<T> &rows)
    {
        m_fetching = false;
        if (rows.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
        m_rows.append(rows);
        endInsertRows();
    }
    void prependRows(const QList<T> &rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, 0, int(rows.size() - 1));
        m_rows = rows + m_rows;
        endInsertRows();
    }
    const QList<T> &rows() const { return m_rows; }
    const T *at(int row) const { return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr; }

    // Paging: the page says whether more rows exist and how to get them.
    std::function<void()> onFetchMore;
    void setMoreAvailable(bool more)
    {
        m_more = more;
        m_fetching = false;
    }
    bool moreAvailable() const { return m_more; }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_headers.size());
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!index.isValid() || index.row() >= m_rows.size())
            return {};
        return m_cell(m_rows[index.row()], index.column(), role);
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
            return m_headers.value(section);
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    bool canFetchMore(const QModelIndex &parent) const override
    {
        return !parent.isValid() && m_more && !m_fetching && onFetchMore;
    }
    void fetchMore(const QModelIndex &parent) override
    {
        if (!canFetchMore(parent))
            return;
        m_fetching = true;
        onFetchMore();
    }

private:
    QStringList m_headers;
    Cell m_cell;
    QList<T> m_rows;
    bool m_more = false;
    bool m_fetching = false;
};
