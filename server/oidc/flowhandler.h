// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "oidc/authrequests.h"
#include "oidc/oidcclients.h"
#include "oidc/opsessions.h"

#include <QList>
#include <optional>

class Services;

// The browser side of the authorization code flow (docs/oidc.md): /oauth2/authorize,
// /oauth2/authorize/continue, the consent page and RP-initiated logout. A request is
// checked once, saved (AuthRequests), and from then on the browser carries only its id
// from the sign-in and consent pages back to continue(), which finishes it.
class FlowHandler
{
public:
    explicit FlowHandler(Services &services) : m_services(services) {}

    Response authorize(const Request &request);      // GET and POST /oauth2/authorize
    Response resume(const Request &request);         // GET /oauth2/authorize/continue
    Response consentPage(const Request &request);    // GET /oauth2/consent
    Response consentDecision(const Request &request); // POST /oauth2/consent
    Response logout(const Request &request);         // GET and POST /oauth2/logout
    Response asset(const Request &request);          // GET /oauth2/assets/oidc*.{css,js}

    // HMAC of the purpose and the values with a key derived from the signing key, for the
    // consent and logout forms' tokens (bound to the provider session).
    QString formToken(const QString &purpose, const QString &sessionId,
                      const QString &requestId = {}) const;
    bool checkFormToken(const QString &token, const QString &purpose, const QString &sessionId,
                        const QString &requestId = {}) const;

private:
    using Params = QList<std::pair<QString, QString>>;

    // Where a saved request goes next: sign-in, consent, or its answer.
    Response next(const Request &http, const AuthRequest &request, const OidcClient &client);
    Response finish(const Request &http, const AuthRequest &request, const OpSession &session);
    // The authorization response (code or error) in the request's response mode, with
    // state and iss (RFC 9207).
    Response answer(const Request &http, const AuthRequest &request, Params params) const;
    Response errorAnswer(const Request &http, const AuthRequest &request, const QString &error,
                         const QString &description) const;
    std::optional<OpSession> session(const Request &http) const;
    // Signed in recently enough for the request (prompt=login, max_age).
    bool freshEnough(const AuthRequest &request, const OpSession &session) const;
    bool needsConsent(const AuthRequest &request, const OidcClient &client,
                      const OpSession &session) const;
    QString userLabel(const QString &userId) const;
    Response staleRequest(const Request &http) const;
    QByteArray clearSessionCookie() const;

    Services &m_services;
};

// The relative way from the request's path back to /oauth2/ ("" or "../").
QString flowRoot(const Request &request);
// A form POST from the application's site arrives without the SameSite=Lax session
// cookie; the same request as a GET (a 303 to it) brings the cookie along. Nullopt
// when the request already has the cookie, is not a POST, or is too big for a URL.
std::optional<Response> asGetWithCookies(const Request &request);
