// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the OpenID provider's flow tests (tst_oidcflow, tst_oidclogout):
// a server with a public URL, a first-party and a third-party client, a user, and a
// provider session made in the core (the sign-in pages are another suite's).
#pragma once

#include "crypto/base64url.h"
#include "crypto/digest.h"
#include "services.h"
#include "testserver.h"

#include <QTest>
#include <QUrl>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

namespace FlowTesting {

inline const QString kIssuer = u"https://id.example.test"_s;
inline const QString kRedirect = u"https://app.example.test/callback"_s;
inline const QString kLogoutRedirect = u"https://app.example.test/bye"_s;
inline const QByteArray kVerifier = "a-code-verifier-of-forty-three-characters-or-more-0123";

inline QString challenge()
{
    return QString::fromLatin1(Base64Url::encode(Digest::sha256(kVerifier)));
}

using Params = QList<std::pair<QString, QString>>;

// One parameter (a brace list would split a test macro's arguments at its comma).
inline Params one(const QString &name, const QString &value)
{
    return {{name, value}};
}

inline QByteArray encode(const Params &params)
{
    QByteArray out;
    for (const auto &[name, value] : params)
        out += (out.isEmpty() ? "" : "&") + QUrl::toPercentEncoding(name) + '=' +
               QUrl::toPercentEncoding(value);
    return out;
}

// The query (or form) parameters of a redirect's Location.
inline QUrlQuery locationQuery(const QByteArray &location)
{
    return QUrlQuery(QUrl(QString::fromUtf8(location)).query(QUrl::FullyEncoded));
}

inline QString value(const QUrlQuery &q, const QString &name)
{
    return q.queryItemValue(name, QUrl::FullyDecoded);
}

struct Flow
{
    TestServer server{[](Settings &s) { s.publicUrl = kIssuer; }};
    OidcClient thirdParty;
    OidcClient firstParty;
    User user;

    Flow()
    {
        OidcClient draft;
        draft.name = u"Photo <Album>"_s;
        draft.redirectUris = {kRedirect, u"http://127.0.0.1:7000/cb?x=1"_s};
        draft.postLogoutRedirectUris = {kLogoutRedirect};
        draft.scopes = {u"openid"_s, u"profile"_s, u"email"_s};
        thirdParty = services().oidc.clients.add(draft).value().client;
        draft.name = u"Wiki"_s;
        draft.firstParty = true;
        draft.isPublic = true;
        firstParty = services().oidc.clients.add(draft).value().client;
        User u;
        u.username = u"ada"_s;
        u.email = u"ada@example.test"_s;
        u.displayName = u"Ada Lovelace"_s;
        user = services().users.create(u).value();
    }

    Services &services() { return server.services(); }

    // A provider session for the user, as the sign-in pages start one; the cookie.
    QByteArray signIn(const QString &amr = u"pwd"_s)
    {
        return services().oidc.sessions.start(user.id, amr).cookie;
    }

    // Every parameter a valid request needs, for `client`, with `extra` replacing or adding.
    Params params(const OidcClient &client, const Params &extra = {}) const
    {
        Params out = {{u"client_id"_s, client.id},       {u"redirect_uri"_s, kRedirect},
                      {u"response_type"_s, u"code"_s},   {u"scope"_s, u"openid profile"_s},
                      {u"state"_s, u"st-123"_s},         {u"nonce"_s, u"n-456"_s},
                      {u"code_challenge"_s, challenge()}, {u"code_challenge_method"_s, u"S256"_s}};
        for (const auto &[name, v] : extra) {
            out.removeIf([&](const auto &p) { return p.first == name; });
            if (!v.isNull())
                out.append({name, v});
        }
        return out;
    }

    HttpReply get(const QByteArray &target, const QByteArray &cookie = {})
    {
        QList<std::pair<QByteArray, QByteArray>> headers;
        if (!cookie.isEmpty())
            headers.append({"Cookie", "gh_op=" + cookie});
        return server.client().get(target, headers);
    }

    HttpReply post(const QByteArray &target, const QByteArray &body, const QByteArray &cookie = {})
    {
        QList<std::pair<QByteArray, QByteArray>> headers{
            {"Content-Type", "application/x-www-form-urlencoded"}};
        if (!cookie.isEmpty())
            headers.append({"Cookie", "gh_op=" + cookie});
        return server.client().request("POST", target, body, headers);
    }

    HttpReply authorize(const Params &params, const QByteArray &cookie = {})
    {
        return get("/oauth2/authorize?" + encode(params), cookie);
    }
};

// A hidden input's value in a page: name="NAME" value="…" (as the templates write it).
inline QString hiddenValue(const QByteArray &html, const QByteArray &name)
{
    const QByteArray marker = "name=\"" + name + "\" value=\"";
    const qsizetype at = html.indexOf(marker);
    if (at < 0)
        return {};
    const qsizetype from = at + marker.size();
    return QString::fromUtf8(html.mid(from, html.indexOf('"', from) - from));
}

} // namespace FlowTesting
