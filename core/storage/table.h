// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "storage/database.h"

#include <QStringList>
#include <QVariant>
#include <initializer_list>
#include <variant>
#include <vector>

using namespace Qt::StringLiterals;

// A table's columns, declared once, each tied to the field of the struct a row becomes.
// The one declaration writes the SELECT list and the INSERT, reads every column by its
// name and binds every one as ":name", so a column added to or moved in the table (or in
// the declaration) cannot shift a value into the wrong field.
//
//     const Table<Namespace> kNamespaces{u"namespaces"_s, {
//         {u"id"_s, &Namespace::id, Stored::ByDatabase}, // BIGSERIAL
//         {u"name"_s, &Namespace::name},
//         {u"disabled"_s, &Namespace::disabled},         // INTEGER 0/1
//     }};
//     Sql q(db, kNamespaces.select(u"WHERE name = :name"_s));
//     ... if (q.next()) return kNamespaces.read(q);
//
// Reads go through Sql::value(name), which finds a column once per statement and then
// tries the next one in order first: a row read in SELECT order costs no string search.
enum class Stored {
    AsIs,        // an empty string is written '' (text columns are NOT NULL)
    EmptyAsNull, // an empty string is written NULL (unique columns such as users.email)
    ByDatabase,  // filled in by the database (a serial id): read, never inserted
};

template <typename Row> class Table
{
public:
    // The stored types the schema uses: TEXT, BIGINT (ms, ids), INTEGER, INTEGER 0/1.
    using Field = std::variant<QString Row::*, qint64 Row::*, int Row::*, bool Row::*>;
    struct Column
    {
        QString name;
        Field field;
        Stored stored = Stored::AsIs;
        QString placeholder = {}; // ":name", filled in by Table
    };

    Table(QString name, std::initializer_list<Column> columns)
        : m_name(std::move(name)), m_columns(columns)
    {
        QStringList all, inserted, placeholders;
        for (Column &c : m_columns) {
            c.placeholder = u':' + c.name;
            all << c.name;
            if (c.stored == Stored::ByDatabase)
                continue;
            inserted << c.name;
            placeholders << c.placeholder;
        }
        m_list = all.join(u", ");
        m_inserted = inserted.join(u", ");
        m_placeholders = placeholders.join(u", ");
    }

    const QString &name() const { return m_name; }
    // "id, name, disabled": for a SELECT written by hand or a RETURNING clause.
    const QString &columnList() const { return m_list; }
    // "SELECT <columns> FROM <table> <rest>"
    QString select(const QString &rest = QString()) const
    {
        return u"SELECT "_s + m_list + u" FROM "_s + m_name +
               (rest.isEmpty() ? QString() : u' ' + rest);
    }
    // "INSERT INTO <table> (<columns>, <extra>) VALUES (:<column>, …, :<extra>)": the
    // caller binds the extra columns (those the row struct does not hold) itself.
    QString insert(const QStringList &extra = {}) const
    {
        QString names = m_inserted;
        QString values = m_placeholders;
        for (const QString &e : extra) {
            names += u", "_s + e;
            values += u", :"_s + e;
        }
        return u"INSERT INTO "_s + m_name + u" ("_s + names + u") VALUES ("_s + values + u')';
    }

    Row read(const Sql &q) const
    {
        Row row;
        for (const Column &c : m_columns) {
            const QVariant v = q.value(c.name);
            std::visit(
                [&](auto member) {
                    using T = std::remove_reference_t<decltype(row.*member)>;
                    if constexpr (std::is_same_v<T, QString>)
                        row.*member = v.toString();
                    else if constexpr (std::is_same_v<T, qint64>)
                        row.*member = v.toLongLong();
                    else if constexpr (std::is_same_v<T, int>)
                        row.*member = v.toInt();
                    else
                        row.*member = v.toInt() != 0;
                },
                c.field);
        }
        return row;
    }

    // Binds ":<column>" for every column the INSERT writes.
    void bind(Sql &q, const Row &row) const
    {
        for (const Column &c : m_columns) {
            if (c.stored == Stored::ByDatabase)
                continue;
            q.bind(c.placeholder,
                   std::visit([&](auto member) { return toStored(row.*member, c); }, c.field));
        }
    }

private:
    static QVariant toStored(const QString &s, const Column &c)
    {
        if (s.isEmpty())
            return c.stored == Stored::EmptyAsNull ? QVariant(QMetaType::fromType<QString>())
                                                   : QVariant(u""_s);
        return s;
    }
    static QVariant toStored(qint64 v, const Column &) { return v; }
    static QVariant toStored(int v, const Column &) { return v; }
    static QVariant toStored(bool v, const Column &) { return v ? 1 : 0; }

    QString m_name;
    std::vector<Column> m_columns;
    QString m_list;         // every column
    QString m_inserted;     // those an INSERT writes
    QString m_placeholders; // ":name" for each of those
};
