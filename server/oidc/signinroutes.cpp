// SPDX-License-Identifier: GPL-3.0-or-later
// The sign-in route group (OidcSignin): the page, its methods and its files.
#include "anonymouslimits.h"
#include "oidc/oidcroutes.h"
#include "oidc/signin.h"
#include "pages/pagetemplate.h"

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct Row
{
    const char *method;
    const char16_t *path;
    Runs runs;
    Response (OidcSignin::*handler)(const Request &);
};

} // namespace

void OidcRoutes::addSignin(Router &router, Services &services)
{
    PageTemplate::named(u"oidc-signin.html"_s); // read now, not on a listener's first request
    // Every route keeps the handler object alive. Each POST spends one of the address's
    // anonymous writes (Budget::PerIp) inside its handler, so a form gets its page back.
    const auto signin = std::make_shared<OidcSignin>(services);
    using S = OidcSignin;
    const Row rows[] = {
        {"GET", u"/oauth2/signin", Runs::Inline, &S::page},
        // argon2id (password, recovery codes): on the worker pool
        {"POST", u"/oauth2/signin/password", Runs::OnPool, &S::password},
        {"POST", u"/oauth2/signin/second-factor", Runs::OnPool, &S::secondFactor},
        {"POST", u"/oauth2/signin/email-code", Runs::Inline, &S::sendEmailCode},
        {"POST", u"/oauth2/signin/email-code/verify", Runs::Inline, &S::verifyEmailCode},
        {"POST", u"/oauth2/signin/passkey/options", Runs::Inline, &S::passkeyOptions},
        {"POST", u"/oauth2/signin/passkey", Runs::Inline, &S::passkey},
        {"POST", u"/oauth2/signin/second-factor/passkey-options", Runs::Inline,
         &S::secondPasskeyOptions},
        {"POST", u"/oauth2/signin/second-factor/passkey", Runs::Inline, &S::secondPasskey},
        {"POST", u"/oauth2/signin/wallet/challenge", Runs::Inline, &S::walletChallenge},
        {"POST", u"/oauth2/signin/wallet", Runs::Inline, &S::wallet},
        {"GET", u"/oauth2/assets/oidc-signin.js", Runs::Inline, &S::asset},
        {"GET", u"/oauth2/assets/oidc-signin.css", Runs::Inline, &S::asset},
        {"GET", u"/oauth2/assets/form.css", Runs::Inline, &S::asset},
    };
    for (const Row &row : rows) {
        Handler handler = [signin, call = row.handler](const Request &request) {
            return ((*signin).*call)(request);
        };
        router.add({row.method, QString::fromUtf16(row.path), Auth::None, std::move(handler),
                    row.runs, Metrics::Oidc, ErrorShape::OAuth});
    }
}
