// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "surface.h"

class Services;

// Seed 001: /oauth/init, /oauth/callback, /send_verification, /challenge, /login,
// /session, /logout, /bind; errors as {"error": "..."}. The session is an opaque token
// in the HttpOnly cookie "wallet_session".
class WalletApi : public Surface
{
public:
    static constexpr const char *kCookie = "wallet_session";

    explicit WalletApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

private:
    Response oauthInit(const Request &request);
    Response oauthCallback(const Request &request);
    Response sendVerification(const Request &request);
    Response challenge(const Request &request);
    Response login(const Request &request);
    Response session(const Request &request);
    Response logout(const Request &request);
    Response bind(const Request &request);

    Services &m_services;
};
