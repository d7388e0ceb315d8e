// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "identity/users.h"

#include <QJsonObject>

class Router;
class Services;

// The account surface's passkey routes (docs/api/account.md, "Passkeys"): a signed-in
// user registers, lists, renames and removes passkeys; anyone signs in with one
// (discoverable credentials); and the sign-in page (GET /signin) that drives both from
// a browser. Added to the router by AccountApi, with its error shape and refusal mapping.
class AccountPasskeys
{
public:
    explicit AccountPasskeys(Services &services) : m_services(services) {}
    void addRoutes(Router &router);
    // The passkey branch of POST /api/auth/login/second-factor (AccountApi's route):
    // {challenge, ceremony, passkey: AuthenticationResponseJSON} -> {token, user}.
    Response finishSecondStep(const Request &request, const QJsonObject &body,
                              const QString &challenge);

private:
    User bearerUser(const Request &request) const;

    Response registerOptions(const Request &request);
    Response registerPasskey(const Request &request);
    Response list(const Request &request);
    Response rename(const Request &request);
    Response remove(const Request &request);
    Response loginOptions(const Request &request);
    Response login(const Request &request);
    Response secondStepOptions(const Request &request);
    Response signinPage(const Request &request);
    Response asset(const Request &request);

    Services &m_services;
};
