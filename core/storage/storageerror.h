// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QSqlError>
#include <QString>
#include <stdexcept>

using namespace Qt::StringLiterals;

// Every failed statement becomes this; the HTTP layer maps it to a 500 without detail.
class StorageError : public std::runtime_error
{
    static QString oneLine(QString text) { return text.simplified(); }

public:
    explicit StorageError(const QString &what) : std::runtime_error(what.toStdString()) {}
    StorageError(const QString &context, const QSqlError &error)
        : StorageError(oneLine(context + u": "_s + error.text()))
    {}
};
