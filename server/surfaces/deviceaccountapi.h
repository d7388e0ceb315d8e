// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "identity/deviceauth.h"
#include "surface.h"

class Services;

// The device surface's `Authorization: Bearer <session_token>` routes (seed 003 leaves
// them to us): GET /auth/me, PUT /auth/me/email, GET /auth/sessions,
// DELETE /auth/sessions/{id}, POST /auth/sessions/revoke-others; and the page behind
// the email-confirmation link, GET/POST /auth/verify-email. Errors are {"error": "..."}.
class DeviceAccountApi : public Surface
{
public:
    explicit DeviceAccountApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

private:
    DeviceAuth::Caller caller(const Request &request); // or throws 401
    Response me(const Request &request);
    Response changeEmail(const Request &request);
    Response sessions(const Request &request);
    Response revokeSession(const Request &request);
    Response revokeOthers(const Request &request);
    Response verifyEmailPage(const Request &request);
    Response verifyEmailSubmit(const Request &request);

    Services &m_services;
};
