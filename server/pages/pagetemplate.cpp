// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/pagetemplate.h"

#include <QDirIterator>
#include <QFile>
#include <QLoggingCategory>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcPages, "gatehouse.pages")

const QHash<QString, PageTemplate> &PageTemplate::all()
{
    // A function-local static: read once, by whichever thread asks first.
    static const QHash<QString, PageTemplate> pages = [] {
        QHash<QString, PageTemplate> out;
        QDirIterator it(u":/pages"_s, {u"*.html"_s}, QDir::Files);
        while (it.hasNext()) {
            QFile file(it.next());
            if (file.open(QIODevice::ReadOnly))
                out.insert(it.fileName(), PageTemplate(QString::fromUtf8(file.readAll())));
        }
        return out;
    }();
    return pages;
}

const PageTemplate &PageTemplate::named(const QString &name)
{
    static const PageTemplate none;
    const auto &pages = all();
    const auto it = pages.constFind(name);
    if (it != pages.constEnd())
        return *it;
    qCWarning(lcPages) << "no page" << name << "under resources/pages";
    return none;
}

PageTemplate::PageTemplate(const QString &text)
{
    static const QRegularExpression placeholder(u"\\{\\{([a-z_]+)\\}\\}"_s);
    qsizetype from = 0;
    for (const QRegularExpressionMatch &m : placeholder.globalMatch(text)) {
        m_parts.append({text.mid(from, m.capturedStart() - from), false});
        m_parts.append({m.captured(1), true});
        from = m.capturedEnd();
    }
    m_parts.append({text.mid(from), false});
}

QStringList PageTemplate::placeholders() const
{
    QStringList names;
    for (const Part &part : m_parts)
        if (part.placeholder && !names.contains(part.text))
            names.append(part.text);
    return names;
}

QByteArray PageTemplate::render(const QHash<QString, QString> &values) const
{
    QString out;
    for (const Part &part : m_parts) {
        if (!part.placeholder) {
            out += part.text;
        } else if (const auto it = values.constFind(part.text); it != values.constEnd()) {
            out += escape(*it);
        } else {
            qCWarning(lcPages) << "no value for the placeholder" << part.text;
        }
    }
    return out.toUtf8();
}

QString PageTemplate::escape(const QString &text)
{
    return text.toHtmlEscaped().replace(u'\'', u"&#39;"_s);
}
