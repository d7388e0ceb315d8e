// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/devicepages.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm 'UTC'"_s);
}

QByteArray page(const QString &title, const QString &content)
{
    return (u"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            u"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            u"<meta name=\"robots\" content=\"noindex\">"
            u"<title>"_s +
            esc(title) +
            u" - Gatehouse</title>"
            u"<link rel=\"stylesheet\" href=\"assets/page.css\"></head><body><main>"_s +
            content + u"<footer>Gatehouse</footer></main></body></html>\n"_s)
        .toUtf8();
}

} // namespace

namespace DevicePages {

QByteArray approveForm(const LoginRequest &r, const QString &code)
{
    return page(
        u"Approve sign-in"_s,
        u"<h1>Approve sign-in?</h1>"
        u"<p>A device calling itself <strong id=\"platform\">"_s +
            esc(r.platform) + u"</strong> asks to sign in to the account <strong>"_s +
            esc(r.username) +
            u"</strong>.</p>"
            u"<p class=\"meta\">Asked from "_s +
            esc(r.ip) + u" at "_s + utc(r.createdAtMs) + u". This request expires at "_s +
            utc(r.expiresAtMs) +
            u".</p>"
            u"<form method=\"post\" action=\"approve\">"
            u"<input type=\"hidden\" name=\"code\" value=\""_s +
            esc(code) +
            u"\">"
            u"<button class=\"primary\" id=\"approve\" name=\"decision\" value=\"approve\" "
            u"type=\"submit\">Approve</button>"
            u"<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Deny</button>"
            u"</form>"
            u"<p class=\"meta\">If this was not you, press Deny or simply close this page: "
            u"nothing is approved unless you press Approve.</p>"_s);
}

QByteArray confirmEmailForm(const QString &username, const QString &email, const QString &code)
{
    return page(u"Confirm email address"_s,
                u"<h1>Confirm email address</h1><p>Confirm that <strong>"_s + esc(email) +
                    u"</strong> is the email address of the account <strong>"_s + esc(username) +
                    u"</strong>.</p>"
                    u"<form method=\"post\" action=\"verify-email\">"
                    u"<input type=\"hidden\" name=\"code\" value=\""_s +
                    esc(code) +
                    u"\"><button class=\"primary\" id=\"confirm\" type=\"submit\">Confirm"
                    u"</button></form>"_s);
}

QByteArray notice(const QString &title, const QString &text)
{
    return page(title, u"<h1>"_s + esc(title) + u"</h1><p>"_s + esc(text) + u"</p>"_s);
}

} // namespace DevicePages
