// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "oidc/authrequests.h"
#include "oidc/oidcclients.h"

#include <QHash>
#include <QString>

struct Request;

// An /authorize or /logout request's parameters: the query of a GET, the form body of
// a POST (RFC 6749 3.1, OIDC Core 3.1.2.1), '+' read as a space.
class FlowParams
{
public:
    static FlowParams from(const Request &request);
    QString value(const QString &name) const { return m_values.value(name); }
    bool has(const QString &name) const { return m_values.contains(name); }
    // RFC 6749 3.1: a parameter sent more than once makes the request invalid.
    bool repeated(const QString &name) const { return m_repeated.contains(name); }

private:
    QHash<QString, QString> m_values;
    QHash<QString, bool> m_repeated;
};

// The outcome of checking an authorization request. A Page error means the client or
// the redirect URI could not be trusted: it is shown, never sent anywhere. A Redirect
// error goes back to `request.redirectUri` (in its response mode, with its state).
struct AuthorizeCheck
{
    enum class Kind { Valid, Page, Redirect };
    Kind kind = Kind::Page;
    AuthRequest request; // Valid: every field but id and times; Redirect: where to
    OidcClient client;
    QString error;       // an OAuth error code
    QString description; // for the person (Page) or the application (Redirect)
};

// OIDC Core 3.1.2.2 in order: client_id, redirect_uri, then the rest.
AuthorizeCheck checkAuthorize(const FlowParams &params, const OidcClients &clients);
