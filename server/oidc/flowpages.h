// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/response.h"

#include <QList>
#include <QString>
#include <QStringList>

// The flow's HTML pages (resources/pages/oidc-*.html through PageTemplate, every value
// escaped). `root` is the relative way from the page's path back to /oauth2/ ("" for
// /oauth2/consent, "../" for /oauth2/authorize/continue), so the pages' links and
// assets work behind a proxy that serves Gatehouse under a path of its own.
namespace FlowPages {

using Fields = QList<std::pair<QString, QString>>;

// A heading and one paragraph (and an OAuth error code, when there is one). Never a
// redirect: for requests that cannot safely go back to any application.
Response notice(const QString &root, const QString &title, const QString &text, int status,
                const QString &error = {});

// The form_post response: `fields` posted to `action` by a script asset, or by the
// Continue button without JavaScript. Its CSP lets forms go to `action` only.
Response formPost(const QString &root, const QString &action, const Fields &fields);

struct ConsentView
{
    QString clientName;
    QString user;       // how the signed-in person is shown
    QStringList scopes; // the requested scopes, in words on the page
    QString requestId;
    QString csrf;
    QString redirectUri; // where the answer goes (its origin may be a form's next hop)
};
Response consent(const QString &root, const ConsentView &view);

struct LogoutView
{
    QString user;
    QString csrf;
    QString clientId;
    QString postLogoutRedirectUri; // already checked against the client; may be empty
    QString state;
};
Response logoutConfirm(const QString &root, const LogoutView &view);

// The scope's meaning for the person on the consent page.
QString scopeInWords(const QString &scope);
// `uri`'s origin as a CSP source ("https://app.example:8443", or "com.example.app:"
// for a private-use scheme); empty when it has none.
QByteArray cspSource(const QString &uri);
// `page` (HTML) whose forms may go to this origin and to `redirectUri`'s, since browsers
// hold a form's redirects to form-action too; uncached, no referrer.
Response allowingFormsTo(Response page, const QString &redirectUri);

} // namespace FlowPages
