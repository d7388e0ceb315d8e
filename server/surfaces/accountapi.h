// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/apierror.h"
#include "http/request.h"
#include "http/response.h"
#include "identity/accounts.h"
#include "identity/users.h"
#include "surface.h"
#include "surfaces/accountpasskeys.h"

#include <functional>

class Services;

// Seed 004 (lightnovel-crawler's account API): everything under /api/auth/, errors as
// {"error": "...", "detail": "..."}; plus the reset-password page the mails link to.
class AccountApi : public Surface
{
public:
    explicit AccountApi(Services &services) : m_services(services), m_passkeys(services) {}
    void addRoutes(Router &router) override;

    // For the surface's routes kept in other files (accountpasskeys.cpp): its one
    // refusal mapping, and the {token, user} answer of a login.
    static Response mapRefusals(const std::function<Response()> &handler);
    static Response grantResponse(const Accounts::Grant &grant);

private:
    User bearerUser(const Request &request) const;

    Response login(const Request &request);
    Response signup(const Request &request);
    Response me(const Request &request);
    Response deactivate(const Request &request);
    Response setName(const Request &request);
    Response changePassword(const Request &request);
    Response sendResetLink(const Request &request);
    Response resetWithToken(const Request &request);
    Response sendOtp(const Request &request);
    Response verifyOtp(const Request &request);
    Response createToken(const Request &request);
    Response verifyToken(const Request &request);
    Response listTokens(const Request &request);
    Response resetPage(const Request &request);
    Response asset(const Request &request);

    // Second factors (accountfactorsapi.cpp)
    static ApiError secondStepRequired(const PendingSecondStep &pending);
    void requirePassword(const User &user, const QJsonObject &body) const;
    Response loginSecondFactor(const Request &request);
    Response listFactors(const Request &request);
    Response startTotp(const Request &request);
    Response confirmTotp(const Request &request);
    Response renameFactor(const Request &request);
    Response removeFactor(const Request &request);
    Response newRecoveryCodes(const Request &request);

    Services &m_services;
    AccountPasskeys m_passkeys;
};
