// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/devicepages.h"

#include <QDateTime>

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString utc(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(u"yyyy-MM-dd HH:mm 'UTC'"_qs);
}

QByteArray page(const QString &title, const QString &content)
{
    return (u"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex\">"
            "<title>"_qs +
            esc(title) +
            u" - Gatehouse</title>"
            "<link rel=\"stylesheet\" href=\"assets/page.css\"></head><body><main>"_qs +
            content + u"<footer>Gatehouse</footer></main></body></html>\n"_qs)
        .toUtf8();
}

} // namespace

namespace DevicePages {

QByteArray approveForm(const LoginRequest &r, const QString &code)
{
    return page(
        u"Approve sign-in"_qs,
        u"<h1>Approve sign-in?</h1>"
        "<p>A device calling itself <strong id=\"platform\">"_qs +
            esc(r.platform) + u"</strong> asks to sign in to the account <strong>"_qs +
            esc(r.username) +
            u"</strong>.</p>"
            "<p class=\"meta\">Asked from "_qs +
            esc(r.ip) + u" at "_qs + utc(r.createdAtMs) + u". This request expires at "_qs +
            utc(r.expiresAtMs) +
            u".</p>"
            "<form method=\"post\" action=\"approve\">"
            "<input type=\"hidden\" name=\"code\" value=\""_qs +
            esc(code) +
            u"\">"
            "<button class=\"primary\" id=\"approve\" name=\"decision\" value=\"approve\" "
            "type=\"submit\">Approve</button>"
            "<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Deny</button>"
            "</form>"
            "<p class=\"meta\">If this was not you, press Deny or simply close this page: "
            "nothing is approved unless you press Approve.</p>"_qs);
}

QByteArray confirmEmailForm(const QString &username, const QString &email, const QString &code)
{
    return page(u"Confirm email address"_qs,
                u"<h1>Confirm email address</h1><p>Confirm that <strong>"_qs + esc(email) +
                    u"</strong> is the email address of the account <strong>"_qs + esc(username) +
                    u"</strong>.</p>"
                    "<form method=\"post\" action=\"verify-email\">"
                    "<input type=\"hidden\" name=\"code\" value=\""_qs +
                    esc(code) +
                    u"\"><button class=\"primary\" id=\"confirm\" type=\"submit\">Confirm"
                    "</button></form>"_qs);
}

QByteArray notice(const QString &title, const QString &text)
{
    return page(title, u"<h1>"_qs + esc(title) + u"</h1><p>"_qs + esc(text) + u"</p>"_qs);
}

} // namespace DevicePages
