// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

// An HTML page from resources/pages, compiled in (":/pages/<name>.html"), with
// {{name}} placeholders. Every page is read once, on first use, and kept; render()
// HTML-escapes every value it puts in, so nothing from a request or the database adds
// markup. The pages' styles and scripts are files too (PageAssets), for a CSP without
// 'unsafe-inline'.
class PageTemplate
{
public:
    // The page resources/pages/<name>; an empty page (and a warning) if there is none.
    static const PageTemplate &named(const QString &name);
    // Every page under resources/pages, by file name.
    static const QHash<QString, PageTemplate> &all();

    PageTemplate() = default;
    explicit PageTemplate(const QString &text);

    QStringList placeholders() const;
    // Each placeholder's value, escaped; one without a value renders empty, with a warning.
    QByteArray render(const QHash<QString, QString> &values = {}) const;
    // &, <, >, " and ' as entities.
    static QString escape(const QString &text);

private:
    struct Part
    {
        QString text; // literal HTML, or a placeholder's name
        bool placeholder = false;
    };
    QList<Part> m_parts;
};
