// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "identity/oauthstates.h"
#include "identity/walletchallenges.h"
#include "identity/walletcodes.h"
#include "identity/walletsignin.h"
#include "oidc/authrequests.h"
#include "oidc/signinpage.h"
#include "providers/oauthproviders.h"
#include "providers/remotejsoncache.h"

#include <QHash>
#include <QJsonObject>

using namespace Qt::StringLiterals;

class Services;

// The provider's sign-in page (GET /oauth2/signin?request=ID) and its methods (docs/oidc.md):
// email or username + password (then a TOTP or recovery code, or a passkey, when the
// account has a second factor), a code mailed to the address, a passkey, and a wallet
// signature. Every POST carries the request id and a CSRF token bound to it. Success
// starts the provider session (cookie gh_op) and sends the browser on to
// /oauth2/authorize/continue?request=ID. Form methods answer with the page (no script
// needed); the scripted ones (passkey, wallet) with JSON {location} or an OAuth error.
class OidcSignin
{
public:
    explicit OidcSignin(Services &services);

    Response page(const Request &request);
    Response password(const Request &request);
    Response secondFactor(const Request &request);
    Response sendEmailCode(const Request &request);
    Response verifyEmailCode(const Request &request);
    // signinscripted.cpp
    Response passkeyOptions(const Request &request);
    Response passkey(const Request &request);
    Response secondPasskeyOptions(const Request &request);
    Response secondPasskey(const Request &request);
    Response walletChallenge(const Request &request);
    Response wallet(const Request &request);
    Response asset(const Request &request);

    // The purpose of a second step whose first factor was the emailed code (a password's
    // is SecondStep::kLoginPurpose): the form names its first factor, the purpose holds it.
    static inline const QString kCodePurpose = u"oidc-email-code"_s;

private:
    struct Form
    {
        QHash<QString, QByteArray> fields;
        AuthRequest request;
        QString field(const QString &name, int maxLength = 1024) const;
    };
    // Parses the form, finds the request and checks the CSRF token; throws a page to show.
    Form openForm(const Request &request);
    QJsonObject openJson(const Request &request, AuthRequest *authRequest);
    SigninPage::View view(const AuthRequest &request) const;
    Response fail(const Request &request, SigninPage::View view, const QString &message,
                  int status = 400);
    // The session, the cookie, the audit entry and the 303 (or, from a script, {location}).
    Response signedIn(const Request &request, const AuthRequest &authRequest, const QString &userId,
                      const QString &amr, const QString &method, bool scripted = false);
    Response secondStepPage(const AuthRequest &authRequest, const QString &challenge,
                            const QString &first, const QStringList &methods, const QString &email);
    void auditRefusal(const Request &request, const QString &method, const QString &subject,
                      const QString &why);
    QString emailCodeUser(const QString &email) const;
    QString finishCodeSecondStep(const QString &challenge, bool totp, const QString &code,
                                 const QString &ip);

    Services &m_services;
    WalletCodes m_codes; // its own channel: a code mailed here signs in here only
    // The wallet surface's proof of a signed challenge (the same tables and checks).
    RemoteJsonCache m_cache;
    OAuthProviders m_providers;
    OAuthStates m_states;
    WalletChallenges m_challenges;
    WalletSignIn m_walletProof;
};
