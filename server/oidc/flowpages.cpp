// SPDX-License-Identifier: GPL-3.0-or-later
#include "oidc/flowpages.h"

#include "pages/pagetemplate.h"

#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

// Where the page's forms may go: the page's own origin and, because browsers apply
// form-action to a form's redirects too, the application the flow ends at.
Response withFormAction(Response r, const QByteArray &sources)
{
    for (auto &[name, value] : r.headers)
        if (name == "Content-Security-Policy")
            value.replace("form-action 'self'", "form-action " + sources);
    r.header("Cache-Control", "no-store");
    r.header("Referrer-Policy", "no-referrer");
    return r;
}

QByteArray selfAnd(const QString &uri)
{
    const QByteArray source = FlowPages::cspSource(uri);
    return source.isEmpty() ? QByteArray("'self'") : "'self' " + source;
}

// Markup built here from escaped values, where the page has a marker comment.
QByteArray withMarkup(QByteArray page, const QByteArray &marker, const QString &markup)
{
    return page.replace(marker, markup.toUtf8());
}

} // namespace

namespace FlowPages {

Response allowingFormsTo(Response page, const QString &redirectUri)
{
    return withFormAction(std::move(page), selfAnd(redirectUri));
}

QByteArray cspSource(const QString &uri)
{
    const QUrl url(uri, QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return (scheme + u':').toLatin1();
    QString host = url.host(QUrl::FullyEncoded);
    if (host.isEmpty() || host.contains(u';') || host.contains(u' '))
        return {};
    if (host.contains(u':'))
        host = u'[' + host + u']';
    QString out = scheme + u"://"_s + host;
    if (url.port() > 0)
        out += u':' + QString::number(url.port());
    return out.toLatin1();
}

QString scopeInWords(const QString &scope)
{
    if (scope == u"openid")
        return u"Know who you are: an identifier for your account that stays the same"_s;
    if (scope == u"profile")
        return u"See your name and username"_s;
    if (scope == u"email")
        return u"See your email address and whether it is verified"_s;
    if (scope == u"offline_access")
        return u"Stay connected while you are away (it keeps access until you sign out "
               u"of it or it is revoked)"_s;
    return scope;
}

Response notice(const QString &root, const QString &title, const QString &text, int status,
                const QString &error)
{
    Response r = Response::html(
        PageTemplate::named(u"oidc-error.html"_s)
            .render(
                {{u"root"_s, root}, {u"title"_s, title}, {u"text"_s, text}, {u"error"_s, error}}),
        status);
    return withFormAction(std::move(r), "'self'");
}

Response formPost(const QString &root, const QString &action, const Fields &fields)
{
    QString inputs;
    for (const auto &[name, value] : fields)
        inputs += u"<input type=\"hidden\" name=\"%1\" value=\"%2\">\n"_s.arg(
            PageTemplate::escape(name), PageTemplate::escape(value));
    const QByteArray page = PageTemplate::named(u"oidc-form-post.html"_s)
                                .render({{u"root"_s, root}, {u"action"_s, action}});
    const QByteArray source = cspSource(action);
    return withFormAction(Response::html(withMarkup(page, "<!--fields-->", inputs)),
                          source.isEmpty() ? QByteArray("'none'") : source);
}

Response consent(const QString &root, const ConsentView &view)
{
    QString items;
    for (const QString &scope : view.scopes)
        items += u"<li>"_s + PageTemplate::escape(scopeInWords(scope)) + u"</li>"_s;
    const QUrl redirect(view.redirectUri);
    const QString host = redirect.host().isEmpty() ? redirect.scheme() : redirect.host();
    const QByteArray page = PageTemplate::named(u"oidc-consent.html"_s)
                                .render({{u"root"_s, root},
                                         {u"client"_s, view.clientName},
                                         {u"user"_s, view.user},
                                         {u"request"_s, view.requestId},
                                         {u"csrf"_s, view.csrf},
                                         {u"redirect_host"_s, host}});
    return withFormAction(Response::html(withMarkup(page, "<!--scopes-->", items)),
                          selfAnd(view.redirectUri));
}

Response logoutConfirm(const QString &root, const LogoutView &view)
{
    const QByteArray page =
        PageTemplate::named(u"oidc-logout.html"_s)
            .render({{u"root"_s, root},
                     {u"user"_s, view.user},
                     {u"csrf"_s, view.csrf},
                     {u"client_id"_s, view.clientId},
                     {u"post_logout_redirect_uri"_s, view.postLogoutRedirectUri},
                     {u"state"_s, view.state}});
    return withFormAction(Response::html(page), selfAnd(view.postLogoutRedirectUri));
}

} // namespace FlowPages
