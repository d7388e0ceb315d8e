// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/databaseurl.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

Result<DatabaseUrl> DatabaseUrl::parse(const QString &text)
{
    using R = Result<DatabaseUrl>;
    DatabaseUrl url;
    if (text.startsWith(u"sqlite:")) {
        url.dialect = Dialect::Sqlite;
        url.path = text.mid(7);
        if (url.path.startsWith(u"//"))
            url.path = url.path.mid(2);
        if (url.path.isEmpty())
            return R::failure(QStringLiteral("database URL 'sqlite:' needs a file path"));
        return url;
    }
    if (!text.startsWith(u"postgresql://") && !text.startsWith(u"postgres://"))
        return R::failure(QStringLiteral("database URL must start with sqlite: or postgresql://"));

    const QUrl parsed(text, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return R::failure(QStringLiteral("malformed PostgreSQL URL (expected "
                                         "postgresql://user:password@host:port/database)"));
    url.dialect = Dialect::Postgres;
    url.host = parsed.host();
    url.port = parsed.port(5432);
    if (url.port <= 0 || url.port > 65535)
        return R::failure(QStringLiteral("PostgreSQL URL has a bad port"));
    url.user = parsed.userName(QUrl::FullyDecoded);
    url.password = parsed.password(QUrl::FullyDecoded);
    url.name = parsed.path().mid(1);
    if (url.name.isEmpty() || url.name.contains(u'/'))
        return R::failure(QStringLiteral("PostgreSQL URL must name a database after the host"));
    QStringList options{QStringLiteral("connect_timeout=5")};
    const auto items = QUrlQuery(parsed).queryItems(QUrl::FullyDecoded);
    // QPSQL turns ';' into a space and hands the string to libpq as "key=value ..."
    // pairs, so a value with ';' or a space would add options of its own (host=…).
    static const QStringList sslModes = {u"disable"_qs, u"allow"_qs,     u"prefer"_qs,
                                         u"require"_qs, u"verify-ca"_qs, u"verify-full"_qs};
    static const QRegularExpression safeName(QStringLiteral("^[A-Za-z0-9_.-]{1,63}$"));
    for (const auto &[key, value] : items) {
        if (key != u"sslmode" && key != u"application_name")
            return R::failure(QStringLiteral("unsupported PostgreSQL URL option '%1'").arg(key));
        if (key == u"sslmode" ? !sslModes.contains(value) : !safeName.match(value).hasMatch())
            return R::failure(QStringLiteral("bad value for PostgreSQL URL option '%1'").arg(key));
        options << key + u'=' + value;
    }
    url.options = options.join(u';');
    return url;
}

QString DatabaseUrl::redacted() const
{
    if (dialect == Dialect::Sqlite)
        return u"sqlite:"_qs + path;
    // One multi-argument arg(): chained arg() calls would substitute a "%3" inside the
    // user name with the port.
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(user, host, QString::number(port), name);
}
