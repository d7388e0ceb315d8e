// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "surface.h"
#include "surfaces/pinmebody.h"
#include "surfaces/pinpermstext.h"

#include <QJsonObject>

class Services;

// Seed 002 (Ambrosia POS style): POST /auth/login {name, pin} (reached through
// AuthLoginApi, which shares the path with the device surface), POST /auth/refresh and
// POST /auth/logout, GET /users/me. Tokens travel in HttpOnly cookies; errors are {"message":
// "..."}.
class PinApi : public Surface
{
public:
    explicit PinApi(Services &services) : m_services(services) {}
    void addRoutes(Router &router) override;

    // POST /auth/login with a `pin` field; runs argon2id, so on the pool.
    Response login(const Request &request, const QJsonObject &body);

private:
    Response refresh(const Request &request);
    Response logout(const Request &request);
    Response me(const Request &request);

    Services &m_services;
    PinPermsTextCache m_permsText;
    PinMeBodyCache m_meBody;
};
