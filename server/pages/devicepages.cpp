// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/devicepages.h"

#include "pages/pagetemplate.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

QString utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm 'UTC'"_s);
}

} // namespace

namespace DevicePages {

QByteArray approveForm(const LoginRequest &r, const QString &code)
{
    return PageTemplate::named(u"approve-sign-in.html"_s)
        .render({{u"platform"_s, r.platform},
                 {u"username"_s, r.username},
                 {u"ip"_s, r.ip},
                 {u"asked_at"_s, utc(r.createdAtMs)},
                 {u"expires_at"_s, utc(r.expiresAtMs)},
                 {u"code"_s, code}});
}

QByteArray confirmEmailForm(const QString &username, const QString &email, const QString &code)
{
    return PageTemplate::named(u"confirm-email.html"_s)
        .render({{u"username"_s, username}, {u"email"_s, email}, {u"code"_s, code}});
}

QByteArray notice(const QString &title, const QString &text)
{
    return PageTemplate::named(u"notice.html"_s).render({{u"title"_s, title}, {u"text"_s, text}});
}

} // namespace DevicePages
