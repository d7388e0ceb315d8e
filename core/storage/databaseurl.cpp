// SPDX-License-Identifier: GPL-3.0-or-later
#include "storage/databaseurl.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

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
            return R::failure(Refusal::Kind::InvalidInput,
                              u"database URL 'sqlite:' needs a file path"_s);
        return url;
    }
    if (!text.startsWith(u"postgresql://") && !text.startsWith(u"postgres://"))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"database URL must start with sqlite: or postgresql://"_s);

    const QUrl parsed(text, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return R::failure(Refusal::Kind::InvalidInput,
                          u"malformed PostgreSQL URL (expected "
                          u"postgresql://user:password@host:port/database)"_s);
    url.dialect = Dialect::Postgres;
    url.host = parsed.host();
    url.port = parsed.port(5432);
    if (url.port <= 0 || url.port > 65535)
        return R::failure(Refusal::Kind::InvalidInput, u"PostgreSQL URL has a bad port"_s);
    url.user = parsed.userName(QUrl::FullyDecoded);
    url.password = parsed.password(QUrl::FullyDecoded);
    url.name = parsed.path().mid(1);
    if (url.name.isEmpty() || url.name.contains(u'/'))
        return R::failure(Refusal::Kind::InvalidInput,
                          u"PostgreSQL URL must name a database after the host"_s);
    QStringList options{u"connect_timeout=5"_s};
    const auto items = QUrlQuery(parsed).queryItems(QUrl::FullyDecoded);
    // QPSQL turns ';' into a space and hands the string to libpq as "key=value ..."
    // pairs, so a value with ';' or a space would add options of its own (host=…).
    static const QStringList sslModes = {u"disable"_s, u"allow"_s,     u"prefer"_s,
                                         u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    static const QRegularExpression safeName(u"^[A-Za-z0-9_.-]{1,63}$"_s);
    for (const auto &[key, value] : items) {
        if (key != u"sslmode" && key != u"application_name")
            return R::failure(Refusal::Kind::InvalidInput,
                              u"unsupported PostgreSQL URL option '%1'"_s.arg(key));
        if (key == u"sslmode" ? !sslModes.contains(value) : !safeName.match(value).hasMatch())
            return R::failure(Refusal::Kind::InvalidInput,
                              u"bad value for PostgreSQL URL option '%1'"_s.arg(key));
        options << key + u'=' + value;
    }
    url.options = options.join(u';');
    return url;
}

QString DatabaseUrl::redacted() const
{
    if (dialect == Dialect::Sqlite)
        return u"sqlite:"_s + path;
    // One multi-argument arg(): chained arg() calls would substitute a "%3" inside the
    // user name with the port.
    return u"postgresql://%1@%2:%3/%4"_s.arg(user, host, QString::number(port), name);
}
